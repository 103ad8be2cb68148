package sqlstore

import (
	"context"
	"time"

	"plein/internal/model"
)

// AddInsightCounts implements store.Insights.
func (q Queries) AddInsightCounts(ctx context.Context, counts []model.InsightCount) error {
	for _, c := range counts {
		if _, err := q.c.Exec(ctx, `INSERT INTO insight_counts (org_id, post_id, day, metric, value) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (org_id, day, metric, post_id) DO UPDATE SET value = insight_counts.value + excluded.value`,
			c.OrgID, c.PostID, c.Day, c.Metric, c.Value); err != nil {
			return wrap("add insight counts", err)
		}
	}
	return nil
}

// AddReferrers implements store.Insights.
func (q Queries) AddReferrers(ctx context.Context, refs []model.ReferrerCount) error {
	for _, r := range refs {
		if _, err := q.c.Exec(ctx, `INSERT INTO insight_referrers (org_id, day, host, visits) VALUES (?, ?, ?, ?)
			ON CONFLICT (org_id, day, host) DO UPDATE SET visits = insight_referrers.visits + excluded.visits`,
			r.OrgID, r.Day, r.Host, r.Visits); err != nil {
			return wrap("add referrers", err)
		}
	}
	return nil
}

// VisitorSketch implements store.Insights.
func (q Queries) VisitorSketch(ctx context.Context, orgID, day string) ([]byte, error) {
	var sketch []byte
	err := q.c.QueryRow(ctx, `SELECT sketch FROM insight_visitors WHERE org_id = ? AND day = ? AND sketch IS NOT NULL`,
		orgID, day).Scan(&sketch)
	return sketch, wrap("visitor sketch", err)
}

// PutVisitors implements store.Insights.
func (q Queries) PutVisitors(ctx context.Context, v model.VisitorEstimate, sketch []byte) error {
	_, err := q.c.Exec(ctx, `INSERT INTO insight_visitors (org_id, day, estimate, sketch) VALUES (?, ?, ?, ?)
		ON CONFLICT (org_id, day) DO UPDATE SET estimate = excluded.estimate, sketch = excluded.sketch`,
		v.OrgID, v.Day, v.Estimate, sketch)
	return wrap("put visitors", err)
}

// InsightCounts implements store.Insights.
func (q Queries) InsightCounts(ctx context.Context, orgID, from, to string) ([]model.InsightCount, error) {
	rows, err := q.c.Query(ctx, `SELECT org_id, post_id, day, metric, value FROM insight_counts
		WHERE org_id = ? AND day >= ? AND day <= ? ORDER BY day, metric, post_id`, orgID, from, to)
	if err != nil {
		return nil, wrap("insight counts", err)
	}
	return collect("insight counts", rows, func(r Row) (model.InsightCount, error) {
		var c model.InsightCount
		err := r.Scan(&c.OrgID, &c.PostID, &c.Day, &c.Metric, &c.Value)
		return c, err
	})
}

// VisitorEstimates implements store.Insights.
func (q Queries) VisitorEstimates(ctx context.Context, orgID, from, to string) ([]model.VisitorEstimate, error) {
	rows, err := q.c.Query(ctx, `SELECT org_id, day, estimate FROM insight_visitors
		WHERE org_id = ? AND day >= ? AND day <= ? ORDER BY day`, orgID, from, to)
	if err != nil {
		return nil, wrap("visitor estimates", err)
	}
	return collect("visitor estimates", rows, func(r Row) (model.VisitorEstimate, error) {
		var v model.VisitorEstimate
		err := r.Scan(&v.OrgID, &v.Day, &v.Estimate)
		return v, err
	})
}

// Referrers implements store.Insights.
func (q Queries) Referrers(ctx context.Context, orgID, from, to string) ([]model.ReferrerCount, error) {
	rows, err := q.c.Query(ctx, `SELECT org_id, day, host, visits FROM insight_referrers
		WHERE org_id = ? AND day >= ? AND day <= ? ORDER BY day, host`, orgID, from, to)
	if err != nil {
		return nil, wrap("referrers", err)
	}
	return collect("referrers", rows, func(r Row) (model.ReferrerCount, error) {
		var c model.ReferrerCount
		err := r.Scan(&c.OrgID, &c.Day, &c.Host, &c.Visits)
		return c, err
	})
}

// DeleteRepliesBefore implements store.Retention.
func (q Queries) DeleteRepliesBefore(ctx context.Context, t time.Time) (int64, error) {
	// A reply whose complaint is open stays: upholding it shows it again.
	n, err := q.c.Exec(ctx, `DELETE FROM replies WHERE received_at < ?
		AND NOT EXISTS (SELECT 1 FROM moderation_complaints c WHERE c.reply_id = replies.id AND c.state = ?)`,
		dbTime(t), string(model.ComplaintOpen))
	return n, wrap("delete replies", err)
}

// FoldReactionsBefore implements store.Retention.
func (q Queries) FoldReactionsBefore(ctx context.Context, t time.Time) (int64, error) {
	if _, err := q.c.Exec(ctx, `INSERT INTO reaction_totals (post_id, kind, total)
		SELECT post_id, kind, COUNT(*) FROM reactions WHERE created_at < ? GROUP BY post_id, kind
		ON CONFLICT (post_id, kind) DO UPDATE SET total = reaction_totals.total + excluded.total`, dbTime(t)); err != nil {
		return 0, wrap("fold reactions", err)
	}
	n, err := q.c.Exec(ctx, `DELETE FROM reactions WHERE created_at < ?`, dbTime(t))
	return n, wrap("fold reactions", err)
}

// DeleteRemoteActorsBefore implements store.Retention.
func (q Queries) DeleteRemoteActorsBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM remote_actors WHERE fetched_at < ?`, dbTime(t))
	return n, wrap("delete remote actors", err)
}

// DeleteSeenBefore implements store.Retention.
func (q Queries) DeleteSeenBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM seen_activities WHERE seen_at < ?`, dbTime(t))
	return n, wrap("delete seen activities", err)
}

// DeleteAuditBefore implements store.Retention.
func (q Queries) DeleteAuditBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM audit_log WHERE at < ?`, dbTime(t))
	return n, wrap("delete audit log", err)
}

// DeleteInsightsBefore implements store.Retention.
func (q Queries) DeleteInsightsBefore(ctx context.Context, day string) (int64, error) {
	var total int64
	for _, table := range []string{"insight_counts", "insight_referrers", "insight_visitors"} {
		n, err := q.c.Exec(ctx, `DELETE FROM `+table+` WHERE day < ?`, day)
		if err != nil {
			return total, wrap("delete insights", err)
		}
		total += n
	}
	return total, nil
}

// DeleteVisitorSketchesBefore implements store.Retention.
func (q Queries) DeleteVisitorSketchesBefore(ctx context.Context, day string) (int64, error) {
	n, err := q.c.Exec(ctx, `UPDATE insight_visitors SET sketch = NULL WHERE day < ? AND sketch IS NOT NULL`, day)
	return n, wrap("delete visitor sketches", err)
}

// FoldReferrersBefore implements store.Retention.
func (q Queries) FoldReferrersBefore(ctx context.Context, day string, threshold int, other string) (int64, error) {
	if _, err := q.c.Exec(ctx, `INSERT INTO insight_referrers (org_id, day, host, visits)
		SELECT org_id, day, ?, SUM(visits) FROM insight_referrers WHERE day < ? AND host <> ? AND visits < ? GROUP BY org_id, day
		ON CONFLICT (org_id, day, host) DO UPDATE SET visits = insight_referrers.visits + excluded.visits`,
		other, day, other, threshold); err != nil {
		return 0, wrap("fold referrers", err)
	}
	n, err := q.c.Exec(ctx, `DELETE FROM insight_referrers WHERE day < ? AND host <> ? AND visits < ?`, day, other, threshold)
	return n, wrap("fold referrers", err)
}

// FailingHostsSince implements store.Retention.
func (q Queries) FailingHostsSince(ctx context.Context, t time.Time) ([]string, error) {
	rows, err := q.c.Query(ctx, `SELECT host FROM delivery_hosts WHERE first_failure < ? ORDER BY host`, dbTime(t))
	if err != nil {
		return nil, wrap("failing hosts", err)
	}
	return collect("failing hosts", rows, func(r Row) (string, error) {
		var h string
		err := r.Scan(&h)
		return h, err
	})
}

// DeleteFollowersAtHost implements store.Retention.
func (q Queries) DeleteFollowersAtHost(ctx context.Context, host string) (int64, error) {
	https, http := "https://"+host+"/", "http://"+host+"/"
	n, err := q.c.Exec(ctx, `DELETE FROM followers WHERE substr(inbox, 1, ?) = ? OR substr(inbox, 1, ?) = ?`,
		len(https), https, len(http), http)
	return n, wrap("delete followers at host", err)
}

// UnattachedMediaBefore implements store.Retention.
func (q Queries) UnattachedMediaBefore(ctx context.Context, t time.Time) ([]*model.Media, error) {
	rows, err := q.c.Query(ctx, `SELECT `+mediaColumns+` FROM media WHERE created_at < ?
		AND NOT EXISTS (SELECT 1 FROM post_attachments a WHERE a.media_id = media.id)
		AND NOT EXISTS (SELECT 1 FROM post_approval_attachments a WHERE a.media_id = media.id)
		AND NOT EXISTS (SELECT 1 FROM orgs o WHERE o.avatar_id = media.id OR o.header_id = media.id) ORDER BY id`, dbTime(t))
	if err != nil {
		return nil, wrap("unattached media", err)
	}
	return collect("unattached media", rows, scanMedia)
}
