package model

import "time"

// QuestionState is where a citizen's question stands in the inbox.
type QuestionState string

// The states of a question. Held questions came in over a limit (too
// many, too fast) and wait for a staff member to let them in or close them;
// no acknowledgement was sent for them.
const (
	QuestionHeld       QuestionState = "held"
	QuestionNew        QuestionState = "new"
	QuestionInProgress QuestionState = "in_progress"
	QuestionAnswered   QuestionState = "answered"
	QuestionClosed     QuestionState = "closed"
)

// QuestionStates lists every state, in the order of the inbox.
var QuestionStates = []QuestionState{QuestionNew, QuestionInProgress, QuestionAnswered, QuestionClosed, QuestionHeld}

// Question is what a citizen asked an organisation through its contact
// form. It is personal data: it is kept for the retention of questions and
// then deleted.
type Question struct {
	ID    string
	OrgID string
	// Reference is the number the citizen is given to refer to the
	// question, such as "V-7KQ2-M9XD".
	Reference string
	Topic     string
	Name      string // optional
	// ReplyTo is where the answer goes: an e-mail address, or a Fediverse
	// address (@user@server).
	ReplyTo string
	Text    string
	Lang    string // the language of the form, for the acknowledgement
	State   QuestionState
	// Sensitive lists the kinds of sensitive number the citizen was warned
	// about and sent anyway, comma-separated ("bsn,iban"); empty: none.
	Sensitive  string
	ReceivedAt time.Time
	UpdatedAt  time.Time
}

// Answer is a staff member's answer to a question, sent to its answer
// address.
type Answer struct {
	ID         string
	QuestionID string
	Author     string // the staff member's name at the time
	Text       string
	CreatedAt  time.Time
	SentAt     time.Time // zero: not sent yet
}
