package model

import "time"

// Ground is why moderation refused or removed a reply: the law, or the
// organisation's own rules for replies (the EU Digital Services Act's
// illegal and incompatible content).
type Ground string

// The grounds of a decision.
const (
	GroundIllegal      Ground = "illegal"      // illegal content: a law is named
	GroundIncompatible Ground = "incompatible" // incompatible with the organisation's terms
)

// Statement is a statement of reasons (Digital Services Act, Art. 17) for
// one refusal or removal of a reply. Its fields are those of the EU
// Transparency Database; its ID is the statement's unique "puid". It
// names no person: the author is reached through the reply, while it is
// kept.
type Statement struct {
	ID      string // also the puid
	OrgID   string
	ReplyID string // the reply decided on (it may be gone since)
	PostID  string // the post the reply answered
	// Decision is the reply's state the decision gave it: ReplyRefused or
	// ReplyHidden.
	Decision ReplyState
	// Visibility is the Database's decision_visibility value.
	Visibility string
	Ground     Ground
	// Law is the legal ground of illegal content (its
	// illegal_content_legal_ground), or the rule of the organisation's
	// terms for incompatible content (incompatible_content_ground).
	Law         string
	Explanation string
	Category    string   // a STATEMENT_CATEGORY_* value
	ContentType []string // CONTENT_TYPE_* values
	// ContentDate is when the reply was written (or received);
	// ApplicationDate when the decision took effect.
	ContentDate     time.Time
	ApplicationDate time.Time
	Facts           string // decision_facts, at most 5000 characters
	SourceType      string // a SOURCE_* value
	// AutomatedDetection tells that the reply was found by automated
	// means; AutomatedDecision is an AUTOMATED_DECISION_* value.
	AutomatedDetection bool
	AutomatedDecision  string
	Language           string // of the post, in which the author is told
	DecidedBy          string // user id; empty for the operator
	DecidedByName      string
	CreatedAt          time.Time
	// NoticeID is the notice the decision followed (Art. 16 and 17), or
	// empty for a decision on the organisation's own initiative.
	NoticeID string
}

// ReplyDisplay says whether an organisation shows citizens' replies under
// its posts.
type ReplyDisplay string

// The ways replies are shown.
const (
	RepliesAfterApproval ReplyDisplay = "approved" // the default: replies moderation approved
	RepliesNever         ReplyDisplay = "never"    // none; moderation and answers go on
)

// BlockKind is what a block is about.
type BlockKind string

// The kinds of blocks.
const (
	BlockAccount BlockKind = "account" // one actor, by its id
	BlockServer  BlockKind = "server"  // every actor of a host
)

// Block keeps an account or a server out: its activities are refused and
// its follows dropped. OrgID empty is a block for the whole installation,
// which only instance administrators set.
type Block struct {
	ID     string
	OrgID  string
	Kind   BlockKind
	Target string // actor id, or host name in lower case
	Reason string
	// Mode is BlockSuspend, or BlockHideReplies to only never show
	// replies.
	Mode      BlockMode
	CreatedBy string // user id; empty for the operator
	CreatedAt time.Time
}

// NoticeState is where a notice is in handling.
type NoticeState string

// The states of a notice.
const (
	NoticeOpen    NoticeState = "open"
	NoticeHandled NoticeState = "handled"
)

// The sources of a notice.
const (
	NoticeFromFlag      = "flag"      // a Fediverse Flag activity
	NoticeFromObjection = "objection" // an author's answer to a statement of reasons
	NoticeFromForm      = "form"      // the public report form
)

// Notice is a report that content may be illegal or against the rules
// (Digital Services Act, Art. 16), from the Fediverse (a Flag activity)
// or the public report form; or an author's objection to a statement of
// reasons (Art. 20), answered to the statement's Note.
type Notice struct {
	ID       string
	OrgID    string // the organisation whose content it is about; empty: the installation
	Source   string // NoticeFromFlag, NoticeFromObjection or NoticeFromForm
	Reporter string // the reporting actor's id, for a Flag
	// Objects are the ids of what is reported: replies, posts or actors.
	Objects    []string
	Content    string // the reporter's explanation, as plain text
	State      NoticeState
	ReceivedAt time.Time
	// Ground is what the reporter of a form says the content breaks: a
	// law (GroundIllegal, named in Law) or the organisation's rules.
	Ground Ground
	Law    string
	// Name and Email are the form's reporter, as typed; both optional.
	Name  string
	Email string
	Lang  string // of the form, in which the reporter is mailed
	// Reference is what the form's receipt gives the reporter.
	Reference string
}
