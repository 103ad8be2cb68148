package model

import "time"

// FilterAction is what a keyword filter does with a reply that matches it.
type FilterAction string

// The actions of a keyword filter.
const (
	// FilterHold keeps the reply pending, flagged for the moderators with
	// the filter that matched.
	FilterHold FilterAction = "hold"
	// FilterRefuse refuses the reply automatically, with a statement of
	// reasons that says so.
	FilterRefuse FilterAction = "refuse"
)

// Filter is a word or phrase an organisation does not accept in replies
// as they are, matched as whole words, in any case.
type Filter struct {
	ID        string
	OrgID     string
	Phrase    string
	Action    FilterAction
	CreatedBy string // user id; empty for the operator
	CreatedAt time.Time
}

// FilterHit records that a filter matched a reply when it arrived or was
// edited. It keeps the phrase, so the flag stays when the filter goes.
type FilterHit struct {
	ReplyID   string
	FilterID  string
	Phrase    string
	Action    FilterAction
	MatchedAt time.Time
}

// BlockMode is how far a block keeps an account or server out.
type BlockMode string

// The modes of a block.
const (
	// BlockSuspend refuses every activity and ends the follows: the
	// default.
	BlockSuspend BlockMode = "suspend"
	// BlockHideReplies lets activities in but never shows replies: each
	// is refused automatically when it arrives.
	BlockHideReplies BlockMode = "hide-replies"
)

// ModerationFigures are the aggregate counts of moderation in a period,
// for the public transparency page. They hold no reply, person or text.
type ModerationFigures struct {
	RepliesReceived int
	RepliesShown    int // received in the period and shown now
	// Refusals and removals (hidden replies), each by ground, and how
	// many of them were decided by automated means.
	RefusedIllegal      int
	RefusedIncompatible int
	RefusedAutomated    int
	HiddenIllegal       int
	HiddenIncompatible  int
	HiddenAutomated     int
	NoticesForm         int // notices from the public report form
	NoticesFlag         int // notices from the Fediverse (Flag)
	NoticesObjection    int // objections answered to a statement
	// Complaints about decisions (Digital Services Act, Art. 20): those
	// received in the period, and those decided in it by outcome.
	ComplaintsReceived    int
	ComplaintsUpheld      int
	ComplaintsRejected    int
	MedianDecisionSeconds int64
	DecisionsTimed        int // replies with a decision, behind the median
}
