package subscription

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/insights"
	"plein/internal/model"
	"plein/internal/post"
	"plein/internal/store"
)

// CSV columns of Export and Import, in the order Export writes them.
var csvColumns = []string{"email", "tag", "frequency", "lang", "confirmed_at", "consent", "consent_at"}

// MaxConsentLength bounds a consent statement.
const MaxConsentLength = 1000

// importBatch is how many rows one transaction of an import stores.
const importBatch = 200

// ErrNoConsent means an import states no consent for its subscribers.
var ErrNoConsent = errors.New("subscription: the import states no consent: give a consent statement and date for the file, or the columns consent and consent_at")

// List returns every subscription of an organisation, for its
// administrators: the subscribers' addresses are personal data.
func (s *Service) List(ctx context.Context, actor auth.Actor, orgID string) ([]*model.Subscription, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
		return nil, err
	}
	subs, err := s.st.ListSubscriptions(ctx, store.SubscriptionFilter{OrgID: orgID})
	if err != nil {
		return nil, fmt.Errorf("subscription: list: %w", err)
	}
	return subs, nil
}

// Counts returns how many subscriptions an organisation has in each state,
// for staff who read insights: numbers only.
func (s *Service) Counts(ctx context.Context, actor auth.Actor, orgID string) (map[model.SubscriptionState]int, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermInsights); err != nil {
		return nil, err
	}
	counts, err := s.st.SubscriptionCounts(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("subscription: counts: %w", err)
	}
	return counts, nil
}

// Export writes the organisation's active subscribers as CSV with a header
// row (see csvColumns), for its administrators, to move them to another
// provider; the export is recorded in the audit log. A subscriber who
// confirmed here has as consent the double opt-in, at the time of
// confirming. It returns the number of subscribers written.
func (s *Service) Export(ctx context.Context, actor auth.Actor, orgID string, w io.Writer) (int, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
		return 0, err
	}
	subs, err := s.st.ListSubscriptions(ctx, store.SubscriptionFilter{OrgID: orgID, States: active})
	if err != nil {
		return 0, fmt.Errorf("subscription: export: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns); err != nil {
		return 0, fmt.Errorf("subscription: export: %w", err)
	}
	for _, sub := range subs {
		consent, consentAt := sub.Consent, sub.ConsentAt
		if consent == "" {
			consent, consentAt = "double opt-in confirmed at "+s.host, sub.ConfirmedAt
		}
		row := []string{sub.Email, sub.Tag, string(sub.Frequency), sub.Lang, formatTime(sub.ConfirmedAt), consent, formatTime(consentAt)}
		if err := cw.Write(row); err != nil {
			return 0, fmt.Errorf("subscription: export: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return 0, fmt.Errorf("subscription: export: %w", err)
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		return auth.Audit(ctx, tx, actor, orgID, "subscribers.export", "", fmt.Sprintf("%d subscribers", len(subs)), s.now().UTC())
	})
	return len(subs), err
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// parseTime reads a time as RFC 3339 or a date, YYYY-MM-DD (UTC).
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, s)
}

// ImportOptions are the consent an import states for every row that does
// not state its own.
type ImportOptions struct {
	// Consent says what the subscribers agreed to at the previous
	// provider, such as "Signed up for the newsletter on www.example.org,
	// double opt-in".
	Consent string
	// ConsentAt is when they gave it, for rows without consent_at.
	ConsentAt time.Time
}

// ImportResult counts what an import did.
type ImportResult struct {
	Imported   int   // subscribed now, confirmed without a mail
	Existing   int   // subscribed already
	Suppressed int   // ended their subscription here, or complained: left out
	Invalid    []int // line numbers of rows left out: no valid address, topic, frequency or consent
}

// Import subscribes the organisation's subscribers from another provider,
// read as CSV with a header row naming its columns: email (required),
// and optionally tag, frequency, lang, consent and consent_at (other
// columns are ignored). Each subscriber needs a stated consent, of its
// own row or opts for the whole file, which is kept with its date; they
// are confirmed without a mail. Addresses on the suppression list are
// left out, so that an old list does not bring back who unsubscribed
// here. Only administrators may import; the import is in the audit log.
func (s *Service) Import(ctx context.Context, actor auth.Actor, orgID string, r io.Reader, opts ImportOptions) (ImportResult, error) {
	var res ImportResult
	if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
		return res, err
	}
	o, err := s.st.OrgByID(ctx, orgID)
	if err != nil {
		return res, fmt.Errorf("subscription: import: %w", err)
	}
	opts.Consent = strings.TrimSpace(opts.Consent)
	if len(opts.Consent) > MaxConsentLength {
		return res, model.Invalid("consent", i18n.M(i18n.ErrConsentTooLong, MaxConsentLength))
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return res, model.Invalid("file", i18n.M(i18n.ErrCSVNoHeader))
	}
	col := map[string]int{}
	for i, name := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))] = i
	}
	if _, ok := col["email"]; !ok {
		return res, model.Invalid("file", i18n.M(i18n.ErrCSVNoEmail))
	}
	if _, ok := col["consent"]; !ok && (opts.Consent == "" || opts.ConsentAt.IsZero()) {
		return res, ErrNoConsent
	}
	field := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var batch []*model.Subscription
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.st.InTx(ctx, func(tx store.Tx) error { return s.importBatch(ctx, tx, batch, &res) })
		batch = batch[:0]
		return err
	}
	now := s.now().UTC()
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				res.Invalid = append(res.Invalid, pe.StartLine)
				continue
			}
			return res, fmt.Errorf("subscription: import: %w", err)
		}
		sub, ok := s.importRow(ctx, o, now, opts, func(name string) string { return field(rec, name) })
		if !ok {
			res.Invalid = append(res.Invalid, line)
			continue
		}
		batch = append(batch, sub)
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return res, fmt.Errorf("subscription: import: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return res, fmt.Errorf("subscription: import: %w", err)
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		detail := fmt.Sprintf("%d imported, %d already subscribed, %d suppressed, %d invalid; consent: %s",
			res.Imported, res.Existing, res.Suppressed, len(res.Invalid), opts.Consent)
		return auth.Audit(ctx, tx, actor, orgID, "subscribers.import", "", detail, now)
	})
	if err != nil {
		return res, fmt.Errorf("subscription: import: %w", err)
	}
	return res, nil
}

// importRow makes the subscription of one row; false when the row is not
// valid.
func (s *Service) importRow(ctx context.Context, o *model.Org, now time.Time, opts ImportOptions, field func(string) string) (*model.Subscription, bool) {
	addr, err := ParseAddress(field("email"))
	if err != nil {
		return nil, false
	}
	tag, err := ParseTag(field("tag"))
	if err != nil {
		return nil, false
	}
	freq, err := ParseFrequency(strings.ToLower(field("frequency")))
	if err != nil {
		return nil, false
	}
	consent, consentAt := field("consent"), opts.ConsentAt
	if consent == "" {
		consent = opts.Consent
	}
	if at := field("consent_at"); at != "" {
		if consentAt, err = parseTime(at); err != nil {
			return nil, false
		}
	}
	if consent == "" || len(consent) > MaxConsentLength || consentAt.IsZero() || consentAt.After(now) {
		return nil, false
	}
	hash, err := s.AddressHash(ctx, addr)
	if err != nil {
		return nil, false
	}
	lang := field("lang")
	if lang != "nl" && lang != "en" {
		lang = o.Language
		if lang != "en" {
			lang = "nl"
		}
	}
	return &model.Subscription{ID: model.NewID(now), OrgID: o.ID, Tag: tag, Email: addr, EmailHash: hash, Frequency: freq,
		Lang: lang, State: model.SubscriptionActive, Consent: consent, ConsentAt: consentAt.UTC(), CreatedAt: now,
		ConfirmedAt: now, DigestedAt: now}, true
}

// importBatch stores imported subscriptions in tx, counting them in res.
func (s *Service) importBatch(ctx context.Context, tx store.Tx, subs []*model.Subscription, res *ImportResult) error {
	gained := tally{}
	for _, sub := range subs {
		if _, err := tx.Suppression(ctx, sub.OrgID, sub.EmailHash); err == nil {
			res.Suppressed++
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		cur, err := tx.SubscriptionByEmail(ctx, sub.OrgID, sub.EmailHash)
		switch {
		case err == nil && cur.State == model.SubscriptionActive:
			res.Existing++
			continue
		case err == nil:
			// Waiting for confirmation, or suspended: the stated consent
			// replaces the confirmation.
			sub.ID = cur.ID
			sub.CreatedAt = cur.CreatedAt
			if err := tx.UpdateSubscription(ctx, sub); err != nil {
				return err
			}
		case errors.Is(err, store.ErrNotFound):
			if err := tx.CreateSubscription(ctx, sub); err != nil {
				if errors.Is(err, store.ErrAlreadyExists) { // twice in one file
					res.Existing++
					continue
				}
				return err
			}
		default:
			return err
		}
		res.Imported++
		gained[model.InsightCount{OrgID: sub.OrgID, Day: sub.ConfirmedAt.UTC().Format(model.DayFormat), Metric: insights.MetricSubscribersGained}]++
	}
	// One count per day rather than one update of the same row per
	// subscriber, which PostgreSQL slows down on as the row's old
	// versions pile up.
	return tx.AddInsightCounts(ctx, gained.list())
}

// SendCorrection sends the current text of a published post again to the
// organisation's subscribers (of its topic, whatever their frequency),
// with a subject starting "Correctie:" or "Correction:". It is for a post
// whose mail said something wrong; it is sent once per revision, however
// often it is asked, and recorded in the audit log.
func (s *Service) SendCorrection(ctx context.Context, actor auth.Actor, postID string) error {
	p, err := s.st.PostByID(ctx, postID)
	if errors.Is(err, store.ErrNotFound) {
		return post.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("subscription: correction: %w", err)
	}
	if err := s.auth.Require(ctx, actor, p.OrgID, auth.PermPublish); err != nil {
		return err
	}
	if !s.Enabled() {
		return ErrUnavailable
	}
	if !p.Public() {
		return model.Invalid("post", i18n.M(i18n.ErrResendUnpublished))
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.EnqueueJob(ctx, CorrectionArgs{PostID: p.ID, Revision: p.Revisions}, nil); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, p.OrgID, "post.mail-correction", p.ID, fmt.Sprintf("revision %d", p.Revisions), s.now().UTC())
	})
	if err != nil {
		return fmt.Errorf("subscription: correction: %w", err)
	}
	return nil
}

// SendTest sends a post as written, before it is saved or published, to
// the staff member who asks, at the address of their account, the way
// subscribers would get it, marked as a test. It returns that address.
func (s *Service) SendTest(ctx context.Context, actor auth.Actor, orgID string, in post.Input) (string, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermPublish); err != nil {
		return "", err
	}
	if !s.Enabled() {
		return "", ErrUnavailable
	}
	if actor.UserID == "" {
		return "", model.Invalid("email", i18n.M(i18n.ErrOperatorNoAddress))
	}
	u, err := s.st.UserByID(ctx, actor.UserID)
	if err != nil {
		return "", fmt.Errorf("subscription: test: %w", err)
	}
	o, err := s.st.OrgByID(ctx, orgID)
	if err != nil {
		return "", fmt.Errorf("subscription: test: %w", err)
	}
	if strings.TrimSpace(in.Text) == "" {
		return "", model.Invalid("text", i18n.M(i18n.ErrTextEmpty))
	}
	now := s.now().UTC()
	lang := in.Language
	if lang == "" {
		lang = o.Language
	}
	p := &model.Post{ID: model.NewID(now), OrgID: o.ID, Text: in.Text, Summary: in.Summary, Language: lang, PublishAt: now}
	for _, img := range in.Images {
		p.Attachments = append(p.Attachments, model.Attachment{MediaID: img.MediaID, Alt: img.Alt})
	}
	ui := "nl"
	if lang == "en" {
		ui = "en"
	}
	l := newLetter(ui, i18n.T(ui, "mail.test.subject", subject(p)))
	l.Intro = []string{i18n.T(ui, "mail.test.intro")}
	lp, err := s.letterPost(o, p, ui, "")
	if err != nil {
		return "", err
	}
	lp.URL = s.baseURL + "/@" + o.Handle
	l.Posts = []letterPost{lp}
	m, err := l.render(o, u.Email)
	if err != nil {
		return "", err
	}
	m.ID = s.messageID(now)
	if err := s.sender.Send(ctx, m); err != nil {
		return "", redact(fmt.Errorf("test mail: %w", err), u.Email)
	}
	return u.Email, nil
}

// MailsSent returns how often subscribers got a post by mail, on its own
// or in a digest, as counted since it was published: a number, nothing
// about who, and nothing about opening or clicking.
func (s *Service) MailsSent(ctx context.Context, actor auth.Actor, p *model.Post) (int64, error) {
	if err := s.auth.Require(ctx, actor, p.OrgID, auth.PermPublish); err != nil {
		return 0, err
	}
	from := p.PublishAt.UTC().Format(model.DayFormat)
	counts, err := s.st.InsightCounts(ctx, p.OrgID, from, s.now().UTC().Format(model.DayFormat))
	if err != nil {
		return 0, fmt.Errorf("subscription: mails sent: %w", err)
	}
	var n int64
	for _, c := range counts {
		if c.PostID == p.ID && c.Metric == insights.MetricMailsSent {
			n += c.Value
		}
	}
	return n, nil
}
