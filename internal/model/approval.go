package model

import "time"

// RoleApprover is the final editor ("eindredactie"): writes posts as an
// editor does and approves or returns the posts of others where the
// organisation requires approval.
const RoleApprover Role = "approver"

// The states of a post in an organisation that requires approval before
// publication. Neither is public.
const (
	// StateAwaiting is a post submitted for publication that awaits an
	// approver; its PublishAt is the time asked for (zero: at approval).
	StateAwaiting PostState = "awaiting"
	// StateReturned is a post an approver sent back to its author with a
	// note; the author edits it and submits it again.
	StateReturned PostState = "returned"
)

// ApprovalPolicy is an organisation's rule for four-eyes publishing.
type ApprovalPolicy struct {
	OrgID string
	// Required: posts and edits of published posts are published only once
	// someone other than their author approved them.
	Required bool
	// CorrectionDistance is the most characters (insertions, deletions,
	// substitutions) by which an edit of a published post may differ from
	// it and still be published without approval, as a correction of
	// typing errors; the edit must also keep every link, hashtag, mention,
	// number, image, the content warning and the language. 0: every edit
	// needs approval.
	CorrectionDistance int
}

// ApprovalKind is what awaits approval.
type ApprovalKind string

// The kinds of approval.
const (
	ApprovalPost ApprovalKind = "post" // a new post, not yet public
	ApprovalEdit ApprovalKind = "edit" // an edit of a published post
)

// Approval is a post, or an edit of a published post, that awaits an
// approver or was returned to its author.
type Approval struct {
	PostID string
	OrgID  string
	Kind   ApprovalKind
	// AuthorID and Author are the account (empty: the operator) that last
	// submitted it, and that account's name then.
	AuthorID string
	Author   string
	// Authors are the ids of every account that wrote a version of the
	// post (of an edit of a published post: of the edit); none of them
	// may approve it.
	Authors     []string
	SubmittedAt time.Time
	// Returned: an approver sent it back with Note.
	Returned       bool
	Note           string
	ReturnedBy     string // account id
	ReturnedByName string
	ReturnedAt     time.Time
	// The edit, for ApprovalEdit only.
	Text        string
	Summary     string
	Language    string
	Attachments []Attachment
}

// WrittenBy reports whether the account userID wrote what awaits approval.
func (a *Approval) WrittenBy(userID string) bool {
	if userID == "" {
		return false
	}
	for _, id := range a.Authors {
		if id == userID {
			return true
		}
	}
	return false
}
