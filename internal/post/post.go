// Package post is how an organisation's messages are written, scheduled,
// published, edited, pinned, deleted and, rarely, purged. Every change keeps
// a revision for the public edit history and the public-records archive.
// The command line and the staff interface both call this package.
package post

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"golang.org/x/text/language"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/library"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/sensitive"
	"plein/internal/store"
)

// Limits on a post.
const (
	MaxTextLength    = 10000 // characters of Markdown
	MaxSummaryLength = 500   // characters of content warning
	MaxAltLength     = 1500  // characters of alt text
	MaxImages        = 4
)

// ErrNotFound means there is no post with that id.
var ErrNotFound = errors.New("post: no such post")

// Service manages posts.
type Service struct {
	st      store.Store
	auth    *auth.Service
	library *library.Library
	now     func() time.Time
}

// NewService returns a Service storing data in st and images in lib.
func NewService(st store.Store, authz *auth.Service, lib *library.Library, now func() time.Time) *Service {
	return &Service{st: st, auth: authz, library: lib, now: now}
}

// ImageInput is one image of a post: a new upload, or an attachment the post
// already has (MediaID set), each with its alt text.
type ImageInput struct {
	MediaID string    // existing attachment, or empty for an upload
	Upload  io.Reader // the image file when MediaID is empty
	Name    string    // file name, for error messages
	Alt     string
}

// Input is the content of a post as written.
type Input struct {
	Text     string
	Summary  string // content warning
	Language string // empty: the organisation's default
	Images   []ImageInput
	// AllowSensitive confirms that the post may contain numbers the
	// sensitive-data guard finds (a BSN, an IBAN, a passport number);
	// without it Create and Edit refuse such a post (see Guard).
	AllowSensitive bool
	// Reason, for an edit of a published post where the organisation
	// requires approval, publishes the edit at once in a crisis: admins
	// and the operator may, and the audit log keeps the reason.
	Reason string
}

// When says when a post becomes public.
type When struct {
	Draft bool      // keep as a draft
	At    time.Time // zero: now; later: scheduled
	// Reason, where the organisation requires approval, publishes or
	// schedules the post without it in a crisis: admins and the operator
	// may, and the audit log keeps the reason.
	Reason string
}

func (s *Service) validate(in *Input, org *model.Org) error {
	var err error
	if in.Text, err = checkText(in.Text); err != nil {
		return err
	}
	in.Summary = strings.TrimSpace(in.Summary)
	if n := utf8.RuneCountInString(in.Summary); n > MaxSummaryLength {
		return model.Invalid("summary", i18n.M(i18n.ErrSummaryTooLong, n, MaxSummaryLength))
	}
	if in.Language == "" {
		in.Language = org.Language
	}
	tag, err := language.Parse(in.Language)
	if err != nil {
		return model.Invalid("language", i18n.M(i18n.ErrLanguageCode, in.Language))
	}
	in.Language = tag.String()
	if len(in.Images) > MaxImages {
		return model.Invalid("image", i18n.M(i18n.ErrTooManyImages, MaxImages))
	}
	for i := range in.Images {
		img := &in.Images[i]
		img.Alt = strings.TrimSpace(img.Alt)
		name := imageName(*img, i)
		if img.Alt == "" {
			return model.Invalid("alt", i18n.M(i18n.ErrAltMissing, name))
		}
		if n := utf8.RuneCountInString(img.Alt); n > MaxAltLength {
			return model.Invalid("alt", i18n.M(i18n.ErrAltTooLong, name, n, MaxAltLength))
		}
		if img.MediaID == "" && img.Upload == nil {
			return model.Invalid("image", i18n.M(i18n.ErrImageNoFile, name))
		}
	}
	return nil
}

// checkText returns a post's text with its line ends and surrounding
// space tidied, or why it cannot be a post's text.
func checkText(text string) (string, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(text); {
	case !utf8.ValidString(text):
		return "", model.Invalid("text", i18n.M(i18n.ErrTextNotUTF8))
	case n == 0:
		return "", model.Invalid("text", i18n.M(i18n.ErrTextEmpty))
	case n > MaxTextLength:
		return "", model.Invalid("text", i18n.M(i18n.ErrTextTooLong, n, MaxTextLength))
	}
	return text, nil
}

func (s *Service) orgOf(ctx context.Context, actor auth.Actor, orgID string) (*model.Org, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermPublish); err != nil {
		return nil, err
	}
	org, err := s.st.OrgByID(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("post: organisation %s: %w", orgID, err)
	}
	return org, nil
}

// notMoved refuses to publish for an organisation that moved to another
// Fediverse account, saying where it went.
func notMoved(o *model.Org) error {
	if o.Moved() {
		return model.Invalid("text", i18n.M(i18n.ErrOrgMoved, o.MovedTo))
	}
	return nil
}

// state returns the state and publication time for w, refusing a schedule
// time in the past.
func (s *Service) state(w When, now time.Time) (model.PostState, time.Time, error) {
	switch {
	case w.Draft:
		return model.StateDraft, time.Time{}, nil
	case w.At.IsZero():
		return model.StatePublished, now, nil
	case w.At.Before(now.Add(-time.Minute)):
		return "", time.Time{}, model.Invalid("at", i18n.M(i18n.ErrScheduleInPast, w.At))
	case !w.At.After(now):
		return model.StatePublished, now, nil
	default:
		return model.StateScheduled, w.At.UTC(), nil
	}
}

// Create writes a new post of the organisation orgID: published now,
// scheduled, or kept as a draft.
func (s *Service) Create(ctx context.Context, actor auth.Actor, orgID string, in Input, w When) (*model.Post, error) {
	org, err := s.orgOf(ctx, actor, orgID)
	if err != nil {
		return nil, err
	}
	if err := notMoved(org); err != nil {
		return nil, err
	}
	if err := s.validate(&in, org); err != nil {
		return nil, err
	}
	found, err := Guard(in)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	state, at, err := s.state(w, now)
	if err != nil {
		return nil, err
	}
	r := routeDirect
	if state != model.StateDraft {
		if r, err = s.route(ctx, actor, org.ID, w.Reason); err != nil {
			return nil, err
		}
		if r == routeApproval {
			if state == model.StatePublished {
				at = time.Time{} // at approval
			}
			state = model.StateAwaiting
		}
	}
	uploads, err := s.storeUploads(ctx, org.ID, in.Images, now)
	if err != nil {
		return nil, err
	}
	p := &model.Post{ID: model.NewID(now), OrgID: org.ID, State: state, Text: in.Text, Summary: in.Summary,
		Language: in.Language, PublishAt: at, CreatedAt: now, UpdatedAt: now, Revisions: 1,
		Attachments: attachments(in.Images, uploads)}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := checkKept(ctx, tx, org.ID, in.Images, nil); err != nil {
			return err
		}
		for _, m := range uploads {
			if err := tx.CreateMedia(ctx, m); err != nil {
				return err
			}
		}
		if err := s.insert(ctx, tx, actor, p, "post.create."+string(p.State)); err != nil {
			return err
		}
		if err := auditSensitive(ctx, tx, actor, p, found, now); err != nil {
			return err
		}
		return s.submitted(ctx, tx, actor, p, r, w.Reason, now)
	})
	if err != nil {
		s.library.Discard(uploads...)
		if _, ok := model.AsFieldError(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("post: create: %w", err)
	}
	return p, nil
}

// insert stores a new post with its first revision and audit entry, and
// does what its state asks (schedule, announce), all in tx.
func (s *Service) insert(ctx context.Context, tx store.Tx, actor auth.Actor, p *model.Post, action string) error {
	if err := tx.CreatePost(ctx, p); err != nil {
		return err
	}
	if err := tx.AddRevision(ctx, revision(p, actor, p.CreatedAt)); err != nil {
		return err
	}
	if err := auth.Audit(ctx, tx, actor, p.OrgID, action, p.ID, auditText(p.Text), p.CreatedAt); err != nil {
		return err
	}
	return s.afterChange(ctx, tx, p, "")
}

// attachments pairs each image of the input with its media id: kept ones
// by their id, new ones by the upload saved for them, in order.
func attachments(images []ImageInput, uploads []*model.Media) []model.Attachment {
	var out []model.Attachment
	next := 0
	for _, img := range images {
		id := img.MediaID
		if id == "" {
			id = uploads[next].ID
			next++
		}
		out = append(out, model.Attachment{MediaID: id, Alt: img.Alt})
	}
	return out
}

// auditText is the start of a post's text as readers see it, without
// Markdown, for the audit log.
// auditText is the excerpt of a post's text its audit entries keep, with
// any sensitive number masked.
func auditText(text string) string {
	return markup.Title(sensitive.Mask(text, sensitive.Scan(text, sensitive.Publication)), 80)
}

func revision(p *model.Post, actor auth.Actor, at time.Time) *model.Revision {
	return &model.Revision{PostID: p.ID, Number: p.Revisions, Text: p.Text, Summary: p.Summary,
		Language: p.Language, EditorID: actor.UserID, Editor: actor.Name, CreatedAt: at}
}

// afterChange enqueues the publication of a scheduled post and tells every
// node that public content changed.
// A post that becomes public, or stops being public, is also announced to
// the organisation's followers on the Fediverse; one that becomes public is
// sent to its e-mail subscribers.
func (s *Service) afterChange(ctx context.Context, tx store.Tx, p *model.Post, was model.PostState) error {
	// A post awaiting approval is looked at by the same job at its time,
	// to tell its author when it was not approved by then.
	if p.State == model.StateScheduled || p.State == model.StateAwaiting && was != model.StateAwaiting && !p.PublishAt.IsZero() {
		if err := tx.EnqueueJob(ctx, PublishArgs{PostID: p.ID}, &river.InsertOpts{ScheduledAt: p.PublishAt}); err != nil {
			return err
		}
	}
	if p.State == model.StateDeleted {
		if err := tx.DeleteApproval(ctx, p.ID); err != nil {
			return err
		}
	}
	switch {
	case was != model.StatePublished && p.State == model.StatePublished:
		if err := federate(ctx, tx, p, ChangeCreate); err != nil {
			return err
		}
		if err := mail(ctx, tx, p); err != nil {
			return err
		}
	case was == model.StatePublished && p.State == model.StateDeleted:
		if err := federate(ctx, tx, p, ChangeDelete); err != nil {
			return err
		}
	}
	return tx.MarkChanged(ctx)
}

// storeUploads saves each new image of images (checks, strips metadata,
// makes sizes); the returned media are not yet recorded.
func (s *Service) storeUploads(ctx context.Context, orgID string, images []ImageInput, now time.Time) ([]*model.Media, error) {
	var out []*model.Media
	for i, img := range images {
		if img.MediaID != "" {
			continue
		}
		m, err := s.library.Save(ctx, orgID, "image", imageName(img, i), img.Upload, now)
		if err != nil {
			s.library.Discard(out...)
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// imageName names the image for messages: its file name, or its place in
// the post, in the reader's language.
func imageName(img ImageInput, i int) any {
	if img.Name != "" {
		return img.Name
	}
	return i18n.M(i18n.ImageNumber, i+1)
}

// checkKept verifies, in tx, that every image the input keeps by id is an
// upload of the organisation that no other post uses.
func checkKept(ctx context.Context, tx store.Tx, orgID string, images []ImageInput, current []model.Attachment) error {
	for _, img := range images {
		if img.MediaID == "" || slices.ContainsFunc(current, func(a model.Attachment) bool { return a.MediaID == img.MediaID }) {
			continue
		}
		m, err := tx.MediaByID(ctx, img.MediaID)
		if errors.Is(err, store.ErrNotFound) || err == nil && m.OrgID != orgID {
			return model.Invalid("image", i18n.M(i18n.ErrImageNotUsable))
		}
		if err != nil {
			return err
		}
		if used, err := tx.MediaInUse(ctx, img.MediaID); err != nil || used {
			if err != nil {
				return err
			}
			return model.Invalid("image", i18n.M(i18n.ErrImageInUse))
		}
	}
	return nil
}

// Upload saves an image for a post that is still being written, so that a
// form can show it and keep it while its author previews or corrects the
// post. The image is attached when the post is saved with its id.
func (s *Service) Upload(ctx context.Context, actor auth.Actor, orgID string, img ImageInput) (*model.Media, error) {
	if _, err := s.orgOf(ctx, actor, orgID); err != nil {
		return nil, err
	}
	if img.Upload == nil {
		return nil, model.Invalid("image", i18n.M(i18n.ErrNoFile))
	}
	m, err := s.library.Save(ctx, orgID, "image", imageName(img, 0), img.Upload, s.now().UTC())
	if err != nil {
		return nil, err
	}
	if err := s.st.CreateMedia(ctx, m); err != nil {
		s.library.Discard(m)
		return nil, fmt.Errorf("post: upload: %w", err)
	}
	return m, nil
}

// Edit changes a post's text, content warning, language or images. Each
// edit of a published post is a new revision, shown in its public history.
func (s *Service) Edit(ctx context.Context, actor auth.Actor, postID string, in Input) (*model.Post, error) {
	p, err := s.Get(ctx, postID)
	if err != nil {
		return nil, err
	}
	org, err := s.orgOf(ctx, actor, p.OrgID)
	if err != nil {
		return nil, err
	}
	if p.State == model.StateDeleted {
		return nil, model.Invalid("post", i18n.M(i18n.ErrDeletedNoEdit))
	}
	if err := s.validate(&in, org); err != nil {
		return nil, err
	}
	r := routeDirect
	switch p.State {
	case model.StatePublished:
		r, err = s.editRoute(ctx, actor, p, in)
	case model.StateScheduled:
		// An approved post stays as approved until its time.
		r, err = s.route(ctx, actor, org.ID, in.Reason)
	}
	if err != nil {
		return nil, err
	}
	if unchanged(p, in) {
		if r == routeApproval && p.State == model.StatePublished {
			// Back to the published text: no edit awaits approval.
			return p, s.st.DeleteApproval(ctx, p.ID)
		}
		return p, nil // saving without a change makes no revision
	}
	found, err := Guard(in)
	if err != nil {
		return nil, err
	}
	if r == routeApproval && p.State == model.StatePublished {
		return s.submitEdit(ctx, actor, p, in, found)
	}
	now := s.now().UTC()
	uploads, err := s.storeUploads(ctx, org.ID, in.Images, now)
	if err != nil {
		return nil, err
	}
	action := "post.edit"
	if r == routeCorrection {
		action = AuditCorrect
	}
	was := p.State
	if r == routeApproval {
		p.State = model.StateAwaiting
	}
	current := p.Attachments
	p.Text, p.Summary, p.Language, p.UpdatedAt = in.Text, in.Summary, in.Language, now
	p.Attachments = attachments(in.Images, uploads)
	p.Revisions++
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := checkKept(ctx, tx, org.ID, in.Images, current); err != nil {
			return err
		}
		for _, m := range uploads {
			if err := tx.CreateMedia(ctx, m); err != nil {
				return err
			}
		}
		if err := tx.UpdatePost(ctx, p); err != nil {
			return err
		}
		if err := tx.AddRevision(ctx, revision(p, actor, now)); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, org.ID, action, p.ID, auditText(p.Text), now); err != nil {
			return err
		}
		if err := auditSensitive(ctx, tx, actor, p, found, now); err != nil {
			return err
		}
		switch {
		case r == routeApproval || r == routeCrisis && was == model.StateScheduled:
			if err := s.submitted(ctx, tx, actor, p, r, in.Reason, now); err != nil {
				return err
			}
		case r == routeCrisis:
			if err := auth.Audit(ctx, tx, actor, org.ID, AuditCrisis, p.ID, strings.TrimSpace(in.Reason), now); err != nil {
				return err
			}
		case was == model.StateAwaiting || was == model.StateReturned:
			if err := joinAuthors(ctx, tx, actor, p); err != nil {
				return err
			}
		}
		if p.State == model.StatePublished {
			if err := federate(ctx, tx, p, ChangeUpdate); err != nil {
				return err
			}
		}
		return tx.MarkChanged(ctx)
	})
	if err != nil {
		s.library.Discard(uploads...)
		if _, ok := model.AsFieldError(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("post: edit: %w", err)
	}
	return p, nil
}

// unchanged reports whether in says exactly what p says already.
func unchanged(p *model.Post, in Input) bool {
	if p.Text != in.Text || p.Summary != in.Summary || p.Language != in.Language || len(p.Attachments) != len(in.Images) {
		return false
	}
	for i, img := range in.Images {
		if img.MediaID == "" || img.MediaID != p.Attachments[i].MediaID || img.Alt != p.Attachments[i].Alt {
			return false
		}
	}
	return true
}

// change loads a post the actor may publish in, applies fn to it and stores
// it, all in one transaction.
func (s *Service) change(ctx context.Context, actor auth.Actor, postID, action string, fn func(p *model.Post, now time.Time) error) (*model.Post, error) {
	return s.changeIn(ctx, actor, postID, action, func(_ store.Tx, p *model.Post, now time.Time) error { return fn(p, now) })
}

// changeIn is change with fn also given the transaction.
func (s *Service) changeIn(ctx context.Context, actor auth.Actor, postID, action string, fn func(tx store.Tx, p *model.Post, now time.Time) error) (*model.Post, error) {
	p, err := s.Get(ctx, postID)
	if err != nil {
		return nil, err
	}
	if _, err := s.orgOf(ctx, actor, p.OrgID); err != nil {
		return nil, err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		p, err = tx.PostByID(ctx, postID)
		if err != nil {
			return err
		}
		was := p.State
		now := s.now().UTC()
		if err := fn(tx, p, now); err != nil {
			return err
		}
		if err := tx.UpdatePost(ctx, p); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, p.OrgID, action, p.ID, "", now); err != nil {
			return err
		}
		return s.afterChange(ctx, tx, p, was)
	})
	if _, ok := model.AsFieldError(err); ok {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("post: %w", err)
	}
	return p, nil
}

// Publish makes a draft or scheduled post public now, or schedules it when
// w.At is later. Where the organisation requires approval it submits the
// post for approval instead (a returned post, again), unless w.Reason
// states a crisis.
func (s *Service) Publish(ctx context.Context, actor auth.Actor, postID string, w When) (*model.Post, error) {
	p, err := s.Get(ctx, postID)
	if err != nil {
		return nil, err
	}
	o, err := s.orgOf(ctx, actor, p.OrgID)
	if err != nil {
		return nil, err
	}
	if err := notMoved(o); err != nil {
		return nil, err
	}
	r, err := s.route(ctx, actor, p.OrgID, w.Reason)
	if err != nil {
		return nil, err
	}
	action := "post.publish"
	switch {
	case r == routeApproval:
		action = AuditSubmit
	case !w.At.IsZero():
		action = "post.schedule"
	}
	return s.changeIn(ctx, actor, postID, action, func(tx store.Tx, p *model.Post, now time.Time) error {
		switch p.State {
		case model.StateDraft, model.StateScheduled, model.StateReturned:
		case model.StateAwaiting:
			if r != routeCrisis && r != routeDirect {
				return model.Invalid("post", i18n.M(i18n.ErrAlreadyAwaiting))
			}
		default:
			return model.Invalid("post", i18n.M(i18n.ErrPublishNotDraft))
		}
		state, at, err := s.state(When{At: w.At}, now)
		if err != nil {
			return err
		}
		if r == routeApproval {
			if state == model.StatePublished {
				at = time.Time{} // at approval
			}
			state = model.StateAwaiting
		}
		p.State, p.PublishAt = state, at
		if state == model.StatePublished {
			p.UpdatedAt = at // publication is not an edit
		}
		return s.submitted(ctx, tx, actor, p, r, w.Reason, now)
	})
}

// Pin pins a published post to the top of its organisation's page, or
// unpins it.
func (s *Service) Pin(ctx context.Context, actor auth.Actor, postID string, pinned bool) (*model.Post, error) {
	action := "post.unpin"
	if pinned {
		action = "post.pin"
	}
	return s.change(ctx, actor, postID, action, func(p *model.Post, now time.Time) error {
		if p.State == model.StateDeleted {
			return model.Invalid("post", i18n.M(i18n.ErrDeletedNoPin))
		}
		p.Pinned = pinned
		return nil
	})
}

// Delete takes a post off every public surface. Its revisions stay in the
// archive; only Purge removes them.
func (s *Service) Delete(ctx context.Context, actor auth.Actor, postID string) (*model.Post, error) {
	return s.change(ctx, actor, postID, "post.delete", func(p *model.Post, now time.Time) error {
		if p.State == model.StateDeleted {
			return model.Invalid("post", i18n.M(i18n.ErrAlreadyDeleted))
		}
		p.State, p.DeletedAt, p.Pinned = model.StateDeleted, now, false
		return nil
	})
}

// Purge removes a post, its revisions and its images for good: for personal
// data published by mistake. Only instance administrators may.
func (s *Service) Purge(ctx context.Context, actor auth.Actor, postID string) error {
	if err := auth.RequireAdmin(actor); err != nil {
		return err
	}
	p, err := s.Get(ctx, postID)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(p.Attachments))
	for _, a := range p.Attachments {
		ids = append(ids, a.MediaID)
	}
	var ms map[string]*model.Media
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if ms, err = tx.MediaByIDs(ctx, ids); err != nil {
			return err
		}
		if err := tx.PurgePost(ctx, p.ID); err != nil {
			return err
		}
		for id := range ms {
			if err := tx.DeleteMedia(ctx, id); err != nil {
				return err
			}
		}
		if err := auth.Audit(ctx, tx, actor, p.OrgID, "post.purge", p.ID, "", s.now().UTC()); err != nil {
			return err
		}
		return tx.MarkChanged(ctx)
	})
	if err != nil {
		return fmt.Errorf("post: purge: %w", err)
	}
	for _, m := range ms {
		if err := s.library.Remove(ctx, m); err != nil {
			return fmt.Errorf("post: purge: %w", err)
		}
	}
	return nil
}

// Get returns a post in any state.
func (s *Service) Get(ctx context.Context, postID string) (*model.Post, error) {
	if !model.ValidID(postID) {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, postID)
	}
	p, err := s.st.PostByID(ctx, postID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, postID)
	}
	return p, err
}

// List returns an organisation's posts in the given states, newest first.
func (s *Service) List(ctx context.Context, orgID string, states ...model.PostState) ([]*model.Post, error) {
	return s.st.ListPosts(ctx, store.PostFilter{OrgID: orgID, States: states})
}

// PublicHistory returns the revisions citizens may see: the one published
// and every later edit. Drafts written before publication stay in the
// archive only.
func (s *Service) PublicHistory(ctx context.Context, p *model.Post) ([]*model.Revision, error) {
	revs, err := s.st.Revisions(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	first := 0
	for i, r := range revs {
		if !r.CreatedAt.After(p.PublishAt) {
			first = i
		}
	}
	return revs[first:], nil
}

// Timeline is one page of an organisation's public posts.
type Timeline struct {
	Pinned []*model.Post // only on the first page
	Posts  []*model.Post
	Next   string // id to pass as before for the next page; empty on the last
}

// PublicTimeline returns published posts of an organisation, newest first:
// pinned posts first on the first page, then pages of limit posts starting
// after the post before (empty for the first page). The order is the same
// for everyone; nothing is personalised.
func (s *Service) PublicTimeline(ctx context.Context, orgID, before string, limit int) (*Timeline, error) {
	t := &Timeline{}
	published := []model.PostState{model.StatePublished}
	notPinned := false
	f := store.PostFilter{OrgID: orgID, States: published, Pinned: &notPinned, Limit: limit + 1}
	if before == "" {
		pinned := true
		var err error
		t.Pinned, err = s.st.ListPosts(ctx, store.PostFilter{OrgID: orgID, States: published, Pinned: &pinned})
		if err != nil {
			return nil, fmt.Errorf("post: timeline: %w", err)
		}
	} else {
		p, err := s.Get(ctx, before)
		if err != nil || p.OrgID != orgID {
			return nil, fmt.Errorf("%w: %q", ErrNotFound, before)
		}
		f.Before = &store.PostCursor{PublishAt: p.PublishAt, ID: p.ID}
	}
	posts, err := s.st.ListPosts(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("post: timeline: %w", err)
	}
	if len(posts) > limit {
		posts = posts[:limit]
		t.Next = posts[limit-1].ID
	}
	t.Posts = posts
	return t, nil
}

// Latest returns the newest published posts of an organisation, pinned or
// not, for feeds.
func (s *Service) Latest(ctx context.Context, orgID string, limit int) ([]*model.Post, error) {
	return s.st.ListPosts(ctx, store.PostFilter{OrgID: orgID, States: []model.PostState{model.StatePublished}, Limit: limit})
}

// Media returns the media records of the attachments of posts, by id.
func (s *Service) Media(ctx context.Context, posts ...*model.Post) (map[string]*model.Media, error) {
	var ids []string
	for _, p := range posts {
		for _, a := range p.Attachments {
			ids = append(ids, a.MediaID)
		}
	}
	return s.MediaByIDs(ctx, ids)
}

// MediaByIDs returns the media records with the given ids that exist.
func (s *Service) MediaByIDs(ctx context.Context, ids []string) (map[string]*model.Media, error) {
	return s.st.MediaByIDs(ctx, ids)
}

// Revisions returns every revision of a post, oldest first, for staff.
func (s *Service) Revisions(ctx context.Context, postID string) ([]*model.Revision, error) {
	return s.st.Revisions(ctx, postID)
}
