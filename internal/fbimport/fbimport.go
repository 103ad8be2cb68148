// Package fbimport brings a Facebook Page's posts into Plein from the
// export Facebook makes ("Download your information", JSON format): a
// zip file or its unpacked folder. Each post keeps its original date and
// is marked as imported; its images pass through the media pipeline; its
// text is repaired of Facebook's mojibake and its links become links.
// Importing the same export again adds nothing, and whatever cannot be
// imported is listed in the report. The command line and the staff
// interface both call this package.
package fbimport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/post"
)

// Options are the choices of one import.
type Options struct {
	// DryRun reads the whole export and reports what an import would do,
	// importing nothing.
	DryRun bool
	// MaxTotalBytes limits what is read of the export in all; 0:
	// DefaultMaxTotalBytes.
	MaxTotalBytes int64
}

// Entry is one line of the report: an item of the export and what
// happened to it or to one of its files.
type Entry struct {
	Item    model.Text // where in the export: a file, or its item
	At      time.Time  // the item's date; zero when unknown
	Excerpt string     // the start of its text
	PostID  string     // the post it became, if any
	Reason  model.Text // what happened, in words
}

// Report is what an import did, or in a dry run would do.
type Report struct {
	DryRun   bool
	Found    int // items found: posts, and parts of albums
	Imported int // posts imported, or in a dry run to import
	Before   int // items imported before, left alone
	Images   int // images imported, or to import
	// Problems lists what was not imported, wholly or in part.
	Problems []Entry
	// HeldBack lists the images imported without a description, hidden
	// until staff describe them.
	HeldBack []Entry
}

// item is one post of the export, or one part of an album, as read.
type item struct {
	where   model.Text
	at      time.Time
	text    string
	links   []string
	media   []mediaRef
	unknown []string // shapes of attachments not understood
}

type mediaRef struct {
	uri, description string
}

// Importer imports exports into organisations through the post service.
type Importer struct {
	posts *post.Service
}

// New returns an Importer that creates posts through posts.
func New(posts *post.Service) *Importer { return &Importer{posts: posts} }

// Import reads the export at name (a .zip file or a folder) and imports
// its posts and albums into the organisation orgID as actor, who must be
// allowed to manage it. The report lists every item not imported and
// every image held back. The error is nil whenever a report could be
// made; a model.FieldError tells what is wrong with the export.
func (im *Importer) Import(ctx context.Context, actor auth.Actor, orgID, name string, opt Options) (*Report, error) {
	e, err := Open(name, opt.MaxTotalBytes)
	if errors.Is(err, ErrNotExport) {
		return nil, model.Invalid("export", i18n.M(i18n.ImportNotExport))
	}
	if err != nil {
		return nil, err
	}
	defer e.Close()
	// The permission first, before any work: no item has an empty key.
	if err := im.posts.ImportCheck(ctx, actor, orgID, model.ImportFacebook, ""); err != nil && !errors.Is(err, post.ErrAlreadyImported) {
		return nil, err
	}
	postFiles, albumFiles, err := e.files()
	if errors.Is(err, ErrNotExport) {
		return nil, model.Invalid("export", i18n.M(i18n.ImportNotExport))
	}
	if err != nil {
		return nil, err
	}
	if len(postFiles) == 0 && len(albumFiles) == 0 {
		return nil, model.Invalid("export", i18n.M(i18n.ImportNoPosts))
	}
	r := &Report{DryRun: opt.DryRun}
	run := &run{im: im, e: e, actor: actor, orgID: orgID, report: r, seen: map[string]bool{}}
	for _, f := range postFiles {
		if err := run.postsFile(ctx, f); err != nil {
			return run.stopped(err)
		}
	}
	for _, f := range albumFiles {
		if err := run.albumFile(ctx, f); err != nil {
			return run.stopped(err)
		}
	}
	if !opt.DryRun {
		if err := im.posts.RecordImport(ctx, actor, orgID, model.ImportFacebook, r.Imported, r.Images, len(r.HeldBack), len(r.Problems)); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// run is one import under way.
type run struct {
	im     *Importer
	e      *Export
	actor  auth.Actor
	orgID  string
	report *Report
	seen   map[string]bool // uris of media of posts, left out of albums
}

// stopped ends an import the export's total limit stopped: the report so
// far, with the reason; other errors end it without a report.
func (r *run) stopped(err error) (*Report, error) {
	if errors.Is(err, errTotal) {
		r.report.Problems = append(r.report.Problems, Entry{Item: fileName(""),
			Reason: i18n.M(i18n.ImportTotalTooLarge, r.e.max>>20)})
		return r.report, nil
	}
	return nil, err
}

// problem adds a line to the report's problems.
func (r *run) problem(it *item, reason model.Text) {
	r.report.Problems = append(r.report.Problems, Entry{Item: it.where, At: it.at, Excerpt: excerpt(it.text), Reason: reason})
}

// fbPost is a post as the export writes it.
type fbPost struct {
	Timestamp   int64 `json:"timestamp"`
	Title       string
	Data        []map[string]json.RawMessage `json:"data"`
	Attachments []struct {
		Data []map[string]json.RawMessage `json:"data"`
	} `json:"attachments"`
}

type fbMedia struct {
	URI               string `json:"uri"`
	CreationTimestamp int64  `json:"creation_timestamp"`
	Title             string `json:"title"`
	Description       string `json:"description"`
}

// postsFile imports the posts of one file, read one at a time.
func (r *run) postsFile(ctx context.Context, name string) error {
	f, problem, err := r.e.openFile(name, MaxJSONBytes)
	if err != nil {
		return err
	}
	file := strings.TrimPrefix(name, r.e.root)
	if problem != nil {
		r.problem(&item{where: fileName(file)}, *problem)
		return nil
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		if errors.Is(err, errTotal) {
			return err
		}
		r.problem(&item{where: fileName(file)}, i18n.M(i18n.ImportUnknownShape, file))
		return nil
	}
	for n := 1; dec.More(); n++ {
		it := &item{where: i18n.M(i18n.ImportItem, file, n)}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if errors.Is(err, errTotal) {
				return err
			}
			r.problem(it, i18n.M(i18n.ImportUnknownShape, file))
			return nil // the rest of the file cannot be read
		}
		var p fbPost
		if err := json.Unmarshal(raw, &p); err != nil || p.Timestamp <= 0 {
			r.problem(it, i18n.M(i18n.ImportUnknownShape, shapeOf(raw)))
			continue
		}
		r.readPost(it, &p)
		var top map[string]json.RawMessage
		_ = json.Unmarshal(raw, &top) // decoded above
		for k := range top {
			if !slices.Contains([]string{"timestamp", "title", "data", "attachments"}, k) {
				it.unknown = append(it.unknown, k)
			}
		}
		slices.Sort(it.unknown)
		if err := r.importItem(ctx, it, p.Title); err != nil {
			return err
		}
	}
	return nil
}

// readPost fills it from the post p.
func (r *run) readPost(it *item, p *fbPost) {
	it.at = time.Unix(p.Timestamp, 0).UTC()
	var texts []string
	for _, d := range p.Data {
		for k, v := range d {
			switch k {
			case "post":
				var s string
				if json.Unmarshal(v, &s) == nil && strings.TrimSpace(s) != "" {
					texts = append(texts, Repair(s))
				}
			case "update_timestamp", "backdated_timestamp":
			default:
				it.unknown = append(it.unknown, "data."+k)
			}
		}
	}
	it.text = strings.Join(texts, "\n\n")
	for _, a := range p.Attachments {
		for _, d := range a.Data {
			for k, v := range d {
				switch k {
				case "media":
					var m fbMedia
					if json.Unmarshal(v, &m) != nil || m.URI == "" {
						it.unknown = append(it.unknown, "attachments.media")
						continue
					}
					it.media = append(it.media, mediaRef{uri: m.URI, description: Repair(m.Description)})
					r.seen[m.URI] = true
				case "external_context":
					var c struct {
						URL string `json:"url"`
					}
					if json.Unmarshal(v, &c) != nil || !isAddress(c.URL) {
						it.unknown = append(it.unknown, "attachments.external_context")
						continue
					}
					it.links = append(it.links, c.URL)
				default:
					it.unknown = append(it.unknown, "attachments."+k)
				}
			}
		}
	}
}

// fbAlbum is an album as the export writes it.
type fbAlbum struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Photos      []fbMedia `json:"photos"`
}

// albumFile imports the photos of one album that no post had: in posts
// of at most post.MaxImages photos, each dated at its first photo.
func (r *run) albumFile(ctx context.Context, name string) error {
	f, problem, err := r.e.openFile(name, MaxJSONBytes)
	if err != nil {
		return err
	}
	file := strings.TrimPrefix(name, r.e.root)
	where := fileName(file)
	if problem != nil {
		r.problem(&item{where: where}, *problem)
		return nil
	}
	defer f.Close()
	var a fbAlbum
	if err := json.NewDecoder(f).Decode(&a); err != nil {
		if errors.Is(err, errTotal) {
			return err
		}
		r.problem(&item{where: where}, i18n.M(i18n.ImportUnknownShape, file))
		return nil
	}
	var photos []fbMedia
	for _, p := range a.Photos {
		if p.URI != "" && !r.seen[p.URI] {
			photos = append(photos, p)
		}
	}
	title := strings.TrimSpace(Repair(a.Name))
	if d := strings.TrimSpace(Repair(a.Description)); d != "" {
		title = strings.TrimSpace(title + "\n\n" + d)
	}
	parts := (len(photos) + post.MaxImages - 1) / post.MaxImages
	for i := range parts {
		chunk := photos[i*post.MaxImages : min((i+1)*post.MaxImages, len(photos))]
		text := title
		if parts > 1 {
			text = fmt.Sprintf("%s (%d/%d)", title, i+1, parts)
		}
		it := &item{where: i18n.M(i18n.ImportItem, file, i+1), at: time.Unix(chunk[0].CreationTimestamp, 0).UTC(), text: text}
		if chunk[0].CreationTimestamp <= 0 {
			r.problem(it, i18n.M(i18n.ImportUnknownShape, file))
			continue
		}
		for _, p := range chunk {
			it.media = append(it.media, mediaRef{uri: p.URI, description: Repair(p.Description)})
		}
		if err := r.importItem(ctx, it, ""); err != nil {
			return err
		}
	}
	return nil
}

// importItem imports one item, or in a dry run checks it, and reports.
func (r *run) importItem(ctx context.Context, it *item, title string) error {
	rep := r.report
	rep.Found++
	for _, u := range it.unknown {
		r.problem(it, i18n.M(i18n.ImportUnknownShape, u))
	}
	text := markdown(it)
	if text == "" && title != "" && (len(it.media) > 0 || len(it.links) > 0) {
		text = escapeMarkdown(Repair(title))
	}
	if text == "" && len(it.media) == 0 {
		r.problem(it, i18n.M(i18n.ImportEmpty))
		return nil
	}
	key := itemKey(it)
	switch err := r.im.posts.ImportCheck(ctx, r.actor, r.orgID, model.ImportFacebook, key); {
	case errors.Is(err, post.ErrAlreadyImported):
		rep.Before++
		return nil
	case err != nil:
		return err
	}
	// The images: found, of a kind and size Plein takes, at most four.
	type upload struct {
		ref  mediaRef
		path string
		name string
	}
	var uploads []upload
	for _, m := range it.media {
		p, problem := r.e.resolve(m.uri)
		if problem == nil {
			_, problem = r.e.size(p)
		}
		switch {
		case problem != nil:
			r.problem(it, *problem)
		case isVideo(p):
			r.problem(it, i18n.M(i18n.ImportVideo, m.uri))
		default:
			if n, _ := r.e.size(p); n > media.MaxUploadBytes {
				r.problem(it, i18n.M(i18n.ImportImageTooLarge, m.uri, media.MaxUploadBytes>>20))
				continue
			}
			uploads = append(uploads, upload{ref: m, path: p, name: path.Base(m.uri)})
		}
	}
	if len(uploads) > post.MaxImages {
		r.problem(it, i18n.M(i18n.ImportTooManyImages, post.MaxImages, len(uploads)))
		uploads = uploads[:post.MaxImages]
	}
	if text == "" {
		if len(uploads) == 0 {
			r.problem(it, i18n.M(i18n.ImportEmpty))
			return nil
		}
		text = escapeMarkdown(Repair(title))
		if text == "" {
			r.problem(it, i18n.M(i18n.ImportEmpty))
			return nil
		}
	}
	if n := utf8.RuneCountInString(text); n > post.MaxTextLength {
		r.problem(it, i18n.M(i18n.ErrTextTooLong, n, post.MaxTextLength))
		return nil
	}
	if r.report.DryRun {
		rep.Imported++
		for _, u := range uploads {
			rep.Images++
			if strings.TrimSpace(u.ref.description) == "" {
				rep.HeldBack = append(rep.HeldBack, Entry{Item: it.where, At: it.at, Excerpt: excerpt(text),
					Reason: i18n.M(i18n.ImportNoDescription, u.ref.uri)})
			}
		}
		return nil
	}
	in := post.Imported{Source: model.ImportFacebook, Key: key, Text: text, At: it.at}
	var files []io.Closer
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	var names []string
	for _, u := range uploads {
		f, problem, err := r.e.openFile(u.path, media.MaxUploadBytes)
		if err != nil {
			return err
		}
		if problem != nil {
			r.problem(it, *problem)
			continue
		}
		files = append(files, f)
		names = append(names, u.ref.uri)
		in.Images = append(in.Images, post.ImageInput{Upload: f, Name: u.name, Alt: u.ref.description})
	}
	p, refused, err := r.im.posts.Import(ctx, r.actor, r.orgID, in)
	if errors.Is(err, post.ErrAlreadyImported) {
		rep.Before++
		return nil
	}
	if fe, ok := model.AsFieldError(err); ok {
		r.problem(it, fe.Message)
		return nil
	}
	if errors.Is(err, errTotal) {
		return err
	}
	if err != nil {
		return fmt.Errorf("fbimport: %w", err)
	}
	rep.Imported++
	for i, img := range in.Images {
		if e, ok := refused[i]; ok {
			fe, _ := model.AsFieldError(e)
			r.problem(it, fe.Message)
			continue
		}
		rep.Images++
		if strings.TrimSpace(img.Alt) == "" || utf8.RuneCountInString(img.Alt) > post.MaxAltLength {
			rep.HeldBack = append(rep.HeldBack, Entry{Item: it.where, At: it.at, Excerpt: excerpt(text), PostID: p.ID,
				Reason: i18n.M(i18n.ImportNoDescription, names[i])})
		}
	}
	return nil
}

// markdown is the item's text as Markdown, with each link not already in
// it on a line of its own.
func markdown(it *item) string {
	text := escapeMarkdown(strings.TrimSpace(it.text))
	for _, l := range it.links {
		if !strings.Contains(it.text, l) {
			text = strings.TrimSpace(text + "\n\n" + l)
		}
	}
	return text
}

// itemKey is the stable key of an item: a hash of its date, its text and
// the names of its files.
func itemKey(it *item) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00%s\x00", it.at.Unix(), it.text)
	for _, l := range it.links {
		fmt.Fprintf(h, "%s\x00", l)
	}
	for _, m := range it.media {
		fmt.Fprintf(h, "%s\x00", m.uri)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// fileName names a file of the export in the report, in any language.
type fileName string

// In implements model.Text.
func (f fileName) In(string) string { return string(f) }

// excerpt is the start of a text, for the report.
func excerpt(text string) string {
	return markup.Title(text, 60)
}

// shapeOf names the top-level keys of a JSON value, for the report.
func shapeOf(raw json.RawMessage) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return excerpt(string(raw))
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return "{}"
	}
	slices.Sort(keys)
	return "{" + strings.Join(keys, ", ") + "}"
}
