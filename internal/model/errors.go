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
)

// FieldError is a problem with one input field; its message is safe to show
// to the person who typed the value, next to that field.
type FieldError struct {
	Field   string // e.g. "text", "handle", "image"
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Invalid returns a FieldError for field.
func Invalid(field, message string) error { return &FieldError{Field: field, Message: message} }

// AsFieldError returns the FieldError in err's chain, if any.
func AsFieldError(err error) (*FieldError, bool) {
	var fe *FieldError
	ok := errors.As(err, &fe)
	return fe, ok
}
