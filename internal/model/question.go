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
	// Source is QuestionFromForm or QuestionFromFediverse.
	Source string
	// ActorID is the id of the Fediverse actor who sent a direct message;
	// empty for the contact form.
	ActorID string
	// NoteID is the id of the direct message's Note, which an answer
	// replies to; empty for the contact form.
	NoteID string
	// Assignee is the id of the staff account the question is assigned
	// to; empty: nobody.
	Assignee string
	// Complaint: the question is a complaint, kept for the retention of
	// complaints instead of that of questions.
	Complaint bool
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

// Where a question came from.
const (
	// QuestionFromForm: the contact form.
	QuestionFromForm = "form"
	// QuestionFromFediverse: a direct message from the Fediverse, a
	// non-public Note addressed only to the organisation.
	QuestionFromFediverse = "fediverse"
)

// QuestionNote is a staff member's internal note on a question. It is
// never sent to the citizen and goes with its question.
type QuestionNote struct {
	ID         string
	QuestionID string
	Author     string // the staff member's name at the time
	Text       string
	CreatedAt  time.Time
}

// SavedAnswer is a text an organisation keeps for frequent questions, to
// start an answer from.
type SavedAnswer struct {
	ID        string
	OrgID     string
	Title     string
	Text      string
	CreatedAt time.Time
}

// InboxSettings are an organisation's choices for its inbox. A zero
// Readers or retention means the installation's default.
type InboxSettings struct {
	OrgID string
	// Readers are the roles whose members may read and answer the
	// inbox; admins always may. Nil: admins and moderators.
	Readers []Role
	// Retention is how long a question is kept after it arrived; zero:
	// the installation's retention of questions.
	Retention time.Duration
	// ComplaintRetention is how long a question marked as a complaint is
	// kept; zero: the installation's default (five years).
	ComplaintRetention time.Duration
	// Notify: the members who may read the inbox get an e-mail notice of
	// each new question (the default).
	Notify bool
	// Topics are the topics citizens choose from on the contact form, in
	// order; none: the one general topic.
	Topics []string
}
