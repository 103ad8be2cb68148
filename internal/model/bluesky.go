package model

import "time"

// The policies for an edit of a post that is on Bluesky, where posts
// cannot be edited.
const (
	// BlueskyEditReply posts the corrected text as a reply to the
	// original record (the default).
	BlueskyEditReply = "reply"
	// BlueskyEditRepublish deletes the record and posts the new text.
	BlueskyEditRepublish = "republish"
)

// BlueskyAccount is an organisation's connection to its Bluesky account
// on a PDS.
type BlueskyAccount struct {
	OrgID  string
	PDS    string // the PDS's base URL
	Handle string // the account's handle, such as gemeente.bsky.social
	DID    string // the account's DID, learnt when the connection was checked
	// Password is the app password sealed with the installation's key;
	// never the password itself.
	Password   string
	EditPolicy string // BlueskyEditReply or BlueskyEditRepublish
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// The states of a post's copy on Bluesky.
const (
	BlueskyPending   = "pending"   // to be published, or changed
	BlueskyPublished = "published" // the record exists and matches the post
	BlueskyFailing   = "failing"   // the last attempt failed; retried
	BlueskyDeleted   = "deleted"   // the post was deleted, and so its records
)

// BlueskyPost is what became of one post on Bluesky.
type BlueskyPost struct {
	PostID string
	OrgID  string
	State  string
	// URI and CID name the record of the post; empty before it exists.
	URI, CID string
	// Replies are the corrections posted as replies (at:// URI and CID
	// each), oldest first: deleted with the post.
	Replies []BlueskyRef
	// Version is the post's UpdatedAt that the records show.
	Version time.Time
	// Error is the kind of the last failure (see package crosspost), empty
	// when the last attempt succeeded.
	Error     string
	Attempts  int // failed attempts since the last success
	UpdatedAt time.Time
}

// BlueskyRef names one record on Bluesky.
type BlueskyRef struct {
	URI string
	CID string
}
