package store

import (
	"context"

	"plein/internal/model"
)

// SubscriptionGroup is how many of an organisation's subscriptions share
// a state, a frequency and a topic: a number, never who.
type SubscriptionGroup struct {
	State     model.SubscriptionState
	Frequency model.Frequency
	Tag       string // empty: every post
	Count     int
}

// SubscriptionGroups counts an organisation's subscriptions for the
// staff's subscribers screen.
type SubscriptionGroups interface {
	// SubscriptionGroups returns the organisation's subscriptions counted
	// by state, frequency and tag, ordered by those three.
	SubscriptionGroups(ctx context.Context, orgID string) ([]SubscriptionGroup, error)
}
