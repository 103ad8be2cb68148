package sqlstore

import (
	"context"

	"plein/internal/model"
	"plein/internal/store"
)

// SubscriptionGroups implements store.SubscriptionGroups.
func (q Queries) SubscriptionGroups(ctx context.Context, orgID string) ([]store.SubscriptionGroup, error) {
	rows, err := q.c.Query(ctx, `SELECT state, frequency, tag, COUNT(*) FROM subscriptions WHERE org_id = ?
		GROUP BY state, frequency, tag ORDER BY state, frequency, tag`, orgID)
	if err != nil {
		return nil, wrap("subscription groups", err)
	}
	defer rows.Close()
	var out []store.SubscriptionGroup
	for rows.Next() {
		var g store.SubscriptionGroup
		var state, freq string
		if err := rows.Scan(&state, &freq, &g.Tag, &g.Count); err != nil {
			return nil, wrap("subscription groups", err)
		}
		g.State, g.Frequency = model.SubscriptionState(state), model.Frequency(freq)
		out = append(out, g)
	}
	return out, wrap("subscription groups", rows.Err())
}
