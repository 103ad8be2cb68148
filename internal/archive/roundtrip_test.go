package archive_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"plein/internal/archive"
	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// testPNG is a small image with a gradient, so that its variants differ.
func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// source is an installation with an organisation that has every kind of
// record an archive holds.
type source struct {
	clock   *pleintest.Clock // shared with the installations it is imported into
	srv     *pleintest.Server
	org     *model.Org
	deleted string // id of the deleted post
	edited  string // id of the post edited once
	// scheduled is the id of a post to be published next week.
	scheduled string
}

func newSource(t *testing.T) *source {
	t.Helper()
	ctx := context.Background()
	clock := pleintest.NewClock(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	srv := pleintest.NewServerWith(t, storetest.Engines()[0], pleintest.Options{Now: clock.Now})
	op := auth.Operator()
	o := srv.Org(t, "gemeente-oud")
	o, err := srv.App.Orgs.Rename(ctx, op, "gemeente-oud", "gemeente")
	if err != nil {
		t.Fatal(err)
	}
	s := &source{clock: clock, srv: srv, org: o}
	withImage, err := srv.App.Posts.Create(ctx, op, o.ID, post.Input{Text: "De **markt** gaat weer open. #markt",
		Images: []post.ImageInput{{Upload: bytes.NewReader(testPNG(t)), Name: "markt.png", Alt: "Kramen op het plein"}}}, post.When{})
	if err != nil {
		t.Fatal(err)
	}
	edited := srv.Post(t, o, "Eerste versie van het bericht over de brug.")
	clock.Advance(time.Hour)
	if _, err := srv.App.Posts.Edit(ctx, op, edited.ID, post.Input{Text: "Tweede versie: de brug is dicht tot vrijdag."}); err != nil {
		t.Fatal(err)
	}
	s.edited = edited.ID
	gone := srv.Post(t, o, "Dit bericht wordt verwijderd.")
	if _, err := srv.App.Posts.Delete(ctx, op, gone.ID); err != nil {
		t.Fatal(err)
	}
	s.deleted = gone.ID
	if _, err := srv.App.Posts.Create(ctx, op, o.ID, post.Input{Text: "Een concept dat nooit verscheen."}, post.When{Draft: true}); err != nil {
		t.Fatal(err)
	}
	scheduled, err := srv.App.Posts.Create(ctx, op, o.ID, post.Input{Text: "Volgende week: de raadsvergadering."}, post.When{At: clock.Now().Add(7 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	s.scheduled = scheduled.ID
	for i := range 25 { // more than a page of the organisation's timeline
		srv.Post(t, o, fmt.Sprintf("Bericht %d van de gemeente.", i))
	}

	// Replies from the Fediverse: one shown, one refused with a statement.
	st := srv.App.Store
	author := &model.RemoteActor{ID: "https://social.example/users/anna", Inbox: "https://social.example/users/anna/inbox",
		KeyID: "https://social.example/users/anna#main-key", PublicKeyPEM: "-", FetchedAt: srv.App.Now(), Acct: "anna@social.example",
		Username: "anna", URL: "https://social.example/@anna"}
	if err := st.PutRemoteActor(ctx, author); err != nil {
		t.Fatal(err)
	}
	now := srv.App.Now()
	for i, state := range []model.ReplyState{model.ReplyShown, model.ReplyRefused} {
		r := &model.Reply{ID: "https://social.example/notes/" + strconv.Itoa(i), PostID: withImage.ID, ActorID: author.ID,
			URL: "https://social.example/@anna/" + strconv.Itoa(i), ContentHTML: "<p>Reactie " + strconv.Itoa(i) + "</p>",
			State: model.ReplyPending, Published: now, ReceivedAt: now}
		if err := st.PutReply(ctx, r); err != nil {
			t.Fatal(err)
		}
		if err := st.DecideReply(ctx, r.ID, []model.ReplyState{model.ReplyPending}, state, "", "Moderator", now); err != nil {
			t.Fatal(err)
		}
		if state == model.ReplyRefused {
			if err := st.AddStatement(ctx, &model.Statement{ID: model.NewID(now), OrgID: o.ID, ReplyID: r.ID, PostID: withImage.ID,
				Decision: model.ReplyRefused, Visibility: "DECISION_VISIBILITY_CONTENT_REMOVED", Ground: model.GroundIncompatible,
				Explanation: "Scheldwoorden", Category: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", ContentType: []string{"CONTENT_TYPE_TEXT"},
				ContentDate: now, ApplicationDate: now, Facts: "De reactie schold.", SourceType: "SOURCE_VOLUNTARY",
				AutomatedDecision: "AUTOMATED_DECISION_NOT_AUTOMATED", Language: "nl", DecidedByName: "Moderator", CreatedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := st.MarkChanged(ctx); err != nil {
		t.Fatal(err)
	}
	srv.WaitFresh(t)
	return s
}

// export writes the organisation's archive with WARC files of at most
// warcLimit bytes and returns its path and manifest.
func (s *source) export(t *testing.T, warcLimit int64) (string, *archive.Manifest) {
	t.Helper()
	h, err := s.srv.App.ArchiveHandler()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "archive.zip")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := s.srv.App.Archive.Export(context.Background(), s.org.ID, f, archive.Options{WARC: h, WARCLimit: warcLimit})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return file, m
}

func openZip(t *testing.T, file string) *zip.ReadCloser {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatalf("the archive is not a zip file Go reads: %v", err)
	}
	t.Cleanup(func() { zr.Close() })
	return zr
}

func readAll(t *testing.T, f *zip.File) []byte {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc) // checks the CRC at the end
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	return b
}

// TestArchive exports an organisation with posts, versions, a deletion,
// a draft, media, replies and a former handle, checks each part of the
// archive (Activity Streams, offline HTML, MDTO, WARC read back by
// warcio), and imports it into fresh installations on both engines, whose
// public pages must then equal the original's.
func TestArchive(t *testing.T) {
	s := newSource(t)
	const warcLimit = 256 << 10 // small, so that the WARC files are split
	file, m := s.export(t, warcLimit)
	if m.Posts != 30 || m.Deleted != 1 || m.Replies != 2 || m.Statements != 1 || m.Media != 1 || m.MediaFiles == 0 || m.Audit == 0 {
		t.Errorf("manifest = %+v", m)
	}
	zr := openZip(t, file)
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}

	t.Run("ActivityStreams", func(t *testing.T) { checkActivityStreams(t, s, files) })
	t.Run("HTML", func(t *testing.T) { checkHTML(t, s, files) })
	t.Run("MDTO", func(t *testing.T) { checkMDTO(t, files) })
	t.Run("WARC", func(t *testing.T) { checkWARC(t, s, m, files, warcLimit) })

	for _, e := range []storetest.Engine{storetest.Engines()[1], storetest.Engines()[0]} {
		t.Run("ImportInto"+e.Name, func(t *testing.T) {
			dst := pleintest.NewServerWith(t, e, pleintest.Options{Now: s.clock.Now})
			jobs := func() int64 {
				counts, err := dst.App.Store.JobCounts(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				return counts["scheduled"]
			}
			before := jobs()
			importFile(t, dst, file)
			if p, err := dst.App.Store.PostByID(context.Background(), s.scheduled); err != nil || p.State != model.StateScheduled {
				t.Errorf("the scheduled post after import: %+v, %v", p, err)
			}
			if after := jobs(); after < before+1 {
				t.Errorf("%d scheduled jobs after import, %d before: the scheduled post will not be published", after, before)
			}
			dst.WaitFresh(t)
			comparePublicPages(t, s, dst)
			if err := importErr(dst, file); !errors.Is(err, archive.ErrExists) {
				t.Errorf("second import: %v, want ErrExists", err)
			}
		})
	}
	t.Run("RefusedWhereItExists", func(t *testing.T) {
		if err := importErr(s.srv, file); !errors.Is(err, archive.ErrExists) {
			t.Errorf("import into its own installation: %v, want ErrExists", err)
		}
	})
}

func importErr(srv *pleintest.Server, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	_, err = srv.App.Archive.Import(context.Background(), f, st.Size())
	return err
}

func importFile(t *testing.T, srv *pleintest.Server, file string) {
	t.Helper()
	if err := importErr(srv, file); err != nil {
		t.Fatalf("import: %v", err)
	}
}

var (
	portOf   = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	keyOf    = regexp.MustCompile(`"publicKeyPem":"[^"]*"`)
	asOrigin = regexp.MustCompile(`https?://127\.0\.0\.1:\d+`)
)

// normalise takes out what differs between two installations of the same
// records: their addresses and the organisation's signing key.
func normalise(b []byte) string {
	b = asOrigin.ReplaceAll(b, []byte("BASE"))
	b = portOf.ReplaceAll(b, []byte("HOST"))
	return string(keyOf.ReplaceAll(b, []byte(`"publicKeyPem":"KEY"`)))
}

// comparePublicPages requests every public address of the organisation
// from both installations and compares status and body.
func comparePublicPages(t *testing.T, s *source, dst *pleintest.Server) {
	t.Helper()
	n := 0
	err := s.srv.App.Archive.PublicAddresses(context.Background(), s.org.ID, func(p, accept string) (string, error) {
		want, wantBody := s.srv.Get(t, p, "Accept", accept)
		got, gotBody := dst.Get(t, p, "Accept", accept)
		if got.StatusCode != want.StatusCode {
			t.Errorf("GET %s: status %d after import, %d before", p, got.StatusCode, want.StatusCode)
		} else if a, b := normalise(wantBody), normalise(gotBody); a != b {
			t.Errorf("GET %s differs after import:\n%s", p, firstDifference(a, b))
		}
		n++
		return string(wantBody), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 29*3 {
		t.Errorf("compared only %d addresses", n)
	}
	t.Logf("compared %d public addresses", n)
}

func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("before: …%s…\nafter:  …%s…", a[from:min(len(a), i+80)], b[from:min(len(b), i+80)])
}

func checkActivityStreams(t *testing.T, s *source, files map[string]*zip.File) {
	var objects, revisions int
	for name, f := range files {
		if !strings.HasPrefix(name, "activitystreams/") {
			continue
		}
		var obj map[string]any
		if err := json.Unmarshal(readAll(t, f), &obj); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, ok := obj["type"].(string); !ok {
			t.Errorf("%s has no type", name)
		}
		objects++
		if strings.Contains(name, "/revision-") {
			revisions++
		}
	}
	var deleted, edited map[string]any
	json.Unmarshal(readAll(t, files["activitystreams/posts/"+s.deleted+".json"]), &deleted)
	json.Unmarshal(readAll(t, files["activitystreams/posts/"+s.edited+".json"]), &edited)
	if deleted["type"] != "Tombstone" || deleted["formerType"] != "Note" || deleted["deleted"] == nil {
		t.Errorf("the deleted post = %v, want a Tombstone", deleted)
	}
	if edited["type"] != "Note" || !strings.Contains(fmt.Sprint(edited["content"]), "Tweede versie") || edited["updated"] == nil {
		t.Errorf("the edited post = %v", edited)
	}
	for _, n := range []int{1, 2} {
		if files[fmt.Sprintf("activitystreams/posts/%s/revision-%d.json", s.edited, n)] == nil {
			t.Errorf("version %d of the edited post is missing", n)
		}
	}
	decisions := 0
	for name := range files {
		if strings.Contains(name, "/decision-") || strings.Contains(name, "/statement-") {
			decisions++
		}
	}
	if decisions != 3 || files["activitystreams/actor.json"] == nil || files["activitystreams/profile-history.json"] == nil {
		t.Errorf("%d decisions and statements; actor and profile history present: %v, %v", decisions,
			files["activitystreams/actor.json"] != nil, files["activitystreams/profile-history.json"] != nil)
	}
	t.Logf("%d Activity Streams objects, %d versions", objects, revisions)
}

var (
	linkAttr = regexp.MustCompile(`(?i)\b(href|src)="([^"]*)"`)
	external = regexp.MustCompile(`(?i)^(https?:|mailto:|#)`)
)

// checkHTML checks that the offline pages load nothing, run nothing and
// link only to files in the archive, besides links a reader may follow.
func checkHTML(t *testing.T, s *source, files map[string]*zip.File) {
	pages := 0
	for name, f := range files {
		if !strings.HasPrefix(name, "html/") {
			continue
		}
		pages++
		body := string(readAll(t, f))
		if strings.Contains(strings.ToLower(body), "<script") || strings.Contains(strings.ToLower(body), "<link") {
			t.Errorf("%s has a script or a linked resource", name)
		}
		for _, m := range linkAttr.FindAllStringSubmatch(body, -1) {
			attr, ref := strings.ToLower(m[1]), m[2]
			if external.MatchString(ref) {
				if attr == "src" {
					t.Errorf("%s loads %s from another host", name, ref)
				}
				continue
			}
			target := path.Clean(path.Join(path.Dir(name), ref))
			if files[target] == nil {
				t.Errorf("%s links to %s, which is not in the archive", name, target)
			}
		}
	}
	index := string(readAll(t, files["html/index.html"]))
	if strings.Count(index, `href="posts/`) != 30 {
		t.Errorf("the index links to %d posts, want 30", strings.Count(index, `href="posts/`))
	}
	edited := string(readAll(t, files["html/posts/"+s.edited+".html"]))
	if !strings.Contains(edited, "Eerste versie") || !strings.Contains(edited, "Tweede versie") {
		t.Error("the edited post's page does not show both versions")
	}
	if pages != 30+3 {
		t.Errorf("%d pages, want an index, a profile, an audit page and 30 posts", pages)
	}
}

func checkMDTO(t *testing.T, files map[string]*zip.File) {
	n := 0
	kinds := map[string]int{}
	for name, f := range files {
		if !strings.HasPrefix(name, "mdto/") {
			continue
		}
		kind, err := validateMDTO(bytes.NewReader(readAll(t, f)))
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		kinds[kind]++
		n++
	}
	if kinds["informatieobject"] != 31 || kinds["bestand"] == 0 {
		t.Errorf("MDTO records: %v; want an informatieobject per post and the organisation, a bestand per media file", kinds)
	}
}

// warcRecord is a record as Plein's test reads it, or as warcio reports it.
type warcRecord struct {
	Type   string `json:"type"`
	URI    string `json:"uri"`
	Status int    `json:"status"`
}

// readWARC reads the records of a WARC file by its Content-Length headers.
func readWARC(t *testing.T, data []byte) []warcRecord {
	t.Helper()
	var out []warcRecord
	r := bufio.NewReader(bytes.NewReader(data))
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF && line == "" {
			return out
		}
		if line != "WARC/1.1\r\n" {
			t.Fatalf("record starts with %q", line)
		}
		var rec warcRecord
		length := -1
		for {
			h, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if h == "\r\n" {
				break
			}
			k, v, _ := strings.Cut(strings.TrimSpace(h), ": ")
			switch k {
			case "WARC-Type":
				rec.Type = v
			case "WARC-Target-URI":
				rec.URI = v
			case "Content-Length":
				length, _ = strconv.Atoi(v)
			}
		}
		block := make([]byte, length+4)
		if _, err := io.ReadFull(r, block); err != nil || !bytes.HasSuffix(block, []byte("\r\n\r\n")) {
			t.Fatalf("record of %s: block of %d bytes not closed: %v", rec.URI, length, err)
		}
		if rec.Type == "response" {
			status := strings.Fields(string(block[:min(len(block), 16)]))
			rec.Status, _ = strconv.Atoi(status[1])
		}
		out = append(out, rec)
	}
}

func checkWARC(t *testing.T, s *source, m *archive.Manifest, files map[string]*zip.File, limit int64) {
	dir := t.TempDir()
	var paths []string
	var mine []warcRecord
	for _, f := range sortedFiles(files, "warc/") {
		if f.Method != zip.Store {
			t.Errorf("%s is compressed", f.Name)
		}
		data := readAll(t, f)
		if int64(len(data)) > limit && len(readWARC(t, data)) > 3 {
			t.Errorf("%s has %d bytes, more than the limit %d", f.Name, len(data), limit)
		}
		p := filepath.Join(dir, path.Base(f.Name))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		mine = append(mine, readWARC(t, data)...)
	}
	if len(paths) < 2 || len(paths) != m.WARCFiles || len(mine) != m.WARCRecords {
		t.Fatalf("%d WARC files with %d records; the manifest says %d and %d (want at least 2 files)", len(paths), len(mine), m.WARCFiles, m.WARCRecords)
	}
	uris := map[string]int{}
	for _, r := range mine {
		if r.Type == "response" {
			uris[strings.TrimPrefix(r.URI, s.srv.URL)] = r.Status
		}
	}
	for p, want := range map[string]int{"/@gemeente": 200, "/@gemeente/" + s.edited: 200, "/@gemeente/" + s.edited + "/history": 200,
		"/@gemeente/" + s.deleted: 410, "/@gemeente/feed.atom": 200, "/@gemeente/tags/markt": 200} {
		if got, ok := uris[p]; !ok || got != want {
			t.Errorf("the WARC files have %s with status %d (present %v), want %d", p, got, ok, want)
		}
	}
	media := 0
	for u := range uris {
		if strings.HasPrefix(u, "/media/") {
			media++
		}
	}
	if media == 0 {
		t.Error("the WARC files hold no media file")
	}

	script, err := filepath.Abs("../../tools/warcio/records.mjs")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat("../../tools/warcio/node_modules/warcio/package.json"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("warcio is not installed in tools/warcio (npm ci --prefix tools/warcio): %v", err)
		}
		t.Skipf("skipping: warcio is not installed in tools/warcio: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{script}, paths...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("warcio: %v\n%s", err, stderr.String())
	}
	var theirs struct {
		Count   int          `json:"count"`
		Records []warcRecord `json:"records"`
	}
	if err := json.Unmarshal(out, &theirs); err != nil {
		t.Fatalf("warcio's output: %v", err)
	}
	if theirs.Count != len(mine) || !slices.Equal(theirs.Records, mine) {
		t.Errorf("warcio read %d records, Plein wrote %d; first differences: %v", theirs.Count, len(mine), diffRecords(theirs.Records, mine))
	}
	t.Logf("warcio read %d records in %d files", theirs.Count, len(paths))
}

func diffRecords(a, b []warcRecord) []string {
	var out []string
	for i := 0; i < max(len(a), len(b)) && len(out) < 5; i++ {
		var x, y warcRecord
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("#%d warcio %+v, Plein %+v", i, x, y))
		}
	}
	return out
}

func sortedFiles(files map[string]*zip.File, prefix string) []*zip.File {
	var out []*zip.File
	for name, f := range files {
		if strings.HasPrefix(name, prefix) {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// rewrite copies the archive file, passing each entry's content through
// change, and returns the new file's path.
func rewrite(t *testing.T, file string, change func(name string, data []byte) []byte) string {
	t.Helper()
	zr := openZip(t, file)
	out := filepath.Join(t.TempDir(), "changed.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		w, err := zw.Create(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(change(e.Name, readAll(t, e))); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportDistrustsTheFile imports archives changed after their export:
// markup in a reply is sanitised again, a post with an id Plein never
// makes and a truncated file are refused, and a refused import leaves no
// organisation and no media behind.
func TestImportDistrustsTheFile(t *testing.T) {
	s := newSource(t)
	file, _ := s.export(t, 0)
	replyFile := ""
	for _, f := range openZip(t, file).File {
		if strings.HasPrefix(f.Name, "data/posts/") && strings.Contains(string(readAll(t, f)), "Reactie 0") {
			replyFile = f.Name
		}
	}
	dst := pleintest.NewServerWith(t, storetest.Engines()[0], pleintest.Options{Now: s.clock.Now})

	badID := rewrite(t, file, func(name string, data []byte) []byte {
		if name == "data/posts/"+s.edited+".json" {
			return bytes.ReplaceAll(data, []byte(`"ID": "`+s.edited+`"`), []byte(`"ID": "../../etc"`))
		}
		return data
	})
	if err := importErr(dst, badID); !errors.Is(err, archive.ErrNotArchive) {
		t.Errorf("a post with a bad id: %v, want ErrNotArchive", err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.zip")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if err := importErr(dst, cut); !errors.Is(err, archive.ErrNotArchive) {
		t.Errorf("a truncated archive: %v, want ErrNotArchive", err)
	}
	if _, err := dst.App.Store.OrgByID(context.Background(), s.org.ID); err == nil {
		t.Fatal("a refused import left the organisation behind")
	}
	for _, f := range openZip(t, file).File {
		if key, ok := strings.CutPrefix(f.Name, "media/"); ok {
			if obj, err := dst.App.Media.Open(context.Background(), key); err == nil {
				obj.Close()
				t.Errorf("a refused import left the media file %s behind", key)
			}
		}
	}

	script := rewrite(t, file, func(name string, data []byte) []byte {
		if name == replyFile {
			return bytes.ReplaceAll(data, []byte(`<p>Reactie 0</p>`), []byte(`<p>Reactie 0</p><script>alert(1)</script>`))
		}
		return data
	})
	importFile(t, dst, script)
	r, err := dst.App.Store.Reply(context.Background(), "https://social.example/notes/0")
	if err != nil || strings.Contains(r.ContentHTML, "<script") || !strings.Contains(r.ContentHTML, "Reactie 0") {
		t.Errorf("imported reply = %+v, %v; want it sanitised", r, err)
	}
}
