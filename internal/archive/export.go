package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"time"

	"plein/internal/activity"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/store"
)

// export is the state of one Export.
type export struct {
	a   *Archiver
	z   *zipWriter
	org *model.Org
	m   Manifest
	// lang is the language of the offline pages: the organisation's.
	lang string
}

// Export writes the archive of the organisation orgID to w and returns its
// manifest. It reads the store page by page and never holds more than a
// page of posts.
func (a *Archiver) Export(ctx context.Context, orgID string, w io.Writer, opts Options) (*Manifest, error) {
	o, err := a.st.OrgByID(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("archive: reading the organisation: %w", err)
	}
	now := a.now().UTC()
	zw, err := newStreamZip(w, now)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := zw.discard(); err != nil { // after a failure; Close removes it otherwise
			a.logger.Warn("archive: a temporary file was left", "err", err)
		}
	}()
	e := &export{a: a, z: &zipWriter{zw: zw}, org: o, lang: pickLang(o.Language),
		m: Manifest{Format: Format, OrgID: o.ID, Handle: o.Handle, Name: o.DisplayName, BaseURL: a.baseURL, ExportedAt: now}}
	steps := []func(context.Context) error{e.readme, e.profile, e.allMedia, e.posts, e.audit, e.index}
	if opts.WARC != nil {
		steps = append(steps, func(ctx context.Context) error { return e.warc(ctx, opts) })
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	if err := e.z.json(manifestPath, e.m); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &e.m, nil
}

// pickLang returns the language of the offline pages for a language tag.
func pickLang(tag string) string {
	if strings.HasPrefix(strings.ToLower(tag), "en") {
		return "en"
	}
	return "nl"
}

func (e *export) actorID() string         { return e.a.baseURL + "/orgs/" + e.org.ID }
func (e *export) noteID(id string) string { return e.a.baseURL + "/posts/" + id }
func (e *export) mediaURL(key string) string {
	return e.a.baseURL + "/media/" + key
}

func (e *export) readme(context.Context) error {
	return e.z.bytes("README.txt", []byte(readmeText))
}

// profile writes the organisation's profile and its history: the handles
// it had and how it shows replies.
func (e *export) profile(ctx context.Context) error {
	handles, err := e.a.st.FormerHandles(ctx, e.org.ID)
	if err != nil {
		return fmt.Errorf("archive: reading former handles: %w", err)
	}
	display, err := e.a.st.ReplyDisplay(ctx, e.org.ID)
	if err != nil {
		return fmt.Errorf("archive: reading the reply setting: %w", err)
	}
	if err := e.z.json(dataDir+"org.json", orgRecord{Org: e.org, FormerHandles: handles, ReplyDisplay: display}); err != nil {
		return err
	}
	summary, err := markup.HTML(e.org.Description)
	if err != nil {
		return fmt.Errorf("archive: rendering the description: %w", err)
	}
	actor := activity.Actor{Context: activity.DefaultContext(), ID: e.actorID(), Type: activity.TypeOrganization,
		PreferredUsername: e.org.Handle, Name: e.org.DisplayName, Summary: string(summary), URL: e.a.baseURL + "/@" + e.org.Handle,
		Inbox: e.actorID() + "/inbox", Outbox: e.actorID() + "/outbox", AlsoKnownAs: e.org.AlsoKnownAs,
		PublicKey: activity.PublicKey{ID: e.actorID() + "#main-key", Owner: e.actorID()}, Published: activity.Time{Time: e.org.CreatedAt}}
	for _, l := range e.org.Links {
		actor.Attachment = append(actor.Attachment, activity.PropertyValue{Type: activity.TypePropertyValue, Name: l.Label,
			Value: `<a href="` + html.EscapeString(l.URL) + `" rel="me nofollow noopener noreferrer">` + html.EscapeString(l.URL) + `</a>`})
	}
	if err := e.z.json(asDir+"actor.json", actor); err != nil {
		return err
	}
	moves := make([]any, 0, len(handles))
	for _, h := range handles {
		moves = append(moves, handleChange{Type: activity.TypeUpdate, Actor: e.actorID(), Published: activity.Time{Time: h.Until},
			Summary: "@" + h.Handle, Object: e.actorID()})
	}
	if err := e.z.json(asDir+"profile-history.json", activity.OrderedCollectionPage{Context: activity.DefaultContext(),
		ID: e.actorID() + "#profile-history", Type: activity.TypeOrderedCollectionPage, PartOf: e.actorID(), OrderedItems: moves}); err != nil {
		return err
	}
	if err := e.mdto(mdtoDir+"org.xml", e.orgRecordMDTO()); err != nil {
		return err
	}
	v := profileView{pageBase: e.base(""), Display: string(display), Description: summary, Links: e.org.Links, AlsoKnownAs: e.org.AlsoKnownAs}
	for _, h := range handles {
		v.Handles = append(v.Handles, i18n.T(e.lang, "archive.handle.until", h.Handle, e.when(h.Until)))
	}
	return e.page(htmlDir+"profile.html", "profile", v)
}

// handleChange is a handle the organisation gave up, as an Update of its
// actor: Summary names the old handle, Published when it stopped.
type handleChange struct {
	Type      string        `json:"type"`
	Actor     string        `json:"actor"`
	Published activity.Time `json:"published"`
	Summary   string        `json:"summary"`
	Object    string        `json:"object"`
}

// allMedia writes every media item of the organisation: its record, the
// bytes of each kept variant, and an MDTO record per file.
func (e *export) allMedia(ctx context.Context) error {
	return eachPage(func(after string) ([]*model.Media, error) { return e.a.st.ArchiveMedia(ctx, e.org.ID, after, pageSize) },
		func(m *model.Media) string { return m.ID }, func(m *model.Media) error { return e.oneMedia(ctx, m) }, "media")
}

// eachPage calls fn for every record read reads, a page at a time: read
// returns the page after the record whose id is after, id gives a
// record's id; what names the records in errors.
func eachPage[T any](read func(after string) ([]T, error), id func(T) string, fn func(T) error, what string) error {
	for after := ""; ; {
		page, err := read(after)
		if err != nil {
			return fmt.Errorf("archive: reading %s: %w", what, err)
		}
		if len(page) == 0 {
			return nil
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		after = id(page[len(page)-1])
	}
}

func (e *export) oneMedia(ctx context.Context, m *model.Media) error {
	if err := e.z.json(dataDir+"media/"+m.ID+".json", m); err != nil {
		return err
	}
	e.m.Media++
	for _, v := range m.Variants {
		obj, err := e.a.media.Open(ctx, v.Key)
		if errors.Is(err, media.ErrNotFound) {
			e.a.logger.Warn("archive: a media file is missing", "key", v.Key)
			continue
		}
		if err != nil {
			return fmt.Errorf("archive: opening media %s: %w", v.Key, err)
		}
		w, err := e.z.create(mediaDir+v.Key, false) // images are compressed already
		if err != nil {
			obj.Close()
			return err
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(w, h), obj)
		obj.Close()
		if err != nil {
			return fmt.Errorf("archive: copying media %s: %w", v.Key, err)
		}
		e.m.MediaFiles++
		if err := e.mdto(mdtoDir+"media/"+strings.ReplaceAll(v.Key, "/", "-")+".xml",
			e.fileMDTO(m, v, n, hex.EncodeToString(h.Sum(nil)))); err != nil {
			return err
		}
	}
	return nil
}

// posts writes every post of the organisation with its revisions, replies,
// decisions and statements.
func (e *export) posts(ctx context.Context) error {
	return e.eachPost(ctx, func(p *model.Post) error { return e.post(ctx, p) })
}

// eachPost calls fn for every post of the organisation, in id order, a
// page at a time.
func (e *export) eachPost(ctx context.Context, fn func(*model.Post) error) error {
	return eachPage(func(after string) ([]*model.Post, error) { return e.a.st.ArchivePosts(ctx, e.org.ID, after, pageSize) },
		func(p *model.Post) string { return p.ID }, fn, "posts")
}

func (e *export) post(ctx context.Context, p *model.Post) error {
	rec := postRecord{Post: p}
	var err error
	if rec.Revisions, err = e.a.st.Revisions(ctx, p.ID); err != nil {
		return fmt.Errorf("archive: reading revisions of %s: %w", p.ID, err)
	}
	if rec.Replies, err = e.a.st.Replies(ctx, p.ID); err != nil {
		return fmt.Errorf("archive: reading replies to %s: %w", p.ID, err)
	}
	if rec.Statements, err = e.a.st.StatementsOfPost(ctx, p.ID); err != nil {
		return fmt.Errorf("archive: reading statements about %s: %w", p.ID, err)
	}
	seen := map[string]bool{}
	for _, r := range rec.Replies {
		if seen[r.ActorID] {
			continue
		}
		seen[r.ActorID] = true
		a, err := e.a.st.RemoteActor(ctx, r.ActorID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("archive: reading the author of a reply: %w", err)
		}
		rec.Authors = append(rec.Authors, a)
	}
	if err := e.z.json(dataDir+"posts/"+p.ID+".json", rec); err != nil {
		return err
	}
	e.m.Posts++
	e.m.Revisions += len(rec.Revisions)
	e.m.Replies += len(rec.Replies)
	e.m.Statements += len(rec.Statements)
	if p.State == model.StateDeleted {
		e.m.Deleted++
	}
	var ms map[string]*model.Media
	if len(p.Attachments) > 0 {
		ids := make([]string, len(p.Attachments))
		for i, at := range p.Attachments {
			ids[i] = at.MediaID
		}
		if ms, err = e.a.st.MediaByIDs(ctx, ids); err != nil {
			return fmt.Errorf("archive: reading the images of %s: %w", p.ID, err)
		}
	}
	if err := e.postActivities(p, &rec, ms); err != nil {
		return err
	}
	if err := e.mdto(mdtoDir+"posts/"+p.ID+".xml", e.postMDTO(p, rec.Revisions, ms)); err != nil {
		return err
	}
	view, err := e.postView(p, &rec, ms)
	if err != nil {
		return err
	}
	return e.page(htmlDir+"posts/"+p.ID+".html", "post", view)
}

// tombstone is a deleted post in Activity Streams.
type tombstone struct {
	Context    any           `json:"@context"`
	ID         string        `json:"id"`
	Type       string        `json:"type"`
	FormerType string        `json:"formerType"`
	Published  activity.Time `json:"published,omitzero"`
	Deleted    activity.Time `json:"deleted"`
}

// decision is moderation's decision on a reply: Accept (shown), Reject
// (refused) or Remove (hidden after it was shown). Summary names who
// decided.
type decision struct {
	Context   any           `json:"@context"`
	ID        string        `json:"id"`
	Type      string        `json:"type"`
	Actor     string        `json:"actor"`
	Summary   string        `json:"summary,omitempty"`
	Published activity.Time `json:"published,omitzero"`
	Object    string        `json:"object"`
	Result    string        `json:"result,omitempty"` // the statement of reasons
}

// statementNote is a statement of reasons as an Activity Streams Note.
type statementNote struct {
	Context      any           `json:"@context"`
	ID           string        `json:"id"`
	Type         string        `json:"type"`
	Name         string        `json:"name"`
	AttributedTo string        `json:"attributedTo"`
	InReplyTo    string        `json:"inReplyTo"`
	Published    activity.Time `json:"published"`
	Content      string        `json:"content"`
}

func (e *export) postActivities(p *model.Post, rec *postRecord, ms map[string]*model.Media) error {
	id := e.noteID(p.ID)
	dir := asDir + "posts/" + p.ID
	var obj any
	if p.State == model.StateDeleted {
		obj = tombstone{Context: activity.ActivityStreams, ID: id, Type: activity.TypeTombstone, FormerType: activity.TypeNote,
			Published: activity.Time{Time: p.PublishAt}, Deleted: activity.Time{Time: p.DeletedAt}}
	} else {
		n, err := e.note(p, ms, id, p.Text, p.Summary, p.Language, p.PublishAt, p.UpdatedAt)
		if err != nil {
			return err
		}
		obj = n
	}
	if err := e.z.json(dir+".json", obj); err != nil {
		return err
	}
	for _, r := range rec.Revisions {
		n, err := e.note(p, nil, id+"#revision-"+strconv.Itoa(r.Number), r.Text, r.Summary, r.Language, r.CreatedAt, r.CreatedAt)
		if err != nil {
			return err
		}
		if err := e.z.json(dir+"/revision-"+strconv.Itoa(r.Number)+".json", n); err != nil {
			return err
		}
	}
	for i, r := range rec.Replies {
		n := activity.Note{Context: activity.ActivityStreams, ID: r.ID, Type: activity.TypeNote, Summary: r.Summary, InReplyTo: id,
			Published: activity.Time{Time: r.Published}, URL: r.URL, AttributedTo: r.ActorID, To: []string{}, Content: r.ContentHTML}
		if err := e.z.json(fmt.Sprintf("%s/reply-%d.json", dir, i+1), n); err != nil {
			return err
		}
		typ := map[model.ReplyState]string{model.ReplyShown: activity.TypeAccept, model.ReplyRefused: activity.TypeReject, model.ReplyHidden: "Remove"}[r.State]
		if typ == "" {
			continue // pending: nothing decided yet
		}
		d := decision{Context: activity.ActivityStreams, ID: fmt.Sprintf("%s#decision-%d", id, i+1), Type: typ, Actor: e.actorID(),
			Summary: r.DecidedByName, Published: activity.Time{Time: r.DecidedAt}, Object: r.ID}
		for _, st := range rec.Statements {
			if st.ReplyID == r.ID {
				d.Result = e.a.baseURL + "/statements/" + st.ID
			}
		}
		if err := e.z.json(fmt.Sprintf("%s/decision-%d.json", dir, i+1), d); err != nil {
			return err
		}
	}
	for _, st := range rec.Statements {
		n := statementNote{Context: activity.ActivityStreams, ID: e.a.baseURL + "/statements/" + st.ID, Type: activity.TypeNote,
			Name: "Statement of reasons (DSA art. 17)", AttributedTo: e.actorID(), InReplyTo: st.ReplyID,
			Published: activity.Time{Time: st.ApplicationDate}, Content: statementHTML(st)}
		if err := e.z.json(dir+"/statement-"+st.ID+".json", n); err != nil {
			return err
		}
	}
	return nil
}

// statementHTML is the text of a statement of reasons as HTML paragraphs.
func statementHTML(st *model.Statement) string {
	var b strings.Builder
	for _, s := range []string{string(st.Decision), string(st.Ground), st.Law, st.Explanation, st.Facts, st.Category} {
		if s != "" {
			b.WriteString("<p>" + html.EscapeString(s) + "</p>")
		}
	}
	return b.String()
}

// note is a version of a post as an Activity Streams Note.
func (e *export) note(p *model.Post, ms map[string]*model.Media, id, text, summary, lang string, published, updated time.Time) (*activity.Note, error) {
	content, err := markup.HTML(text)
	if err != nil {
		return nil, fmt.Errorf("archive: rendering post %s: %w", p.ID, err)
	}
	n := &activity.Note{Context: activity.DefaultContext(), ID: id, Type: activity.TypeNote, Summary: html.EscapeString(summary),
		InReplyTo: p.InReplyTo, Published: activity.Time{Time: published}, URL: e.a.baseURL + "/@" + e.org.Handle + "/" + p.ID,
		AttributedTo: e.actorID(), To: []string{}, Sensitive: summary != "", Content: string(content),
		ContentMap: map[string]string{lang: string(content)}}
	if p.Public() {
		n.To = []string{activity.Public}
	}
	if updated.After(published) {
		n.Updated = activity.Time{Time: updated}
	}
	for _, at := range p.Attachments {
		if m := ms[at.MediaID]; m != nil {
			v := m.Variant("large")
			n.Attachment = append(n.Attachment, activity.Document{Type: activity.TypeImage, MediaType: v.ContentType,
				URL: e.mediaURL(v.Key), Name: at.Alt, Width: v.Width, Height: v.Height})
		}
	}
	return n, nil
}

// audit writes the organisation's audit log, an entry a file.
func (e *export) audit(ctx context.Context) error {
	return e.eachAudit(ctx, func(en *model.AuditEntry) error {
		if err := e.z.json(dataDir+"audit/"+en.ID+".json", en); err != nil {
			return err
		}
		e.m.Audit++
		return e.z.json(asDir+"audit/"+en.ID+".json", auditActivity{Context: activity.ActivityStreams,
			ID: e.actorID() + "#audit-" + en.ID, Type: "Activity", Name: en.Action,
			Actor: auditActor{Type: activity.TypePerson, ID: en.ActorID, Name: en.Actor}, Object: en.Target, Summary: en.Detail,
			Published: activity.Time{Time: en.At}})
	})
}

// eachAudit calls fn for every audit entry of the organisation, a page at
// a time.
func (e *export) eachAudit(ctx context.Context, fn func(*model.AuditEntry) error) error {
	return eachPage(func(after string) ([]*model.AuditEntry, error) {
		return e.a.st.ArchiveAudit(ctx, e.org.ID, after, pageSize)
	},
		func(en *model.AuditEntry) string { return en.ID }, fn, "the audit log")
}

// auditActivity is an entry of the audit log in Activity Streams: Name is
// the action, Summary its detail.
type auditActivity struct {
	Context   any           `json:"@context"`
	ID        string        `json:"id"`
	Type      string        `json:"type"`
	Name      string        `json:"name"`
	Actor     auditActor    `json:"actor"`
	Object    string        `json:"object,omitempty"`
	Summary   string        `json:"summary,omitempty"`
	Published activity.Time `json:"published"`
}

// auditActor is who acted: a staff account (by its id in the installation
// and its name at the time) or the operator on the command line.
type auditActor struct {
	Type string `json:"type"`
	ID   string `json:"plein:accountId,omitempty"`
	Name string `json:"name"`
}
