// Package store defines how Plein's domain packages reach persistent data:
// small interfaces per area, a transaction that can also enqueue durable jobs,
// and the sentinel errors both engines map their own errors to. The engines
// live in store/sqlite (the embedded default) and store/postgres; both pass
// the suite in store/storetest.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/model"
)

// Errors every engine maps its own errors to.
var (
	ErrNotFound      = errors.New("not found")
	ErrAlreadyExists = errors.New("already exists")
	// ErrUnavailable wraps the errors of a database that cannot be reached
	// or does not answer: refused or failed connections, connections lost
	// in use, a busy or failing SQLite file. It is model.ErrUnavailable,
	// so that the web, which never imports the store, can test for it.
	ErrUnavailable = model.ErrUnavailable
	// ErrNewerSchema marks a database that a newer version of Plein has
	// migrated: this build refuses to open it rather than run on tables
	// it does not know.
	ErrNewerSchema = errors.New("database schema newer than this build of Plein")
	// ErrDatabaseMissing marks a database server that answers but does
	// not have the database the configuration names.
	ErrDatabaseMissing = model.ErrDatabaseMissing
	// ErrDatabaseInUse marks an embedded database whose jobs another
	// process works already.
	ErrDatabaseInUse = model.ErrDatabaseInUse
	// ErrDatabaseLogin marks a database server that refused the
	// configured user or password.
	ErrDatabaseLogin = model.ErrDatabaseLogin
)

// Orgs stores organisations and the handles they used to have.
type Orgs interface {
	// CreateOrg stores a new organisation; ErrAlreadyExists when its handle
	// is taken, now or formerly, by any organisation.
	CreateOrg(ctx context.Context, o *model.Org) error
	// UpdateOrg stores every field of o except its handle and where it
	// moved to.
	UpdateOrg(ctx context.Context, o *model.Org) error
	// SetOrgMovedTo records that an organisation moved to the account
	// movedTo at at; ErrNotFound when there is no such organisation.
	SetOrgMovedTo(ctx context.Context, id, movedTo string, at time.Time) error
	// RenameOrg changes an organisation's handle and keeps the old one as a
	// former handle that redirects; ErrAlreadyExists when the new handle is
	// held by another organisation, now or formerly.
	RenameOrg(ctx context.Context, id, handle string, at time.Time) error
	OrgByID(ctx context.Context, id string) (*model.Org, error)
	// OrgByHandle finds an organisation by its current handle.
	OrgByHandle(ctx context.Context, handle string) (*model.Org, error)
	// OrgByFormerHandle finds the organisation that used to have handle.
	OrgByFormerHandle(ctx context.Context, handle string) (*model.Org, error)
	// ListOrgs returns every organisation ordered by display name.
	ListOrgs(ctx context.Context) ([]*model.Org, error)
}

// Users stores staff accounts and their memberships.
type Users interface {
	// CreateUser stores a new account; ErrAlreadyExists when the e-mail
	// address is taken.
	CreateUser(ctx context.Context, u *model.User) error
	UserByID(ctx context.Context, id string) (*model.User, error)
	UserByEmail(ctx context.Context, email string) (*model.User, error)
	ListUsers(ctx context.Context) ([]*model.User, error)
	SetPasswordHash(ctx context.Context, userID, hash string) error
	// SetMustChangePassword sets or clears whether the account must
	// choose its own password at its next log-in; ErrNotFound when there
	// is no such account.
	SetMustChangePassword(ctx context.Context, userID string, must bool) error
	// PutMembership gives a user a role in an organisation, replacing any
	// role the user had there.
	PutMembership(ctx context.Context, m model.Membership) error
	// DeleteMembership removes a user from an organisation.
	DeleteMembership(ctx context.Context, orgID, userID string) error
	Membership(ctx context.Context, orgID, userID string) (model.Membership, error)
	MembershipsOfUser(ctx context.Context, userID string) ([]model.Membership, error)
	MembersOfOrg(ctx context.Context, orgID string) ([]model.Membership, error)
}

// PostFilter selects posts for ListPosts.
type PostFilter struct {
	OrgID  string
	States []model.PostState // empty: every state
	Pinned *bool             // nil: pinned or not
	// Before, when set, returns only posts ordered after this one (cursor
	// pagination by publication time, then id, newest first).
	Before *PostCursor
	Limit  int // 0: no limit
	// HeldBack selects only posts with an image held back for want of a
	// description (an attachment without alt text).
	HeldBack bool
}

// PostCursor is a position in a newest-first list of posts.
type PostCursor struct {
	PublishAt time.Time
	ID        string
}

// Posts stores posts, their attachments and every revision.
type Posts interface {
	// CreatePost stores a new post with its attachments.
	CreatePost(ctx context.Context, p *model.Post) error
	// UpdatePost stores every field of p, replacing its attachments.
	UpdatePost(ctx context.Context, p *model.Post) error
	PostByID(ctx context.Context, id string) (*model.Post, error)
	// ListPosts returns posts, newest publication first (drafts by last
	// change).
	ListPosts(ctx context.Context, f PostFilter) ([]*model.Post, error)
	AddRevision(ctx context.Context, r *model.Revision) error
	// Revisions returns every revision of a post, oldest first.
	Revisions(ctx context.Context, postID string) ([]*model.Revision, error)
	// PurgePost removes a post with its revisions and attachments for good.
	PurgePost(ctx context.Context, id string) error
}

// PostImports records which items of another platform's export became
// posts, so that importing the export again adds nothing.
type PostImports interface {
	// AddPostImport records that the item key of source became the post
	// postID of the organisation; ErrAlreadyExists when that item was
	// imported before.
	AddPostImport(ctx context.Context, orgID, source, key, postID string, at time.Time) error
	// PostImported returns the id of the post the item key of source
	// became; ErrNotFound when it was never imported.
	PostImported(ctx context.Context, orgID, source, key string) (string, error)
}

// Media stores the records of uploaded images; the bytes are in a media.Store.
type Media interface {
	CreateMedia(ctx context.Context, m *model.Media) error
	MediaByID(ctx context.Context, id string) (*model.Media, error)
	// MediaByIDs returns the media with the given ids that exist, keyed by id.
	MediaByIDs(ctx context.Context, ids []string) (map[string]*model.Media, error)
	// DeleteMedia removes the record of a media item.
	DeleteMedia(ctx context.Context, id string) error
	// MediaInUse reports whether a post, or an edit of one awaiting
	// approval, has the media item attached.
	MediaInUse(ctx context.Context, id string) (bool, error)
}

// Sessions stores staff logins.
type Sessions interface {
	CreateSession(ctx context.Context, s *model.Session) error
	SessionByID(ctx context.Context, id string) (*model.Session, error)
	// UpdateSession stores the last-seen and expiry times and the language.
	UpdateSession(ctx context.Context, s *model.Session) error
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions ends every login of a user, except the session
	// keep (empty: all).
	DeleteUserSessions(ctx context.Context, userID, keep string) error
	// DeleteExpiredSessions removes the sessions that expired before now or
	// began before oldest, and returns how many.
	DeleteExpiredSessions(ctx context.Context, now, oldest time.Time) (int64, error)
}

// AuditLog stores the record of staff actions.
type AuditLog interface {
	AddAudit(ctx context.Context, e *model.AuditEntry) error
	// ListAudit returns the newest entries of an organisation (empty:
	// installation-wide entries), newest first.
	ListAudit(ctx context.Context, orgID string, limit int) ([]*model.AuditEntry, error)
}

// LoginCount is the count of failed log-ins of one key and the start of
// the window it belongs to.
type LoginCount struct {
	Failures int
	Since    time.Time
}

// LoginFailures counts failed staff log-ins under opaque keys (keyed
// hashes the caller makes), for the whole installation: every node sharing
// the database sees the same counts.
type LoginFailures interface {
	// AddLoginFailures counts one failure for each key at the time at and
	// returns each key's count after it, in the order of keys. A key whose
	// window began at or before expired starts a new window at at with a
	// count of one. Each key is counted in one statement, so that attempts
	// counted at once, by any process, each get a count of their own; run
	// it in a transaction to count several keys together.
	AddLoginFailures(ctx context.Context, keys []string, at, expired time.Time) ([]LoginCount, error)
	// RemoveLoginFailures takes one failure back from each key, and forgets
	// a key whose count reaches zero.
	RemoveLoginFailures(ctx context.Context, keys []string) error
	// LoginFailureCount returns the count of key; a zero LoginCount when it
	// has none.
	LoginFailureCount(ctx context.Context, key string) (LoginCount, error)
}

// Settings stores installation-wide settings such as the public base URL.
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	// InitSetting stores value under key unless the key already has a value,
	// and returns the value that is stored.
	InitSetting(ctx context.Context, key, value string) (string, error)
	PutSetting(ctx context.Context, key, value string) error
}

// Accessibility reads what the accessibility statement reports about
// published content.
type Accessibility interface {
	// ImagesWithoutAlt counts, per organisation id, the images attached to
	// published posts whose description is empty or only spaces.
	// Organisations without such images are absent from the map.
	ImagesWithoutAlt(ctx context.Context) (map[string]int, error)
}

// Changes tracks a counter of public content changes, so that every process
// and node can tell when its cached pages are stale.
type Changes interface {
	// MarkChanged records that public content changed; call it inside the
	// transaction that makes the change.
	MarkChanged(ctx context.Context) error
	// ChangeVersion returns the current value of the counter.
	ChangeVersion(ctx context.Context) (int64, error)
}

// Keys stores the signing keys of actors.
type Keys interface {
	// InitActorKey stores k unless its owner has a key already, and
	// returns the key that is stored.
	InitActorKey(ctx context.Context, k *model.ActorKey) (*model.ActorKey, error)
	ActorKey(ctx context.Context, ownerID string) (*model.ActorKey, error)
}

// Federation stores what Plein keeps about other servers' actors.
type Federation interface {
	PutRemoteActor(ctx context.Context, a *model.RemoteActor) error
	RemoteActor(ctx context.Context, id string) (*model.RemoteActor, error)
	// RemoteActorByKey finds the stored actor whose key has the id keyID.
	RemoteActorByKey(ctx context.Context, keyID string) (*model.RemoteActor, error)
	// RemoteActorByAcct finds the stored actor that a post mentioned as
	// acct (user@host, lower case).
	RemoteActorByAcct(ctx context.Context, acct string) (*model.RemoteActor, error)
	// PutFollower records a follower, replacing an earlier Follow of the
	// same actor.
	PutFollower(ctx context.Context, f *model.Follower) error
	// RemoveFollower ends a follow; ErrNotFound when there was none.
	RemoveFollower(ctx context.Context, orgID, actorID string) error
	// RemoveFollow ends the follow made by the Follow activity followID of
	// actorID, for an Undo that names the Follow by its id only; false
	// when there was none.
	RemoveFollow(ctx context.Context, actorID, followID string) (bool, error)
	// ForgetActor deletes everything held about a remote actor: its record,
	// its follows and its replies. It returns how many follows ended.
	ForgetActor(ctx context.Context, actorID string) (int64, error)
	// MoveFollower hands the follows of the actor from to the actor to,
	// whose delivery inbox is inbox (its own inbox when ownInbox), and
	// returns how many moved. Where to already follows, from's follow is
	// dropped. Run it in a transaction.
	MoveFollower(ctx context.Context, from, to, inbox string, ownInbox bool) (int64, error)
	// RemoveFollowersAtInbox ends the follows whose delivery inbox is inbox
	// where that is the follower's own inbox, never a shared one, and
	// returns the organisation of each follow it ended.
	RemoveFollowersAtInbox(ctx context.Context, inbox string) ([]string, error)
	// RemoveFollowersOf ends every follow of the actor actorID and returns
	// the organisation of each follow it ended.
	RemoveFollowersOf(ctx context.Context, actorID string) ([]string, error)
	FollowerCount(ctx context.Context, orgID string) (int, error)
	// FollowsOf returns how many organisations the actor actorID follows.
	FollowsOf(ctx context.Context, actorID string) (int, error)
	// FollowersSince returns how many follows of an organisation began at
	// or after since, and the newest limit of them, newest first.
	FollowersSince(ctx context.Context, orgID string, since time.Time, limit int) (int, []*model.Follower, error)
	// AddMoveIn records a Move naming an organisation as the new account;
	// false when that activity was recorded already.
	AddMoveIn(ctx context.Context, m *model.MoveIn) (bool, error)
	// MovesIn returns the Moves recorded for an organisation, newest first.
	MovesIn(ctx context.Context, orgID string) ([]*model.MoveIn, error)
	// FollowerInboxes returns the distinct delivery inboxes of an
	// organisation's followers: one per server with a shared inbox.
	FollowerInboxes(ctx context.Context, orgID string) ([]string, error)
	// AddReaction records a like or boost under its keyed hash; false when
	// it was recorded already.
	AddReaction(ctx context.Context, key, postID, kind string, at time.Time) (bool, error)
	// RemoveReaction deletes a reaction by its key; false when absent.
	RemoveReaction(ctx context.Context, key string) (bool, error)
	// ReactionCounts returns the number of reactions of a post per kind.
	ReactionCounts(ctx context.Context, postID string) (map[string]int, error)
	// DeliveryFailed counts a failed delivery to host and pauses the host
	// until pauseUntil(failures) when that is not zero. It returns the
	// number of failures in a row.
	DeliveryFailed(ctx context.Context, host string, at time.Time, pauseUntil func(failures int) time.Time) (int, error)
	// DeliverySucceeded clears the failures of host.
	DeliverySucceeded(ctx context.Context, host string) error
	// DeliveryHost returns the failures in a row of deliveries to host and
	// until when deliveries to it are paused (zero when they are not).
	DeliveryHost(ctx context.Context, host string) (failures int, pausedUntil time.Time, err error)
	// MarkSeen records the hash of an activity id; false when it was seen
	// before, so the activity is processed once.
	MarkSeen(ctx context.Context, hash string, at time.Time) (bool, error)
	// UnmarkSeen forgets the hash of an activity id, so that an activity
	// whose handling failed is handled when its server sends it again.
	UnmarkSeen(ctx context.Context, hash string) error
	// PutReply stores a reply, or replaces its content when it exists and
	// has the same author; ErrNotFound when another author holds the id.
	// A shown reply whose content changes is pending again: moderation
	// approved what it read, not the edit.
	PutReply(ctx context.Context, r *model.Reply) error
	// DeleteReply removes a reply of the given author; false when absent.
	DeleteReply(ctx context.Context, id, actorID string) (bool, error)
	// Replies returns the replies to a post, oldest first.
	Replies(ctx context.Context, postID string) ([]*model.Reply, error)
	Reply(ctx context.Context, id string) (*model.Reply, error)
}

// Insights holds aggregate daily counts. Days are written YYYY-MM-DD and
// ranges include both ends.
type Insights interface {
	// AddInsightCounts adds each count to the stored value.
	AddInsightCounts(ctx context.Context, counts []model.InsightCount) error
	// AddReferrers adds each count of visits to the stored value.
	AddReferrers(ctx context.Context, refs []model.ReferrerCount) error
	// VisitorSketch returns the stored sketch of an organisation's visitors
	// of a day; ErrNotFound when there is none (any more).
	VisitorSketch(ctx context.Context, orgID, day string) ([]byte, error)
	// PutVisitors stores the estimate of a day and the sketch behind it.
	PutVisitors(ctx context.Context, v model.VisitorEstimate, sketch []byte) error
	InsightCounts(ctx context.Context, orgID, from, to string) ([]model.InsightCount, error)
	VisitorEstimates(ctx context.Context, orgID, from, to string) ([]model.VisitorEstimate, error)
	Referrers(ctx context.Context, orgID, from, to string) ([]model.ReferrerCount, error)
}

// Retention deletes personal data older than its limit. Each method
// returns how many records it removed.
type Retention interface {
	DeleteRepliesBefore(ctx context.Context, t time.Time) (int64, error)
	// FoldReactionsBefore adds the likes and boosts recorded before t to
	// their posts' totals and deletes their keyed hashes.
	FoldReactionsBefore(ctx context.Context, t time.Time) (int64, error)
	DeleteRemoteActorsBefore(ctx context.Context, t time.Time) (int64, error)
	DeleteSeenBefore(ctx context.Context, t time.Time) (int64, error)
	DeleteAuditBefore(ctx context.Context, t time.Time) (int64, error)
	// DeleteLoginFailuresBefore deletes the counts of failed log-ins whose
	// window began before t.
	DeleteLoginFailuresBefore(ctx context.Context, t time.Time) (int64, error)
	// DeleteInsightsBefore deletes every count, referrer and estimate of
	// days before day.
	DeleteInsightsBefore(ctx context.Context, day string) (int64, error)
	// DeleteVisitorSketchesBefore deletes the sketches of days before day,
	// keeping their estimates.
	DeleteVisitorSketchesBefore(ctx context.Context, day string) (int64, error)
	// FoldReferrersBefore counts the referrer hosts of days before day
	// with fewer than threshold visits as "other".
	FoldReferrersBefore(ctx context.Context, day string, threshold int, other string) (int64, error)
	// FailingHostsSince returns the servers whose deliveries have all
	// failed since before t.
	FailingHostsSince(ctx context.Context, t time.Time) ([]string, error)
	// DeleteFollowersAtHost removes every follower whose inbox is on host.
	DeleteFollowersAtHost(ctx context.Context, host string) (int64, error)
	// UnattachedMediaBefore returns media created before t that no post
	// and no organisation uses.
	UnattachedMediaBefore(ctx context.Context, t time.Time) ([]*model.Media, error)
}

// SubscriptionFilter selects subscriptions for ListSubscriptions.
type SubscriptionFilter struct {
	OrgID     string
	States    []model.SubscriptionState // empty: every state
	Frequency model.Frequency           // empty: every frequency
	// Tags, when not nil, selects subscriptions to every post of the
	// organisation and those to one of these hashtags (lower case).
	Tags []string
	// IDs, when not nil, selects only these subscriptions.
	IDs     []string
	AfterID string // only subscriptions whose id sorts after this one
	Limit   int    // 0: no limit
}

// Subscriptions stores e-mail subscriptions, the suppression list of
// addresses that ended theirs, and the outbox of messages to subscribers.
// Addresses are found by their keyed hash, never by comparing addresses.
type Subscriptions interface {
	// CreateSubscription stores a new subscription; ErrAlreadyExists when
	// the organisation has one for the same address hash.
	CreateSubscription(ctx context.Context, s *model.Subscription) error
	// UpdateSubscription stores every field of s except its organisation,
	// address and creation time.
	UpdateSubscription(ctx context.Context, s *model.Subscription) error
	// DeleteSubscription removes a subscription and its outbox messages.
	DeleteSubscription(ctx context.Context, id string) error
	SubscriptionByID(ctx context.Context, id string) (*model.Subscription, error)
	// SubscriptionByEmail finds an organisation's subscription by the
	// keyed hash of its address.
	SubscriptionByEmail(ctx context.Context, orgID, emailHash string) (*model.Subscription, error)
	// ListSubscriptions returns the subscriptions f selects, ordered by id.
	ListSubscriptions(ctx context.Context, f SubscriptionFilter) ([]*model.Subscription, error)
	// SubscriptionCounts returns how many subscriptions an organisation
	// has in each state.
	SubscriptionCounts(ctx context.Context, orgID string) (map[model.SubscriptionState]int, error)
	// PutSuppression puts an address hash on an organisation's suppression
	// list, with the reason ("unsubscribed", "complaint"), replacing an
	// earlier entry.
	PutSuppression(ctx context.Context, orgID, emailHash, reason string, at time.Time) error
	// Suppression returns why an address hash is on the suppression list;
	// ErrNotFound when it is not.
	Suppression(ctx context.Context, orgID, emailHash string) (string, error)
	DeleteSuppression(ctx context.Context, orgID, emailHash string) error
	// ReserveMail reserves the right to send one more message about key
	// (a keyed hash) now: true, and the next reservation waits until
	// until; false when an earlier reservation is still running.
	ReserveMail(ctx context.Context, key string, now, until time.Time) (bool, error)
	// ClaimFanout records that the sending of item was divided into
	// batches; false when it was already, so that it happens once.
	ClaimFanout(ctx context.Context, item string, at time.Time) (bool, error)
	// AddOutbox stores outgoing messages, keeping the one already stored
	// for the same subscription and item.
	AddOutbox(ctx context.Context, msgs []*model.OutboxMessage) error
	// Outbox returns the messages of item to the given subscriptions.
	Outbox(ctx context.Context, item string, subscriptionIDs []string) ([]*model.OutboxMessage, error)
	// OutboxByMessageID finds a message by its Message-ID.
	OutboxByMessageID(ctx context.Context, messageID string) (*model.OutboxMessage, error)
	// SetOutboxState records what became of a message.
	SetOutboxState(ctx context.Context, subscriptionID, item string, state model.OutboxState, at time.Time) error
	// DeleteUnconfirmedBefore removes pending subscriptions created before
	// t; DeleteSuspendedBefore those suspended before t.
	DeleteUnconfirmedBefore(ctx context.Context, t time.Time) (int64, error)
	DeleteSuspendedBefore(ctx context.Context, t time.Time) (int64, error)
	// DeleteMailReservationsBefore removes reservations that ran out before t.
	DeleteMailReservationsBefore(ctx context.Context, t time.Time) (int64, error)
	// DeleteOutboxBefore removes the outbox messages and fan-out records
	// made before t.
	DeleteOutboxBefore(ctx context.Context, t time.Time) (int64, error)
	// DeleteSuppressionsBefore removes suppression entries made before t.
	DeleteSuppressionsBefore(ctx context.Context, t time.Time) (int64, error)
}

// QuestionFilter selects questions for ListQuestions.
type QuestionFilter struct {
	OrgID  string
	States []model.QuestionState // empty: every state
	Topic  string                // empty: every topic
	Limit  int                   // 0: no limit
}

// Questions stores citizens' questions from the contact form.
type Questions interface {
	// CreateQuestion stores a new question; ErrAlreadyExists when its
	// reference is taken. A question without a Source gets
	// model.QuestionFromForm.
	CreateQuestion(ctx context.Context, q *model.Question) error
	QuestionByID(ctx context.Context, id string) (*model.Question, error)
	// ListQuestions returns the questions f selects, newest first.
	ListQuestions(ctx context.Context, f QuestionFilter) ([]*model.Question, error)
	// CountQuestionsFrom counts an organisation's questions with the
	// answer address replyTo (compared as stored) received since t.
	CountQuestionsFrom(ctx context.Context, orgID, replyTo string, since time.Time) (int, error)
	// CountQuestionsSince counts an organisation's questions received
	// since t.
	CountQuestionsSince(ctx context.Context, orgID string, since time.Time) (int, error)
	// SetQuestionState changes a question's state.
	SetQuestionState(ctx context.Context, id string, state model.QuestionState, at time.Time) error
	// DeleteQuestionsBefore deletes the questions received before t, with
	// their answers.
	DeleteQuestionsBefore(ctx context.Context, t time.Time) (int64, error)
	// AddAnswer stores an answer to a question.
	AddAnswer(ctx context.Context, a *model.Answer) error
	// AnswerByID returns an answer.
	AnswerByID(ctx context.Context, id string) (*model.Answer, error)
	// Answers returns the answers to a question, oldest first.
	Answers(ctx context.Context, questionID string) ([]*model.Answer, error)
	// MarkAnswerSent records when an answer was accepted by the relay.
	MarkAnswerSent(ctx context.Context, id string, at time.Time) error
}

// ReplyFilter selects replies for ListReplies.
type ReplyFilter struct {
	OrgID  string             // the organisation of the posts replied to (required)
	PostID string             // only the replies to this post; empty: every post
	States []model.ReplyState // empty: every state
	Limit  int                // 0: no limit
}

// Moderation stores what moderation decides and receives: decisions on
// replies, statements of reasons, each organisation's settings, blocks and
// notices.
type Moderation interface {
	// ListReplies returns the replies f selects, oldest received first.
	ListReplies(ctx context.Context, f ReplyFilter) ([]*model.Reply, error)
	// DecideReply moves a reply from one of the states from to state to,
	// recording who decided (user id and name) and when; ErrNotFound when
	// there is no such reply in one of those states.
	DecideReply(ctx context.Context, id string, from []model.ReplyState, to model.ReplyState, by, byName string, at time.Time) error
	// AddStatement stores a statement of reasons; ErrAlreadyExists when its
	// id is taken.
	AddStatement(ctx context.Context, st *model.Statement) error
	StatementByID(ctx context.Context, id string) (*model.Statement, error)
	// Statements returns an organisation's statements whose application
	// date is in [from, to) (zero: unbounded), oldest first.
	Statements(ctx context.Context, orgID string, from, to time.Time) ([]*model.Statement, error)
	// ReplyDisplay returns whether the organisation shows replies;
	// model.RepliesAfterApproval when it never chose.
	ReplyDisplay(ctx context.Context, orgID string) (model.ReplyDisplay, error)
	PutReplyDisplay(ctx context.Context, orgID string, d model.ReplyDisplay) error
	// AddBlock stores a block; ErrAlreadyExists when the same block is there.
	AddBlock(ctx context.Context, b *model.Block) error
	// RemoveBlock deletes a block by its id; ErrNotFound when absent.
	RemoveBlock(ctx context.Context, id string) error
	// Blocks returns the blocks of an organisation ("" for the
	// installation's), newest first.
	Blocks(ctx context.Context, orgID string) ([]*model.Block, error)
	// BlocksOf returns every block, of any organisation or the
	// installation, on the actor actorID or on the server host.
	BlocksOf(ctx context.Context, actorID, host string) ([]*model.Block, error)
	// DropFollowsOfBlocked ends the follows a new block covers: of the
	// organisation orgID ("" every organisation), by the actor target
	// (BlockAccount) or by any actor of the host target (BlockServer).
	// It returns how many ended.
	DropFollowsOfBlocked(ctx context.Context, orgID string, kind model.BlockKind, target string) (int64, error)
	// DeleteModerationBefore deletes the complaints decided before t, the
	// statements applied before t that have no complaint left, and the
	// notices received before t that no statement left names; an open
	// complaint keeps its statement and notice. It returns how many.
	DeleteModerationBefore(ctx context.Context, t time.Time) (int64, error)
	// AddNotice stores a notice.
	AddNotice(ctx context.Context, n *model.Notice) error
	// NoticeByID returns a notice; ErrNotFound when there is none.
	NoticeByID(ctx context.Context, id string) (*model.Notice, error)
	// Notices returns an organisation's notices ("" for the
	// installation's), newest first.
	Notices(ctx context.Context, orgID string, limit int) ([]*model.Notice, error)
}

// JobQueue reports on the durable job queue.
type JobQueue interface {
	// JobCounts returns how many jobs are in each state (available,
	// running, retryable, scheduled, completed, discarded, cancelled).
	JobCounts(ctx context.Context) (map[string]int64, error)
}

// Queries is every data operation, available on a Store and inside a Tx.
type Queries interface {
	Orgs
	Users
	Posts
	PostImports
	Media
	Settings
	Changes
	Sessions
	SessionDevices
	Identities
	AuditLog
	LoginFailures
	Keys
	Federation
	Insights
	Retention
	Subscriptions
	SubscriptionGroups
	Questions
	Inbox
	InboxTopics
	Moderation
	Filters
	Complaints
	JobQueue
	SecondFactors
	Approvals
	Archive
	Accessibility
	Bluesky
}

// Tx is a transaction. Jobs enqueued in it exist exactly when it commits.
type Tx interface {
	Queries
	// EnqueueJob inserts a durable job in this transaction.
	EnqueueJob(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
	// EnqueueJobs inserts many durable jobs at once, each with the insert
	// options of its kind.
	EnqueueJobs(ctx context.Context, jobs []river.JobArgs) error
}

// Store is a database engine holding all of Plein's data.
type Store interface {
	Queries
	// InTx runs fn in a transaction, committing when fn returns nil and
	// rolling back otherwise.
	InTx(ctx context.Context, fn func(tx Tx) error) error
	// WatchChanges calls onChange with the change counter's new value
	// whenever it moves, in this process or any other, until ctx ends. It
	// returns ctx's error.
	WatchChanges(ctx context.Context, onChange func(version int64)) error
	// RetryJobs makes the scheduled and retryable jobs of kind whose string
	// argument arg starts with one of prefixes runnable at once, at most
	// limit of them, and returns how many it made runnable.
	RetryJobs(ctx context.Context, kind, arg string, prefixes []string, limit int) (int, error)
	// StartJobs starts working the durable job queue; only serving processes
	// call it.
	StartJobs(ctx context.Context) error
	// StopJobs stops working jobs, waiting for running ones until ctx ends;
	// then it cancels those still running, and they go back to the queue at
	// once, for another node or the next start.
	StopJobs(ctx context.Context) error
	// Engine names the engine, "sqlite" or "postgres".
	Engine() string
	Close() error
}
