package contact

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/store"
)

// DefaultReaders are the roles whose members may read an organisation's
// inbox until it chooses others: answering citizens is the same work as
// answering replies.
var DefaultReaders = []model.Role{model.RoleAdmin, model.RoleModerator}

// DefaultComplaintRetention is how long a question marked as a complaint
// is kept unless its organisation chose otherwise.
const DefaultComplaintRetention = config.ComplaintAge

// Bounds of the inbox's texts and settings.
const (
	MaxNoteLength       = 5000 // characters
	MaxSavedTitleLength = 100
	// MinRetention and MaxRetention bound an organisation's retention of
	// questions and of complaints.
	MinRetention = 24 * time.Hour
	MaxRetention = 20 * 365 * 24 * time.Hour
)

// ErrSavedNotFound means the organisation has no saved answer with that id.
var ErrSavedNotFound = errors.New("contact: no such saved answer")

// Audit actions of the team's work on the inbox. The target is the
// question's (or saved answer's) id; the detail starts with the question's
// reference.
const (
	AuditAnswerDirect = "question.answer-direct"
	AuditAssign       = "question.assign"    // detail: reference and the assignee's e-mail address, or none
	AuditNote         = "question.note"      // detail: reference
	AuditComplaint    = "question.complaint" // detail: reference and "yes" or "no"
	AuditExport       = "question.export"    // detail: reference
	AuditSavedAdd     = "saved.add"          // detail: the title
	AuditSavedRemove  = "saved.remove"       // detail: the title
	AuditSettings     = "inbox.settings"
)

// readers returns the roles that may read the organisation's inbox.
func readers(set *model.InboxSettings) []model.Role {
	if len(set.Readers) == 0 {
		return slices.Clone(DefaultReaders)
	}
	if !slices.Contains(set.Readers, model.RoleAdmin) {
		return append([]model.Role{model.RoleAdmin}, set.Readers...)
	}
	return set.Readers
}

// settings returns the organisation's inbox settings.
func (s *Service) settings(ctx context.Context, orgID string) (*model.InboxSettings, error) {
	set, err := s.st.InboxSettings(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("contact: inbox settings: %w", err)
	}
	return set, nil
}

// MayRead reports whether the actor may read and answer the inbox of the
// organisation orgID: the operator, and members whose role the
// organisation lets read it.
func (s *Service) MayRead(ctx context.Context, actor auth.Actor, orgID string) (bool, error) {
	if actor.Operator {
		return true, nil
	}
	if actor.UserID == "" {
		return false, nil
	}
	role, ok, err := s.auth.Role(ctx, actor, orgID)
	if err != nil || !ok {
		return false, err
	}
	set, err := s.settings(ctx, orgID)
	if err != nil {
		return false, err
	}
	return slices.Contains(readers(set), role), nil
}

// requireReader returns model.ErrForbidden unless the actor may read the
// inbox of orgID.
func (s *Service) requireReader(ctx context.Context, actor auth.Actor, orgID string) error {
	ok, err := s.MayRead(ctx, actor, orgID)
	if err != nil {
		return err
	}
	if !ok {
		return model.ErrForbidden
	}
	return nil
}

// Readers returns the members of the organisation who may read its inbox.
func (s *Service) Readers(ctx context.Context, orgID string) ([]auth.Member, error) {
	set, err := s.settings(ctx, orgID)
	if err != nil {
		return nil, err
	}
	members, err := s.auth.Members(ctx, orgID)
	if err != nil {
		return nil, err
	}
	roles := readers(set)
	return slices.DeleteFunc(members, func(m auth.Member) bool { return !slices.Contains(roles, m.Role) }), nil
}

// noticeRecipients returns the ids of the accounts to tell of a new
// question: those who may read the inbox, unless the organisation turned
// the notices off.
func (s *Service) noticeRecipients(ctx context.Context, orgID string) ([]string, error) {
	set, err := s.settings(ctx, orgID)
	if err != nil || !set.Notify {
		return nil, err
	}
	members, err := s.Readers(ctx, orgID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.User.ID
	}
	return ids, nil
}

// Retention is how long the organisation orgID keeps a question (not a
// complaint): its own choice, else the installation's. The contact form
// states it.
func (s *Service) Retention(ctx context.Context, orgID string) (time.Duration, error) {
	set, err := s.settings(ctx, orgID)
	if err != nil {
		return 0, err
	}
	if set.Retention > 0 {
		return set.Retention, nil
	}
	return s.retention, nil
}

// Settings returns the inbox settings of an organisation, with the
// defaults filled in: the roles that read it, the retention of questions
// and of complaints.
func (s *Service) Settings(ctx context.Context, actor auth.Actor, orgID string) (*model.InboxSettings, error) {
	if err := s.requireReader(ctx, actor, orgID); err != nil {
		return nil, err
	}
	set, err := s.settings(ctx, orgID)
	if err != nil {
		return nil, err
	}
	out := *set
	out.Readers = readers(set)
	return &out, nil
}

// SetSettings stores an organisation's inbox settings: who may read the
// inbox (admins always), how long questions and complaints are kept (zero:
// the default), whether the team gets notices. Only those who manage the
// organisation may change them; the audit log records it.
func (s *Service) SetSettings(ctx context.Context, actor auth.Actor, in model.InboxSettings) error {
	if err := s.auth.Require(ctx, actor, in.OrgID, auth.PermManage); err != nil {
		return err
	}
	var roles []model.Role
	for _, r := range append([]model.Role{model.RoleAdmin}, in.Readers...) {
		if _, err := model.ParseRole(string(r)); err != nil {
			return model.Invalid("readers", i18n.M(i18n.ErrInboxReaders))
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	in.Readers = roles
	for field, d := range map[string]time.Duration{"retention": in.Retention, "complaints": in.ComplaintRetention} {
		if d != 0 && (d < MinRetention || d > MaxRetention) {
			return model.Invalid(field, i18n.M(i18n.ErrInboxRetention, int(MinRetention/(24*time.Hour)), int(MaxRetention/(365*24*time.Hour))))
		}
	}
	now := s.now().UTC()
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.PutInboxSettings(ctx, &in); err != nil {
			return err
		}
		if err := tx.MarkChanged(ctx); err != nil { // the privacy page states the retention
			return err
		}
		return auth.Audit(ctx, tx, actor, in.OrgID, AuditSettings, in.OrgID, strings.Join(names, ","), now)
	})
	if err != nil {
		return fmt.Errorf("contact: inbox settings: %w", err)
	}
	return nil
}

// Assign gives a question to the colleague with the e-mail address email,
// who must be allowed to read the inbox; an empty address takes the
// question from whoever had it. The audit log records it.
func (s *Service) Assign(ctx context.Context, actor auth.Actor, id, email string) (*model.Question, error) {
	q, err := s.question(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	userID, detail := "", q.Reference+" -"
	if email = auth.NormalizeEmail(email); email != "" {
		u, err := s.auth.User(ctx, email)
		if err != nil || !s.readable(ctx, u, q.OrgID) {
			return nil, model.Invalid("to", i18n.M(i18n.ErrAssignee, email))
		}
		userID, detail = u.ID, q.Reference+" "+u.Email
	}
	now := s.now().UTC()
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.AssignQuestion(ctx, q.ID, userID, now); err != nil {
			return err
		}
		if q.State == model.QuestionNew {
			if err := tx.SetQuestionState(ctx, q.ID, model.QuestionInProgress, now); err != nil {
				return err
			}
			q.State = model.QuestionInProgress
		}
		return auth.Audit(ctx, tx, actor, q.OrgID, AuditAssign, q.ID, detail, now)
	})
	if err != nil {
		return nil, fmt.Errorf("contact: assign %s: %w", id, err)
	}
	q.Assignee, q.UpdatedAt = userID, now
	return q, nil
}

// readable reports whether the account u may read the inbox of orgID.
func (s *Service) readable(ctx context.Context, u *model.User, orgID string) bool {
	ok, err := s.MayRead(ctx, auth.ActorOf(u), orgID)
	return err == nil && ok
}

// AddNote keeps an internal note on a question, for the team; it is never
// sent. The audit log records that a note was written, not its text.
func (s *Service) AddNote(ctx context.Context, actor auth.Actor, id, text string) (*model.QuestionNote, error) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(text); {
	case !utf8.ValidString(text) || n == 0:
		return nil, model.Invalid("note", i18n.M(i18n.ErrQuestionNoteEmpty))
	case n > MaxNoteLength:
		return nil, model.Invalid("note", i18n.M(i18n.ErrQuestionNoteTooLong, n, MaxNoteLength))
	}
	q, err := s.question(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	n := &model.QuestionNote{ID: model.NewID(now), QuestionID: q.ID, Author: actor.Name, Text: text, CreatedAt: now}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.AddQuestionNote(ctx, n); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, q.OrgID, AuditNote, q.ID, q.Reference, now)
	})
	if err != nil {
		return nil, fmt.Errorf("contact: note on %s: %w", id, err)
	}
	return n, nil
}

// SetComplaint marks a question as a complaint, kept for the retention of
// complaints, or takes the mark off. The audit log records it.
func (s *Service) SetComplaint(ctx context.Context, actor auth.Actor, id string, complaint bool) (*model.Question, error) {
	q, err := s.question(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	mark := "no"
	if complaint {
		mark = "yes"
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.MarkComplaint(ctx, q.ID, complaint, now); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, q.OrgID, AuditComplaint, q.ID, q.Reference+" "+mark, now)
	})
	if err != nil {
		return nil, fmt.Errorf("contact: complaint %s: %w", id, err)
	}
	q.Complaint, q.UpdatedAt = complaint, now
	return q, nil
}

// SavedAnswers returns the organisation's saved answers, by title.
func (s *Service) SavedAnswers(ctx context.Context, actor auth.Actor, orgID string) ([]*model.SavedAnswer, error) {
	if err := s.requireReader(ctx, actor, orgID); err != nil {
		return nil, err
	}
	list, err := s.st.SavedAnswers(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("contact: saved answers: %w", err)
	}
	return list, nil
}

// SavedAnswer returns one of the organisation's saved answers, to start an
// answer from.
func (s *Service) SavedAnswer(ctx context.Context, actor auth.Actor, orgID, id string) (*model.SavedAnswer, error) {
	if err := s.requireReader(ctx, actor, orgID); err != nil {
		return nil, err
	}
	a, err := s.st.SavedAnswerByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && a.OrgID != orgID {
		return nil, ErrSavedNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("contact: saved answer: %w", err)
	}
	return a, nil
}

// AddSavedAnswer keeps an answer for frequent questions under a title.
// Those who may read the inbox may add one; the audit log records it.
func (s *Service) AddSavedAnswer(ctx context.Context, actor auth.Actor, orgID, title, text string) (*model.SavedAnswer, error) {
	title = strings.TrimSpace(title)
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if n := utf8.RuneCountInString(title); !utf8.ValidString(title) || n == 0 || n > MaxSavedTitleLength || strings.ContainsAny(title, "\r\n") {
		return nil, model.Invalid("title", i18n.M(i18n.ErrSavedTitle, MaxSavedTitleLength))
	}
	switch n := utf8.RuneCountInString(text); {
	case !utf8.ValidString(text) || n == 0:
		return nil, model.Invalid("text", i18n.M(i18n.ErrAnswerEmpty))
	case n > MaxAnswerLength:
		return nil, model.Invalid("text", i18n.M(i18n.ErrAnswerTooLong, n, MaxAnswerLength))
	}
	if err := s.requireReader(ctx, actor, orgID); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	a := &model.SavedAnswer{ID: model.NewID(now), OrgID: orgID, Title: title, Text: text, CreatedAt: now}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.AddSavedAnswer(ctx, a); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, orgID, AuditSavedAdd, a.ID, title, now)
	})
	if err != nil {
		return nil, fmt.Errorf("contact: add saved answer: %w", err)
	}
	return a, nil
}

// RemoveSavedAnswer deletes one of the organisation's saved answers; the
// audit log records it.
func (s *Service) RemoveSavedAnswer(ctx context.Context, actor auth.Actor, orgID, id string) error {
	a, err := s.SavedAnswer(ctx, actor, orgID, id)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.RemoveSavedAnswer(ctx, a.ID); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, orgID, AuditSavedRemove, a.ID, a.Title, now)
	})
	if err != nil {
		return fmt.Errorf("contact: remove saved answer: %w", err)
	}
	return nil
}
