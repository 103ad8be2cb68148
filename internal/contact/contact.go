// Package contact lets citizens ask an organisation a question without an
// account: the contact form's checks (a signed form token that expires, a
// minimum fill time, a honeypot field, limits), the warning about
// sensitive numbers, storing the question with a reference number, and the
// acknowledgement mail, which carries nothing the citizen typed.
//
// Nothing here keeps a visitor's network address: the web counts forms per
// client in memory and only tells Submit whether a limit was exceeded. A
// question over a limit is not refused but held for review, without an
// acknowledgement.
package contact

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/keyring"
	"plein/internal/mail"
	"plein/internal/model"
	"plein/internal/sensitive"
	"plein/internal/store"
)

// Limits of the form.
const (
	MaxQuestionLength = 5000 // characters
	MaxNameLength     = 200
	MaxAddressLength  = 254
	// MinFillTime is the least time between showing the form and sending
	// it that a person needs; a faster form is held for review.
	MinFillTime = 3 * time.Second
	// TokenLifetime is how long a shown form can be sent.
	TokenLifetime = 4 * time.Hour
	// PerAddressPerDay is how many questions with one answer address an
	// organisation takes in a day before it holds the next for review.
	PerAddressPerDay = 5
	// PerOrgPerHour is how many questions an organisation takes in an
	// hour before it holds the next for review.
	PerOrgPerHour = 200
)

// TopicGeneral is the one topic every organisation offers; topics of its
// own are not configurable yet.
const TopicGeneral = "general"

// Fields of the form, as the FieldErrors of Submit name them.
const (
	FieldQuestion  = "question"
	FieldName      = "name"
	FieldEmail     = "email"
	FieldTopic     = "topic"
	FieldToken     = "token"
	FieldSensitive = "sensitive"
)

// Config is what a Service needs.
type Config struct {
	Store store.Store
	// Auth decides who may read and answer the inbox.
	Auth *auth.Service
	// Sender sends the acknowledgement; nil: none is sent.
	Sender mail.Sender
	// Direct sends answers to Fediverse addresses; nil: such questions
	// cannot be answered.
	Direct  DirectMessenger
	BaseURL string // public URL without trailing slash
	// Retention is the installation's retention of questions, which an
	// organisation keeps unless it chooses its own.
	Retention time.Duration
	Now       func() time.Time
	Logger    *slog.Logger
}

// Service takes citizens' questions.
type Service struct {
	st      store.Store
	auth    *auth.Service
	sender  mail.Sender
	direct  DirectMessenger
	baseURL string
	host    string
	// retention is the installation's retention of questions.
	retention time.Duration
	now       func() time.Time
	logger    *slog.Logger

	key *keyring.Secret // of form tokens
}

// New returns a Service.
func New(c Config) *Service {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	s := &Service{st: c.Store, auth: c.Auth, sender: c.Sender, direct: c.Direct, retention: c.Retention, baseURL: strings.TrimSuffix(c.BaseURL, "/"), now: c.Now, logger: c.Logger, host: "localhost",
		key: keyring.New(c.Store, settingKey)}
	if u, err := url.Parse(s.baseURL); err == nil && u.Hostname() != "" {
		s.host = u.Hostname()
	}
	return s
}

// DefaultRetention is the installation's retention of questions, which an
// organisation keeps unless it chooses its own.
func (s *Service) DefaultRetention() time.Duration { return s.retention }

// Mails reports whether an acknowledgement is mailed.
func (s *Service) Mails() bool { return s != nil && s.sender != nil }

// settingKey stores the installation's secret for form tokens.
const settingKey = "contact_form_key"

func (s *Service) secret(ctx context.Context) ([]byte, error) { return s.key.Bytes(ctx) }

// FormToken returns the token of a contact form of the organisation orgID
// shown now: the time in seconds and an HMAC of it and the organisation.
// It holds nothing about the visitor.
func (s *Service) FormToken(ctx context.Context, orgID string) (string, error) {
	ts := strconv.FormatInt(s.now().Unix(), 10)
	m, err := s.mac(ctx, orgID, ts)
	if err != nil {
		return "", err
	}
	return ts + "." + m, nil
}

func (s *Service) mac(ctx context.Context, orgID, ts string) (string, error) {
	k, err := s.secret(ctx)
	if err != nil {
		return "", err
	}
	h := hmac.New(sha256.New, k)
	h.Write([]byte("contact-form\x00" + orgID + "\x00" + ts))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18]), nil
}

// errBadToken: a token not made here, for another organisation, or
// expired.
var errBadToken = errors.New("contact: bad form token")

// tokenAge checks a form token of orgID and returns how long ago its form
// was shown.
func (s *Service) tokenAge(ctx context.Context, orgID, token string, now time.Time) (time.Duration, error) {
	ts, sum, ok := strings.Cut(token, ".")
	if !ok {
		return 0, errBadToken
	}
	want, err := s.mac(ctx, orgID, ts)
	if err != nil {
		return 0, err
	}
	if !hmac.Equal([]byte(sum), []byte(want)) {
		return 0, errBadToken
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return 0, errBadToken
	}
	age := now.Sub(time.Unix(sec, 0))
	if age > TokenLifetime || age < -time.Minute {
		return 0, errBadToken
	}
	return age, nil
}

// Input is a contact form as sent.
type Input struct {
	Question string
	Name     string
	ReplyTo  string // an e-mail address, or a Fediverse address @user@server
	Topic    string // one of the organisation's topics or TopicOther; empty: TopicGeneral when it has none
	Token    string // from FormToken
	// Honeypot is the field people do not see; anything in it means a
	// robot filled the form.
	Honeypot string
	Lang     string // of the form
	// AllowSensitive: the citizen was warned about the sensitive numbers
	// in the question and chose to send it anyway.
	AllowSensitive bool
	// OverLimit: the client sent more forms than the web's limit allows.
	OverLimit bool
}

// Receipt is what the citizen is told after sending.
type Receipt struct {
	Reference string
	// Mailed: an acknowledgement is on its way to the answer address.
	Mailed bool
}

// Submit checks and stores a question for the organisation o. A bad field
// is a model.FieldError on one of the Field names; FieldSensitive names the
// kinds of sensitive number found, which the citizen may send anyway with
// AllowSensitive. A form from a robot (the honeypot filled) gets a receipt
// but is not stored; a form sent too fast, or over a limit, is stored as
// held for review and not acknowledged.
func (s *Service) Submit(ctx context.Context, o *model.Org, in Input) (*Receipt, error) {
	now := s.now().UTC()
	in.Lang = i18n.Pick(in.Lang, o.Language)
	if in.Honeypot != "" {
		return &Receipt{Reference: newReference()}, nil
	}
	age, err := s.tokenAge(ctx, o.ID, in.Token, now)
	if errors.Is(err, errBadToken) {
		return nil, model.Invalid(FieldToken, i18n.M(i18n.ErrContactToken))
	}
	if err != nil {
		return nil, err
	}
	topics, err := s.Topics(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	q, err := validate(in, topics)
	if err != nil {
		return nil, err
	}
	found := sensitive.Kinds(sensitive.Scan(q.Text+"\n"+q.Name, sensitive.Message))
	if len(found) > 0 && !in.AllowSensitive {
		return nil, model.Invalid(FieldSensitive, i18n.M(i18n.ErrContactSensitive, i18n.SensitiveKinds(sensitive.Names(found))))
	}
	q.ID, q.OrgID, q.Lang, q.State, q.ReceivedAt, q.UpdatedAt = model.NewID(now), o.ID, in.Lang, model.QuestionNew, now, now
	q.Sensitive = strings.Join(sensitive.Names(found), ",")
	held := in.OverLimit || age < MinFillTime
	if !held {
		if held, err = s.overLimit(ctx, q, now); err != nil {
			return nil, err
		}
	}
	if held {
		q.State = model.QuestionHeld
	}
	mailed := !held && s.Mails() && !isFediverse(q.ReplyTo)
	if err := s.store(ctx, q, mailed); err != nil {
		return nil, err
	}
	return &Receipt{Reference: q.Reference, Mailed: mailed}, nil
}

// store stores a new question under a fresh reference, with the jobs that
// follow it in the same transaction: the acknowledgement when ack, and the
// notices to the team of a question that is not held.
func (s *Service) store(ctx context.Context, q *model.Question, ack bool) error {
	var team []string
	if q.State == model.QuestionNew {
		var err error
		if team, err = s.noticeRecipients(ctx, q.OrgID); err != nil {
			return err
		}
	}
	var err error
	for attempt := 0; ; attempt++ {
		q.Reference = newReference()
		err = s.st.InTx(ctx, func(tx store.Tx) error {
			if err := tx.CreateQuestion(ctx, q); err != nil {
				return err
			}
			for _, userID := range team {
				if err := tx.EnqueueJob(ctx, NoticeArgs{QuestionID: q.ID, UserID: userID}, nil); err != nil {
					return err
				}
			}
			if ack {
				return tx.EnqueueJob(ctx, AckArgs{QuestionID: q.ID}, nil)
			}
			return nil
		})
		if !errors.Is(err, store.ErrAlreadyExists) || attempt == 3 {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("contact: store question: %w", err)
	}
	return nil
}

// overLimit reports whether the organisation has had too many questions
// lately, in all or from q's answer address.
func (s *Service) overLimit(ctx context.Context, q *model.Question, now time.Time) (bool, error) {
	n, err := s.st.CountQuestionsFrom(ctx, q.OrgID, q.ReplyTo, now.Add(-24*time.Hour))
	if err != nil {
		return false, fmt.Errorf("contact: limit: %w", err)
	}
	if n >= PerAddressPerDay {
		return true, nil
	}
	n, err = s.st.CountQuestionsSince(ctx, q.OrgID, now.Add(-time.Hour))
	if err != nil {
		return false, fmt.Errorf("contact: limit: %w", err)
	}
	return n >= PerOrgPerHour, nil
}

// validate checks the fields of in against the organisation's topics and
// returns the question they make.
func validate(in Input, topics []string) (*model.Question, error) {
	q := &model.Question{Text: strings.TrimSpace(strings.ReplaceAll(in.Question, "\r\n", "\n")),
		Name: strings.TrimSpace(in.Name), ReplyTo: strings.TrimSpace(in.ReplyTo), Topic: strings.TrimSpace(in.Topic)}
	if q.Topic == "" && len(topics) == 0 {
		q.Topic = TopicGeneral
	}
	switch n := utf8.RuneCountInString(q.Text); {
	case !utf8.ValidString(q.Text) || n == 0:
		return nil, model.Invalid(FieldQuestion, i18n.M(i18n.ErrContactQuestionEmpty))
	case n > MaxQuestionLength:
		return nil, model.Invalid(FieldQuestion, i18n.M(i18n.ErrContactQuestionLong, n, MaxQuestionLength))
	}
	if !utf8.ValidString(q.Name) || utf8.RuneCountInString(q.Name) > MaxNameLength || strings.ContainsAny(q.Name, "\r\n") {
		return nil, model.Invalid(FieldName, i18n.M(i18n.ErrContactName, MaxNameLength))
	}
	if !validReplyTo(q.ReplyTo) {
		return nil, model.Invalid(FieldEmail, i18n.M(i18n.ErrContactAddress))
	}
	if len(q.Topic) > 4*MaxTopicLength || !validTopic(q.Topic, topics) {
		return nil, model.Invalid(FieldTopic, i18n.M(i18n.ErrContactTopic))
	}
	return q, nil
}

// validReplyTo reports whether a is an e-mail address (without a display
// name) or a Fediverse address, @user@server.
func validReplyTo(a string) bool {
	if a == "" || len(a) > MaxAddressLength || strings.ContainsAny(a, " \t\r\n<>\",;") {
		return false
	}
	if isFediverse(a) {
		user, host, ok := strings.Cut(a[1:], "@")
		return ok && user != "" && strings.Contains(host, ".") && !strings.Contains(host, "@")
	}
	parsed, err := netmail.ParseAddress(a)
	return err == nil && parsed.Address == a && strings.Contains(a[strings.LastIndexByte(a, '@'):], ".")
}

func isFediverse(a string) bool { return strings.HasPrefix(a, "@") }

// referenceAlphabet has no letters that read like digits (I, L, O, U).
const referenceAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newReference returns a reference number such as "V-7KQ2-M9XD".
func newReference() string {
	b := make([]byte, 8)
	rand.Read(b)
	out := []byte("V-")
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, referenceAlphabet[int(c)%len(referenceAlphabet)])
	}
	return string(out)
}

// FormAge checks a form token made by FormToken for scope (an
// organisation's id, or another form's scope) and returns how long ago its
// form was shown; valid is false for a token not made here, for another
// scope, or expired. Other public forms share the contact form's checks
// through it.
func (s *Service) FormAge(ctx context.Context, scope, token string) (age time.Duration, valid bool, err error) {
	age, err = s.tokenAge(ctx, scope, token, s.now().UTC())
	if errors.Is(err, errBadToken) {
		return 0, false, nil
	}
	return age, err == nil, err
}
