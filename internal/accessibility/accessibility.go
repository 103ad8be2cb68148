// Package accessibility keeps the installation's accessibility statement
// in the structure of the Dutch national model (toegankelijkheidsverklaring):
// the status from A to E, the audit and its evidence, the sign-off by an
// official, the route for reporting problems and the measures, or a link
// to the body's statement in the national register instead. Plein cannot
// test itself into status A or B: the status is what an instance
// administrator enters, and A or B needs an audit under three years old
// and a link to its evidence. Next to that the package reports what Plein
// knows itself: the images published without a description.
package accessibility

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/store"
)

// Status is the compliance status of the national model.
type Status string

// The statuses. Only an audit can justify A or B.
const (
	StatusA Status = "A" // a WCAG-EM audit under three years old: all criteria met
	StatusB Status = "B" // such an audit: partially met, with measures
	StatusC Status = "C" // first measures taken; an audit is planned
	StatusD Status = "D" // a statement, no audit, no plan
	StatusE Status = "E" // no statement
)

// Statuses are the statuses, best first.
var Statuses = []Status{StatusA, StatusB, StatusC, StatusD, StatusE}

// Name returns the status's name in the model, such as "voldoet
// volledig".
func (s Status) Name() i18n.Message { return i18n.M(statusNames[s]) }

// statusNames are the names of the statuses in the model.
var statusNames = map[Status]i18n.Key{StatusA: i18n.A11yStatusA, StatusB: i18n.A11yStatusB,
	StatusC: i18n.A11yStatusC, StatusD: i18n.A11yStatusD, StatusE: i18n.A11yStatusE}

// ParseStatus reads a status letter, in either case; "" is no status.
func ParseStatus(s string) (Status, error) {
	st := Status(strings.ToUpper(strings.TrimSpace(s)))
	if st == "" || slices.Contains(Statuses, st) {
		return st, nil
	}
	return "", model.Invalid("status", i18n.M(i18n.ErrA11yStatus, s))
}

// Limits of a statement.
const (
	// AuditValidityYears is how long an audit supports status A or B.
	AuditValidityYears = 3
	MaxText            = 200  // characters of a name, role or organisation
	MaxURL             = 500  // characters of a web address
	MaxMeasures        = 4000 // characters of the measures
	MaxDomains         = 20
)

// Statement is what an instance administrator enters. The zero value is a
// statement not yet entered.
type Statement struct {
	Status Status
	// Body names the organisation or organisations responsible for the
	// site; empty: the organisations on the installation.
	Body string
	// Domains are further domains of the site besides the installation's
	// own.
	Domains []string
	// AuditDate is the day of the last WCAG-EM audit; zero: none.
	AuditDate time.Time
	// EvidenceURL is the audit report or other evidence.
	EvidenceURL string
	// SignedBy and SignedRole name the official who approved the
	// statement, SignedOn the day.
	SignedBy, SignedRole string
	SignedOn             time.Time
	// RegisterURL is the body's statement in the national register; the
	// page then points there for the status and sign-off.
	RegisterURL string
	// ContactHandle is the organisation whose contact form takes reports
	// of accessibility problems; Email an address that does.
	ContactHandle string
	Email         string
	// Measures are what the body does to improve accessibility.
	Measures  string
	UpdatedAt time.Time
}

// Entered reports whether an administrator has entered the statement.
func (s *Statement) Entered() bool { return s.Status != "" || s.RegisterURL != "" }

// AuditExpires returns the day the audit stops supporting status A or B.
func (s *Statement) AuditExpires() time.Time {
	return s.AuditDate.AddDate(AuditValidityYears, 0, 0)
}

// Gap is content of one organisation that Plein knows falls short.
type Gap struct {
	Org              *model.Org
	ImagesWithoutAlt int
}

// Service reads and changes the statement.
type Service struct {
	st  store.Store
	now func() time.Time
}

// New returns a Service on st; now is the clock.
func New(st store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{st: st, now: now}
}

// settingStatement is the settings key of the statement, stored as JSON.
const settingStatement = "accessibility_statement"

// Statement returns the stored statement, or the zero Statement when none
// was entered.
func (s *Service) Statement(ctx context.Context) (*Statement, error) {
	v, err := s.st.Setting(ctx, settingStatement)
	if errors.Is(err, store.ErrNotFound) {
		return &Statement{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("accessibility: reading the statement: %w", err)
	}
	var st Statement
	if err := json.Unmarshal([]byte(v), &st); err != nil {
		return nil, fmt.Errorf("accessibility: reading the statement: %w", err)
	}
	return &st, nil
}

// SetStatement stores in as the statement, after Validate; instance
// administrators and the operator may. The public pages are renewed and
// the audit log records the change.
func (s *Service) SetStatement(ctx context.Context, actor auth.Actor, in Statement) error {
	if err := auth.RequireAdmin(actor); err != nil {
		return err
	}
	now := s.now()
	if err := s.Validate(ctx, &in); err != nil {
		return err
	}
	in.UpdatedAt = now.UTC()
	b, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("accessibility: storing the statement: %w", err)
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.PutSetting(ctx, settingStatement, string(b)); err != nil {
			return err
		}
		if err := tx.MarkChanged(ctx); err != nil {
			return err
		}
		status := string(in.Status)
		if status == "" {
			status = "-" // the register's statement alone
		}
		return auth.Audit(ctx, tx, actor, "", "a11y.statement", status, in.SignedBy, now)
	})
	if err != nil {
		return fmt.Errorf("accessibility: storing the statement: %w", err)
	}
	return nil
}

// Validate trims and checks in: a known status; for A or B an audit dated
// within the last three years and a link to its evidence; a sign-off (name,
// role, day) with every status but E; web addresses, an e-mail address and
// an existing organisation for the report route; lengths within the
// limits. Either a status or a link to the register is needed. Each
// problem is a model.FieldError naming its field.
func (s *Service) Validate(ctx context.Context, in *Statement) error {
	now := s.now()
	today := day(now)
	for _, f := range []*string{&in.Body, &in.EvidenceURL, &in.SignedBy, &in.SignedRole, &in.RegisterURL, &in.ContactHandle, &in.Email, &in.Measures} {
		*f = strings.TrimSpace(*f)
	}
	in.ContactHandle = strings.ToLower(strings.TrimPrefix(in.ContactHandle, "@"))
	st, err := ParseStatus(string(in.Status))
	if err != nil {
		return err
	}
	in.Status = st
	if !in.AuditDate.IsZero() {
		in.AuditDate = day(in.AuditDate)
	}
	if !in.SignedOn.IsZero() {
		in.SignedOn = day(in.SignedOn)
	}
	for _, f := range []struct {
		name, value string
	}{{"body", in.Body}, {"signed-by", in.SignedBy}, {"role", in.SignedRole}} {
		if utf8.RuneCountInString(f.value) > MaxText {
			return model.Invalid(f.name, i18n.M(i18n.ErrNameTooLong, MaxText))
		}
	}
	if utf8.RuneCountInString(in.Measures) > MaxMeasures {
		return model.Invalid("measures", i18n.M(i18n.ErrA11yMeasures, MaxMeasures))
	}
	for _, f := range []struct {
		name, value string
	}{{"evidence", in.EvidenceURL}, {"register", in.RegisterURL}} {
		if f.value != "" && !webAddress(f.value) {
			return model.Invalid(f.name, i18n.M(i18n.ErrLinkURL, f.value))
		}
	}
	if err := cleanDomains(in); err != nil {
		return err
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
			return model.Invalid("email", i18n.M(i18n.ErrEmailInvalid, in.Email))
		}
	}
	if in.ContactHandle != "" {
		if _, err := s.st.OrgByHandle(ctx, in.ContactHandle); errors.Is(err, store.ErrNotFound) {
			return model.Invalid("contact", i18n.M(i18n.ErrA11yContact, in.ContactHandle))
		} else if err != nil {
			return fmt.Errorf("accessibility: checking the organisation: %w", err)
		}
	}
	if in.Status == "" && in.RegisterURL == "" {
		return model.Invalid("status", i18n.M(i18n.ErrA11yNoStatus))
	}
	if !in.AuditDate.IsZero() && in.AuditDate.After(today) {
		return model.Invalid("audit-date", i18n.M(i18n.ErrA11yFutureDate))
	}
	if !in.SignedOn.IsZero() && in.SignedOn.After(today) {
		return model.Invalid("date", i18n.M(i18n.ErrA11yFutureDate))
	}
	if in.Status == StatusA || in.Status == StatusB {
		if in.AuditDate.IsZero() {
			return model.Invalid("audit-date", i18n.M(i18n.ErrA11yAuditNeeded, string(in.Status)))
		}
		if !in.AuditExpires().After(today) {
			return model.Invalid("audit-date", i18n.M(i18n.ErrA11yAuditOld, string(in.Status), AuditValidityYears))
		}
		if in.EvidenceURL == "" {
			return model.Invalid("evidence", i18n.M(i18n.ErrA11yEvidence, string(in.Status)))
		}
	}
	if in.Status != "" && in.Status != StatusE {
		switch {
		case in.SignedBy == "":
			return model.Invalid("signed-by", i18n.M(i18n.ErrA11ySignOff))
		case in.SignedRole == "":
			return model.Invalid("role", i18n.M(i18n.ErrA11ySignOff))
		case in.SignedOn.IsZero():
			return model.Invalid("date", i18n.M(i18n.ErrA11ySignOff))
		}
	}
	return nil
}

// cleanDomains lower-cases the domains of in, drops empty ones and
// duplicates, and checks each is a host name.
func cleanDomains(in *Statement) error {
	var out []string
	for _, d := range in.Domains {
		d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
		if d == "" || slices.Contains(out, d) {
			continue
		}
		if !hostName(d) {
			return model.Invalid("domains", i18n.M(i18n.ErrA11yDomain, d))
		}
		out = append(out, d)
	}
	if len(out) > MaxDomains {
		return model.Invalid("domains", i18n.M(i18n.ErrA11yDomains, MaxDomains))
	}
	in.Domains = out
	return nil
}

// hostName reports whether s is a domain name: labels of letters, digits
// and hyphens, separated by dots.
func hostName(s string) bool {
	if len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// webAddress reports whether s is an absolute http or https address of
// at most MaxURL characters.
func webAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && len(s) <= MaxURL && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// ParseDay reads a day written yyyy-mm-dd, as date fields and the command
// line write it, for the field named field; "" (after trimming) is no
// day, the zero time.
func ParseDay(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, model.Invalid(field, i18n.M(i18n.ErrA11yDate, v))
	}
	return d, nil
}

// day returns the start of t's calendar day, in UTC.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Gaps returns, for every organisation with published images that lack a
// description, how many there are, in the order of the directory.
func (s *Service) Gaps(ctx context.Context) ([]Gap, error) {
	counts, err := s.st.ImagesWithoutAlt(ctx)
	if err != nil {
		return nil, fmt.Errorf("accessibility: counting images without a description: %w", err)
	}
	if len(counts) == 0 {
		return nil, nil
	}
	orgs, err := s.st.ListOrgs(ctx)
	if err != nil {
		return nil, fmt.Errorf("accessibility: listing organisations: %w", err)
	}
	var gaps []Gap
	for _, o := range orgs {
		if n := counts[o.ID]; n > 0 {
			gaps = append(gaps, Gap{Org: o, ImagesWithoutAlt: n})
		}
	}
	return gaps, nil
}

// Orgs returns the organisations on the installation, in the order of the
// directory.
func (s *Service) Orgs(ctx context.Context) ([]*model.Org, error) {
	orgs, err := s.st.ListOrgs(ctx)
	if err != nil {
		return nil, fmt.Errorf("accessibility: listing organisations: %w", err)
	}
	return orgs, nil
}
