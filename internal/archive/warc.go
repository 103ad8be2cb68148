package archive

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base32"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"plein/internal/activity"
	"plein/internal/markup"
	"plein/internal/model"
)

// feedFormats are the formats of an organisation's feeds, as the last part
// of their paths.
var feedFormats = []string{"atom", "rss", "json"}

// warcWriter writes WARC/1.1 records (ISO 28500) into zip entries of at
// most limit bytes each, starting a new file when the next pair of records
// would not fit.
type warcWriter struct {
	e     *export
	limit int64
	w     io.Writer // the current file; nil before the first
	size  int64
	now   time.Time
}

// warc requests every public page, feed and media file of the
// organisation from the handler and writes each request and response.
func (e *export) warc(ctx context.Context, opts Options) error {
	ww := &warcWriter{e: e, limit: opts.WARCLimit, now: e.m.ExportedAt}
	if ww.limit <= 0 {
		ww.limit = DefaultWARCLimit
	}
	return e.publicAddresses(ctx, func(path, accept string) (string, error) {
		return ww.fetch(ctx, opts.WARC, path, accept)
	})
}

// PublicAddresses calls fetch with every public address of the
// organisation (a path, and the Accept header to ask with), following the
// links to older posts on its page that each fetch returns; fetch returns
// the body it got.
func (a *Archiver) PublicAddresses(ctx context.Context, orgID string, fetch func(path, accept string) (string, error)) error {
	o, err := a.st.OrgByID(ctx, orgID)
	if err != nil {
		return fmt.Errorf("archive: reading the organisation: %w", err)
	}
	e := &export{a: a, org: o}
	return e.publicAddresses(ctx, fetch)
}

var nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">`)

const htmlAccept = "text/html"

func (e *export) publicAddresses(ctx context.Context, fetch func(path, accept string) (string, error)) error {
	at := "/@" + e.org.Handle
	for _, lang := range []string{"", "?lang=en"} {
		for next := at + lang; next != ""; {
			body, err := fetch(next, htmlAccept)
			if err != nil {
				return err
			}
			next = ""
			if m := nextLink.FindStringSubmatch(body); m != nil {
				next = html.UnescapeString(m[1])
			}
		}
	}
	fixed := []struct{ path, accept string }{
		{at + "/privacy", htmlAccept}, {at + "/transparency", htmlAccept},
		{"/orgs/" + e.org.ID, activity.ContentType}, {"/orgs/" + e.org.ID + "/outbox", activity.ContentType},
		{"/orgs/" + e.org.ID + "/featured", activity.ContentType},
	}
	for _, f := range feedFormats {
		fixed = append(fixed, struct{ path, accept string }{at + "/feed." + f, "*/*"})
	}
	for _, f := range fixed {
		if _, err := fetch(f.path, f.accept); err != nil {
			return err
		}
	}
	for _, id := range []string{e.org.AvatarID, e.org.HeaderID} {
		if id == "" {
			continue
		}
		if err := e.fetchMedia(ctx, id, fetch); err != nil {
			return err
		}
	}
	tags := map[string]bool{}
	err := e.eachPost(ctx, func(p *model.Post) error {
		if p.PublishAt.IsZero() || p.State != model.StatePublished && p.State != model.StateDeleted {
			return nil // never public
		}
		for _, f := range []struct{ path, accept string }{
			{at + "/" + p.ID, htmlAccept}, {at + "/" + p.ID + "?lang=en", htmlAccept}, {at + "/" + p.ID + "/history", htmlAccept},
			{"/posts/" + p.ID, activity.ContentType}, {"/posts/" + p.ID + "/replies", activity.ContentType},
		} {
			if _, err := fetch(f.path, f.accept); err != nil {
				return err
			}
		}
		if p.State != model.StatePublished {
			return nil
		}
		_, ts := markup.Tags(p.Text)
		for _, t := range ts {
			tags[t] = true
		}
		for _, at := range p.Attachments {
			if err := e.fetchMedia(ctx, at.MediaID, fetch); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	sorted := make([]string, 0, len(tags))
	for t := range tags {
		sorted = append(sorted, t)
	}
	sort.Strings(sorted)
	for _, t := range sorted {
		base := at + "/tags/" + url.PathEscape(t)
		if _, err := fetch(base, htmlAccept); err != nil {
			return err
		}
		for _, f := range feedFormats {
			if _, err := fetch(base+"/feed."+f, "*/*"); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *export) fetchMedia(ctx context.Context, id string, fetch func(path, accept string) (string, error)) error {
	m, err := e.a.st.MediaByID(ctx, id)
	if err != nil {
		return fmt.Errorf("archive: reading media %s: %w", id, err)
	}
	for _, v := range m.Variants {
		if _, err := fetch("/media/"+v.Key, "image/*"); err != nil {
			return err
		}
	}
	return nil
}

// fetch makes one request to h in this process and writes it and its
// response; it returns the body when it is HTML.
func (ww *warcWriter) fetch(ctx context.Context, h http.Handler, path, accept string) (string, error) {
	target := ww.e.a.baseURL + path
	u, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("archive: address %s: %w", path, err)
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	req.RemoteAddr = "127.0.0.1:1"
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "Plein-archive")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	body := rec.Body.Bytes()

	var reqBlock bytes.Buffer
	fmt.Fprintf(&reqBlock, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: %s\r\nUser-Agent: Plein-archive\r\n\r\n", u.RequestURI(), u.Host, accept)
	var respBlock bytes.Buffer
	fmt.Fprintf(&respBlock, "HTTP/1.1 %03d %s\r\n", resp.StatusCode, http.StatusText(resp.StatusCode))
	resp.Header.Del("Transfer-Encoding")
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	if err := resp.Header.Write(&respBlock); err != nil {
		return "", fmt.Errorf("archive: response headers of %s: %w", path, err)
	}
	respBlock.WriteString("\r\n")
	respBlock.Write(body)

	respID, reqID := recordID(), recordID()
	when := ww.now.Format(time.RFC3339)
	response := record("response", respID, when, target, "application/http;msgtype=response", respBlock.Bytes(),
		"WARC-Payload-Digest: "+digest(body))
	request := record("request", reqID, when, target, "application/http;msgtype=request", reqBlock.Bytes(),
		"WARC-Concurrent-To: "+respID)
	if err := ww.write(response, request); err != nil {
		return "", err
	}
	ww.e.m.WARCRecords += 2
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		return string(body), nil
	}
	return "", nil
}

// write writes records to the current file, starting a new one first when
// they would make it larger than the limit.
func (ww *warcWriter) write(records ...[]byte) error {
	var n int64
	for _, r := range records {
		n += int64(len(r))
	}
	if ww.w == nil || ww.size > 0 && ww.size+n > ww.limit {
		ww.e.m.WARCFiles++
		name := fmt.Sprintf("%s%s-%05d.warc", warcDir, ww.e.org.Handle, ww.e.m.WARCFiles)
		w, err := ww.e.z.create(name, false) // the guideline asks for uncompressed WARC
		if err != nil {
			return err
		}
		ww.w, ww.size = w, 0
		info := record("warcinfo", recordID(), ww.now.Format(time.RFC3339), "", "application/warc-fields",
			[]byte("software: Plein\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"),
			"WARC-Filename: "+strings.TrimPrefix(name, warcDir))
		if _, err := ww.w.Write(info); err != nil {
			return fmt.Errorf("archive: writing %s: %w", name, err)
		}
		ww.size += int64(len(info))
		ww.e.m.WARCRecords++
	}
	for _, r := range records {
		if _, err := ww.w.Write(r); err != nil {
			return fmt.Errorf("archive: writing a WARC file: %w", err)
		}
	}
	ww.size += n
	return nil
}

// record is one WARC record: its header, block and the two line ends
// that close it.
func record(typ, id, date, target, contentType string, block []byte, extra ...string) []byte {
	var b bytes.Buffer
	b.WriteString("WARC/1.1\r\n")
	b.WriteString("WARC-Type: " + typ + "\r\n")
	b.WriteString("WARC-Record-ID: " + id + "\r\n")
	b.WriteString("WARC-Date: " + date + "\r\n")
	if target != "" {
		b.WriteString("WARC-Target-URI: " + target + "\r\n")
	}
	for _, x := range extra {
		b.WriteString(x + "\r\n")
	}
	b.WriteString("WARC-Block-Digest: " + digest(block) + "\r\n")
	b.WriteString("Content-Type: " + contentType + "\r\n")
	b.WriteString("Content-Length: " + strconv.Itoa(len(block)) + "\r\n\r\n")
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// recordID is a new record id, a random UUID as a URN.
func recordID() string {
	var u [16]byte
	if _, err := rand.Read(u[:]); err != nil {
		panic("archive: crypto/rand failed: " + err.Error())
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("<urn:uuid:%x-%x-%x-%x-%x>", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

// digest is the SHA-1 of b in base 32, as web archives write it.
func digest(b []byte) string {
	sum := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(sum[:])
}
