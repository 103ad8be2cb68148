package sqlstore

import (
	"context"
	"strings"
)

// PutInboxTopics implements store.InboxTopics.
func (q Queries) PutInboxTopics(ctx context.Context, orgID string, topics []string) error {
	_, err := q.c.Exec(ctx, `INSERT INTO inbox_settings (org_id, topics) VALUES (?, ?)
		ON CONFLICT (org_id) DO UPDATE SET topics = excluded.topics`, orgID, strings.Join(topics, "\n"))
	return wrap("put inbox topics", err)
}

// splitTopics returns the topics stored one a line in s.
func splitTopics(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
