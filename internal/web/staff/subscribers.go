package staff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/subscription"
)

// The subscribers screen lists an organisation's e-mail subscribers, for
// its administrators only: the addresses are personal data. Staff who
// read insights (analysts) see the same screen with the numbers alone;
// editors and moderators may not open it.

// subscribersPage is how many subscriptions one page of the list shows.
const subscribersPage = 50

// maxSubscriberFile bounds a CSV file uploaded to import subscribers:
// some 300,000 rows, imported in one request. The command line takes
// larger files.
const maxSubscriberFile = 10 << 20

// importWriteTime is how long the answer to an import may take: the
// server's usual write timeout is too short for a large file (100,000
// rows take about a minute).
const importWriteTime = 15 * time.Minute

// invalidLinesShown is how many line numbers of invalid rows the import
// report lists.
const invalidLinesShown = 100

type subscribersData struct {
	Total       int
	States      []countRow
	Frequencies []countRow
	Topics      []countRow
	Manage      bool // the actor may see addresses, import, export and end
	Rows        []subscriberRow
	Next, First string // paging links; empty when there is none
	Find        string // the address looked for
	Found       []subscriberRow
	NotFound    bool
	Consent     string // as typed in the import form
	ConsentDate string
	Report      *importReport
	MaxMB       int
}

type countRow struct {
	Label string
	Count int
}

type subscriberRow struct {
	ID, Email, State, Frequency, Topic, Since, ISO string
}

type importReport struct {
	Imported, Existing, Suppressed, Invalid int
	Lines                                   string // line numbers of invalid rows
}

func (s *App) subscribersAllowed(w http.ResponseWriter, r *http.Request, sr *staffRequest, p auth.Permission) bool {
	if s.subscriptions == nil || !sr.can(p) {
		s.staffForbidden(w, r, sr)
		return false
	}
	return true
}

func (s *App) subscribersView(sr *staffRequest) *staffView {
	return s.view(sr, i18n.T(sr.lang, "staff.subscribers")+" – "+sr.org.DisplayName, "subscribers")
}

// renderSubscribers writes the screen with the counts, and for
// administrators the page of the list after after.
func (s *App) renderSubscribers(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, after string, d subscribersData, v *staffView) {
	ctx := r.Context()
	b, err := s.subscriptions.Breakdown(ctx, sr.actor(), sr.org.ID)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	d.Total, d.MaxMB = b.Total, maxSubscriberFile>>20
	for _, st := range subscription.States {
		d.States = append(d.States, countRow{Label: stateLabel(sr.lang, st), Count: b.States[st]})
	}
	for _, f := range model.Frequencies {
		d.Frequencies = append(d.Frequencies, countRow{Label: frequencyLabel(sr.lang, f), Count: b.Frequencies[f]})
	}
	for _, t := range b.Topics {
		d.Topics = append(d.Topics, countRow{Label: topicLabel(sr.lang, t.Tag), Count: t.Count})
	}
	d.Manage = sr.can(auth.PermManage)
	if d.Manage {
		subs, more, err := s.subscriptions.Page(ctx, sr.actor(), sr.org.ID, after, subscribersPage)
		if err != nil {
			s.staffFailure(w, r, sr, err)
			return
		}
		d.Rows = s.subscriberRows(sr, subs)
		if more && len(subs) > 0 {
			d.Next = v.OrgPath + "/subscribers?after=" + subs[len(subs)-1].ID
		}
		if after != "" {
			d.First = v.OrgPath + "/subscribers"
		}
	}
	v.Data = d
	s.renderStaff(w, status, "staff_subscribers.html", v)
}

func (s *App) subscriberRows(sr *staffRequest, subs []*model.Subscription) []subscriberRow {
	loc := sr.org.Location()
	rows := make([]subscriberRow, 0, len(subs))
	for _, sub := range subs {
		since := sub.ConfirmedAt
		if since.IsZero() {
			since = sub.CreatedAt
		}
		rows = append(rows, subscriberRow{ID: sub.ID, Email: sub.Email, State: stateLabel(sr.lang, sub.State),
			Frequency: frequencyLabel(sr.lang, sub.Frequency), Topic: topicLabel(sr.lang, sub.Tag),
			Since: i18n.DateTime(sr.lang, since.In(loc)), ISO: since.UTC().Format(time.RFC3339)})
	}
	return rows
}

func stateLabel(lang string, st model.SubscriptionState) string {
	return i18n.T(lang, "staff.subs.state."+string(st))
}

func frequencyLabel(lang string, f model.Frequency) string {
	return i18n.T(lang, "staff.subs.frequency."+string(f))
}

func topicLabel(lang, tag string) string {
	if tag == "" {
		return i18n.T(lang, "staff.subs.topic.all")
	}
	return "#" + tag
}

func (s *App) showSubscribers(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !s.subscribersAllowed(w, r, sr, auth.PermInsights) {
		return
	}
	after := r.URL.Query().Get("after")
	if after != "" && !model.ValidID(after) {
		after = ""
	}
	v := s.subscribersView(sr)
	v.Flash = flash(r, sr.lang)
	s.renderSubscribers(w, r, sr, http.StatusOK, after, subscribersData{}, v)
}

// submitFindSubscriber looks an address up. It is a POST, so that the
// address is in no URL, and no log or history keeps it.
func (s *App) submitFindSubscriber(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !s.subscribersAllowed(w, r, sr, auth.PermManage) {
		return
	}
	v := s.subscribersView(sr)
	d := subscribersData{Find: strings.TrimSpace(r.PostFormValue("email"))}
	sub, err := s.subscriptions.Find(r.Context(), sr.actor(), sr.org.ID, d.Find)
	switch {
	case errors.Is(err, subscription.ErrInvalidAddress):
		v.Errors["find"], v.FormError = i18n.T(sr.lang, "staff.subs.find.error"), i18n.T(sr.lang, "staff.errors")
		s.renderSubscribers(w, r, sr, http.StatusUnprocessableEntity, "", d, v)
		return
	case errors.Is(err, subscription.ErrEnded):
		d.NotFound = true
	case err != nil:
		s.staffFailure(w, r, sr, err)
		return
	default:
		d.Found = s.subscriberRows(sr, []*model.Subscription{sub})
	}
	s.renderSubscribers(w, r, sr, http.StatusOK, "", d, v)
}

func (s *App) submitEndSubscription(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !s.subscribersAllowed(w, r, sr, auth.PermManage) {
		return
	}
	err := s.subscriptions.EndByStaff(r.Context(), sr.actor(), sr.org.ID, r.PathValue("id"))
	if errors.Is(err, subscription.ErrEnded) {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "staff.subs.gone"))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/subscribers", "subended")
}

// submitExportSubscribers downloads the active subscribers as CSV, as
// plein subscribers export writes them. It is a POST, as the export is
// recorded in the audit log.
func (s *App) submitExportSubscribers(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !s.subscribersAllowed(w, r, sr, auth.PermManage) {
		return
	}
	var b bytes.Buffer
	if _, err := s.subscriptions.Export(r.Context(), sr.actor(), sr.org.ID, &b); err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="subscribers-`+sr.org.Handle+`-`+s.now().UTC().Format(time.DateOnly)+`.csv"`)
	w.Write(b.Bytes())
}

// submitImportSubscribers imports subscribers from an uploaded CSV file,
// as plein subscribers import does, with the consent statement and its
// date the form requires: without them nothing is imported.
func (s *App) submitImportSubscribers(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !s.subscribersAllowed(w, r, sr, auth.PermManage) {
		return
	}
	v := s.subscribersView(sr)
	d := subscribersData{Consent: strings.TrimSpace(r.PostFormValue("consent")), ConsentDate: strings.TrimSpace(r.PostFormValue("consent_date"))}
	fail := func(field, msg string) {
		v.Errors[field], v.FormError = msg, i18n.T(sr.lang, "staff.errors")
		s.renderSubscribers(w, r, sr, http.StatusUnprocessableEntity, "", d, v)
	}
	opts := subscription.ImportOptions{Consent: d.Consent}
	if d.Consent == "" {
		fail("consent", i18n.T(sr.lang, "staff.subs.error.consent"))
		return
	}
	at, err := time.Parse(time.DateOnly, d.ConsentDate)
	if err != nil || at.After(s.now()) {
		fail("consent_date", i18n.T(sr.lang, "staff.subs.error.date"))
		return
	}
	opts.ConsentAt = at
	file, header, err := formFile(r, "file")
	if err != nil {
		fail("file", i18n.T(sr.lang, "staff.subs.error.file"))
		return
	}
	defer file.Close()
	if header.Size > maxSubscriberFile {
		fail("file", i18n.T(sr.lang, "staff.subs.error.toolarge", maxSubscriberFile>>20))
		return
	}
	if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(importWriteTime)); err != nil {
		s.logger.Warn("web: staff: import of subscribers keeps the usual write timeout", "err", err)
	}
	// Once begun, the import runs to its end and into the audit log, even
	// when the browser stops waiting.
	res, err := s.subscriptions.Import(context.WithoutCancel(r.Context()), sr.actor(), sr.org.ID, file, opts)
	if err != nil {
		if fe, ok := model.AsFieldError(err); ok {
			field := fe.Field
			if field != "consent" {
				field = "file"
			}
			fail(field, fieldMessage(fe, sr.lang))
			return
		}
		s.staffFailure(w, r, sr, err)
		return
	}
	rep := &importReport{Imported: res.Imported, Existing: res.Existing, Suppressed: res.Suppressed, Invalid: len(res.Invalid)}
	if n := len(res.Invalid); n > 0 {
		lines := make([]string, 0, min(n, invalidLinesShown))
		for _, l := range res.Invalid[:min(n, invalidLinesShown)] {
			lines = append(lines, fmt.Sprint(l))
		}
		rep.Lines = strings.Join(lines, ", ")
		if n > invalidLinesShown {
			rep.Lines += " " + i18n.T(sr.lang, "staff.subs.report.more", n-invalidLinesShown)
		}
	}
	s.renderSubscribers(w, r, sr, http.StatusOK, "", subscribersData{Report: rep}, v)
}
