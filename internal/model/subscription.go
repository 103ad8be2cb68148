package model

import "time"

// Frequency is how often a subscriber receives mail.
type Frequency string

// The frequencies a subscriber can choose.
const (
	FrequencyNow    Frequency = "now"    // each post, as it is published
	FrequencyDaily  Frequency = "daily"  // a digest every morning
	FrequencyWeekly Frequency = "weekly" // a digest every Monday morning
)

// Frequencies lists every frequency, the default first.
var Frequencies = []Frequency{FrequencyNow, FrequencyDaily, FrequencyWeekly}

// SubscriptionState is where a subscription is in its life.
type SubscriptionState string

// The states of a subscription. An ended subscription is deleted; only a
// keyed hash of its address stays, on the suppression list.
const (
	// SubscriptionPending waits for the subscriber to confirm the address;
	// it is deleted when that does not happen in time.
	SubscriptionPending SubscriptionState = "pending"
	// SubscriptionActive receives mail.
	SubscriptionActive SubscriptionState = "active"
	// SubscriptionSuspended receives nothing because mail to the address
	// bounced; subscribing again and confirming makes it active.
	SubscriptionSuspended SubscriptionState = "suspended"
)

// Subscription is a citizen's request to receive an organisation's posts
// by e-mail: all of them, or those with one hashtag. The address is
// personal data: it is used to send what was asked for and nothing else,
// and never written to a log.
type Subscription struct {
	ID    string
	OrgID string
	// Tag is a hashtag in lower case without '#': only posts carrying it
	// are sent. Empty: every post.
	Tag   string
	Email string
	// EmailHash is a keyed hash of the address in lower case, by which a
	// subscription is found without comparing addresses, and which alone
	// stays on the suppression list after the subscription ends.
	EmailHash string
	Frequency Frequency
	Lang      string // language of the mail around the posts: "nl" or "en"
	State     SubscriptionState
	// SoftBounces counts temporary delivery failures since the address
	// was last confirmed.
	SoftBounces int
	// Consent states, for a subscriber imported from another provider,
	// the consent they gave there, and ConsentAt when; empty for those
	// who confirmed their address here.
	Consent   string
	ConsentAt time.Time
	CreatedAt time.Time
	// ConfirmedAt is when the address was confirmed (or imported); zero
	// while pending.
	ConfirmedAt time.Time
	// DigestedAt is the end of the period the last digest covered: the
	// next digest holds the posts published after it.
	DigestedAt time.Time
	// SuspendedAt is when mail to the address bounced for good; zero
	// unless suspended.
	SuspendedAt time.Time
}

// OutboxState is where one outgoing message is.
type OutboxState string

// The states of an outgoing message.
const (
	OutboxPending OutboxState = "pending" // to be sent, or sent without the relay's acceptance recorded
	OutboxSent    OutboxState = "sent"    // the relay accepted it
	OutboxFailed  OutboxState = "failed"  // the relay refused it for good
	OutboxSkipped OutboxState = "skipped" // not sent: the post is gone, the subscription ended, or a digest had nothing
)

// OutboxMessage is one message to one subscriber: the record that makes
// sending exactly-once as far as the relay allows. Its MessageID is chosen
// once, so that a message sent again because the relay's acceptance was
// lost carries the same Message-ID.
type OutboxMessage struct {
	SubscriptionID string
	// Item names what the message carries, such as "post:ID",
	// "correction:ID:3" or "digest:daily:2026-05-04"; one message per
	// subscription and item.
	Item      string
	OrgID     string
	PostID    string // the post it carries, for counting; "" for a digest
	MessageID string
	State     OutboxState
	CreatedAt time.Time
	DoneAt    time.Time // when it was sent, refused or skipped
}
