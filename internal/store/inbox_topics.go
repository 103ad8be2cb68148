package store

import "context"

// InboxTopics stores the topics an organisation offers on its contact
// form; InboxSettings returns them as its Topics.
type InboxTopics interface {
	// PutInboxTopics replaces the organisation's topics, in order; none:
	// the one general topic. Its other inbox settings stay as they are.
	PutInboxTopics(ctx context.Context, orgID string, topics []string) error
}
