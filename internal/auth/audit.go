package auth

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/sensitive"
	"plein/internal/store"
)

// Audit writes who did what, and when, to the audit log of the organisation
// orgID (empty: the installation's log). Call it in the transaction of the
// change it records.
func Audit(ctx context.Context, log store.AuditLog, actor Actor, orgID, action, target, detail string, at time.Time) error {
	e := &model.AuditEntry{ID: model.NewID(at), OrgID: orgID, ActorID: actor.UserID, Actor: actor.Name,
		Action: action, Target: target, Detail: detail, At: at}
	if err := log.AddAudit(ctx, e); err != nil {
		return fmt.Errorf("auth: audit %s: %w", action, err)
	}
	return nil
}

// RefKind is the kind of thing an audit sentence names.
type RefKind int

// The things an audit sentence names.
const (
	RefOperator RefKind = iota // the operator on the command line
	RefAccount                 // a staff account
	RefPost                    // a post
	RefOrg                     // an organisation
	RefClient                  // a client that is not logged in, by its network
	RefSSO                     // single sign-on, acting by itself
)

// Ref is what an audit sentence names: who acted, and what about. Its
// text is safe to show to those who may read the log; Exists says whether
// it is still there to link to.
type Ref struct {
	Kind RefKind
	// Text is what to show: "Name (e-mail address)" of an account, a
	// plain-text excerpt of a post, "Name (@handle)" of an organisation.
	Text string
	// ID is the account's or the post's id.
	ID string
	// Org is the current handle of the organisation: the post's, the one
	// an account is a member of, or the organisation itself.
	Org string
	// Exists is false when the account, post or organisation is gone,
	// or the account is no longer a member of Org.
	Exists bool
}

// In returns the text to show in lang.
func (r Ref) In(lang string) string {
	switch r.Kind {
	case RefOperator:
		return i18n.T(lang, string(i18n.AuditOperator))
	case RefClient:
		return i18n.T(lang, string(i18n.AuditClient), r.Text)
	case RefSSO:
		return i18n.T(lang, string(i18n.AuditSSO))
	}
	return r.Text
}

// AuditLine is an entry of the audit log told as a sentence, such as
// "Redactie (anna@example.org) published the post ‘Opening zwembad…’".
// The sentence's arguments are Refs and messages; it reads in either
// language.
type AuditLine struct {
	Entry    *model.AuditEntry
	Sentence i18n.Message
}

// excerptLength is the length, in characters, of a post's excerpt in the
// audit log.
const excerptLength = 60

// excerpt returns the start of a post's text for the audit log, with any
// sensitive number in it masked.
func excerpt(text string) string {
	return markup.Title(sensitive.Mask(text, sensitive.Scan(text, sensitive.Publication)), excerptLength)
}

// AuditLines returns the newest entries of an organisation's audit log
// (empty orgID: the installation's) as sentences, for the same readers as
// AuditLog.
func (s *Service) AuditLines(ctx context.Context, actor Actor, orgID string, limit int) ([]AuditLine, error) {
	entries, err := s.AuditLog(ctx, actor, orgID, limit)
	if err != nil {
		return nil, err
	}
	d := &describer{st: s.st, posts: map[string]*model.Post{}, orgs: map[string]*model.Org{},
		users: map[string]*model.User{}, members: map[[2]string]bool{}}
	lines := make([]AuditLine, 0, len(entries))
	for _, e := range entries {
		m, err := d.describe(ctx, e)
		if err != nil {
			return nil, fmt.Errorf("auth: audit log: %w", err)
		}
		lines = append(lines, AuditLine{Entry: e, Sentence: m})
	}
	return lines, nil
}

// describer tells audit entries as sentences, looking up each account,
// post and organisation they name once.
type describer struct {
	st      store.Store
	posts   map[string]*model.Post // nil: gone
	orgs    map[string]*model.Org
	users   map[string]*model.User // by id and by e-mail address
	members map[[2]string]bool
}

// describe returns the sentence of e.
func (d *describer) describe(ctx context.Context, e *model.AuditEntry) (i18n.Message, error) {
	who, err := d.actor(ctx, e)
	if err != nil {
		return i18n.Message{}, err
	}
	switch e.Action { // the inbox: the detail is the question's reference
	case "question.reveal":
		return i18n.M(i18n.AuditQuestionReveal, who, e.Detail), nil
	case "question.answer":
		return i18n.M(i18n.AuditQuestionAnswer, who, e.Detail), nil
	case "question.state":
		ref, state, _ := strings.Cut(e.Detail, " ")
		return i18n.M(i18n.AuditQuestionState, who, ref, i18n.QuestionStateName(state)), nil
	case "a11y.statement": // the target: the status
		return i18n.M(i18n.AuditA11yStatement, who, e.Target), nil
	case "inbox.topics": // the detail: the topics, separated by "; "
		if e.Detail == "" {
			return i18n.M(i18n.AuditInboxTopicsClear, who), nil
		}
		return i18n.M(i18n.AuditInboxTopics, who, e.Detail), nil
	case "bluesky.connect": // the detail: the account's handle
		return i18n.M(i18n.AuditBlueskyConnect, who, e.Detail), nil
	case "bluesky.policy": // the detail: the policy
		return i18n.M(i18n.AuditBlueskyPolicy, who, i18n.BlueskyPolicy(e.Detail)), nil
	case "bluesky.disconnect":
		return i18n.M(i18n.AuditBlueskyUnlink, who), nil
	case "question.answer-direct", "question.note", "question.export", "question.assign", "question.complaint",
		"saved.add", "saved.remove", "inbox.settings":
		return d.inbox(ctx, e, who)
	}
	if m, ok, err := d.approval(ctx, e, who); ok {
		return m, err
	}
	if e.Action == "import.facebook" { // the detail: posts, images, hidden, not imported
		if f := strings.Fields(e.Detail); len(f) == 4 {
			return i18n.M(i18n.AuditImportFacebook, who, i18n.M(i18n.AuditImportSummary, f[0], f[1], f[2], f[3])), nil
		}
	}
	if e.Action == "post.sensitive" { // the detail lists the kinds found
		p, err := d.post(ctx, &model.AuditEntry{Target: e.Target})
		return i18n.M(i18n.AuditPostSensitive, who, p, i18n.SensitiveKinds(strings.Split(e.Detail, ","))), err
	}
	if key, ok := postSentences[e.Action]; ok {
		if key == i18n.AuditPostPurge {
			return i18n.M(key, who), nil
		}
		p, err := d.post(ctx, e)
		return i18n.M(key, who, p), err
	}
	if key, ok := orgSentences[e.Action]; ok {
		o, err := d.org(ctx, e)
		switch e.Action {
		case "org.rename":
			return i18n.M(key, who, o, strings.TrimPrefix(e.Detail, "from ")), err
		case "org.header.set", "org.move":
			return i18n.M(key, who, o, e.Detail), err
		}
		return i18n.M(key, who, o), err
	}
	if strings.HasPrefix(e.Action, "reply.") || e.Action == "org.replies" || strings.HasPrefix(e.Action, "block.") ||
		strings.HasPrefix(e.Action, "filter.") || strings.HasPrefix(e.Action, "complaint.") {
		return d.moderation(ctx, e, who)
	}
	if strings.HasPrefix(e.Action, "secondfactor.") || e.Action == "org.second-factor" {
		return d.secondFactor(ctx, e, who)
	}
	if strings.HasPrefix(e.Action, "login.") {
		return d.login(ctx, e, who)
	}
	if strings.HasPrefix(e.Action, "sso.") || strings.HasPrefix(e.Action, "session.") {
		return d.sso(ctx, e, who)
	}
	if strings.HasPrefix(e.Action, "subscribers.") {
		if m, ok := subscribersSentence(e, who); ok {
			return m, nil
		}
	}
	switch e.Action {
	case "user.login", "user.logout", "user.change-password", "user.choose-password":
		return i18n.M(userSentences[e.Action], who), nil
	case "user.create", "user.reset-password":
		key := i18n.AuditUserCreate
		if e.Action == "user.reset-password" {
			key = i18n.AuditUserReset
		} else if e.Detail != "" {
			key = i18n.AuditUserCreateAdmin
		}
		a, err := d.account(ctx, e.Target, "")
		return i18n.M(key, who, a), err
	case "member.set-role", "member.remove":
		a, err := d.account(ctx, e.Target, e.OrgID)
		if e.Action == "member.remove" {
			return i18n.M(i18n.AuditMemberRemove, who, a), err
		}
		return i18n.M(i18n.AuditMemberRole, who, a, roleName(model.Role(e.Detail))), err
	}
	about := strings.TrimSpace(e.Target + " " + e.Detail)
	return i18n.M(i18n.AuditOther, who, e.Action, about), nil
}

// login tells a failed log-in, or a lock or alert it began, by the
// client who made it (see Reservation.Failed).
func (d *describer) login(ctx context.Context, e *model.AuditEntry, who Ref) (i18n.Message, error) {
	var account any = i18n.M(i18n.AuditUnknownAccount)
	if e.Target != unknownAccount && e.Action != "login.address-locked" {
		a, err := d.account(ctx, e.Target, "")
		if err != nil {
			return i18n.Message{}, err
		}
		account = a
	}
	minutes := strconv.Itoa(int(LoginWindow / time.Minute))
	switch e.Action {
	case "login.failed":
		switch {
		case strings.HasSuffix(e.Detail, detailSecondFactor):
			return i18n.M(i18n.AuditLoginFactorFailed, who, account), nil
		case strings.HasSuffix(e.Detail, detailPasskey):
			return i18n.M(i18n.AuditLoginPasskeyFailed, who, account), nil
		}
		if e.Detail != "" {
			return i18n.M(i18n.AuditLoginFailedKnown, who, account), nil
		}
		return i18n.M(i18n.AuditLoginFailed, who, account), nil
	case "login.locked":
		return i18n.M(i18n.AuditLoginLocked, who, account, strconv.Itoa(PairMaxAttempts), minutes), nil
	case "login.account-alert":
		return i18n.M(i18n.AuditLoginAccountAlert, who, account, strconv.Itoa(AccountAlertFailures), minutes), nil
	case "login.address-locked":
		return i18n.M(i18n.AuditLoginAddressLocked, who, strconv.Itoa(AddressMaxFailures), minutes), nil
	}
	return i18n.M(i18n.AuditOther, who, e.Action, strings.TrimSpace(e.Target+" "+e.Detail)), nil
}

// moderation tells a decision on a reply (the entry's target is the post
// replied to, its detail the ground and the reply's id), an organisation's
// choice whether replies are shown, or a block.
func (d *describer) moderation(ctx context.Context, e *model.AuditEntry, who Ref) (i18n.Message, error) {
	switch e.Action {
	case "reply.approve", "reply.refuse", "reply.hide":
		ground, _, _ := strings.Cut(e.Detail, " ")
		key := i18n.AuditReplyApprove
		switch e.Action + "." + ground {
		case "reply.refuse.illegal":
			key = i18n.AuditReplyRefuseIllegal
		case "reply.refuse.incompatible":
			key = i18n.AuditReplyRefuseIncompatible
		case "reply.hide.illegal":
			key = i18n.AuditReplyHideIllegal
		case "reply.hide.incompatible":
			key = i18n.AuditReplyHideIncompatible
		}
		about := *e
		about.Detail = "" // the post is told by its own excerpt
		p, err := d.post(ctx, &about)
		return i18n.M(key, who, p), err
	case "org.replies":
		o, err := d.org(ctx, e)
		return i18n.M(i18n.AuditReplyDisplay, who, o, i18n.M(i18n.Key("staff.moderation.display."+e.Detail))), err
	case "complaint.upheld", "complaint.rejected": // the target is the post, the detail the complaint
		key := i18n.AuditComplaintRejected
		if e.Action == "complaint.upheld" {
			key = i18n.AuditComplaintUpheld
		}
		about := *e
		about.Detail = ""
		p, err := d.post(ctx, &about)
		return i18n.M(key, who, p), err
	case "block.add":
		return i18n.M(i18n.AuditBlockAdd, who, e.Target), nil
	case "block.remove":
		return i18n.M(i18n.AuditBlockRemove, who, e.Target), nil
	case "block.import":
		return i18n.M(i18n.AuditBlockImport, who, e.Target), nil
	case "filter.add":
		return i18n.M(i18n.AuditFilterAdd, who, e.Target, i18n.M(i18n.Key("staff.filters.action."+e.Detail))), nil
	case "filter.remove":
		return i18n.M(i18n.AuditFilterRemove, who, e.Target), nil
	}
	return i18n.M(i18n.AuditOther, who, e.Action, strings.TrimSpace(e.Target+" "+e.Detail)), nil
}

var postSentences = map[string]i18n.Key{
	"post.create.published": i18n.AuditPostPublished,
	"post.create.scheduled": i18n.AuditPostScheduled,
	"post.create.draft":     i18n.AuditPostDraft,
	"post.edit":             i18n.AuditPostEdit,
	"post.publish":          i18n.AuditPostPublished,
	"post.schedule":         i18n.AuditPostSchedule,
	"post.pin":              i18n.AuditPostPin,
	"post.unpin":            i18n.AuditPostUnpin,
	"post.delete":           i18n.AuditPostDelete,
	"post.purge":            i18n.AuditPostPurge,
	"post.answer":           i18n.AuditPostAnswer,
	"post.import":           i18n.AuditPostImport,
	"post.describe":         i18n.AuditPostDescribe,
}

var orgSentences = map[string]i18n.Key{
	"org.create":        i18n.AuditOrgCreate,
	"org.rename":        i18n.AuditOrgRename,
	"org.profile":       i18n.AuditOrgProfile,
	"org.avatar.set":    i18n.AuditOrgAvatarSet,
	"org.avatar.remove": i18n.AuditOrgAvatarRemove,
	"org.header.set":    i18n.AuditOrgHeaderSet,
	"org.header.remove": i18n.AuditOrgHeaderRemove,
	"org.move":          i18n.AuditOrgMove,
}

var userSentences = map[string]i18n.Key{
	"user.login":           i18n.AuditUserLogin,
	"user.logout":          i18n.AuditUserLogout,
	"user.change-password": i18n.AuditUserChange,
	"user.choose-password": i18n.AuditUserChoose,
}

// roleName names a role in the reader's language.
func roleName(r model.Role) any {
	switch r {
	case model.RoleAdmin:
		return i18n.M(i18n.RoleAdmin)
	case model.RoleApprover:
		return i18n.M(i18n.RoleApprover)
	case model.RoleEditor:
		return i18n.M(i18n.RoleEditor)
	case model.RoleModerator:
		return i18n.M(i18n.RoleModerator)
	case model.RoleAnalyst:
		return i18n.M(i18n.RoleAnalyst)
	}
	return string(r)
}

// actor returns who made the entry: the account as it is now, or the name
// recorded at the time when it is gone.
func (d *describer) actor(ctx context.Context, e *model.AuditEntry) (Ref, error) {
	if network, ok := strings.CutPrefix(e.Actor, clientActorPrefix); ok && e.ActorID == "" {
		return Ref{Kind: RefClient, Text: network}, nil
	}
	if e.ActorID == "" && e.Actor == SSOActor().Name {
		return Ref{Kind: RefSSO}, nil
	}
	if e.ActorID == "" {
		return Ref{Kind: RefOperator}, nil
	}
	u, err := d.user(ctx, e.ActorID, "")
	if err != nil || u == nil {
		return Ref{Kind: RefAccount, Text: e.Actor, ID: e.ActorID}, err
	}
	return d.accountRef(ctx, u, e.OrgID)
}

// account returns the account with the e-mail address, as a member of
// orgID when that is not empty.
func (d *describer) account(ctx context.Context, email, orgID string) (Ref, error) {
	u, err := d.user(ctx, "", email)
	if err != nil || u == nil {
		return Ref{Kind: RefAccount, Text: email}, err
	}
	return d.accountRef(ctx, u, orgID)
}

func (d *describer) accountRef(ctx context.Context, u *model.User, orgID string) (Ref, error) {
	r := Ref{Kind: RefAccount, Text: u.Email, ID: u.ID, Exists: true}
	if u.Name != "" {
		r.Text = u.Name + " (" + u.Email + ")"
	}
	if orgID == "" {
		return r, nil
	}
	o, err := d.orgByID(ctx, orgID)
	if err != nil || o == nil {
		r.Exists = false
		return r, err
	}
	key := [2]string{orgID, u.ID}
	member, ok := d.members[key]
	if !ok {
		_, err := d.st.Membership(ctx, orgID, u.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return r, err
		}
		member = err == nil
		d.members[key] = member
	}
	r.Org, r.Exists = o.Handle, member
	return r, nil
}

// user looks an account up by id or by e-mail address; nil when gone.
func (d *describer) user(ctx context.Context, id, email string) (*model.User, error) {
	key := id
	if key == "" {
		key = "email:" + email
	}
	if u, ok := d.users[key]; ok {
		return u, nil
	}
	var u *model.User
	var err error
	if id != "" {
		u, err = d.st.UserByID(ctx, id)
	} else {
		u, err = d.st.UserByEmail(ctx, email)
	}
	if errors.Is(err, store.ErrNotFound) {
		u, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	d.users[key] = u
	return u, nil
}

// post returns the post an entry is about: its excerpt as recorded when
// the entry has one, else as it reads now; its id when it is gone.
func (d *describer) post(ctx context.Context, e *model.AuditEntry) (Ref, error) {
	r := Ref{Kind: RefPost, ID: e.Target, Text: excerpt(e.Detail)}
	p, ok := d.posts[e.Target]
	if !ok {
		var err error
		p, err = d.st.PostByID(ctx, e.Target)
		if errors.Is(err, store.ErrNotFound) {
			p, err = nil, nil
		}
		if err != nil {
			return r, err
		}
		d.posts[e.Target] = p
	}
	if p == nil {
		if r.Text == "" {
			r.Text = e.Target
		}
		return r, nil
	}
	if r.Text == "" {
		r.Text = excerpt(p.Text)
	}
	o, err := d.orgByID(ctx, p.OrgID)
	if err != nil || o == nil {
		return r, err
	}
	r.Org, r.Exists = o.Handle, true
	return r, nil
}

// org returns the organisation an entry is about, by its current name and
// handle; by the handle recorded when it is gone.
func (d *describer) org(ctx context.Context, e *model.AuditEntry) (Ref, error) {
	r := Ref{Kind: RefOrg, Text: e.Target}
	o, err := d.orgByID(ctx, e.OrgID)
	if err != nil || o == nil {
		return r, err
	}
	r.Text, r.Org, r.Exists = o.DisplayName+" (@"+o.Handle+")", o.Handle, true
	return r, nil
}

func (d *describer) orgByID(ctx context.Context, id string) (*model.Org, error) {
	if id == "" {
		return nil, nil
	}
	if o, ok := d.orgs[id]; ok {
		return o, nil
	}
	o, err := d.st.OrgByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		o, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	d.orgs[id] = o
	return o, nil
}

// inbox tells the team's work on the inbox of questions: the detail starts
// with the question's reference (or is a saved answer's title, or the
// roles that read the inbox).
func (d *describer) inbox(ctx context.Context, e *model.AuditEntry, who Ref) (i18n.Message, error) {
	ref, rest, _ := strings.Cut(e.Detail, " ")
	switch e.Action {
	case "question.answer-direct":
		return i18n.M(i18n.AuditQuestionAnswerDirect, who, ref), nil
	case "question.note":
		return i18n.M(i18n.AuditQuestionNote, who, ref), nil
	case "question.export":
		return i18n.M(i18n.AuditQuestionExport, who, ref), nil
	case "question.complaint":
		if rest == "no" {
			return i18n.M(i18n.AuditQuestionNoComplaint, who, ref), nil
		}
		return i18n.M(i18n.AuditQuestionComplaint, who, ref), nil
	case "question.assign":
		if rest == "-" || rest == "" {
			return i18n.M(i18n.AuditQuestionUnassign, who, ref), nil
		}
		a, err := d.account(ctx, rest, e.OrgID)
		return i18n.M(i18n.AuditQuestionAssign, who, ref, a), err
	case "saved.add":
		return i18n.M(i18n.AuditSavedAdd, who, e.Detail), nil
	case "saved.remove":
		return i18n.M(i18n.AuditSavedRemove, who, e.Detail), nil
	}
	var roles i18n.List
	for _, r := range strings.Split(e.Detail, ",") {
		roles = append(roles, roleName(model.Role(r)))
	}
	return i18n.M(i18n.AuditInboxSettings, who, roles), nil
}
