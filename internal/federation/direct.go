package federation

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strings"

	"plein/internal/activity"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/store"
)

// DirectMessages takes direct messages to an organisation into its inbox
// of questions. The contact service implements it.
type DirectMessages interface {
	// ReceiveDirect stores q, a direct message made a question, in the
	// inbox of q.OrgID.
	ReceiveDirect(ctx context.Context, q *model.Question) error
}

// AnswerID is the id of the direct Note that carries a staff member's
// answer to a question.
func (s *Service) AnswerID(answerID string) string { return s.baseURL + "/answers/" + answerID }

// directOrgs returns the organisations a Note is addressed to when it is a
// direct message: not public, to no followers collection and to nobody but
// organisations of this installation (in to or cc, of the activity or the
// Note). It returns nil for any other Note.
func (s *Service) directOrgs(ctx context.Context, in *activity.Incoming, n *activity.RemoteNote) []*model.Org {
	var orgs []*model.Org
	for _, list := range [][]string{in.To, in.Cc, n.To, n.Cc} {
		for _, r := range list {
			if r == activity.Public {
				return nil
			}
			o, err := s.orgOfActorID(ctx, r)
			if err != nil {
				return nil // a followers collection, or someone else
			}
			if !slices.ContainsFunc(orgs, func(x *model.Org) bool { return x.ID == o.ID }) {
				orgs = append(orgs, o)
			}
		}
	}
	return orgs
}

// direct puts a direct message into the inbox of each organisation it is
// addressed to, as a question with the sender's Fediverse address to
// answer: its text without markup or the leading mentions of the
// organisation. Only its first version is kept; an edit, or a message
// while no inbox takes them, is not stored, and never shown anywhere.
func (s *Service) direct(ctx context.Context, in *activity.Incoming, n *activity.RemoteNote, signer *model.RemoteActor, orgs []*model.Org) error {
	if in.Type != activity.TypeCreate || s.DirectMessages == nil {
		return nil
	}
	text := noteText(n.Content)
	if summary := markup.HTMLText(n.Summary); summary != "" {
		text = summary + "\n\n" + text
	}
	lang := ""
	for l, c := range n.ContentMap {
		if c == n.Content || len(n.ContentMap) == 1 {
			lang = l
		}
	}
	for _, o := range orgs {
		if err := s.blocked(ctx, o.ID, signer.ID); err != nil {
			return err
		}
		q := &model.Question{OrgID: o.ID, ActorID: signer.ID, NoteID: in.Object.ID, ReplyTo: fediverseAddress(signer),
			Text: withoutLeadingMentions(text, o.Handle), Lang: lang}
		if err := s.DirectMessages.ReceiveDirect(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// paragraphEnd matches where remote HTML starts a new line of text;
// mentionSpan the markup inside a mention, as Mastodon writes
// @<span>user</span>.
var (
	paragraphEnd = regexp.MustCompile(`(?i)</p>|<br\s*/?>`)
	mentionSpan  = regexp.MustCompile(`(?i)@\s*<span[^>]*>`)
)

// noteText returns the plain text of a Note's HTML content, with a line
// for each paragraph or line break.
func noteText(content string) string {
	var lines []string
	for _, part := range paragraphEnd.Split(mentionSpan.ReplaceAllString(content, "@"), -1) {
		if t := markup.HTMLText(part); t != "" {
			lines = append(lines, t)
		}
	}
	return strings.Join(lines, "\n")
}

// withoutLeadingMentions takes the mentions of the organisation handle
// (@handle or @handle@server) off the start of text, where a direct message
// names its recipient.
func withoutLeadingMentions(text, handle string) string {
	for {
		word, rest, _ := strings.Cut(strings.TrimLeft(text, " \n"), " ")
		user, _, _ := strings.Cut(strings.TrimPrefix(word, "@"), "@")
		if !strings.HasPrefix(word, "@") || !strings.EqualFold(user, handle) {
			return strings.TrimSpace(text)
		}
		text = rest
	}
}

// fediverseAddress is how a question names the actor a to answer:
// @user@server.
func fediverseAddress(a *model.RemoteActor) string {
	if a.Username != "" {
		if h := hostOf(a.ID); h != "" {
			return "@" + a.Username + "@" + h
		}
	}
	return mentionName(a.ID)
}

// SendAnswer enqueues the delivery of a staff member's answer a to the
// question q of the organisation o as a direct Note: addressed to the
// question's author only, in reply to their message when the question
// came as one, mentioning them, in the question's language. A question
// from the contact form with a Fediverse address finds its actor through
// WebFinger. The delivery is signed with the organisation's key and tried
// again by the durable delivery jobs.
func (s *Service) SendAnswer(ctx context.Context, o *model.Org, q *model.Question, a *model.Answer) error {
	to, err := s.answerRecipient(ctx, q)
	if err != nil {
		return err
	}
	doc := s.AnswerCreate(o, q, a, to)
	return s.st.InTx(ctx, func(tx store.Tx) error { return enqueueDelivery(ctx, tx, o.ID, to.Inbox, doc) })
}

// answerRecipient returns the actor who gets the answer to q.
func (s *Service) answerRecipient(ctx context.Context, q *model.Question) (*model.RemoteActor, error) {
	if q.ActorID != "" {
		a, err := s.st.RemoteActor(ctx, q.ActorID)
		if errors.Is(err, store.ErrNotFound) {
			a, err = s.FetchActor(ctx, q.ActorID)
		}
		return a, err
	}
	user, host, ok := strings.Cut(strings.TrimPrefix(q.ReplyTo, "@"), "@")
	if !ok || user == "" || host == "" {
		return nil, fmt.Errorf("federation: %w: the answer address is not @user@server", ErrBadActivity)
	}
	m := markup.Mention{User: user, Host: host}
	a, err := s.st.RemoteActorByAcct(ctx, acct(m))
	if errors.Is(err, store.ErrNotFound) {
		a, err = s.ResolveMention(ctx, m)
	}
	return a, err
}

// AnswerCreate returns the Create of the direct Note that carries the
// answer a to the question q of the organisation o to the actor to.
func (s *Service) AnswerCreate(o *model.Org, q *model.Question, a *model.Answer, to *model.RemoteActor) *activity.Activity {
	lang := i18n.Pick(q.Lang, o.Language)
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(a.Text), "\n\n") {
		if para = strings.TrimSpace(para); para == "" {
			continue
		}
		lines := strings.Split(para, "\n")
		for i, l := range lines {
			lines[i] = template.HTMLEscapeString(l)
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>") + "</p>")
	}
	b.WriteString("<p>" + template.HTMLEscapeString(i18n.T(lang, "contact.answer.reference", q.Reference)) + "</p>")
	user := to.Username
	if user == "" {
		user, _, _ = strings.Cut(strings.TrimPrefix(mentionName(to.ID), "@"), "@")
	}
	href := to.URL
	if href == "" {
		href = to.ID
	}
	content := string(markup.PrependMention(template.HTML(b.String()), markup.MentionHTML(href, user)))
	id := s.AnswerID(a.ID)
	n := activity.Note{ID: id, Type: activity.TypeNote, InReplyTo: q.NoteID, Published: activity.Time{Time: a.CreatedAt},
		AttributedTo: s.ActorID(o.ID), To: []string{to.ID}, Content: content, ContentMap: map[string]string{lang: content},
		Tag: []activity.Tag{{Type: activity.TypeMention, Href: to.ID, Name: fediverseAddress(to)}}}
	return activity.NewCreate(id+"/activity", n)
}
