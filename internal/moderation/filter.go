package moderation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/store"
)

// Limits on keyword filters.
const (
	// MaxFilterPhrase is the most characters of a filter's phrase.
	MaxFilterPhrase = 100
	// MaxFilterWords is the most words of a filter's phrase.
	MaxFilterWords = 10
	// MaxFilters is the most filters an organisation has.
	MaxFilters = 500
)

// AutomatedDecider is the DecidedBy of a reply that automated means
// decided on: a keyword filter, or a block that hides a server's replies.
const AutomatedDecider = "automated"

// ErrNoFilter means the organisation has no filter with the id given.
var ErrNoFilter = errors.New("moderation: no such filter")

// ParseFilterAction returns the filter action named s ("hold" or
// "refuse").
func ParseFilterAction(s string) (model.FilterAction, error) {
	switch a := model.FilterAction(strings.ToLower(strings.TrimSpace(s))); a {
	case model.FilterHold, model.FilterRefuse:
		return a, nil
	}
	return "", model.Invalid("action", i18n.M(i18n.ErrFilterAction, s))
}

// words splits s into its words: runs of letters, digits and combining
// marks in any script, folded to lower case. Everything else (spaces,
// punctuation, symbols) separates words.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// MatchFilters returns the filters whose phrase occurs in text as whole
// words, in any case, in the order given.
func MatchFilters(filters []*model.Filter, text string) []*model.Filter {
	tw := words(text)
	at := make(map[string][]int, len(tw)) // where each word of the text is
	for i, w := range tw {
		at[w] = append(at[w], i)
	}
	var out []*model.Filter
	for _, f := range filters {
		pw := words(f.Phrase)
		if len(pw) == 0 {
			continue
		}
		for _, i := range at[pw[0]] {
			if phraseAt(tw, i, pw) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// phraseAt reports whether the words of phrase are the words of text from
// position i on.
func phraseAt(text []string, i int, phrase []string) bool {
	if i+len(phrase) > len(text) {
		return false
	}
	for j, w := range phrase {
		if !strings.EqualFold(text[i+j], w) {
			return false
		}
	}
	return true
}

// checkPhrase validates and normalises a filter's phrase: one to
// MaxFilterWords words, at most MaxFilterPhrase characters, on one line.
func checkPhrase(phrase string) (string, error) {
	phrase = strings.Join(strings.Fields(phrase), " ")
	n := utf8.RuneCountInString(phrase)
	switch {
	case !utf8.ValidString(phrase) || len(words(phrase)) == 0:
		return "", model.Invalid("phrase", i18n.M(i18n.ErrFilterPhraseEmpty))
	case n > MaxFilterPhrase:
		return "", model.Invalid("phrase", i18n.M(i18n.ErrFilterPhraseLong, n, MaxFilterPhrase))
	case len(words(phrase)) > MaxFilterWords:
		return "", model.Invalid("phrase", i18n.M(i18n.ErrFilterPhraseWords, MaxFilterWords))
	}
	return phrase, nil
}

// AddFilter adds a keyword filter to the organisation orgID, by its
// admins: replies that arrive or are edited from then on and contain the
// phrase are held for review or refused automatically.
func (s *Service) AddFilter(ctx context.Context, actor auth.Actor, orgID, phrase string, action model.FilterAction) (*model.Filter, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
		return nil, err
	}
	phrase, err := checkPhrase(phrase)
	if err != nil {
		return nil, err
	}
	if action, err = ParseFilterAction(string(action)); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	f := &model.Filter{ID: model.NewID(now), OrgID: orgID, Phrase: phrase, Action: action, CreatedBy: actor.UserID, CreatedAt: now}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		existing, err := tx.FiltersOf(ctx, orgID)
		if err != nil {
			return err
		}
		if len(existing) >= MaxFilters {
			return model.Invalid("phrase", i18n.M(i18n.ErrFilterTooMany, MaxFilters))
		}
		for _, e := range existing {
			if strings.EqualFold(strings.Join(words(e.Phrase), " "), strings.Join(words(phrase), " ")) {
				return model.Invalid("phrase", i18n.M(i18n.ErrFilterExists, e.Phrase))
			}
		}
		if err := tx.AddFilter(ctx, f); err != nil {
			if errors.Is(err, store.ErrAlreadyExists) {
				return model.Invalid("phrase", i18n.M(i18n.ErrFilterExists, phrase))
			}
			return err
		}
		return auth.Audit(ctx, tx, actor, orgID, "filter.add", phrase, string(action), now)
	})
	if err != nil {
		if _, ok := model.AsFieldError(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("moderation: add filter: %w", err)
	}
	return f, nil
}

// RemoveFilter removes the keyword filter with the id, by the admins of
// its organisation, and returns it. The flags it set on replies stay.
func (s *Service) RemoveFilter(ctx context.Context, actor auth.Actor, id string) (*model.Filter, error) {
	f, err := s.st.FilterByID(ctx, strings.TrimSpace(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %q", ErrNoFilter, id)
	}
	if err != nil {
		return nil, fmt.Errorf("moderation: remove filter: %w", err)
	}
	if err := s.auth.Require(ctx, actor, f.OrgID, auth.PermManage); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.RemoveFilter(ctx, f.OrgID, f.ID); err != nil {
			return fmt.Errorf("moderation: remove filter: %w", err)
		}
		return auth.Audit(ctx, tx, actor, f.OrgID, "filter.remove", f.Phrase, string(f.Action), now)
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %q", ErrNoFilter, id)
	}
	return f, err
}

// Filters returns the keyword filters of the organisation orgID, oldest
// first, for its moderators and admins.
func (s *Service) Filters(ctx context.Context, actor auth.Actor, orgID string) ([]*model.Filter, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermModerate); err != nil {
		return nil, err
	}
	fs, err := s.st.FiltersOf(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("moderation: filters: %w", err)
	}
	return fs, nil
}

// ScreenReply applies the organisation's rules to the reply replyID to the
// post p, as it arrived or was edited, inside the transaction that stored
// it. A pending reply whose author's server (or the author) is blocked to
// hide replies, or that matches a refuse filter, is refused automatically
// with a statement of reasons sent to its author; one that matches only
// hold filters stays pending, flagged with them. Replies in other states
// are left as they are.
func (s *Service) ScreenReply(ctx context.Context, tx store.Tx, replyID string, p *model.Post) error {
	r, err := tx.Reply(ctx, replyID)
	if err != nil {
		return fmt.Errorf("moderation: screen reply: %w", err)
	}
	if r.State != model.ReplyPending {
		return nil
	}
	now := s.now().UTC()
	hidden, err := hidesReplies(ctx, tx, p.OrgID, r.ActorID)
	if err != nil {
		return err
	}
	if hidden {
		lang := i18n.Pick(p.Language, "")
		return s.refuseAutomatically(ctx, tx, r, p, now, ruleHiddenServer, i18n.T(lang, string(i18n.StatementHiddenServer)),
			"A reply from the Fediverse to a public post of the organisation came from a server whose replies the organisation "+
				"does not show, by a block its staff decided on earlier. The reply was refused by automated means when it arrived, "+
				"without review by a staff member, and no notice preceded it.")
	}
	filters, err := tx.FiltersOf(ctx, p.OrgID)
	if err != nil {
		return fmt.Errorf("moderation: screen reply: %w", err)
	}
	matched := MatchFilters(filters, markup.HTMLText(r.Summary)+"\n"+markup.HTMLText(r.ContentHTML))
	hits := make([]model.FilterHit, 0, len(matched))
	var refuse *model.Filter
	for _, f := range matched {
		hits = append(hits, model.FilterHit{ReplyID: r.ID, FilterID: f.ID, Phrase: f.Phrase, Action: f.Action, MatchedAt: now})
		if f.Action == model.FilterRefuse && refuse == nil {
			refuse = f
		}
	}
	if err := tx.PutFilterHits(ctx, r.ID, hits); err != nil {
		return fmt.Errorf("moderation: screen reply: %w", err)
	}
	if refuse == nil {
		return nil
	}
	lang := i18n.Pick(p.Language, "")
	// The statement does not name the phrase: it goes to the Transparency
	// Database, and a phrase may be a name. The author's message does.
	return s.refuseAutomatically(ctx, tx, r, p, now, ruleFilter, i18n.T(lang, string(i18n.StatementFiltered)),
		"A reply from the Fediverse to a public post of the organisation contained a word or phrase that the organisation's "+
			"keyword filter refuses. The reply was detected and refused by automated means when it arrived, without review by "+
			"a staff member, and no notice preceded it.")
}

// The rules of the organisation that automated refusals apply: the
// incompatible_content_ground of their statements.
const (
	ruleFilter       = "The organisation's rules for replies: words and phrases it does not accept"
	ruleHiddenServer = "The organisation's rules for replies: servers whose replies it does not show"
)

// refuseAutomatically refuses the pending reply r to p in tx, with a
// statement of reasons marked as detected and decided by automated means,
// and enqueues its sending to the author.
func (s *Service) refuseAutomatically(ctx context.Context, tx store.Tx, r *model.Reply, p *model.Post, now time.Time, rule, explanation, facts string) error {
	if err := tx.DecideReply(ctx, r.ID, []model.ReplyState{model.ReplyPending}, model.ReplyRefused, AutomatedDecider, "", now); err != nil {
		return fmt.Errorf("moderation: refuse automatically: %w", err)
	}
	st := newAutomatedStatement(r, p, rule, explanation, facts, now)
	if err := tx.AddStatement(ctx, st); err != nil {
		return fmt.Errorf("moderation: statement: %w", err)
	}
	if err := tx.EnqueueJob(ctx, StatementArgs{StatementID: st.ID}, nil); err != nil {
		return fmt.Errorf("moderation: send statement: %w", err)
	}
	return nil
}

// newAutomatedStatement makes the statement of reasons of an automated
// refusal of r, a reply to p: detected and decided by automated means, on
// the organisation's own initiative, on the ground that the reply is
// incompatible with its rules.
func newAutomatedStatement(r *model.Reply, p *model.Post, rule, explanation, facts string, now time.Time) *model.Statement {
	st := &model.Statement{ID: model.NewID(now), OrgID: p.OrgID, ReplyID: r.ID, PostID: p.ID, Decision: model.ReplyRefused,
		Visibility: VisibilityRemoved, Ground: model.GroundIncompatible, Law: rule, Explanation: cutRunes(explanation, MaxExplanation),
		Category: CategoryOtherViolationTC, ContentType: []string{ContentTypeText}, ContentDate: r.Published, ApplicationDate: now,
		Facts: facts, SourceType: SourceVoluntary, AutomatedDetection: true, AutomatedDecision: AutomatedFully,
		Language: p.Language, DecidedBy: AutomatedDecider, CreatedAt: now}
	if st.ContentDate.IsZero() || st.ContentDate.After(r.ReceivedAt) {
		st.ContentDate = r.ReceivedAt
	}
	return st
}

// hidesReplies reports whether a block of the organisation orgID or of
// the installation hides the replies of the actor actorID or its server.
func hidesReplies(ctx context.Context, q store.Queries, orgID, actorID string) (bool, error) {
	bs, err := q.BlocksOf(ctx, actorID, hostOf(actorID))
	if err != nil {
		return false, fmt.Errorf("moderation: blocks: %w", err)
	}
	for _, b := range bs {
		if (b.OrgID == "" || b.OrgID == orgID) && b.Mode == model.BlockHideReplies {
			return true, nil
		}
	}
	return false, nil
}

// Automated reports whether a statement's decision was taken by automated
// means.
func Automated(st *model.Statement) bool {
	return st.AutomatedDecision != "" && st.AutomatedDecision != AutomatedNotAutomated
}

// addFilterHits sets the Filters of each item.
func (s *Service) addFilterHits(ctx context.Context, items []Item) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.Reply.ID
	}
	hits, err := s.st.FilterHits(ctx, ids)
	if err != nil {
		return fmt.Errorf("moderation: filter hits: %w", err)
	}
	for i := range items {
		items[i].Filters = hits[items[i].Reply.ID]
	}
	return nil
}
