package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

const filterColumns = `id, org_id, phrase, action, created_by, created_at`

func scanFilter(r Row) (*model.Filter, error) {
	var f model.Filter
	var action string
	var created sql.NullTime
	err := r.Scan(&f.ID, &f.OrgID, &f.Phrase, &action, &f.CreatedBy, &created)
	f.Action, f.CreatedAt = model.FilterAction(action), fromNull(created)
	return &f, err
}

// AddFilter implements store.Filters.
func (q Queries) AddFilter(ctx context.Context, f *model.Filter) error {
	_, err := q.c.Exec(ctx, `INSERT INTO moderation_filters (`+filterColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		f.ID, f.OrgID, f.Phrase, string(f.Action), f.CreatedBy, dbTime(f.CreatedAt))
	return wrap("add filter", err)
}

// RemoveFilter implements store.Filters.
func (q Queries) RemoveFilter(ctx context.Context, orgID, id string) error {
	n, err := q.c.Exec(ctx, `DELETE FROM moderation_filters WHERE org_id = ? AND id = ?`, orgID, id)
	return mustAffect("remove filter", n, err)
}

// FilterByID implements store.Filters.
func (q Queries) FilterByID(ctx context.Context, id string) (*model.Filter, error) {
	f, err := scanFilter(q.c.QueryRow(ctx, `SELECT `+filterColumns+` FROM moderation_filters WHERE id = ?`, id))
	return f, wrap("filter", err)
}

// FiltersOf implements store.Filters.
func (q Queries) FiltersOf(ctx context.Context, orgID string) ([]*model.Filter, error) {
	rows, err := q.c.Query(ctx, `SELECT `+filterColumns+` FROM moderation_filters WHERE org_id = ? ORDER BY created_at, id`, orgID)
	if err != nil {
		return nil, wrap("filters", err)
	}
	return collect("filters", rows, scanFilter)
}

// PutFilterHits implements store.Filters.
func (q Queries) PutFilterHits(ctx context.Context, replyID string, hits []model.FilterHit) error {
	if _, err := q.c.Exec(ctx, `DELETE FROM moderation_filter_hits WHERE reply_id = ?`, replyID); err != nil {
		return wrap("clear filter hits", err)
	}
	for _, h := range hits {
		if _, err := q.c.Exec(ctx, `INSERT INTO moderation_filter_hits (reply_id, filter_id, phrase, action, matched_at)
			VALUES (?, ?, ?, ?, ?)`, replyID, h.FilterID, h.Phrase, string(h.Action), dbTime(h.MatchedAt)); err != nil {
			return wrap("add filter hit", err)
		}
	}
	return nil
}

// filterHitsChunk is how many reply ids one query of FilterHits names,
// well below either engine's limit on parameters.
const filterHitsChunk = 500

// FilterHits implements store.Filters.
func (q Queries) FilterHits(ctx context.Context, replyIDs []string) (map[string][]model.FilterHit, error) {
	out := map[string][]model.FilterHit{}
	for chunk := range slices.Chunk(replyIDs, filterHitsChunk) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.c.Query(ctx, `SELECT reply_id, filter_id, phrase, action, matched_at FROM moderation_filter_hits
			WHERE reply_id IN (`+placeholders(len(chunk))+`) ORDER BY reply_id, phrase`, args...)
		if err != nil {
			return nil, wrap("filter hits", err)
		}
		hits, err := collect("filter hits", rows, func(r Row) (model.FilterHit, error) {
			var h model.FilterHit
			var action string
			var at sql.NullTime
			err := r.Scan(&h.ReplyID, &h.FilterID, &h.Phrase, &action, &at)
			h.Action, h.MatchedAt = model.FilterAction(action), fromNull(at)
			return h, err
		})
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			out[h.ReplyID] = append(out[h.ReplyID], h)
		}
	}
	return out, nil
}

// SetBlockMode implements store.Filters.
func (q Queries) SetBlockMode(ctx context.Context, id string, mode model.BlockMode) error {
	n, err := q.c.Exec(ctx, `UPDATE moderation_blocks SET mode = ? WHERE id = ?`, string(mode), id)
	return mustAffect("set block mode", n, err)
}

// ModerationFigures implements store.Filters.
func (q Queries) ModerationFigures(ctx context.Context, orgID string, from, to time.Time) (model.ModerationFigures, error) {
	var f model.ModerationFigures
	// Replies received in the period, and how many of them are shown.
	where, args := `r.received_at >= ? AND r.received_at < ?`, []any{dbTime(from), dbTime(to)}
	if orgID != "" {
		where += ` AND p.org_id = ?`
		args = append(args, orgID)
	}
	err := q.c.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN r.state = 'shown' THEN 1 ELSE 0 END), 0)
		FROM replies r JOIN posts p ON p.id = r.post_id WHERE `+where, args...).Scan(&f.RepliesReceived, &f.RepliesShown)
	if err != nil {
		return f, wrap("figures of replies", err)
	}

	// Decisions that applied in the period, by decision, ground and
	// whether automated means decided.
	swhere, sargs := `application_date >= ? AND application_date < ?`, []any{dbTime(from), dbTime(to)}
	if orgID != "" {
		swhere += ` AND org_id = ?`
		sargs = append(sargs, orgID)
	}
	rows, err := q.c.Query(ctx, `SELECT decision, ground, automated_decision, COUNT(*) FROM moderation_statements
		WHERE `+swhere+` GROUP BY decision, ground, automated_decision`, sargs...)
	if err != nil {
		return f, wrap("figures of decisions", err)
	}
	type group struct {
		decision, ground, automated string
		n                           int
	}
	groups, err := collect("figures of decisions", rows, func(r Row) (group, error) {
		var g group
		err := r.Scan(&g.decision, &g.ground, &g.automated, &g.n)
		return g, err
	})
	if err != nil {
		return f, err
	}
	for _, g := range groups {
		automated := g.automated != "" && g.automated != "AUTOMATED_DECISION_NOT_AUTOMATED"
		switch model.ReplyState(g.decision) {
		case model.ReplyRefused:
			if model.Ground(g.ground) == model.GroundIllegal {
				f.RefusedIllegal += g.n
			} else {
				f.RefusedIncompatible += g.n
			}
			if automated {
				f.RefusedAutomated += g.n
			}
		case model.ReplyHidden:
			if model.Ground(g.ground) == model.GroundIllegal {
				f.HiddenIllegal += g.n
			} else {
				f.HiddenIncompatible += g.n
			}
			if automated {
				f.HiddenAutomated += g.n
			}
		}
	}

	// Notices that arrived in the period, by source.
	nwhere, nargs := `received_at >= ? AND received_at < ?`, []any{dbTime(from), dbTime(to)}
	if orgID != "" {
		nwhere += ` AND org_id = ?`
		nargs = append(nargs, orgID)
	}
	rows, err = q.c.Query(ctx, `SELECT source, COUNT(*) FROM moderation_notices WHERE `+nwhere+` GROUP BY source`, nargs...)
	if err != nil {
		return f, wrap("figures of notices", err)
	}
	type source struct {
		name string
		n    int
	}
	sources, err := collect("figures of notices", rows, func(r Row) (source, error) {
		var s source
		err := r.Scan(&s.name, &s.n)
		return s, err
	})
	if err != nil {
		return f, err
	}
	for _, s := range sources {
		switch s.name {
		case model.NoticeFromForm:
			f.NoticesForm += s.n
		case model.NoticeFromFlag:
			f.NoticesFlag += s.n
		case model.NoticeFromObjection:
			f.NoticesObjection += s.n
		}
	}

	// Complaints received in the period, and those decided in it by
	// outcome.
	cwhere, cargs := `received_at >= ? AND received_at < ?`, []any{dbTime(from), dbTime(to)}
	dwhere, dargs := `decided_at >= ? AND decided_at < ?`, []any{dbTime(from), dbTime(to)}
	if orgID != "" {
		cwhere += ` AND org_id = ?`
		cargs = append(cargs, orgID)
		dwhere += ` AND org_id = ?`
		dargs = append(dargs, orgID)
	}
	err = q.c.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM moderation_complaints WHERE `+cwhere+`),
		(SELECT COUNT(*) FROM moderation_complaints WHERE state = 'upheld' AND `+dwhere+`),
		(SELECT COUNT(*) FROM moderation_complaints WHERE state = 'rejected' AND `+dwhere+`)`,
		append(append(cargs, dargs...), dargs...)...).Scan(&f.ComplaintsReceived, &f.ComplaintsUpheld, &f.ComplaintsRejected)
	if err != nil {
		return f, wrap("figures of complaints", err)
	}

	// The median time from receipt to decision of the replies received in
	// the period that have one: the times are read in order, without any
	// other column, and the middle one taken.
	rows, err = q.c.Query(ctx, `SELECT r.received_at, r.decided_at FROM replies r JOIN posts p ON p.id = r.post_id
		WHERE `+where+` AND r.decided_at IS NOT NULL`, args...)
	if err != nil {
		return f, wrap("figures of decision times", err)
	}
	spans, err := collect("figures of decision times", rows, func(r Row) (time.Duration, error) {
		var received, decided sql.NullTime
		err := r.Scan(&received, &decided)
		return max(fromNull(decided).Sub(fromNull(received)), 0), err
	})
	if err != nil {
		return f, err
	}
	if len(spans) > 0 {
		slices.Sort(spans)
		mid := spans[len(spans)/2]
		if len(spans)%2 == 0 {
			mid = (spans[len(spans)/2-1] + mid) / 2
		}
		f.MedianDecisionSeconds, f.DecisionsTimed = int64(mid/time.Second), len(spans)
	}
	return f, nil
}

var _ store.Filters = Queries{}
