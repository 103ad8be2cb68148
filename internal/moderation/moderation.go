// Package moderation is how an organisation decides on the replies
// citizens send from the Fediverse, in a way it can account for under the
// EU Digital Services Act: a queue of pending replies for its moderators
// and admins; approving (the reply is shown under its post), refusing, or
// hiding a shown reply later, each recorded with who and when and written
// to the audit log; a statement of reasons (Art. 17) for every refusal and
// removal, sent to the author and exported for the Commission's
// Transparency Database (Art. 24(5)); blocks of accounts and servers; and
// notices from the Fediverse (Flag). It knows no HTTP and no SQL.
package moderation

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/keyring"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/sensitive"
	"plein/internal/store"
)

// Limits on what staff write into a statement.
const (
	MaxExplanation = 2000
	MaxLaw         = 500
	// MaxFacts is the Transparency Database's limit on decision_facts.
	MaxFacts = 5000
)

// ErrNoReply means there is no reply with the id given.
var ErrNoReply = errors.New("moderation: no such reply")

// StateError is the refusal of a decision the reply's state does not
// allow, such as hiding a reply that is not shown.
type StateError struct {
	Decision string // "approve", "refuse", "hide"
	State    model.ReplyState
}

func (e *StateError) Error() string {
	return fmt.Sprintf("moderation: cannot %s a reply that is %s", e.Decision, e.State)
}

// Service decides on replies and keeps what moderation needs.
type Service struct {
	st   store.Store
	auth *auth.Service
	now  func() time.Time
	// forms is the public report form's setup; nil: no form.
	forms *NoticeForms
	// complaintKey signs the links to the complaint form.
	complaintKey *keyring.Secret
}

// NewService returns a Service on st; authz decides who may moderate.
func NewService(st store.Store, authz *auth.Service, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, auth: authz, now: now, complaintKey: keyring.New(st, settingComplaintKey)}
}

// Item is a reply in the moderation queue, with what a moderator needs to
// decide: the post it answers, and its author and server.
type Item struct {
	Reply  *model.Reply
	Post   *model.Post
	Author *model.RemoteActor // nil when the actor is no longer kept
	Server string             // the host of the author's server
	// Sensitive names the kinds of sensitive number (a BSN, an IBAN, a
	// passport or identity-card number) the reply seems to contain, so
	// that a moderator checks before showing it.
	Sensitive []sensitive.Kind
	// Filters are the keyword filters that matched the reply when it
	// arrived or was last edited.
	Filters []model.FilterHit
}

// AuthorName is how the queue names the author: @user@host when its
// username is known, else its id.
func (it Item) AuthorName() string { return AuthorName(it.Reply.ActorID, it.Author) }

// AuthorName names the author of a reply: @user@host when the actor's
// username is known, else its id.
func AuthorName(actorID string, a *model.RemoteActor) string {
	host := hostOf(actorID)
	if a != nil && a.Username != "" && host != "" {
		return "@" + a.Username + "@" + host
	}
	return actorID
}

// ParseState returns the reply state named s.
func ParseState(s string) (model.ReplyState, error) {
	for _, st := range model.ReplyStates {
		if string(st) == s {
			return st, nil
		}
	}
	return "", model.Invalid("state", i18n.M(i18n.ErrReplyState, s))
}

// Queue returns an organisation's replies in state (pending: the queue
// itself), oldest first, for its moderators and admins.
func (s *Service) Queue(ctx context.Context, actor auth.Actor, orgID string, state model.ReplyState) ([]Item, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermModerate); err != nil {
		return nil, err
	}
	replies, err := s.st.ListReplies(ctx, store.ReplyFilter{OrgID: orgID, States: []model.ReplyState{state}})
	if err != nil {
		return nil, fmt.Errorf("moderation: queue: %w", err)
	}
	posts := map[string]*model.Post{}
	actors := map[string]*model.RemoteActor{}
	items := make([]Item, 0, len(replies))
	for _, r := range replies {
		p, ok := posts[r.PostID]
		if !ok {
			if p, err = s.st.PostByID(ctx, r.PostID); err != nil {
				return nil, fmt.Errorf("moderation: queue: %w", err)
			}
			posts[r.PostID] = p
		}
		a, ok := actors[r.ActorID]
		if !ok {
			a, err = s.st.RemoteActor(ctx, r.ActorID)
			if errors.Is(err, store.ErrNotFound) {
				a, err = nil, nil
			}
			if err != nil {
				return nil, fmt.Errorf("moderation: queue: %w", err)
			}
			actors[r.ActorID] = a
		}
		items = append(items, Item{Reply: r, Post: p, Author: a, Server: hostOf(r.ActorID), Sensitive: sensitiveIn(r)})
	}
	if err := s.addFilterHits(ctx, items); err != nil {
		return nil, err
	}
	return items, nil
}

// sensitiveIn returns the kinds of sensitive number in r's content warning
// and text, read as published text (a nine-digit number counts as a BSN
// only beside a word that says so).
func sensitiveIn(r *model.Reply) []sensitive.Kind {
	text := markup.HTMLText(r.Summary) + "\n" + markup.HTMLText(r.ContentHTML)
	return sensitive.Kinds(sensitive.Scan(text, sensitive.Publication))
}

// Reply returns a reply with its post, author and server, for a moderator
// of its organisation.
func (s *Service) Reply(ctx context.Context, actor auth.Actor, id string) (Item, error) {
	r, p, err := s.replyAndPost(ctx, id)
	if err != nil {
		return Item{}, err
	}
	if err := s.auth.Require(ctx, actor, p.OrgID, auth.PermModerate); err != nil {
		return Item{}, err
	}
	a, err := s.st.RemoteActor(ctx, r.ActorID)
	if errors.Is(err, store.ErrNotFound) {
		a, err = nil, nil
	}
	if err != nil {
		return Item{}, fmt.Errorf("moderation: %w", err)
	}
	items := []Item{{Reply: r, Post: p, Author: a, Server: hostOf(r.ActorID), Sensitive: sensitiveIn(r)}}
	if err := s.addFilterHits(ctx, items); err != nil {
		return Item{}, err
	}
	return items[0], nil
}

func (s *Service) replyAndPost(ctx context.Context, id string) (*model.Reply, *model.Post, error) {
	r, err := s.st.Reply(ctx, strings.TrimSpace(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("%w: %q", ErrNoReply, id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("moderation: %w", err)
	}
	p, err := s.st.PostByID(ctx, r.PostID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, fmt.Errorf("%w: %q answers a post that is gone", ErrNoReply, id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("moderation: %w", err)
	}
	return r, p, nil
}

// Approve shows a reply under its post: a pending one, or a refused or
// hidden one whose decision is reversed.
func (s *Service) Approve(ctx context.Context, actor auth.Actor, id string) error {
	r, p, err := s.replyAndPost(ctx, id)
	if err != nil {
		return err
	}
	if err := s.auth.Require(ctx, actor, p.OrgID, auth.PermModerate); err != nil {
		return err
	}
	if r.State == model.ReplyShown {
		return &StateError{Decision: "approve", State: r.State}
	}
	now := s.now().UTC()
	return s.st.InTx(ctx, func(tx store.Tx) error {
		if err := s.decide(ctx, tx, r, model.ReplyShown, "approve", actor, now); err != nil {
			return err
		}
		if err := tx.MarkChanged(ctx); err != nil { // the post's page shows it
			return err
		}
		return auth.Audit(ctx, tx, actor, p.OrgID, "reply.approve", p.ID, r.ID, now)
	})
}

// decide moves r to the state to from the state it was read in, or
// answers a StateError when another decision came first.
func (s *Service) decide(ctx context.Context, tx store.Tx, r *model.Reply, to model.ReplyState, decision string, actor auth.Actor, at time.Time) error {
	err := tx.DecideReply(ctx, r.ID, []model.ReplyState{r.State}, to, actor.UserID, actor.Name, at)
	if errors.Is(err, store.ErrNotFound) {
		now, rerr := tx.Reply(ctx, r.ID)
		if rerr != nil {
			return fmt.Errorf("%w: %q", ErrNoReply, r.ID)
		}
		return &StateError{Decision: decision, State: now.State}
	}
	if err != nil {
		return fmt.Errorf("moderation: %s: %w", decision, err)
	}
	return nil
}

// Reasons are what a moderator states for a refusal or removal.
type Reasons struct {
	Ground      model.Ground
	Explanation string
	// Law is the legal provision broken (required for illegal content), or
	// the rule of the organisation's terms (optional for incompatible
	// content).
	Law string
	// Category is a STATEMENT_CATEGORY_* value; empty: the usual one for
	// the ground.
	Category string
	// NoticeID is the notice the decision follows (Art. 16): a notice of
	// the organisation about the reply. Empty: the organisation's own
	// initiative.
	NoticeID string
}

// ParseGround returns the ground named s ("illegal" or "incompatible").
func ParseGround(s string) (model.Ground, error) {
	switch g := model.Ground(strings.ToLower(strings.TrimSpace(s))); g {
	case model.GroundIllegal, model.GroundIncompatible:
		return g, nil
	}
	return "", model.Invalid("ground", i18n.M(i18n.ErrGround, s))
}

// check validates and normalises the reasons.
func (rs *Reasons) check() error {
	if _, err := ParseGround(string(rs.Ground)); err != nil {
		return err
	}
	rs.Explanation, rs.Law, rs.Category = strings.TrimSpace(rs.Explanation), strings.TrimSpace(rs.Law), strings.TrimSpace(rs.Category)
	switch n := utf8.RuneCountInString(rs.Explanation); {
	case !utf8.ValidString(rs.Explanation) || n == 0:
		return model.Invalid("explanation", i18n.M(i18n.ErrExplanationEmpty))
	case n > MaxExplanation:
		return model.Invalid("explanation", i18n.M(i18n.ErrExplanationTooLong, n, MaxExplanation))
	}
	switch n := utf8.RuneCountInString(rs.Law); {
	case !utf8.ValidString(rs.Law):
		return model.Invalid("law", i18n.M(i18n.ErrLawEmpty))
	case n == 0 && rs.Ground == model.GroundIllegal:
		return model.Invalid("law", i18n.M(i18n.ErrLawEmpty))
	case n > MaxLaw:
		return model.Invalid("law", i18n.M(i18n.ErrLawTooLong, n, MaxLaw))
	}
	if rs.Category == "" {
		rs.Category = CategoryIllegalOrHarmfulSpeech
		if rs.Ground == model.GroundIncompatible {
			rs.Category = CategoryOtherViolationTC
		}
	}
	cat, ok := ParseCategory(rs.Category)
	if !ok {
		return model.Invalid("category", i18n.M(i18n.ErrCategory, rs.Category))
	}
	rs.Category = cat
	return nil
}

// Refuse keeps a pending reply from ever being shown, and makes, stores
// and sends its statement of reasons.
func (s *Service) Refuse(ctx context.Context, actor auth.Actor, id string, rs Reasons) (*model.Statement, error) {
	return s.restrict(ctx, actor, id, rs, "refuse", model.ReplyPending, model.ReplyRefused)
}

// Hide takes a shown reply off its post (a removal), and makes, stores
// and sends its statement of reasons.
func (s *Service) Hide(ctx context.Context, actor auth.Actor, id string, rs Reasons) (*model.Statement, error) {
	return s.restrict(ctx, actor, id, rs, "hide", model.ReplyShown, model.ReplyHidden)
}

func (s *Service) restrict(ctx context.Context, actor auth.Actor, id string, rs Reasons, decision string, from, to model.ReplyState) (*model.Statement, error) {
	r, p, err := s.replyAndPost(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.auth.Require(ctx, actor, p.OrgID, auth.PermModerate); err != nil {
		return nil, err
	}
	if err := rs.check(); err != nil {
		return nil, err
	}
	if r.State != from {
		return nil, &StateError{Decision: decision, State: r.State}
	}
	notice, err := s.noticeAbout(ctx, rs.NoticeID, p.OrgID, r.ID)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	st := newStatement(r, p, rs, to, actor, now, notice)
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := s.decide(ctx, tx, r, to, decision, actor, now); err != nil {
			return err
		}
		if err := tx.AddStatement(ctx, st); err != nil {
			return fmt.Errorf("moderation: statement: %w", err)
		}
		if err := tx.MarkChanged(ctx); err != nil {
			return err
		}
		if err := tx.EnqueueJob(ctx, StatementArgs{StatementID: st.ID}, nil); err != nil {
			return fmt.Errorf("moderation: send statement: %w", err)
		}
		if notice != nil {
			if err := s.followedNotice(ctx, tx, notice, st); err != nil {
				return err
			}
		}
		return auth.Audit(ctx, tx, actor, p.OrgID, "reply."+decision, p.ID, string(rs.Ground)+" "+r.ID, now)
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// Statement returns a statement of reasons by its id (its puid).
func (s *Service) Statement(ctx context.Context, id string) (*model.Statement, error) {
	st, err := s.st.StatementByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoStatement
	}
	return st, err
}

// ErrNoStatement means there is no statement with the id given.
var ErrNoStatement = errors.New("moderation: no such statement")

// Statements returns an organisation's statements of reasons applied in
// [from, to) (zero: unbounded), oldest first, for its moderators and
// admins.
func (s *Service) Statements(ctx context.Context, actor auth.Actor, orgID string, from, to time.Time) ([]*model.Statement, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermModerate); err != nil {
		return nil, err
	}
	return s.st.Statements(ctx, orgID, from, to)
}

// StatementArgs is the durable job that sends a statement of reasons to
// the author of the reply it is about; the federation package works it.
type StatementArgs struct {
	StatementID string `json:"statement_id"`
}

// Kind implements river.JobArgs.
func (StatementArgs) Kind() string { return "moderation_statement" }

// InsertOpts makes one job per statement.
func (StatementArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func hostOf(iri string) string {
	u, err := url.Parse(iri)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
