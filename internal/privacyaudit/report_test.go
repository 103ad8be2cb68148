package privacyaudit

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sampleReports are reports as Audit returns them, for the golden files.
func sampleReports() map[string]*Report {
	const site = "https://plein.example"
	clean := &Report{
		Origin: site,
		Pages: []Page{
			{URL: site + "/", Status: 200, NetworkQuiet: true},
			{URL: site + "/@gemeente/nieuws", Status: 404, NetworkQuiet: true},
		},
	}
	findings := &Report{
		Origin: site,
		Pages: []Page{
			{URL: site + "/", Status: 200, NetworkQuiet: true},
			{URL: site + "/@gemeente", FinalURL: site + "/@gemeente/", Status: 200, NetworkQuiet: false},
		},
		Cookies: []Cookie{
			{Name: "sid", Domain: "plein.example", Path: "/", Secure: true, HTTPOnly: true, SameSite: "Lax", Session: true, Page: site + "/@gemeente"},
			{Name: "_track", Domain: ".plein.example", Path: "/", Expires: time.Date(2027, 5, 1, 12, 0, 0, 0, time.UTC), Page: site + "/"},
		},
		Storage: []StorageEntry{
			{Origin: site, Kind: ServiceWorker, Name: site + "/", Page: site + "/"},
			{Origin: site, Kind: LocalStorage, Keys: 2, Page: site + "/"},
			{Origin: site, Kind: IndexedDB, Name: "visits", Page: site + "/@gemeente"},
			{Origin: site, Kind: CacheStorage, Name: "offline-v1", Page: site + "/"},
			{Origin: site, Kind: SessionStorage, Keys: 1, Page: site + "/"},
		},
		Requests: []Request{
			{Page: site + "/@gemeente", URL: "https://video.example/embed/1", Origin: "https://video.example", Method: "GET", Type: "Document", Source: "page", Document: site + "/@gemeente/"},
			{Page: site + "/", URL: "https://fonts.example/css?family=Sans", Origin: "https://fonts.example", Method: "GET", Type: "Stylesheet", Source: "page", Document: site + "/", Error: "net::ERR_NAME_NOT_RESOLVED"},
			{Page: site + "/", URL: "https://stats.example/collect", Origin: "https://stats.example", Method: "POST", Type: "Fetch", Source: "service_worker", Document: site + "/sw.js"},
			{Page: site + "/", URL: "https://cdn.example/", Origin: "https://cdn.example", Type: "Preconnect", Source: "markup", Document: site + "/"},
		},
	}
	sortReport(clean)
	sortReport(findings)
	return map[string]*Report{"clean": clean, "findings": findings}
}

func TestReportGolden(t *testing.T) {
	for name, r := range sampleReports() {
		js, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		var text bytes.Buffer
		if err := r.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		golden(t, name+".json", append(js, '\n'))
		golden(t, name+".txt", text.Bytes())
	}
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n got:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestReportJSONRoundTrip(t *testing.T) {
	for name, r := range sampleReports() {
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Report
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		again, err := json.Marshal(&back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(js, again) {
			t.Errorf("%s: JSON changes after a round trip:\n%s\n%s", name, js, again)
		}
	}
}

func TestFindings(t *testing.T) {
	reports := sampleReports()
	if r := reports["clean"]; !r.Clean() || len(r.Findings()) != 0 {
		t.Errorf("clean report: Clean() = %v, Findings() = %v", r.Clean(), r.Findings())
	}
	r := reports["findings"]
	if r.Clean() {
		t.Error("report with findings: Clean() = true")
	}
	var kinds []FindingKind
	for _, f := range r.Findings() {
		kinds = append(kinds, f.Kind)
	}
	want := slices.Concat(
		slices.Repeat([]FindingKind{FindingCookie}, len(r.Cookies)),
		slices.Repeat([]FindingKind{FindingStorage}, len(r.Storage)),
		slices.Repeat([]FindingKind{FindingRequest}, len(r.Requests)),
	)
	if !slices.Equal(kinds, want) {
		t.Errorf("finding kinds = %v, want %v", kinds, want)
	}
	for _, only := range []*Report{
		{Cookies: r.Cookies[:1]},
		{Storage: r.Storage[:1]},
		{Requests: r.Requests[:1]},
	} {
		if only.Clean() || len(only.Findings()) != 1 {
			t.Errorf("report %+v: Clean() = %v, %d findings; want not clean, 1 finding", only, only.Clean(), len(only.Findings()))
		}
	}
}

func TestSortReportOrdersRequestsByVisit(t *testing.T) {
	r := &Report{
		Pages: []Page{{URL: "https://p.example/b"}, {URL: "https://p.example/a"}},
		Requests: []Request{
			{Page: "https://p.example/a", URL: "https://x.example/1"},
			{Page: "https://p.example/b", URL: "https://x.example/2"},
			{Page: "https://p.example/b", URL: "https://x.example/1"},
		},
	}
	sortReport(r)
	var got []string
	for _, q := range r.Requests {
		got = append(got, q.Page+" "+q.URL)
	}
	want := []string{
		"https://p.example/b https://x.example/1",
		"https://p.example/b https://x.example/2",
		"https://p.example/a https://x.example/1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("requests in order %q, want %q", got, want)
	}
}
