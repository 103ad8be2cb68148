package model

import "errors"

// Errors the domain packages return for the caller to act on.
var (
	// ErrForbidden means the actor's role does not allow the action.
	ErrForbidden = errors.New("not allowed for your role")
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
