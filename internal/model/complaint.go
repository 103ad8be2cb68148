package model

import "time"

// ComplaintState is where a complaint about a moderation decision is.
type ComplaintState string

// The states of a complaint.
const (
	ComplaintOpen ComplaintState = "open"
	// ComplaintUpheld: the complaint was right, the decision is reversed
	// and the reply shown again.
	ComplaintUpheld ComplaintState = "upheld"
	// ComplaintRejected: the decision stands.
	ComplaintRejected ComplaintState = "rejected"
)

// ComplaintStates are the states of a complaint, in the order screens
// list them.
var ComplaintStates = []ComplaintState{ComplaintOpen, ComplaintUpheld, ComplaintRejected}

// The ways a complaint arrives.
const (
	ComplaintFromFediverse = "fediverse" // an answer to the statement's Note
	ComplaintFromForm      = "form"      // the form linked from the statement
)

// Complaint is the author's complaint about a refusal or removal of their
// reply (Digital Services Act, Art. 20): at most one per statement of
// reasons, decided by a staff member other than the one who took the
// decision.
type Complaint struct {
	ID          string
	OrgID       string
	StatementID string
	ReplyID     string
	Source      string // ComplaintFromFediverse or ComplaintFromForm
	// Author is the actor id of the reply's author, to whom the outcome is
	// sent.
	Author     string
	Content    string // the complaint, as plain text
	Lang       string // of the form, or of the post for an answer
	State      ComplaintState
	ReceivedAt time.Time
	// The outcome: who decided it, when, and why.
	DecidedAt     time.Time
	DecidedBy     string // user id
	DecidedByName string
	Explanation   string
}
