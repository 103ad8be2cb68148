package accessibility_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"plein/internal/accessibility"
	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// now is the test's clock: 7 December 2026.
var now = time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)

// valid is a statement of status B that passes every check.
func valid() accessibility.Statement {
	return accessibility.Statement{Status: "B", Body: "Gemeente Almere", Domains: []string{"Www.Almere.nl.", " ", "www.almere.nl", "nieuws.almere.nl"},
		AuditDate: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), EvidenceURL: "https://www.almere.nl/rapport.pdf",
		SignedBy: " Anna de Vries ", SignedRole: "gemeentesecretaris", SignedOn: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC),
		ContactHandle: "@Almere", Email: "toegankelijkheid@almere.nl", Measures: "Wij testen elk jaar."}
}

// TestSetStatement checks what an administrator may enter: each refusal
// names its field, in Dutch and English, and stores nothing.
func TestSetStatement(t *testing.T) {
	clock := pleintest.NewClock(now)
	srv := pleintest.NewServerWith(t, storetest.Engines()[0], pleintest.Options{Now: clock.Now})
	srv.Org(t, "almere")
	a := srv.App.Accessibility
	ctx := context.Background()
	op := auth.Operator()
	for _, tc := range []struct {
		name   string
		edit   func(s *accessibility.Statement)
		field  string
		nl, en string // parts of the Dutch and English refusals
	}{
		{"unknown status", func(s *accessibility.Statement) { s.Status = "F" }, "status", "‘F’ is geen status", "‘F’ is not a status"},
		{"neither status nor register", func(s *accessibility.Statement) { s.Status = "" }, "status", "kies een status", "choose a status"},
		{"A without audit", func(s *accessibility.Statement) { s.Status, s.AuditDate = "A", time.Time{} }, "audit-date", "status A vraagt de datum", "status A needs the date"},
		{"B with an audit of three years ago", func(s *accessibility.Statement) { s.AuditDate = time.Date(2023, 12, 7, 0, 0, 0, 0, time.UTC) }, "audit-date", "minder dan 3 jaar oud", "less than 3 years old"},
		{"B without evidence", func(s *accessibility.Statement) { s.EvidenceURL = "" }, "evidence", "link naar het onderzoeksrapport", "link to the audit report"},
		{"audit in the future", func(s *accessibility.Statement) { s.AuditDate = now.AddDate(0, 0, 1) }, "audit-date", "in de toekomst", "in the future"},
		{"signed in the future", func(s *accessibility.Statement) { s.SignedOn = now.AddDate(0, 1, 0) }, "date", "in de toekomst", "in the future"},
		{"C without signer", func(s *accessibility.Statement) { s.Status, s.SignedBy = "C", "" }, "signed-by", "ondertekend", "is signed"},
		{"D without role", func(s *accessibility.Statement) { s.Status, s.SignedRole = "D", "" }, "role", "ondertekend", "is signed"},
		{"C without date", func(s *accessibility.Statement) { s.Status, s.SignedOn = "C", time.Time{} }, "date", "ondertekend", "is signed"},
		{"evidence not a web address", func(s *accessibility.Statement) { s.EvidenceURL = "javascript:alert(1)" }, "evidence", "geen webadres", "not a web address"},
		{"register not a web address", func(s *accessibility.Statement) { s.RegisterURL = "register" }, "register", "geen webadres", "not a web address"},
		{"bad domain", func(s *accessibility.Statement) { s.Domains = []string{"almere nl"} }, "domains", "geen domeinnaam", "not a domain name"},
		{"too many domains", func(s *accessibility.Statement) {
			s.Domains = nil
			for i := range accessibility.MaxDomains + 1 {
				s.Domains = append(s.Domains, "d"+strings.Repeat("x", i+1)+".almere.nl")
			}
		}, "domains", "hoogstens 20 domeinen", "at most 20 domains"},
		{"bad e-mail", func(s *accessibility.Statement) { s.Email = "toegankelijkheid" }, "email", "geen e-mailadres", "not an e-mail address"},
		{"unknown organisation", func(s *accessibility.Statement) { s.ContactHandle = "lelystad" }, "contact", "geen organisatie @lelystad", "no organisation @lelystad"},
		{"long role", func(s *accessibility.Statement) { s.SignedRole = strings.Repeat("r", accessibility.MaxText+1) }, "role", "hoogstens 200", "at most 200"},
		{"long measures", func(s *accessibility.Statement) { s.Measures = strings.Repeat("m", accessibility.MaxMeasures+1) }, "measures", "hoogstens 4000", "at most 4000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := valid()
			tc.edit(&in)
			err := a.SetStatement(ctx, op, in)
			fe, ok := model.AsFieldError(err)
			if !ok || fe.Field != tc.field {
				t.Fatalf("error %v, want one about %s", err, tc.field)
			}
			if nl, en := fe.In("nl"), fe.In("en"); !strings.Contains(nl, tc.nl) || !strings.Contains(en, tc.en) {
				t.Errorf("messages %q and %q, want %q and %q", nl, en, tc.nl, tc.en)
			}
			if st, err := a.Statement(ctx); err != nil || st.Entered() {
				t.Errorf("a refused statement was stored: %+v, %v", st, err)
			}
		})
	}

	t.Run("staff without admin rights", func(t *testing.T) {
		if err := a.SetStatement(ctx, auth.Actor{UserID: "x", Name: "Eva"}, valid()); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("error %v, want ErrForbidden", err)
		}
	})

	t.Run("accepted", func(t *testing.T) {
		for _, in := range []accessibility.Statement{
			{RegisterURL: "https://www.toegankelijkheidsverklaring.example/register/1"}, // the register alone
			{Status: "e"}, // no statement: no sign-off
			{Status: "C", SignedBy: "Anna", SignedRole: "directeur", SignedOn: now},
			{Status: "A", AuditDate: now.AddDate(-3, 0, 1), EvidenceURL: "https://www.almere.nl/r.pdf", SignedBy: "Anna", SignedRole: "directeur", SignedOn: now},
		} {
			if err := a.SetStatement(ctx, op, in); err != nil {
				t.Errorf("%+v: %v", in, err)
			}
			clock.Advance(time.Second)
		}
		if err := a.SetStatement(ctx, op, valid()); err != nil {
			t.Fatal(err)
		}
		st, err := a.Statement(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != accessibility.StatusB || st.SignedBy != "Anna de Vries" || st.ContactHandle != "almere" ||
			strings.Join(st.Domains, " ") != "www.almere.nl nieuws.almere.nl" || !st.SignedOn.Equal(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)) ||
			!st.UpdatedAt.Equal(clock.Now()) || st.AuditExpires() != time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC) {
			t.Errorf("stored statement %+v", st)
		}
		lines, err := srv.App.Auth.AuditLines(ctx, op, "", 10)
		if err != nil || len(lines) == 0 || !strings.Contains(lines[0].Sentence.In("en"), "recorded the accessibility statement (status B)") {
			t.Errorf("audit log: %+v, %v", lines, err)
		}
	})
}

// TestGaps checks that the organisations with published images without a
// description are listed with their counts, in the order of the directory.
func TestGaps(t *testing.T) {
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	a := srv.App.Accessibility
	ctx := context.Background()
	if gaps, err := a.Gaps(ctx); err != nil || len(gaps) != 0 {
		t.Fatalf("gaps without content: %v, %v", gaps, err)
	}
	o := srv.Org(t, "zwolle")
	pleintest.PublishImagesWithoutAlt(t, srv, o, 2)
	gaps, err := a.Gaps(ctx)
	if err != nil || len(gaps) != 1 || gaps[0].Org.ID != o.ID || gaps[0].ImagesWithoutAlt != 2 {
		t.Errorf("gaps: %+v, %v; want zwolle with 2", gaps, err)
	}
}
