package subscription

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/store"
)

// States lists the states of a subscription in the order the staff's
// subscribers screen shows them.
var States = []model.SubscriptionState{model.SubscriptionActive, model.SubscriptionPending, model.SubscriptionSuspended}

// TopicCount is how many active subscriptions follow one topic.
type TopicCount struct {
	Tag   string // empty: every post
	Count int
}

// Breakdown counts an organisation's subscriptions: numbers only, never
// who.
type Breakdown struct {
	Total int
	// States counts the subscriptions in each state.
	States map[model.SubscriptionState]int
	// Frequencies counts the active subscriptions by how often they get
	// mail.
	Frequencies map[model.Frequency]int
	// Topics counts the active subscriptions by topic, the most followed
	// first; every post (an empty tag) comes first of all.
	Topics []TopicCount
}

// Breakdown returns the counts of an organisation's subscriptions, for
// staff who read insights.
func (s *Service) Breakdown(ctx context.Context, actor auth.Actor, orgID string) (*Breakdown, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermInsights); err != nil {
		return nil, err
	}
	groups, err := s.st.SubscriptionGroups(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("subscription: breakdown: %w", err)
	}
	b := &Breakdown{States: map[model.SubscriptionState]int{}, Frequencies: map[model.Frequency]int{}}
	topics := map[string]int{}
	for _, g := range groups {
		b.Total += g.Count
		b.States[g.State] += g.Count
		if g.State != model.SubscriptionActive {
			continue
		}
		b.Frequencies[g.Frequency] += g.Count
		topics[g.Tag] += g.Count
	}
	for tag, n := range topics {
		b.Topics = append(b.Topics, TopicCount{Tag: tag, Count: n})
	}
	slices.SortFunc(b.Topics, func(x, y TopicCount) int {
		if (x.Tag == "") != (y.Tag == "") {
			if x.Tag == "" {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(y.Count, x.Count); c != 0 {
			return c
		}
		return cmp.Compare(x.Tag, y.Tag)
	})
	return b, nil
}

// Page returns up to limit of an organisation's subscriptions whose id
// sorts after after (empty: from the first), for its administrators, and
// whether more follow.
func (s *Service) Page(ctx context.Context, actor auth.Actor, orgID, after string, limit int) ([]*model.Subscription, bool, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
		return nil, false, err
	}
	subs, err := s.st.ListSubscriptions(ctx, store.SubscriptionFilter{OrgID: orgID, AfterID: after, Limit: limit + 1})
	if err != nil {
		return nil, false, fmt.Errorf("subscription: page: %w", err)
	}
	if len(subs) > limit {
		return subs[:limit], true, nil
	}
	return subs, false, nil
}

// Find returns an organisation's subscription of an address, for its
// administrators: ErrInvalidAddress when it is not an address, ErrEnded
// when it has none.
func (s *Service) Find(ctx context.Context, actor auth.Actor, orgID, address string) (*model.Subscription, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
		return nil, err
	}
	addr, err := ParseAddress(address)
	if err != nil {
		return nil, err
	}
	hash, err := s.AddressHash(ctx, addr)
	if err != nil {
		return nil, fmt.Errorf("subscription: find: %w", err)
	}
	sub, err := s.st.SubscriptionByEmail(ctx, orgID, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrEnded
	}
	if err != nil {
		return nil, fmt.Errorf("subscription: find: %w", err)
	}
	return sub, nil
}

// EndByStaff ends a subscription of the organisation on its subscriber's
// behalf, such as for a citizen who asked by telephone, for its
// administrators: as when the subscriber unsubscribes, the subscription
// and its address are erased and only the keyed hash stays on the
// suppression list. The audit log records it without the address.
// ErrEnded when the organisation has no such subscription.
func (s *Service) EndByStaff(ctx context.Context, actor auth.Actor, orgID, id string) error {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
		return err
	}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		sub, err := tx.SubscriptionByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) || err == nil && sub.OrgID != orgID {
			return ErrEnded
		}
		if err != nil {
			return err
		}
		if err := s.end(ctx, tx, sub, ReasonUnsubscribed); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, orgID, "subscribers.end", sub.ID, sub.Tag, s.now().UTC())
	})
	if errors.Is(err, ErrEnded) {
		return err
	}
	if err != nil {
		return fmt.Errorf("subscription: end by staff: %w", err)
	}
	return nil
}
