package store

import (
	"context"
	"time"

	"plein/internal/model"
)

// ComplaintFilter selects complaints for Complaints.
type ComplaintFilter struct {
	OrgID string
	State model.ComplaintState // empty: every state
}

// Complaints stores authors' complaints about moderation decisions
// (Digital Services Act, Art. 20) and what follows from notices.
type Complaints interface {
	// AddComplaint stores a complaint; ErrAlreadyExists when its statement
	// already has one.
	AddComplaint(ctx context.Context, c *model.Complaint) error
	// ComplaintByID returns a complaint; ErrNotFound when there is none.
	ComplaintByID(ctx context.Context, id string) (*model.Complaint, error)
	// ComplaintOf returns the complaint about a statement of reasons;
	// ErrNotFound when there is none.
	ComplaintOf(ctx context.Context, statementID string) (*model.Complaint, error)
	// Complaints returns complaints, oldest first.
	Complaints(ctx context.Context, f ComplaintFilter) ([]*model.Complaint, error)
	// DecideComplaint gives an open complaint its outcome; ErrNotFound when
	// there is no open complaint with the id.
	DecideComplaint(ctx context.Context, id string, outcome model.ComplaintState, by, byName, explanation string, at time.Time) error
	// HandleNotice marks a notice handled; ErrNotFound when absent.
	HandleNotice(ctx context.Context, id string) error
}
