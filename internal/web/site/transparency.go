package site

import (
	"context"
	"net/http"
	"strconv"

	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/web/pagecache"
)

// transparencyView is the transparency report: the figures of
// moderation per quarter, newest first. Aggregates only.
type transparencyView struct {
	Instance bool
	Quarters []quarterView
}

// quarterView is one quarter of the transparency report.
type quarterView struct {
	Name, ID                                   string
	Received, Shown                            int
	RefusedIllegal, RefusedIncompatible        int
	RefusedAutomated                           int
	HiddenIllegal, HiddenIncompatible          int
	HiddenAutomated                            int
	NoticesForm, NoticesFlag, NoticesObjection int
	Median                                     string // the median time to a decision, or a dash when none was timed
	// Complaints are the counts of complaints about decisions (Digital
	// Services Act, Art. 20) and their outcomes in the quarter, as rows
	// of a label and a count; the template shows them under their own
	// heading when there are any.
	Complaints []complaintCount
}

// complaintCount is one row of the complaint figures of a quarter.
type complaintCount struct {
	Label string
	Count int
}

// Transparency renders /transparency: the report of the whole
// installation.
func (s *Site) Transparency(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	return s.transparency(ctx, nil, i18n.Pick(req.Lang, ""), req.Lang)
}

// OrgTransparency renders /@{handle}/transparency.
func (s *Site) OrgTransparency(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	o, lang, resp, err := s.orgOf(ctx, req, "/transparency")
	if o == nil {
		return resp, err
	}
	return s.transparency(ctx, o, lang, req.Lang)
}

// transparency renders the report of an organisation, or of the
// installation when o is nil, from the aggregate figures of moderation.
func (s *Site) transparency(ctx context.Context, o *model.Org, lang, chosen string) (*pagecache.Response, error) {
	if s.moderation == nil {
		return s.errorPage(http.StatusNotFound, lang), nil
	}
	orgID, path := "", "/transparency"
	if o != nil {
		orgID, path = o.ID, "/@"+o.Handle+"/transparency"
	}
	quarters, err := s.moderation.Transparency(ctx, orgID)
	if err != nil {
		return nil, err
	}
	tv := &transparencyView{Instance: o == nil}
	for _, q := range quarters {
		tv.Quarters = append(tv.Quarters, quarterView{Name: i18n.T(lang, "transparency.quarter.name", q.Quarter.Year, q.Quarter.Q),
			ID: "q" + strconv.Itoa(q.Quarter.Year) + "-" + strconv.Itoa(q.Quarter.Q), Received: q.RepliesReceived, Shown: q.RepliesShown,
			RefusedIllegal: q.RefusedIllegal, RefusedIncompatible: q.RefusedIncompatible, RefusedAutomated: q.RefusedAutomated,
			HiddenIllegal: q.HiddenIllegal, HiddenIncompatible: q.HiddenIncompatible, HiddenAutomated: q.HiddenAutomated,
			NoticesForm: q.NoticesForm, NoticesFlag: q.NoticesFlag, NoticesObjection: q.NoticesObjection,
			Median: medianText(lang, q.DecisionsTimed, q.MedianDecisionSeconds), Complaints: complaintCounts(lang, q.ModerationFigures)})
	}
	v := &pageView{Chosen: chosen, Title: i18n.T(lang, "transparency.title"), Transparency: tv}
	if o != nil {
		v.Title = i18n.T(lang, "transparency.title.org", o.DisplayName)
		v.Org = s.orgView(o, chosen)
		v.PrivacyURL = withLang("/@"+o.Handle+"/privacy", chosen)
	}
	v.CanonicalURL, v.SwitchURL = s.abs(path), withLang(path, otherLang(lang))
	return s.page(lang, http.StatusOK, v, "transparency.html")
}

// complaintCounts returns the rows of the complaint figures of f, or none
// when the quarter had no complaint.
func complaintCounts(lang string, f model.ModerationFigures) []complaintCount {
	if f.ComplaintsReceived == 0 && f.ComplaintsUpheld == 0 && f.ComplaintsRejected == 0 {
		return nil
	}
	return []complaintCount{
		{Label: i18n.T(lang, "transparency.complaints.received"), Count: f.ComplaintsReceived},
		{Label: i18n.T(lang, "transparency.complaints.upheld"), Count: f.ComplaintsUpheld},
		{Label: i18n.T(lang, "transparency.complaints.rejected"), Count: f.ComplaintsRejected},
	}
}

// medianText writes a median time to decision in lang, rounded to what a
// reader needs: minutes under two hours, hours under two days, days.
func medianText(lang string, timed int, seconds int64) string {
	switch {
	case timed == 0:
		return i18n.T(lang, "transparency.median.none")
	case seconds < 60:
		return i18n.T(lang, "transparency.duration.lessminute")
	case seconds < 2*3600:
		return i18n.T(lang, "transparency.duration.minutes", int((seconds+30)/60))
	case seconds < 2*86400:
		return i18n.T(lang, "transparency.duration.hours", int((seconds+1800)/3600))
	}
	return i18n.T(lang, "transparency.duration.days", int((seconds+43200)/86400))
}

// transparencyURL is the transparency report that goes with the privacy
// page of o (nil: the installation's), keeping the chosen language.
func transparencyURL(o *model.Org, chosen string) string {
	if o == nil {
		return withLang("/transparency", chosen)
	}
	return withLang("/@"+o.Handle+"/transparency", chosen)
}
