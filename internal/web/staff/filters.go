package staff

import (
	"errors"
	"net/http"
	"time"

	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/moderation"
)

// filtersData is the screen of an organisation's keyword filters.
type filtersData struct {
	Filters        []filterRow
	Phrase, Action string // the add form, kept after an error
	MaxPhrase      int
}

// filterRow is one filter in the list.
type filterRow struct {
	ID, Phrase, Action, When, ISO string
}

func (s *App) showFilters(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	v := s.view(sr, i18n.T(sr.lang, "staff.filters.title")+" – "+sr.org.DisplayName, "filters")
	v.Flash = flash(r, sr.lang)
	s.renderFilters(w, r, sr, http.StatusOK, v, filtersData{Action: string(model.FilterHold)})
}

// renderFilters shows the filters with d's add form.
func (s *App) renderFilters(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, v *staffView, d filtersData) {
	filters, err := s.moderation.Filters(r.Context(), sr.actor(), sr.org.ID)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	loc := sr.org.Location()
	for _, f := range filters {
		d.Filters = append(d.Filters, filterRow{ID: f.ID, Phrase: f.Phrase, Action: i18n.T(sr.lang, "staff.filters.action."+string(f.Action)),
			When: i18n.DateTime(sr.lang, f.CreatedAt.In(loc)), ISO: f.CreatedAt.UTC().Format(time.RFC3339)})
	}
	d.MaxPhrase = moderation.MaxFilterPhrase
	v.Data = d
	s.renderStaff(w, status, "staff_filters.html", v)
}

func (s *App) submitFilter(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	d := filtersData{Phrase: r.PostFormValue("phrase"), Action: r.PostFormValue("action")}
	_, err := s.moderation.AddFilter(r.Context(), sr.actor(), sr.org.ID, d.Phrase, model.FilterAction(d.Action))
	if fe, ok := model.AsFieldError(err); ok {
		v := s.view(sr, i18n.T(sr.lang, "staff.filters.title")+" – "+sr.org.DisplayName, "filters")
		v.FormError = i18n.T(sr.lang, "staff.errors")
		v.Errors[fe.Field] = fieldMessage(fe, sr.lang)
		s.renderFilters(w, r, sr, http.StatusUnprocessableEntity, v, d)
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/filters", "filteradded")
}

func (s *App) submitRemoveFilter(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	id := r.PathValue("id")
	f, err := s.moderation.Filters(r.Context(), sr.actor(), sr.org.ID)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	found := false
	for _, each := range f {
		found = found || each.ID == id
	}
	if found {
		_, err = s.moderation.RemoveFilter(r.Context(), sr.actor(), id)
	}
	if !found || errors.Is(err, moderation.ErrNoFilter) {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.title"))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/filters", "filterremoved")
}
