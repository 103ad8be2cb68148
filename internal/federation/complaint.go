package federation

import (
	"context"
	"crypto/rsa"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/activity"
	"plein/internal/httpsig"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/post"
	"plein/internal/store"
)

// ComplaintNoteWorker sends the author of a reply a direct Note about
// their complaint: its outcome, or that it came too late.
type ComplaintNoteWorker struct {
	river.WorkerDefaults[moderation.ComplaintNoteArgs]
	svc *Service
}

// NewComplaintNoteWorker returns the worker for moderation.ComplaintNoteArgs
// jobs.
func NewComplaintNoteWorker(svc *Service) *ComplaintNoteWorker { return &ComplaintNoteWorker{svc: svc} }

// Work enqueues the delivery of the Note to the author's inbox.
func (w *ComplaintNoteWorker) Work(ctx context.Context, job *river.Job[moderation.ComplaintNoteArgs]) error {
	s := w.svc
	st, err := s.st.StatementByID(ctx, job.Args.StatementID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var c *model.Complaint
	authorID := ""
	if job.Args.ComplaintID != "" {
		if c, err = s.st.ComplaintByID(ctx, job.Args.ComplaintID); errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		authorID = c.Author
	} else {
		r, err := s.st.Reply(ctx, st.ReplyID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		authorID = r.ActorID
	}
	a, err := s.st.RemoteActor(ctx, authorID)
	if errors.Is(err, store.ErrNotFound) {
		a, err = s.FetchActor(ctx, authorID)
	}
	if err != nil {
		return err
	}
	doc, err := s.ComplaintCreate(ctx, st, c, a)
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx store.Tx) error { return enqueueDelivery(ctx, tx, st.OrgID, a.Inbox, doc) })
}

// ComplaintID is the id of the Note that tells the author the outcome of
// their complaint about the statement statementID.
func (s *Service) ComplaintID(statementID string) string {
	return s.StatementID(statementID) + "/outcome"
}

// ComplaintCreate returns the Create of the direct Note that tells the
// actor a, the author of the reply st is about, the outcome of their
// complaint c, in the language of the post; or, when c is nil, that their
// answer came after the six months in which a complaint is taken.
func (s *Service) ComplaintCreate(ctx context.Context, st *model.Statement, c *model.Complaint, a *model.RemoteActor) (*activity.Activity, error) {
	o, err := s.orgs.ByID(ctx, st.OrgID)
	if err != nil {
		return nil, err
	}
	title := st.PostID
	if p, err := s.posts.Get(ctx, st.PostID); err == nil {
		title = markup.Title(p.Text, 60)
	} else if !errors.Is(err, post.ErrNotFound) {
		return nil, err
	}
	lang := i18n.Pick(st.Language, o.Language)
	para := func(key i18n.Key, args ...any) string {
		return "<p>" + template.HTMLEscapeString(i18n.T(lang, string(key), args...)) + "</p>"
	}
	name := moderation.AuthorName(a.ID, a)
	href := a.URL
	if href == "" {
		href = a.ID
	}
	var b strings.Builder
	b.WriteString(`<p><span class="h-card" translate="no"><a href="` + template.HTMLEscapeString(href) + `" class="u-url mention">@<span>` +
		template.HTMLEscapeString(strings.SplitN(strings.TrimPrefix(name, "@"), "@", 2)[0]) + `</span></a></span></p>`)
	id := s.ComplaintID(st.ID)
	published := s.now().UTC()
	if c == nil {
		id = s.StatementID(st.ID) + "/late/" + model.NewID(published)
		b.WriteString(para(i18n.ComplaintNoteLate, i18n.Date(lang, st.ApplicationDate.In(o.Location())), moderation.ComplaintMonths))
	} else {
		published = c.DecidedAt
		key := i18n.ComplaintNoteRejected
		if c.State == model.ComplaintUpheld {
			key = i18n.ComplaintNoteUpheld
		}
		b.WriteString(para(key, title))
		b.WriteString(para(i18n.ComplaintNoteExplanation, c.Explanation))
		b.WriteString(para(i18n.ComplaintNoteRedress))
	}
	b.WriteString(para(i18n.StatementReference, st.ID))
	n := activity.Note{ID: id, Type: activity.TypeNote, InReplyTo: s.StatementID(st.ID), Published: activity.Time{Time: published.Truncate(time.Second)},
		AttributedTo: s.ActorID(o.ID), To: []string{a.ID}, Content: b.String(), ContentMap: map[string]string{lang: b.String()},
		Tag: []activity.Tag{{Type: activity.TypeMention, Href: a.ID, Name: name}}}
	return activity.NewCreate(id+"/activity", n), nil
}

// AddressedNote returns the direct Note at id, a statement of reasons
// (/statements/ID) or the outcome of a complaint about it
// (/statements/ID/outcome), for a GET signed by a key of an actor on the
// server of the person it is addressed to: nobody else may read it.
// ErrNotFound for anything else, signed or not, so that a statement's
// existence is not told either.
func (s *Service) AddressedNote(ctx context.Context, r *http.Request, statementID string, outcome bool) (*activity.Note, error) {
	st, err := s.st.StatementByID(ctx, statementID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	reply, err := s.st.Reply(ctx, st.ReplyID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound // nobody left to address
	}
	if err != nil {
		return nil, err
	}
	var signer *model.RemoteActor
	resolve := func(ctx context.Context, keyID string) (*rsa.PublicKey, error) {
		a, key, err := s.remoteKey(ctx, keyID, httpsig.IsRefetch(ctx))
		if err != nil {
			return nil, err
		}
		signer = a
		return key, nil
	}
	if _, err := httpsig.Verify(ctx, r, nil, resolve, s.now()); err != nil || hostOf(signer.ID) != hostOf(reply.ActorID) {
		return nil, ErrNotFound
	}
	a, err := s.st.RemoteActor(ctx, reply.ActorID)
	if errors.Is(err, store.ErrNotFound) {
		a, err = s.FetchActor(ctx, reply.ActorID)
	}
	if err != nil {
		return nil, err
	}
	var doc *activity.Activity
	if outcome {
		c, err := s.st.ComplaintOf(ctx, st.ID)
		if errors.Is(err, store.ErrNotFound) || err == nil && c.State == model.ComplaintOpen {
			return nil, ErrNotFound
		}
		if err != nil {
			return nil, err
		}
		doc, err = s.ComplaintCreate(ctx, st, c, a)
		if err != nil {
			return nil, err
		}
	} else if doc, err = s.StatementCreate(ctx, st, reply, a); err != nil {
		return nil, err
	}
	n, ok := doc.Object.(*activity.Note)
	if !ok {
		return nil, ErrNotFound
	}
	out := *n
	out.Context = activity.DefaultContext()
	return &out, nil
}
