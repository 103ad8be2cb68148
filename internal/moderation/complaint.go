package moderation

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/store"
)

// Limits of complaints (Digital Services Act, Art. 20).
const (
	// ComplaintMonths is how long after a decision took effect its author
	// may complain about it.
	ComplaintMonths = 6
	// MaxComplaintText is the most characters a complaint keeps.
	MaxComplaintText = 5000
	// MaxOutcomeExplanation is the most characters of the explanation of
	// an outcome.
	MaxOutcomeExplanation = MaxExplanation
)

// Fields of the complaint form and of deciding a complaint, as their
// FieldErrors name them.
const (
	ComplaintFieldText        = "complaint"
	ComplaintFieldToken       = "token"
	ComplaintFieldOutcome     = "outcome"
	ComplaintFieldExplanation = "explanation"
)

// settingComplaintKey names the secret that signs the complaint links.
const settingComplaintKey = "complaint_link_key"

// ErrNoComplaint means there is no complaint with the id given.
var ErrNoComplaint = errors.New("moderation: no such complaint")

// Refusal is a request about a complaint that moderation refuses, with
// the reason in Dutch and English.
type Refusal struct {
	Message i18n.Message
}

func (r *Refusal) Error() string { return "moderation: " + r.Message.In("en") }

// AsRefusal returns the Refusal in err's chain, if any.
func AsRefusal(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}

func refuse(key i18n.Key, args ...any) error { return &Refusal{Message: i18n.M(key, args...)} }

// ComplaintDeadline is the last moment the author may complain about the
// decision st states.
func ComplaintDeadline(st *model.Statement) time.Time {
	return st.ApplicationDate.AddDate(0, ComplaintMonths, 0)
}

// ParseComplaintState returns the complaint state named s.
func ParseComplaintState(s string) (model.ComplaintState, error) {
	for _, st := range model.ComplaintStates {
		if string(st) == strings.TrimSpace(s) {
			return st, nil
		}
	}
	return "", model.Invalid("state", i18n.M(i18n.ErrComplaintState, s))
}

// ParseOutcome returns the outcome named s: upheld or rejected.
func ParseOutcome(s string) (model.ComplaintState, error) {
	switch o := model.ComplaintState(strings.TrimSpace(s)); o {
	case model.ComplaintUpheld, model.ComplaintRejected:
		return o, nil
	}
	return "", model.Invalid(ComplaintFieldOutcome, i18n.M(i18n.ErrComplaintOutcome, s))
}

// ComplaintKey returns the key of the link to the complaint form about
// the statement statementID: whoever has the statement has the link, and
// no one can make a link to another statement.
func (s *Service) ComplaintKey(ctx context.Context, statementID string) (string, error) {
	k, err := s.complaintKey.Bytes(ctx)
	if err != nil {
		return "", fmt.Errorf("moderation: complaint key: %w", err)
	}
	h := hmac.New(sha256.New, k)
	h.Write([]byte("complaint\x00" + statementID))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18]), nil
}

// ComplaintPath is the path of the complaint form about the statement
// statementID of the organisation handle, with its key.
func ComplaintPath(handle, statementID, key string) string {
	return "/@" + handle + "/complaint/" + statementID + "?key=" + key
}

// ComplaintSubject is the decision a complaint form is about.
type ComplaintSubject struct {
	Statement *model.Statement
	PostTitle string
	Deadline  time.Time
	// Late: the six months are over, and no complaint is taken.
	Late bool
	// Complaint is the one already received about it; nil: none yet.
	Complaint *model.Complaint
}

// Subject returns the decision of o that the complaint link with key is
// about; ErrNoStatement when the link is not one Plein made for o.
func (s *Service) Subject(ctx context.Context, o *model.Org, statementID, key string) (*ComplaintSubject, error) {
	want, err := s.ComplaintKey(ctx, statementID)
	if err != nil {
		return nil, err
	}
	if !hmac.Equal([]byte(want), []byte(key)) {
		return nil, ErrNoStatement
	}
	st, err := s.st.StatementByID(ctx, statementID)
	if errors.Is(err, store.ErrNotFound) || err == nil && st.OrgID != o.ID {
		return nil, ErrNoStatement
	}
	if err != nil {
		return nil, fmt.Errorf("moderation: complaint: %w", err)
	}
	sub := &ComplaintSubject{Statement: st, Deadline: ComplaintDeadline(st), PostTitle: st.PostID}
	sub.Late = s.now().After(sub.Deadline)
	if p, err := s.st.PostByID(ctx, st.PostID); err == nil {
		sub.PostTitle = markup.Title(p.Text, 80)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("moderation: complaint: %w", err)
	}
	c, err := s.st.ComplaintOf(ctx, st.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("moderation: complaint: %w", err)
	}
	sub.Complaint = c
	return sub, nil
}

// ComplaintFormToken returns the token of a complaint form about the
// statement statementID shown now. It holds nothing about the visitor.
func (s *Service) ComplaintFormToken(ctx context.Context, statementID string) (string, error) {
	if !s.TakesNotices() {
		return "", errors.New("moderation: no public forms")
	}
	return s.forms.Tokens.FormToken(ctx, complaintScope(statementID))
}

func complaintScope(statementID string) string { return "complaint\x00" + statementID }

// ComplaintInput is a complaint form as sent.
type ComplaintInput struct {
	StatementID string
	Key         string // of the link
	Text        string
	Token       string // of the form, from ComplaintFormToken
	Honeypot    string // the field people do not see
	Lang        string
	// OverLimit: the client sent more forms than the web's limit allows.
	OverLimit bool
}

// SubmitComplaint keeps a complaint sent with the form linked from a
// statement of reasons of o, for a staff member other than the one who
// decided. A link not made here is ErrNoStatement; a complaint after six
// months, or about a decision that already has one, is a Refusal; a bad
// field is a model.FieldError. A form from a robot (the honeypot filled)
// is answered as if kept, and is not.
func (s *Service) SubmitComplaint(ctx context.Context, o *model.Org, in ComplaintInput) (*model.Complaint, error) {
	sub, err := s.Subject(ctx, o, in.StatementID, in.Key)
	if err != nil {
		return nil, err
	}
	if err := sub.Refusal(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	lang := i18n.Pick(in.Lang, sub.Statement.Language)
	if in.Honeypot != "" {
		return &model.Complaint{ID: model.NewID(now), StatementID: sub.Statement.ID, State: model.ComplaintOpen, ReceivedAt: now}, nil
	}
	if !s.TakesNotices() {
		return nil, errors.New("moderation: no public forms")
	}
	age, valid, err := s.forms.Tokens.FormAge(ctx, complaintScope(sub.Statement.ID), in.Token)
	if err != nil {
		return nil, fmt.Errorf("moderation: complaint: %w", err)
	}
	if !valid {
		return nil, model.Invalid(ComplaintFieldToken, i18n.M(i18n.ErrContactToken))
	}
	if age < MinNoticeFillTime || in.OverLimit {
		return nil, model.Invalid(ComplaintFieldToken, i18n.M(i18n.ErrComplaintTooFast))
	}
	text, err := complaintText(in.Text)
	if err != nil {
		return nil, err
	}
	r, err := s.st.Reply(ctx, sub.Statement.ReplyID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, refuse(i18n.ErrComplaintReplyGone)
	}
	if err != nil {
		return nil, fmt.Errorf("moderation: complaint: %w", err)
	}
	c := &model.Complaint{ID: model.NewID(now), OrgID: o.ID, StatementID: sub.Statement.ID, ReplyID: r.ID,
		Source: model.ComplaintFromForm, Author: r.ActorID, Content: text, Lang: lang, State: model.ComplaintOpen, ReceivedAt: now}
	if err := s.addComplaint(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Refusal is why no complaint is taken about the subject (a *Refusal),
// or nil.
func (sub *ComplaintSubject) Refusal() error {
	if sub.Complaint != nil {
		return refuse(i18n.ErrComplaintExists, sub.Complaint.ReceivedAt)
	}
	if sub.Late {
		return refuse(i18n.ErrComplaintLate, sub.Statement.ApplicationDate, ComplaintMonths)
	}
	return nil
}

func complaintText(s string) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(s); {
	case !utf8.ValidString(s) || n == 0:
		return "", model.Invalid(ComplaintFieldText, i18n.M(i18n.ErrComplaintText))
	case n > MaxComplaintText:
		return "", model.Invalid(ComplaintFieldText, i18n.M(i18n.ErrComplaintTextLong, n, MaxComplaintText))
	}
	return s, nil
}

func (s *Service) addComplaint(ctx context.Context, c *model.Complaint) error {
	err := s.st.AddComplaint(ctx, c)
	if errors.Is(err, store.ErrAlreadyExists) {
		return refuse(i18n.ErrComplaintExists, c.ReceivedAt)
	}
	if err != nil {
		return fmt.Errorf("moderation: keep complaint: %w", err)
	}
	return nil
}

// ComplainFromFediverse keeps the answer of the actor authorID to the
// statement statementID as the complaint about it, when authorID wrote
// the reply decided on; answers of anyone else are not kept
// (ErrNoStatement). After six months, or when the decision has a
// complaint already, it is a Refusal, and the author is told so by a
// direct Note.
func (s *Service) ComplainFromFediverse(ctx context.Context, statementID, authorID, html string) (*model.Complaint, error) {
	st, err := s.st.StatementByID(ctx, statementID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoStatement
	}
	if err != nil {
		return nil, fmt.Errorf("moderation: complaint: %w", err)
	}
	r, err := s.st.Reply(ctx, st.ReplyID)
	if errors.Is(err, store.ErrNotFound) || err == nil && r.ActorID != authorID {
		return nil, ErrNoStatement
	}
	if err != nil {
		return nil, fmt.Errorf("moderation: complaint: %w", err)
	}
	now := s.now().UTC()
	if now.After(ComplaintDeadline(st)) {
		err := s.st.InTx(ctx, func(tx store.Tx) error {
			return tx.EnqueueJob(ctx, ComplaintNoteArgs{StatementID: st.ID, Late: true}, nil)
		})
		if err != nil {
			return nil, fmt.Errorf("moderation: complaint: %w", err)
		}
		return nil, refuse(i18n.ErrComplaintLate, st.ApplicationDate, ComplaintMonths)
	}
	text := markup.HTMLText(html)
	if r := []rune(text); len(r) > MaxComplaintText {
		text = string(r[:MaxComplaintText])
	}
	if strings.TrimSpace(text) == "" {
		text = "–"
	}
	c := &model.Complaint{ID: model.NewID(now), OrgID: st.OrgID, StatementID: st.ID, ReplyID: r.ID, Source: model.ComplaintFromFediverse,
		Author: authorID, Content: text, Lang: st.Language, State: model.ComplaintOpen, ReceivedAt: now}
	if err := s.addComplaint(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// ComplaintItem is a complaint with the decision it contests, for the
// staff who decide it.
type ComplaintItem struct {
	Complaint *model.Complaint
	Statement *model.Statement // nil when no longer kept
	Reply     *model.Reply     // nil when no longer kept
	Post      *model.Post      // nil when gone
	Author    string           // @user@host, or the actor's id
}

// Complaints returns an organisation's complaints in state (empty: all),
// oldest first, for its moderators and admins.
func (s *Service) Complaints(ctx context.Context, actor auth.Actor, orgID string, state model.ComplaintState) ([]ComplaintItem, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermModerate); err != nil {
		return nil, err
	}
	cs, err := s.st.Complaints(ctx, store.ComplaintFilter{OrgID: orgID, State: state})
	if err != nil {
		return nil, fmt.Errorf("moderation: complaints: %w", err)
	}
	out := make([]ComplaintItem, 0, len(cs))
	for _, c := range cs {
		it, err := s.complaintItem(ctx, c)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

func (s *Service) complaintItem(ctx context.Context, c *model.Complaint) (ComplaintItem, error) {
	it := ComplaintItem{Complaint: c, Author: c.Author}
	var err error
	if it.Statement, err = s.st.StatementByID(ctx, c.StatementID); errors.Is(err, store.ErrNotFound) {
		it.Statement, err = nil, nil
	}
	if err != nil {
		return it, fmt.Errorf("moderation: complaint: %w", err)
	}
	if it.Reply, err = s.st.Reply(ctx, c.ReplyID); errors.Is(err, store.ErrNotFound) {
		it.Reply, err = nil, nil
	}
	if err != nil {
		return it, fmt.Errorf("moderation: complaint: %w", err)
	}
	if it.Statement != nil {
		if it.Post, err = s.st.PostByID(ctx, it.Statement.PostID); errors.Is(err, store.ErrNotFound) {
			it.Post, err = nil, nil
		}
		if err != nil {
			return it, fmt.Errorf("moderation: complaint: %w", err)
		}
	}
	if a, err := s.st.RemoteActor(ctx, c.Author); err == nil {
		it.Author = AuthorName(c.Author, a)
	}
	return it, nil
}

// DecideComplaint gives an open complaint its outcome: upheld (the
// decision is reversed and the reply shown again) or rejected (the
// decision stands), with an explanation for the author, who is sent the
// outcome. Only a named staff member who may moderate the organisation,
// and who did not take the decision complained about, decides: nobody
// reviews their own decision, whatever their role.
func (s *Service) DecideComplaint(ctx context.Context, actor auth.Actor, id string, outcome model.ComplaintState, explanation string) (*model.Complaint, error) {
	c, err := s.st.ComplaintByID(ctx, strings.TrimSpace(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %q", ErrNoComplaint, id)
	}
	if err != nil {
		return nil, fmt.Errorf("moderation: complaint: %w", err)
	}
	if err := s.auth.Require(ctx, actor, c.OrgID, auth.PermModerate); err != nil {
		return nil, err
	}
	if actor.UserID == "" {
		return nil, refuse(i18n.ErrComplaintOperator)
	}
	if c.State != model.ComplaintOpen {
		return nil, refuse(i18n.ErrComplaintDecided, i18n.M(i18n.Key("complaint.state."+string(c.State))))
	}
	if _, err := ParseOutcome(string(outcome)); err != nil {
		return nil, err
	}
	explanation = strings.TrimSpace(explanation)
	switch n := utf8.RuneCountInString(explanation); {
	case !utf8.ValidString(explanation) || n == 0:
		return nil, model.Invalid(ComplaintFieldExplanation, i18n.M(i18n.ErrOutcomeExplanation))
	case n > MaxOutcomeExplanation:
		return nil, model.Invalid(ComplaintFieldExplanation, i18n.M(i18n.ErrExplanationTooLong, n, MaxOutcomeExplanation))
	}
	st, err := s.st.StatementByID(ctx, c.StatementID)
	if err != nil {
		return nil, fmt.Errorf("moderation: complaint %s: statement: %w", c.ID, err)
	}
	if st.DecidedBy == actor.UserID {
		return nil, s.ownDecision(ctx, c.OrgID, actor.UserID)
	}
	now := s.now().UTC()
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		err := tx.DecideComplaint(ctx, c.ID, outcome, actor.UserID, actor.Name, explanation, now)
		if errors.Is(err, store.ErrNotFound) {
			return refuse(i18n.ErrComplaintDecided, i18n.M(i18n.Key("complaint.state.decided")))
		}
		if err != nil {
			return fmt.Errorf("moderation: decide complaint: %w", err)
		}
		if outcome == model.ComplaintUpheld {
			// The decision is reversed: the reply is shown again, if it is
			// still as the decision left it.
			err := tx.DecideReply(ctx, c.ReplyID, []model.ReplyState{st.Decision}, model.ReplyShown, actor.UserID, actor.Name, now)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("moderation: reverse decision: %w", err)
			}
			if err := tx.MarkChanged(ctx); err != nil {
				return err
			}
		}
		if err := tx.EnqueueJob(ctx, ComplaintNoteArgs{ComplaintID: c.ID, StatementID: st.ID}, nil); err != nil {
			return fmt.Errorf("moderation: send outcome: %w", err)
		}
		return auth.Audit(ctx, tx, actor, c.OrgID, "complaint."+string(outcome), st.PostID, c.ID, now)
	})
	if err != nil {
		return nil, err
	}
	c.State, c.DecidedAt, c.DecidedBy, c.DecidedByName, c.Explanation = outcome, now, actor.UserID, actor.Name, explanation
	return c, nil
}

// ownDecision is the refusal of a staff member deciding the complaint
// about their own decision: it says whether another member may decide it,
// or that the organisation has no other moderator.
func (s *Service) ownDecision(ctx context.Context, orgID, userID string) error {
	members, err := s.auth.Members(ctx, orgID)
	if err != nil {
		return fmt.Errorf("moderation: complaint: %w", err)
	}
	others := 0
	for _, m := range members {
		if m.User.ID != userID && auth.Allows(m.Role, auth.PermModerate) {
			others++
		}
	}
	if others == 0 {
		return refuse(i18n.ErrComplaintOnlyModerator)
	}
	return refuse(i18n.ErrComplaintOwnDecision)
}

// Complaint returns a complaint with the decision it contests, for a
// moderator of its organisation.
func (s *Service) Complaint(ctx context.Context, actor auth.Actor, id string) (ComplaintItem, error) {
	c, err := s.st.ComplaintByID(ctx, strings.TrimSpace(id))
	if errors.Is(err, store.ErrNotFound) {
		return ComplaintItem{}, fmt.Errorf("%w: %q", ErrNoComplaint, id)
	}
	if err != nil {
		return ComplaintItem{}, fmt.Errorf("moderation: complaint: %w", err)
	}
	if err := s.auth.Require(ctx, actor, c.OrgID, auth.PermModerate); err != nil {
		return ComplaintItem{}, err
	}
	return s.complaintItem(ctx, c)
}

// ComplaintNoteArgs is the durable job that sends the author of a reply a
// direct Note about their complaint: its outcome (ComplaintID), or that it
// came after the six months (Late, about StatementID). The federation
// package works it.
type ComplaintNoteArgs struct {
	ComplaintID string `json:"complaint_id,omitempty"`
	StatementID string `json:"statement_id"`
	Late        bool   `json:"late,omitempty"`
}

// Kind implements river.JobArgs.
func (ComplaintNoteArgs) Kind() string { return "moderation_complaint_note" }

// InsertOpts makes one job per outcome, and one answer to late complaints
// a statement at a time.
func (ComplaintNoteArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Hour}}
}
