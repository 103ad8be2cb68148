package crosspost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/bluesky"
	"plein/internal/i18n"
	"plein/internal/keyring"
	"plein/internal/markup"
	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/post"
	"plein/internal/store"
)

// The kinds of failure kept with a post's state on Bluesky; i18n tells
// each (i18n.BlueskyFailure).
const (
	FailureAuth     = "auth"     // the PDS refused the app password
	FailureRate     = "rate"     // the PDS asked to wait
	FailureServer   = "server"   // the PDS failed or could not be reached
	FailureRejected = "rejected" // the PDS refused the request
	FailurePassword = "password" // the stored password does not open with this key
	FailureImage    = "image"    // an image could not be read or made smaller
	FailureOther    = "other"
)

// maxDescription bounds the description of a link card, in runes.
const maxDescription = 200

// Worker works post.BlueskyArgs jobs.
type Worker struct {
	river.WorkerDefaults[post.BlueskyArgs]
	s *Service
}

// NewWorker returns the worker of post.BlueskyArgs jobs.
func NewWorker(s *Service) *Worker { return &Worker{s: s} }

// Work brings the post's copy on Bluesky up to date. A failure is kept
// with the post's state, for staff to see, and the job is retried with
// River's backoff; when the PDS asks to wait, it is tried again after the
// time it gave.
func (w *Worker) Work(ctx context.Context, job *river.Job[post.BlueskyArgs]) error {
	err := w.s.Sync(ctx, job.Args.PostID)
	if err == nil {
		return nil
	}
	if ferr := w.s.failed(ctx, job.Args.PostID, err); ferr != nil {
		return errors.Join(err, ferr)
	}
	if be, ok := errors.AsType[*bluesky.Error](err); ok && errors.Is(err, bluesky.ErrRateLimited) && be.RetryAfter > 0 {
		return river.JobSnooze(be.RetryAfter)
	}
	return err
}

// failed records err as the last failure of the post's copy on Bluesky.
func (s *Service) failed(ctx context.Context, postID string, err error) error {
	bp, gerr := s.c.Store.BlueskyPost(ctx, postID)
	if errors.Is(gerr, store.ErrNotFound) {
		return nil
	}
	if gerr != nil {
		return fmt.Errorf("crosspost: recording a failure: %w", gerr)
	}
	bp.State, bp.Error, bp.Attempts, bp.UpdatedAt = model.BlueskyFailing, FailureKind(err), bp.Attempts+1, s.c.Now().UTC()
	s.c.Logger.Warn("bluesky: publishing failed", "post", postID, "attempt", bp.Attempts, "err", err)
	if perr := s.c.Store.PutBlueskyPost(ctx, bp); perr != nil {
		return fmt.Errorf("crosspost: recording a failure: %w", perr)
	}
	return nil
}

// FailureKind returns the kind of failure err is.
func FailureKind(err error) string {
	switch {
	case errors.Is(err, bluesky.ErrAuth):
		return FailureAuth
	case errors.Is(err, bluesky.ErrRateLimited):
		return FailureRate
	case errors.Is(err, bluesky.ErrServer), errors.Is(err, bluesky.ErrExpired):
		return FailureServer
	case errors.Is(err, bluesky.ErrRejected):
		return FailureRejected
	case errors.Is(err, keyring.ErrDamaged):
		return FailurePassword
	case errors.Is(err, errImage):
		return FailureImage
	}
	return FailureOther
}

// errImage marks a failure to read or shrink an image.
var errImage = errors.New("crosspost: image")

// lock returns the post's lock, held while its copy is brought up to date.
func (s *Service) lock(postID string) func() {
	s.mu.Lock()
	m, ok := s.posts[postID]
	if !ok {
		m = &sync.Mutex{}
		s.posts[postID] = m
	}
	s.mu.Unlock()
	m.Lock()
	return func() {
		m.Unlock()
		s.mu.Lock()
		if m.TryLock() { // nobody waits: forget it
			delete(s.posts, postID)
			m.Unlock()
		}
		s.mu.Unlock()
	}
}

// Sync brings the copy on Bluesky of the post postID up to date with the
// post: posts it when it is public and not there yet, applies the
// organisation's edit policy when it changed since, and deletes its
// records when it is no longer public. An organisation without a
// connection, or a post that no longer exists, is left alone.
func (s *Service) Sync(ctx context.Context, postID string) error {
	defer s.lock(postID)()
	p, err := s.c.Store.PostByID(ctx, postID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("crosspost: %w", err)
	}
	a, err := s.c.Store.BlueskyAccount(ctx, p.OrgID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("crosspost: %w", err)
	}
	bp, err := s.c.Store.BlueskyPost(ctx, postID)
	if errors.Is(err, store.ErrNotFound) {
		bp = &model.BlueskyPost{PostID: p.ID, OrgID: p.OrgID}
	} else if err != nil {
		return fmt.Errorf("crosspost: %w", err)
	}
	done := func() error {
		bp.Error, bp.Attempts, bp.UpdatedAt = "", 0, s.c.Now().UTC()
		return s.c.Store.PutBlueskyPost(ctx, bp)
	}
	switch {
	case !p.Public():
		if err := s.deleteRecords(ctx, a, bp); err != nil {
			return err
		}
		bp.State = model.BlueskyDeleted
		if p.State != model.StateDeleted { // unpublished again: a draft or scheduled
			bp.State = model.BlueskyPending
		}
	case bp.URI == "":
		ref, err := s.publish(ctx, a, p, nil, false)
		if err != nil {
			return err
		}
		bp.URI, bp.CID, bp.Version, bp.State = ref.URI, ref.CID, p.UpdatedAt, model.BlueskyPublished
	case !bp.Version.Equal(p.UpdatedAt.UTC().Truncate(time.Microsecond)) && a.EditPolicy == model.BlueskyEditRepublish:
		if err := s.deleteRecords(ctx, a, bp); err != nil {
			return err
		}
		// The old record is gone: a failure from here posts anew on retry.
		if err := done(); err != nil {
			return fmt.Errorf("crosspost: %w", err)
		}
		ref, err := s.publish(ctx, a, p, nil, false)
		if err != nil {
			return err
		}
		bp.URI, bp.CID, bp.Version, bp.State = ref.URI, ref.CID, p.UpdatedAt, model.BlueskyPublished
	case !bp.Version.Equal(p.UpdatedAt.UTC().Truncate(time.Microsecond)):
		root := bluesky.Ref{URI: bp.URI, CID: bp.CID}
		parent := root
		if n := len(bp.Replies); n > 0 {
			parent = bluesky.Ref{URI: bp.Replies[n-1].URI, CID: bp.Replies[n-1].CID}
		}
		ref, err := s.publish(ctx, a, p, &bluesky.ReplyRef{Root: root, Parent: parent}, true)
		if err != nil {
			return err
		}
		bp.Replies = append(bp.Replies, model.BlueskyRef{URI: ref.URI, CID: ref.CID})
		bp.Version, bp.State = p.UpdatedAt, model.BlueskyPublished
	default:
		bp.State = model.BlueskyPublished
	}
	if err := done(); err != nil {
		return fmt.Errorf("crosspost: %w", err)
	}
	return nil
}

// deleteRecords deletes the post's records, corrections first, and
// forgets them.
func (s *Service) deleteRecords(ctx context.Context, a *model.BlueskyAccount, bp *model.BlueskyPost) error {
	refs := append([]model.BlueskyRef{}, bp.Replies...)
	if bp.URI != "" {
		refs = append(refs, model.BlueskyRef{URI: bp.URI, CID: bp.CID})
	}
	for len(refs) > 0 {
		uri := refs[0].URI
		err := s.withSession(ctx, a, func(sess *bluesky.Session) error {
			return s.c.Client.DeleteRecord(ctx, sess, uri)
		})
		if err != nil {
			return err
		}
		refs = refs[1:]
		if len(bp.Replies) > 0 {
			bp.Replies = bp.Replies[1:]
		} else {
			bp.URI, bp.CID = "", ""
		}
	}
	return nil
}

// publish posts p (as a correction, replying to reply, when correction is
// set) and returns its record.
func (s *Service) publish(ctx context.Context, a *model.BlueskyAccount, p *model.Post, reply *bluesky.ReplyRef, correction bool) (bluesky.Ref, error) {
	o, err := s.c.Store.OrgByID(ctx, p.OrgID)
	if err != nil {
		return bluesky.Ref{}, fmt.Errorf("crosspost: %w", err)
	}
	d := Draft(p, o, s.c.BaseURL)
	if correction {
		d.Text = i18n.M(i18n.BlueskyCorrection, d.Text).In(p.Language)
	}
	d.Reply = reply
	var ref bluesky.Ref
	err = s.withSession(ctx, a, func(sess *bluesky.Session) error {
		images, err := s.images(ctx, sess, p)
		if err != nil {
			return err
		}
		d.Images = images
		rec, _ := d.Record()
		ref, err = s.c.Client.CreateRecord(ctx, sess, bluesky.CollectionPost, rec)
		return err
	})
	return ref, err
}

// Draft returns the Bluesky draft of the post p of the organisation o: its
// text as plain text (after its content warning), its hashtags, its
// mentions as links, its language, and a link to it on Plein.
func Draft(p *model.Post, o *model.Org, baseURL string) bluesky.Draft {
	text := markup.PlainTextWithLinks(p.Text)
	if p.Summary != "" {
		text = p.Summary + "\n\n" + text
	}
	mentions, tags := markup.Tags(p.Text)
	d := bluesky.Draft{Text: text, Tags: tags, Lang: p.Language, CreatedAt: p.PublishAt,
		URL: baseURL + "/posts/" + p.ID, Title: o.DisplayName, Description: markup.Title(p.Text, maxDescription)}
	for _, m := range mentions {
		d.Mentions = append(d.Mentions, bluesky.Mention{Text: m.String(), URL: m.ProfileURL()})
	}
	if d.CreatedAt.IsZero() {
		d.CreatedAt = p.CreatedAt
	}
	return d
}

// images uploads the post's images, at most bluesky.MaxImages, each as a
// JPEG within Bluesky's limit, with its alt text.
func (s *Service) images(ctx context.Context, sess *bluesky.Session, p *model.Post) ([]bluesky.Image, error) {
	var out []bluesky.Image
	for _, at := range p.Attachments[:min(len(p.Attachments), bluesky.MaxImages)] {
		m, err := s.c.Store.MediaByID(ctx, at.MediaID)
		if err != nil {
			return nil, fmt.Errorf("%w %s: %w", errImage, at.MediaID, err)
		}
		data, err := s.largest(ctx, m)
		if err != nil {
			return nil, err
		}
		v, err := media.JPEGWithin(data, bluesky.MaxImageBytes)
		if err != nil {
			return nil, fmt.Errorf("%w %s: %w", errImage, m.ID, err)
		}
		blob, err := s.c.Client.UploadBlob(ctx, sess, v.ContentType, v.Data)
		if err != nil {
			return nil, err
		}
		out = append(out, bluesky.Image{Blob: blob, Alt: at.Alt, Width: v.Width, Height: v.Height})
	}
	return out, nil
}

// largest reads the largest stored variant of m.
func (s *Service) largest(ctx context.Context, m *model.Media) ([]byte, error) {
	var best *model.MediaVariant
	for i := range m.Variants {
		if best == nil || m.Variants[i].Width > best.Width {
			best = &m.Variants[i]
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%w %s: no stored variant", errImage, m.ID)
	}
	obj, err := s.c.Media.Open(ctx, best.Key)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", errImage, m.ID, err)
	}
	defer obj.Close()
	data, err := io.ReadAll(io.LimitReader(obj, media.MaxUploadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", errImage, m.ID, err)
	}
	return data, nil
}

// withSession runs fn with the organisation's session, logging in when
// there is none, refreshing it once when it expired, and logging in again
// when the refresh is refused.
func (s *Service) withSession(ctx context.Context, a *model.BlueskyAccount, fn func(*bluesky.Session) error) error {
	s.mu.Lock()
	sess := s.sessions[a.OrgID]
	s.mu.Unlock()
	if sess == nil || sess.PDS != a.PDS || sess.DID != a.DID {
		var err error
		if sess, err = s.login(ctx, a); err != nil {
			return err
		}
	}
	err := fn(sess)
	if !errors.Is(err, bluesky.ErrExpired) && !errors.Is(err, bluesky.ErrAuth) {
		return err
	}
	if sess, err = s.c.Client.RefreshSession(ctx, sess); err != nil {
		if sess, err = s.login(ctx, a); err != nil {
			return err
		}
	}
	s.remember(a.OrgID, sess)
	return fn(sess)
}

// login opens the stored app password and logs in.
func (s *Service) login(ctx context.Context, a *model.BlueskyAccount) (*bluesky.Session, error) {
	password, err := s.c.Box.Open(a.OrgID, a.Password)
	if err != nil {
		return nil, fmt.Errorf("crosspost: app password: %w", err)
	}
	sess, err := s.c.Client.CreateSession(ctx, a.PDS, a.DID, password)
	if err != nil {
		return nil, err
	}
	s.remember(a.OrgID, sess)
	return sess, nil
}

func (s *Service) remember(orgID string, sess *bluesky.Session) {
	s.mu.Lock()
	s.sessions[orgID] = sess
	s.mu.Unlock()
}
