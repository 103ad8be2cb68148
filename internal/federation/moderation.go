package federation

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"

	"github.com/riverqueue/river"

	"plein/internal/activity"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/post"
	"plein/internal/store"
)

// ErrBlocked: the signer, or its server, is blocked.
var ErrBlocked = errors.New("federation: blocked")

// StatementID is the id of the direct Note that carries a statement of
// reasons to the author of a reply.
func (s *Service) StatementID(statementID string) string {
	return s.baseURL + "/statements/" + statementID
}

// RepliesID is the id of the collection of a post's shown replies.
func (s *Service) RepliesID(postID string) string { return s.NoteID(postID) + "/replies" }

// RepliesCollection returns the collection of the replies shown under a
// post, oldest first, so that Fediverse servers can show the thread.
func (s *Service) RepliesCollection(ctx context.Context, p *model.Post) (*activity.OrderedCollection, error) {
	c := &activity.OrderedCollection{Context: activity.DefaultContext(), ID: s.RepliesID(p.ID), Type: activity.TypeOrderedCollection}
	if s.Moderation == nil {
		return c, nil
	}
	shown, err := s.Moderation.Shown(ctx, p.OrgID, p.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range shown {
		c.OrderedItems = append(c.OrderedItems, r.ID)
	}
	c.TotalItems = len(c.OrderedItems)
	return c, nil
}

// blocked reports whether the actor is blocked for the organisation orgID
// or the whole installation ("" checks the installation's blocks only).
func (s *Service) blocked(ctx context.Context, orgID, actorID string) error {
	if s.Moderation == nil {
		return nil
	}
	blocked, err := s.Moderation.Blocked(ctx, orgID, actorID)
	if err != nil {
		return err
	}
	if blocked {
		return fmt.Errorf("%w: %s", ErrBlocked, actorID)
	}
	return nil
}

// flag keeps a Flag as a notice for the staff of the organisation whose
// content or actor it reports (the installation's, when it names none).
func (s *Service) flag(ctx context.Context, in *activity.Incoming, signer *model.RemoteActor) error {
	orgID := ""
	var objects []string
	for _, id := range in.Objects {
		if o, err := s.orgOfActorID(ctx, id); err == nil {
			orgID = o.ID
			objects = append(objects, id)
			continue
		}
		if postID, ok := s.postOfNoteID(id); ok {
			if p, err := s.posts.Get(ctx, postID); err == nil {
				orgID = p.OrgID
				objects = append(objects, id)
			}
			continue
		}
		if r, err := s.st.Reply(ctx, id); err == nil {
			if p, err := s.posts.Get(ctx, r.PostID); err == nil {
				orgID = p.OrgID
				objects = append(objects, id)
			}
		}
	}
	if len(objects) == 0 {
		return nil // about nothing kept here
	}
	content := markup.HTMLText(in.Content)
	if r := []rune(content); len(r) > moderation.MaxExplanation {
		content = string(r[:moderation.MaxExplanation])
	}
	now := s.now().UTC()
	return s.st.AddNotice(ctx, &model.Notice{ID: model.NewID(now), OrgID: orgID, Source: "flag", Reporter: signer.ID,
		Objects: objects, Content: content, State: model.NoticeOpen, ReceivedAt: now})
}

// complaint keeps the answer of a reply's author to the statement of
// reasons statementID as their complaint about the decision (Digital
// Services Act, Art. 20), for another staff member to decide. Answers of
// anyone else, or to no statement of this installation, are not kept; a
// late or repeated one is answered or dropped by the moderation package.
func (s *Service) complaint(ctx context.Context, statementID string, n *activity.RemoteNote, signer *model.RemoteActor) error {
	if s.Moderation == nil {
		return nil
	}
	_, err := s.Moderation.ComplainFromFediverse(ctx, statementID, signer.ID, n.Content)
	if _, refused := moderation.AsRefusal(err); refused || errors.Is(err, moderation.ErrNoStatement) {
		return nil
	}
	return err
}

// linkPara is the paragraph of the message key in lang whose one
// argument is the address href, as a link.
func linkPara(lang string, key i18n.Key, href string) string {
	before, after, _ := strings.Cut(i18n.T(lang, string(key), "\x00"), "\x00")
	h := template.HTMLEscapeString(href)
	return "<p>" + template.HTMLEscapeString(before) + `<a href="` + h + `">` + h + "</a>" + template.HTMLEscapeString(after) + "</p>"
}

// StatementWorker sends a statement of reasons to the author of the reply
// it is about, as a direct Note from the organisation.
type StatementWorker struct {
	river.WorkerDefaults[moderation.StatementArgs]
	svc *Service
}

// NewStatementWorker returns the worker for moderation.StatementArgs jobs.
func NewStatementWorker(svc *Service) *StatementWorker { return &StatementWorker{svc: svc} }

// Work enqueues the delivery of the statement's Note to its author's inbox.
func (w *StatementWorker) Work(ctx context.Context, job *river.Job[moderation.StatementArgs]) error {
	s := w.svc
	st, err := s.st.StatementByID(ctx, job.Args.StatementID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	r, err := s.st.Reply(ctx, st.ReplyID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // the author deleted it meanwhile: nobody to tell
	}
	if err != nil {
		return err
	}
	a, err := s.st.RemoteActor(ctx, r.ActorID)
	if errors.Is(err, store.ErrNotFound) {
		a, err = s.FetchActor(ctx, r.ActorID)
	}
	if err != nil {
		return err
	}
	doc, err := s.StatementCreate(ctx, st, r, a)
	if err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx store.Tx) error { return enqueueDelivery(ctx, tx, st.OrgID, a.Inbox, doc) })
}

// StatementCreate returns the Create of the direct Note that tells the
// author of the reply r, the actor a, the statement of reasons st: the
// decision, the ground, the facts, that no automated means were used, and
// how to object; in the language of the post. A statement of an automated
// decision says so.
func (s *Service) StatementCreate(ctx context.Context, st *model.Statement, r *model.Reply, a *model.RemoteActor) (*activity.Activity, error) {
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
	name := moderation.AuthorName(a.ID, a)
	href := a.URL
	if href == "" {
		href = a.ID
	}
	para := func(key i18n.Key, args ...any) string {
		return "<p>" + template.HTMLEscapeString(i18n.T(lang, string(key), args...)) + "</p>"
	}
	decision := i18n.StatementRefused
	if st.Decision == model.ReplyHidden {
		decision = i18n.StatementHidden
	}
	ground := para(i18n.StatementIllegal, st.Law)
	if st.Ground == model.GroundIncompatible {
		ground = para(i18n.StatementIncompatible, st.Law)
	}
	var b strings.Builder
	b.WriteString(`<p><span class="h-card" translate="no"><a href="` + template.HTMLEscapeString(href) + `" class="u-url mention">@<span>` +
		template.HTMLEscapeString(strings.TrimPrefix(strings.SplitN(strings.TrimPrefix(name, "@"), "@", 2)[0], "@")) + `</span></a></span></p>`)
	b.WriteString(para(decision, title))
	b.WriteString(ground)
	b.WriteString(para(i18n.StatementExplanation, st.Explanation))
	if moderation.Automated(st) {
		// The author is told which phrases refused the reply; the
		// statement itself, which is exported, names none.
		hits, err := s.st.FilterHits(ctx, []string{r.ID})
		if err != nil {
			return nil, err
		}
		for _, h := range hits[r.ID] {
			if h.Action == model.FilterRefuse {
				b.WriteString(para(i18n.StatementFilteredPhrase, h.Phrase))
			}
		}
		b.WriteString(para(i18n.StatementFactsAutomated))
	} else {
		b.WriteString(para(i18n.StatementFacts))
	}
	if st.NoticeID != "" {
		b.WriteString(para(i18n.StatementNotice))
	}
	redress := s.baseURL + "/@" + o.Handle
	if s.Moderation != nil {
		key, err := s.Moderation.ComplaintKey(ctx, st.ID)
		if err != nil {
			return nil, err
		}
		redress = s.baseURL + moderation.ComplaintPath(o.Handle, st.ID, key)
	}
	b.WriteString(linkPara(lang, i18n.StatementRedress, redress))
	b.WriteString(para(i18n.StatementReference, st.ID))
	actor := s.ActorID(o.ID)
	id := s.StatementID(st.ID)
	n := activity.Note{ID: id, Type: activity.TypeNote, InReplyTo: r.ID, Published: activity.Time{Time: st.CreatedAt},
		AttributedTo: actor, To: []string{a.ID}, Content: b.String(), ContentMap: map[string]string{lang: b.String()},
		Tag: []activity.Tag{{Type: activity.TypeMention, Href: a.ID, Name: name}}}
	return activity.NewCreate(id+"/activity", n), nil
}
