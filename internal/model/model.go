// Package model holds Plein's plain data types. It imports nothing from the
// rest of Plein; behaviour lives in the domain packages.
package model

import (
	"fmt"
	"time"
)

// Role is what a staff member may do within one organisation.
type Role string

// The roles a member of an organisation can have.
const (
	RoleAdmin     Role = "admin"     // manages the profile and members, and everything an editor does
	RoleEditor    Role = "editor"    // writes, schedules, publishes, edits and deletes posts
	RoleModerator Role = "moderator" // moderates replies and answers citizens
	RoleAnalyst   Role = "analyst"   // reads insights
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleApprover, RoleEditor, RoleModerator, RoleAnalyst}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (one of: admin, approver, editor, moderator, analyst)", s)
}

// Link is a website link shown on an organisation's profile.
type Link struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

// Org is an organisation: a ministry, agency, municipality or one of its
// services. Its ID is permanent; its Handle can change.
type Org struct {
	ID          string
	Handle      string
	DisplayName string
	Description string
	AvatarID    string // media id of the avatar, empty when none
	// HeaderID is the media id of the header image, the banner across the
	// top of its page, empty when none; HeaderAlt is its alt text, never
	// empty when HeaderID is set.
	HeaderID  string
	HeaderAlt string
	Links     []Link
	Language  string // default language of its page and posts (BCP 47)
	TimeZone  string // IANA name, e.g. Europe/Amsterdam
	// AlsoKnownAs lists the organisation's earlier Fediverse accounts (actor
	// ids), so that an account elsewhere can move its followers here.
	AlsoKnownAs []string
	// MovedTo is the Fediverse account (actor id) the organisation moved
	// to, since MovedAt; empty while it publishes here.
	MovedTo   string
	MovedAt   time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Moved reports whether the organisation moved to another account, so
// that it publishes no more here.
func (o *Org) Moved() bool { return o.MovedTo != "" }

// MoveIn is a Move naming an organisation as the new account of one of its
// earlier accounts, as it arrived in the organisation's inbox.
type MoveIn struct {
	ActivityID string
	OrgID      string
	From       string // the earlier account's actor id
	ReceivedAt time.Time
}

// Location returns the organisation's time zone, or UTC when its name is
// not known to this system.
func (o *Org) Location() *time.Location {
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// User is a staff account. Citizens never have an account.
type User struct {
	ID           string
	Email        string
	Name         string
	PasswordHash string
	IsAdmin      bool // instance administrator: creates organisations and staff accounts
	// MustChangePassword means an administrator chose the password (a new
	// account, a reset): its owner must choose their own at the next
	// log-in before doing anything else.
	MustChangePassword bool
	CreatedAt          time.Time
}

// Membership is a user's role in one organisation.
type Membership struct {
	OrgID  string
	UserID string
	Role   Role
}

// PostState is where a post is in its life.
type PostState string

// The states of a post. A later capability adds an approval state between
// draft and scheduled/published; code switching on state must handle unknown
// states by treating them as not public.
const (
	StateDraft     PostState = "draft"
	StateScheduled PostState = "scheduled"
	StatePublished PostState = "published"
	StateDeleted   PostState = "deleted"
)

// Post is a message of an organisation. The current text is that of its
// newest revision.
type Post struct {
	ID          string
	OrgID       string
	State       PostState
	Text        string // Markdown source
	Summary     string // content warning; empty when none
	Language    string
	Pinned      bool
	PublishAt   time.Time // when scheduled or published; zero for drafts
	CreatedAt   time.Time
	UpdatedAt   time.Time // last change of text, summary, language or attachments
	DeletedAt   time.Time // zero unless deleted
	Revisions   int       // number of revisions kept
	Attachments []Attachment
	// InReplyTo is the id of the citizen's reply this post answers, and
	// Mention the id of its author; both empty for an ordinary post.
	InReplyTo string
	Mention   string
	// MentionUsername and MentionURL name the author in the answer's text:
	// its preferred username and the address of its profile (its url, else
	// its id); empty when its actor document was not known.
	MentionUsername string
	MentionURL      string
	// ImportedFrom names the platform the post was brought in from, such as
	// ImportFacebook, keeping its original date; empty for a post written
	// in Plein. An imported post is never announced to followers.
	ImportedFrom string
}

// ImportFacebook is the ImportedFrom of a post imported from a Facebook
// Page export.
const ImportFacebook = "facebook"

// Shown returns the attachments citizens may see: those with alt text. An
// imported image without a description is held back until staff describe
// it; a post written in Plein has alt text on every image.
func (p *Post) Shown() []Attachment {
	out := make([]Attachment, 0, len(p.Attachments))
	for _, a := range p.Attachments {
		if a.Alt != "" {
			out = append(out, a)
		}
	}
	return out
}

// HeldBack reports whether an attachment of the post waits for a
// description before citizens see it.
func (p *Post) HeldBack() bool { return len(p.Shown()) < len(p.Attachments) }

// Edited reports whether the post was changed after it was published.
func (p *Post) Edited() bool {
	return p.State == StatePublished && p.UpdatedAt.After(p.PublishAt)
}

// Public reports whether citizens may see the post.
func (p *Post) Public() bool { return p.State == StatePublished }

// Attachment is an image attached to a post, with required alt text; only
// an imported image may lack it, and is then held back (see Post.Shown).
type Attachment struct {
	MediaID string
	Alt     string
}

// Revision is one version of a post's text, kept for the public edit history
// and the public-records archive.
type Revision struct {
	PostID    string
	Number    int // 1 for the first version
	Text      string
	Summary   string
	Language  string
	EditorID  string // user id; empty when made by the operator on the command line
	Editor    string // name of the editor at the time, for the archive
	CreatedAt time.Time
}

// Media is a stored image with its variants.
type Media struct {
	ID          string
	OrgID       string
	ContentType string
	Width       int
	Height      int
	Variants    []MediaVariant
	CreatedAt   time.Time
}

// MediaVariant is one stored size of a media item.
type MediaVariant struct {
	Name        string // small, medium, large
	Key         string // storage key
	ContentType string
	Width       int
	Height      int
	Size        int64
}

// Variant returns the variant with the given name, or the largest one.
func (m *Media) Variant(name string) MediaVariant {
	for _, v := range m.Variants {
		if v.Name == name {
			return v
		}
	}
	var best MediaVariant
	for _, v := range m.Variants {
		if v.Width > best.Width {
			best = v
		}
	}
	return best
}

// Session is a staff member's login. Only a hash of the token in the
// browser's cookie is stored.
type Session struct {
	ID         string // hex SHA-256 of the cookie's token
	UserID     string
	CSRFToken  string
	Lang       string // interface language chosen by the staff member
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// AuditEntry records one change made by staff or the operator: who, what,
// when; and each failed staff log-in and lock, with the client's network
// (its address cut to /24 or /48) as the actor. It never holds data about
// visitors of the public pages.
type AuditEntry struct {
	ID      string
	OrgID   string // empty for installation-wide actions
	ActorID string // user id; empty for the operator on the command line
	Actor   string // name at the time
	Action  string // e.g. "post.publish", "member.add"
	Target  string // id or e-mail address the action was about
	Detail  string
	At      time.Time
}

// ActorKey is the RSA key pair an actor (an organisation, or the
// installation itself) signs its ActivityPub requests with.
type ActorKey struct {
	OwnerID    string // organisation id, or InstanceActorID
	PrivatePEM string
	PublicPEM  string
	CreatedAt  time.Time
}

// InstanceActorID owns the key of the installation's own actor, which
// signs requests made on behalf of the installation.
const InstanceActorID = "instance"

// RemoteActor is what Plein keeps of an actor on another server that
// interacts with an organisation: where to deliver to and how to check its
// signatures. Nothing else of the person is kept.
type RemoteActor struct {
	ID           string // actor IRI
	Inbox        string
	SharedInbox  string // empty when the server has none
	KeyID        string
	PublicKeyPEM string
	FetchedAt    time.Time
	Acct         string // user@host when a post mentioned the actor by that address
	Username     string // preferredUsername
	URL          string // the profile's address for people, if the actor gives one
}

// DeliveryInbox is where activities for the actor go: its server's shared
// inbox when there is one, so that a server gets one request however many
// of its users follow.
func (a *RemoteActor) DeliveryInbox() string {
	if a.SharedInbox != "" {
		return a.SharedInbox
	}
	return a.Inbox
}

// Follower is a remote actor following an organisation.
type Follower struct {
	OrgID    string
	ActorID  string
	FollowID string // id of the Follow activity, for matching its Undo
	Inbox    string // delivery inbox (shared when available)
	// OwnInbox tells that Inbox is the actor's own inbox, not its server's
	// shared inbox: only then does an inbox that is gone mean the actor is.
	OwnInbox  bool
	CreatedAt time.Time
}

// ReplyState is where a citizen's reply is in moderation.
type ReplyState string

// The states of a reply. Every reply starts pending; moderation decides:
// approved it is shown, refused it never is, and a shown reply taken down
// later is hidden. Refused and hidden replies each have a statement of
// reasons.
const (
	ReplyPending ReplyState = "pending"
	ReplyShown   ReplyState = "shown"
	ReplyRefused ReplyState = "refused"
	ReplyHidden  ReplyState = "hidden"
)

// ReplyStates lists every state of a reply, in the order of moderation.
var ReplyStates = []ReplyState{ReplyPending, ReplyShown, ReplyRefused, ReplyHidden}

// Reply is a citizen's reply from the Fediverse to a post, kept sanitised
// until moderation decides on it.
type Reply struct {
	ID          string // the remote Note's id
	PostID      string
	ActorID     string
	URL         string
	ContentHTML string // sanitised
	Summary     string
	State       ReplyState
	Published   time.Time
	ReceivedAt  time.Time
	// DecidedAt is when moderation last moved the reply out of pending;
	// DecidedBy the user id of who did (empty: the operator on the
	// command line), DecidedByName their name at the time.
	DecidedAt     time.Time
	DecidedBy     string
	DecidedByName string
}

// InsightCount is an aggregate count of one metric of an organisation, or
// of one of its posts, on one day.
type InsightCount struct {
	OrgID  string
	PostID string // "" for the organisation as a whole
	Day    string // YYYY-MM-DD, UTC
	Metric string
	Value  int64
}

// ReferrerCount is how many views of an organisation's pages came from one
// host on one day.
type ReferrerCount struct {
	OrgID  string
	Day    string // YYYY-MM-DD, UTC
	Host   string
	Visits int64
}

// VisitorEstimate is the estimated number of distinct visitors of an
// organisation's pages on one day.
type VisitorEstimate struct {
	OrgID    string
	Day      string // YYYY-MM-DD, UTC
	Estimate int64
}

// DayFormat is how insights write a day.
const DayFormat = "2006-01-02"
