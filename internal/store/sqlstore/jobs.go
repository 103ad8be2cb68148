package sqlstore

import "context"

// JobCounts implements store.JobQueue.
func (q Queries) JobCounts(ctx context.Context) (map[string]int64, error) {
	rows, err := q.c.Query(ctx, `SELECT CAST(state AS TEXT), COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return nil, wrap("job counts", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			return nil, wrap("job counts", err)
		}
		out[state] = n
	}
	return out, wrap("job counts", rows.Err())
}
