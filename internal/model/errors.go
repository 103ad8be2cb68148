package model

import "errors"

// Errors the domain packages return for the caller to act on.
var (
	// ErrForbidden means the actor's role does not allow the action.
	ErrForbidden = errors.New("not allowed for your role")
	// ErrUnavailable means the database could not be reached or did not
	// answer in time: the operation did not take place, and the same
	// request may succeed in a moment. The storage engines wrap their
	// connection failures with it (store.ErrUnavailable is this error), so
	// that callers above the domain recognise an outage without knowing
	// the store.
	ErrUnavailable = errors.New("database unavailable")
	// ErrDatabaseMissing means the database server answers but does not
	// have the database the configuration names (store.ErrDatabaseMissing).
	ErrDatabaseMissing = errors.New("the database does not exist on the server")
	// ErrDatabaseLogin means the database server refused the configured
	// user or password (store.ErrDatabaseLogin).
	ErrDatabaseLogin = errors.New("the database server refused the log-in")
	// ErrDatabaseInUse means another process already works the jobs of an
	// embedded database: only one plein serve may use a data folder
	// (store.ErrDatabaseInUse).
	ErrDatabaseInUse = errors.New("another process serves this database")
)

// Text is a message that can be told in each interface language: the
// domain packages pass an i18n.Message, whose catalogue holds the Dutch and
// English text.
type Text interface {
	In(lang string) string
}

// FieldError is a problem with one input field; its message is safe to show
// to the person who typed the value, next to that field, in their language.
type FieldError struct {
	Field   string // e.g. "text", "handle", "image"
	Message Text
}

// Error returns the field and the message in English, for logs and the
// command line.
func (e *FieldError) Error() string { return e.Field + ": " + e.In("en") }

// In returns the message in lang.
func (e *FieldError) In(lang string) string {
	if e.Message == nil {
		return ""
	}
	return e.Message.In(lang)
}

// Invalid returns a FieldError for field with message.
func Invalid(field string, message Text) error { return &FieldError{Field: field, Message: message} }

// AsFieldError returns the FieldError in err's chain, if any.
func AsFieldError(err error) (*FieldError, bool) {
	var fe *FieldError
	ok := errors.As(err, &fe)
	return fe, ok
}
