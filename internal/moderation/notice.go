package moderation

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/jobs"
	"plein/internal/mail"
	"plein/internal/model"
	"plein/internal/store"
)

// Limits and checks of the public report form.
const (
	MaxNoticeText    = 5000 // characters of the explanation
	MaxNoticeName    = 200
	MaxNoticeAddress = 254
	// MinNoticeFillTime is the least time between showing the form and
	// sending it that a person needs; a faster form is kept but not
	// acknowledged by mail.
	MinNoticeFillTime = 3 * time.Second
)

// Fields of the report form, as the FieldErrors of SubmitNotice name them.
const (
	NoticeFieldGround    = "ground"
	NoticeFieldLaw       = "law"
	NoticeFieldText      = "explanation"
	NoticeFieldName      = "name"
	NoticeFieldEmail     = "email"
	NoticeFieldGoodFaith = "goodfaith"
	NoticeFieldToken     = "token"
	NoticeFieldTarget    = "target"
)

// FormTokens makes and checks the signed, expiring tokens of public forms;
// the contact package's Service is one.
type FormTokens interface {
	FormToken(ctx context.Context, scope string) (string, error)
	FormAge(ctx context.Context, scope, token string) (age time.Duration, valid bool, err error)
}

// NoticeForms is what the public report form needs.
type NoticeForms struct {
	Tokens FormTokens
	// Sender mails the receipt; nil: none is mailed.
	Sender  mail.Sender
	BaseURL string
	Logger  *slog.Logger
}

// UseNoticeForms lets the Service take notices from the public report
// form.
func (s *Service) UseNoticeForms(f NoticeForms) {
	if f.Logger == nil {
		f.Logger = slog.Default()
	}
	f.BaseURL = strings.TrimSuffix(f.BaseURL, "/")
	s.forms = &f
}

// TakesNotices reports whether the public report form is open.
func (s *Service) TakesNotices() bool { return s != nil && s.forms != nil && s.forms.Tokens != nil }

func noticeScope(orgID string) string { return "notice\x00" + orgID }

// NoticeToken returns the token of a report form of the organisation
// orgID shown now. It holds nothing about the visitor.
func (s *Service) NoticeToken(ctx context.Context, orgID string) (string, error) {
	return s.forms.Tokens.FormToken(ctx, noticeScope(orgID))
}

// NoticeInput is a report form as sent.
type NoticeInput struct {
	PostID  string // the post reported, or the post of the reply reported
	ReplyID string // empty: the post itself
	Ground  string // "illegal" or "incompatible"
	Law     string // the law broken, for illegal content
	Text    string // the explanation
	Name    string
	Email   string
	// GoodFaith: the reporter declared the notice accurate and complete
	// to the best of their knowledge (Art. 16(2)(d)).
	GoodFaith bool
	Token     string
	// Honeypot is the field people do not see.
	Honeypot string
	Lang     string
	// OverLimit: the client sent more forms than the web's limit allows.
	OverLimit bool
}

// NoticeReceipt is what the reporter is told after sending.
type NoticeReceipt struct {
	Reference string
	Mailed    bool // a receipt is on its way to the address given
}

// SubmitNotice checks and keeps a notice about a post of the organisation
// o, or a reply shown under it, as an open notice for its moderators. A bad
// field is a model.FieldError on one of the NoticeField names. A form from
// a robot (the honeypot filled) gets a receipt but is not kept; a form sent
// too fast or over a limit is kept but not acknowledged by mail.
func (s *Service) SubmitNotice(ctx context.Context, o *model.Org, in NoticeInput) (*NoticeReceipt, error) {
	if !s.TakesNotices() {
		return nil, errors.New("moderation: no report form")
	}
	now := s.now().UTC()
	lang := i18n.Pick(in.Lang, o.Language)
	if in.Honeypot != "" {
		return &NoticeReceipt{Reference: newNoticeReference()}, nil
	}
	age, valid, err := s.forms.Tokens.FormAge(ctx, noticeScope(o.ID), in.Token)
	if err != nil {
		return nil, fmt.Errorf("moderation: notice: %w", err)
	}
	if !valid {
		return nil, model.Invalid(NoticeFieldToken, i18n.M(i18n.ErrContactToken))
	}
	n, err := s.noticeOf(ctx, o, in)
	if err != nil {
		return nil, err
	}
	n.ID, n.OrgID, n.Source, n.State, n.ReceivedAt, n.Lang = model.NewID(now), o.ID, model.NoticeFromForm, model.NoticeOpen, now, lang
	n.Reference = newNoticeReference()
	mailed := n.Email != "" && s.forms.Sender != nil && !in.OverLimit && age >= MinNoticeFillTime
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.AddNotice(ctx, n); err != nil {
			return err
		}
		if mailed {
			return tx.EnqueueJob(ctx, NoticeReceiptArgs{NoticeID: n.ID}, nil)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("moderation: keep notice: %w", err)
	}
	return &NoticeReceipt{Reference: n.Reference, Mailed: mailed}, nil
}

// noticeOf validates the fields of in: what is reported must be a public
// post of o, or a reply shown under it.
func (s *Service) noticeOf(ctx context.Context, o *model.Org, in NoticeInput) (*model.Notice, error) {
	p, err := s.st.PostByID(ctx, strings.TrimSpace(in.PostID))
	if errors.Is(err, store.ErrNotFound) || err == nil && (p.OrgID != o.ID || p.State != model.StatePublished) {
		return nil, model.Invalid(NoticeFieldTarget, i18n.M(i18n.ErrNoticeTarget))
	}
	if err != nil {
		return nil, fmt.Errorf("moderation: notice: %w", err)
	}
	n := &model.Notice{Objects: []string{p.ID}, Content: strings.TrimSpace(strings.ReplaceAll(in.Text, "\r\n", "\n")),
		Law: strings.TrimSpace(in.Law), Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email)}
	if id := strings.TrimSpace(in.ReplyID); id != "" {
		r, err := s.st.Reply(ctx, id)
		if errors.Is(err, store.ErrNotFound) || err == nil && (r.PostID != p.ID || r.State != model.ReplyShown) {
			return nil, model.Invalid(NoticeFieldTarget, i18n.M(i18n.ErrNoticeTarget))
		}
		if err != nil {
			return nil, fmt.Errorf("moderation: notice: %w", err)
		}
		n.Objects = []string{r.ID}
	}
	g, err := ParseGround(in.Ground)
	if err != nil {
		return nil, model.Invalid(NoticeFieldGround, i18n.M(i18n.ErrNoticeGround))
	}
	n.Ground = g
	switch c := utf8.RuneCountInString(n.Law); {
	case !utf8.ValidString(n.Law) || c == 0 && g == model.GroundIllegal:
		return nil, model.Invalid(NoticeFieldLaw, i18n.M(i18n.ErrNoticeLaw))
	case c > MaxLaw:
		return nil, model.Invalid(NoticeFieldLaw, i18n.M(i18n.ErrNoticeLawLong, c, MaxLaw))
	}
	switch c := utf8.RuneCountInString(n.Content); {
	case !utf8.ValidString(n.Content) || c == 0:
		return nil, model.Invalid(NoticeFieldText, i18n.M(i18n.ErrNoticeText))
	case c > MaxNoticeText:
		return nil, model.Invalid(NoticeFieldText, i18n.M(i18n.ErrNoticeTextLong, c, MaxNoticeText))
	}
	if !utf8.ValidString(n.Name) || utf8.RuneCountInString(n.Name) > MaxNoticeName || strings.ContainsAny(n.Name, "\r\n") {
		return nil, model.Invalid(NoticeFieldName, i18n.M(i18n.ErrContactName, MaxNoticeName))
	}
	if n.Email != "" && !validAddress(n.Email) {
		return nil, model.Invalid(NoticeFieldEmail, i18n.M(i18n.ErrNoticeAddress))
	}
	if !in.GoodFaith {
		return nil, model.Invalid(NoticeFieldGoodFaith, i18n.M(i18n.ErrNoticeGoodFaith))
	}
	return n, nil
}

// validAddress reports whether a is a bare e-mail address.
func validAddress(a string) bool {
	if len(a) > MaxNoticeAddress || strings.ContainsAny(a, " \t\r\n<>\",;") {
		return false
	}
	parsed, err := netmail.ParseAddress(a)
	return err == nil && parsed.Address == a && strings.Contains(a[strings.LastIndexByte(a, '@'):], ".")
}

// noticeAlphabet has no letters that read like digits (I, L, O, U).
const noticeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newNoticeReference returns a reference such as "M-7KQ2-M9XD".
func newNoticeReference() string {
	b := make([]byte, 8)
	rand.Read(b)
	out := []byte("M-")
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, noticeAlphabet[int(c)%len(noticeAlphabet)])
	}
	return string(out)
}

// NoticeReceiptArgs is the durable job that mails a reporter that their
// notice arrived. It carries only the notice's id.
type NoticeReceiptArgs struct {
	NoticeID string `json:"notice_id"`
}

// Kind implements river.JobArgs.
func (NoticeReceiptArgs) Kind() string { return "moderation_notice_receipt" }

// InsertOpts puts receipts on the mail queue.
func (NoticeReceiptArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueMail, MaxAttempts: 10}
}

// NoticeReceiptWorker sends NoticeReceiptArgs jobs.
type NoticeReceiptWorker struct {
	river.WorkerDefaults[NoticeReceiptArgs]
	svc *Service
}

// NewNoticeReceiptWorker returns the worker for NoticeReceiptArgs jobs.
func NewNoticeReceiptWorker(svc *Service) *NoticeReceiptWorker { return &NoticeReceiptWorker{svc: svc} }

// Work mails the receipt of the notice, unless it is gone.
func (w *NoticeReceiptWorker) Work(ctx context.Context, job *river.Job[NoticeReceiptArgs]) error {
	return w.svc.sendNoticeReceipt(ctx, job.Args.NoticeID)
}

func (s *Service) sendNoticeReceipt(ctx context.Context, id string) error {
	if !s.TakesNotices() || s.forms.Sender == nil {
		return nil
	}
	n, err := s.st.NoticeByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("moderation: notice receipt: %w", err)
	}
	o, err := s.st.OrgByID(ctx, n.OrgID)
	if err != nil {
		return fmt.Errorf("moderation: notice receipt: %w", err)
	}
	when := i18n.DateTime(n.Lang, n.ReceivedAt.In(o.Location()))
	// Nothing the reporter typed but the address, so the form cannot send
	// a stranger a message.
	m := &mail.Message{ID: "notice." + n.ID + "@plein", FromName: o.DisplayName, To: n.Email, Lang: n.Lang,
		Subject: i18n.T(n.Lang, "notice.mail.subject", o.DisplayName, n.Reference),
		Text: i18n.T(n.Lang, "notice.mail.body", o.DisplayName, when, n.Reference) + "\n\n" +
			i18n.T(n.Lang, "contact.mail.ignore") + "\n\n-- \n" + o.DisplayName + "\n" + s.forms.BaseURL + "/@" + o.Handle + "\n"}
	if err := s.forms.Sender.Send(ctx, m); err != nil {
		if errors.Is(err, mail.ErrRejected) {
			s.forms.Logger.Warn("moderation: notice receipt refused by the relay", "notice", n.ID)
			return nil
		}
		return fmt.Errorf("moderation: send notice receipt %s: %s", n.ID, strings.ReplaceAll(err.Error(), n.Email, "[address]"))
	}
	return nil
}

// noticeAbout returns the notice id of the organisation orgID about the
// reply replyID, that a decision follows; nil for no id. Any other id is
// a model.FieldError on "notice".
func (s *Service) noticeAbout(ctx context.Context, id, orgID, replyID string) (*model.Notice, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, nil
	}
	n, err := s.st.NoticeByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && (n.OrgID != orgID || !slices.Contains(n.Objects, replyID)) {
		return nil, model.Invalid("notice", i18n.M(i18n.ErrNoticeNotAbout, id))
	}
	if err != nil {
		return nil, fmt.Errorf("moderation: notice: %w", err)
	}
	return n, nil
}

// followedNotice marks the notice n handled by the decision st states,
// and has its reporter told the decision by mail when they gave an
// address (Art. 16(5)).
func (s *Service) followedNotice(ctx context.Context, tx store.Tx, n *model.Notice, st *model.Statement) error {
	if err := tx.HandleNotice(ctx, n.ID); err != nil {
		return fmt.Errorf("moderation: handle notice: %w", err)
	}
	if n.Email == "" || !s.TakesNotices() || s.forms.Sender == nil {
		return nil
	}
	if err := tx.EnqueueJob(ctx, NoticeDecisionArgs{NoticeID: n.ID, StatementID: st.ID}, nil); err != nil {
		return fmt.Errorf("moderation: mail the decision on a notice: %w", err)
	}
	return nil
}

// NoticesAbout returns the notices of the organisation about the reply
// replyID, that a decision on it may follow, newest first.
func (s *Service) NoticesAbout(ctx context.Context, actor auth.Actor, orgID, replyID string) ([]*model.Notice, error) {
	all, err := s.Notices(ctx, actor, orgID, 0)
	if err != nil {
		return nil, err
	}
	var out []*model.Notice
	for _, n := range all {
		if slices.Contains(n.Objects, replyID) {
			out = append(out, n)
		}
	}
	return out, nil
}

// NoticeDecisionArgs is the durable job that mails a reporter the
// decision on their notice. It carries only ids.
type NoticeDecisionArgs struct {
	NoticeID    string `json:"notice_id"`
	StatementID string `json:"statement_id"`
}

// Kind implements river.JobArgs.
func (NoticeDecisionArgs) Kind() string { return "moderation_notice_decision" }

// InsertOpts puts the mails on the mail queue, one per decision.
func (NoticeDecisionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueMail, MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// NoticeDecisionWorker sends NoticeDecisionArgs jobs.
type NoticeDecisionWorker struct {
	river.WorkerDefaults[NoticeDecisionArgs]
	svc *Service
}

// NewNoticeDecisionWorker returns the worker for NoticeDecisionArgs jobs.
func NewNoticeDecisionWorker(svc *Service) *NoticeDecisionWorker {
	return &NoticeDecisionWorker{svc: svc}
}

// Work mails the decision, unless the notice or statement is gone.
func (w *NoticeDecisionWorker) Work(ctx context.Context, job *river.Job[NoticeDecisionArgs]) error {
	return w.svc.sendNoticeDecision(ctx, job.Args.NoticeID, job.Args.StatementID)
}

func (s *Service) sendNoticeDecision(ctx context.Context, noticeID, statementID string) error {
	if !s.TakesNotices() || s.forms.Sender == nil {
		return nil
	}
	n, err := s.st.NoticeByID(ctx, noticeID)
	if errors.Is(err, store.ErrNotFound) || err == nil && n.Email == "" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("moderation: notice decision: %w", err)
	}
	st, err := s.st.StatementByID(ctx, statementID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("moderation: notice decision: %w", err)
	}
	o, err := s.st.OrgByID(ctx, n.OrgID)
	if err != nil {
		return fmt.Errorf("moderation: notice decision: %w", err)
	}
	lang := i18n.Pick(n.Lang, o.Language)
	decision := i18n.NoticeDecisionRefused
	if st.Decision == model.ReplyHidden {
		decision = i18n.NoticeDecisionHidden
	}
	when := i18n.DateTime(lang, n.ReceivedAt.In(o.Location()))
	// Nothing anyone typed: not the reporter's text, not the moderator's
	// explanation, which is the author's to read.
	m := &mail.Message{ID: "notice-decision." + n.ID + "." + st.ID + "@plein", FromName: o.DisplayName, To: n.Email, Lang: lang,
		Subject: i18n.T(lang, string(i18n.NoticeDecisionSubject), o.DisplayName, n.Reference),
		Text: i18n.T(lang, string(i18n.NoticeDecisionBody), o.DisplayName, n.Reference, when, i18n.T(lang, string(decision))) + "\n\n" +
			i18n.T(lang, "contact.mail.ignore") + "\n\n-- \n" + o.DisplayName + "\n" + s.forms.BaseURL + "/@" + o.Handle + "\n"}
	if err := s.forms.Sender.Send(ctx, m); err != nil {
		if errors.Is(err, mail.ErrRejected) {
			s.forms.Logger.Warn("moderation: notice decision refused by the relay", "notice", n.ID)
			return nil
		}
		return fmt.Errorf("moderation: send notice decision %s: %s", n.ID, strings.ReplaceAll(err.Error(), n.Email, "[address]"))
	}
	return nil
}
