package sqlstore

import (
	"context"

	"plein/internal/model"
)

// ImagesWithoutAlt implements store.Accessibility.
func (q Queries) ImagesWithoutAlt(ctx context.Context) (map[string]int, error) {
	rows, err := q.c.Query(ctx, `SELECT p.org_id, COUNT(*) FROM post_attachments a JOIN posts p ON p.id = a.post_id
		WHERE p.state = ? AND TRIM(a.alt) = '' GROUP BY p.org_id`, string(model.StatePublished))
	if err != nil {
		return nil, wrap("images without alt", err)
	}
	defer rows.Close()
	out := make(map[string]int)
	for rows.Next() {
		var orgID string
		var n int
		if err := rows.Scan(&orgID, &n); err != nil {
			return nil, wrap("images without alt", err)
		}
		out[orgID] = n
	}
	return out, wrap("images without alt", rows.Err())
}
