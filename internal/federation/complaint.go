package federation

import (
	"context"
	"errors"
	"html/template"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/activity"
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
