package site

import (
	"context"
	"net/http"
	"strings"

	"plein/internal/i18n"
	"plein/internal/web/pagecache"
)

// statementPath is the address of the accessibility statement.
const statementPath = "/toegankelijkheid"

// statementView is the accessibility statement, in the order of the Dutch
// national model.
type statementView struct {
	Intro        string
	MainDomain   string
	OtherDomains []string
	Orgs         []*orgView
	Status       string // "The status of this website is …"; empty: none entered
	RegisterText string // the sentence before the link to the register; empty: no link
	RegisterURL  string
	Audit        string // the sentence about the audit
	EvidenceURL  string
	SignOff      string
	Gaps         []string // one line per organisation with images without a description
	Measures     []string // the administrator's measures, one paragraph each
	ContactURL   string   // the contact form that takes reports; empty: none chosen
	ContactName  string
	Email        string
	Updated      string // "last updated on …"; empty: never entered
}

// Accessibility renders /toegankelijkheid: the installation's accessibility
// statement, from what the administrator entered and what Plein knows
// itself.
func (s *Site) Accessibility(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	lang := i18n.Pick(req.Lang, "")
	if s.a11y == nil {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	st, err := s.a11y.Statement(ctx)
	if err != nil {
		return nil, err
	}
	orgs, err := s.a11y.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	gaps, err := s.a11y.Gaps(ctx)
	if err != nil {
		return nil, err
	}
	chosen := req.Lang
	sv := &statementView{MainDomain: s.host, OtherDomains: st.Domains, RegisterURL: st.RegisterURL, EvidenceURL: st.EvidenceURL, Email: st.Email}
	body := st.Body
	if body == "" {
		body = i18n.T(lang, "a11y.orgs.all")
	}
	sv.Intro = i18n.T(lang, "a11y.intro", body)
	for _, o := range orgs {
		sv.Orgs = append(sv.Orgs, s.orgView(o, chosen))
		if o.Handle == st.ContactHandle && s.contact != nil {
			sv.ContactURL, sv.ContactName = withLang("/@"+o.Handle+"/contact", chosen), o.DisplayName
		}
	}
	if st.Status != "" {
		sv.Status = i18n.T(lang, "a11y.status.is", string(st.Status), st.Status.Name())
	}
	if st.RegisterURL != "" {
		sv.RegisterText = i18n.T(lang, "a11y.register", body)
	}
	if st.AuditDate.IsZero() {
		sv.Audit = i18n.T(lang, "a11y.audit.none")
	} else {
		sv.Audit = i18n.T(lang, "a11y.audit", i18n.Date(lang, st.AuditDate), i18n.Date(lang, st.AuditExpires()))
	}
	if st.SignedBy != "" && !st.SignedOn.IsZero() {
		sv.SignOff = i18n.T(lang, "a11y.signoff.is", i18n.Date(lang, st.SignedOn), st.SignedBy, st.SignedRole)
	}
	for _, g := range gaps {
		if g.ImagesWithoutAlt == 1 {
			sv.Gaps = append(sv.Gaps, i18n.T(lang, "a11y.gaps.image", g.Org.DisplayName))
		} else {
			sv.Gaps = append(sv.Gaps, i18n.T(lang, "a11y.gaps.images", g.Org.DisplayName, g.ImagesWithoutAlt))
		}
	}
	for _, p := range strings.Split(strings.ReplaceAll(st.Measures, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			sv.Measures = append(sv.Measures, p)
		}
	}
	if st.Entered() {
		sv.Updated = i18n.T(lang, "a11y.updated", i18n.Date(lang, st.UpdatedAt))
	}
	v := &pageView{Chosen: chosen, Title: i18n.T(lang, "a11y.title"), Statement: sv,
		CanonicalURL: s.abs(statementPath), SwitchURL: withLang(statementPath, otherLang(lang))}
	return s.page(lang, http.StatusOK, v, "accessibility.html")
}
