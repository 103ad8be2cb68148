package staff

import (
	"errors"
	"net/http"
	"path"

	"plein/internal/i18n"
	"plein/internal/model"
)

// retryAfter is the Retry-After, in seconds, of a staff page that could
// not be served because the database cannot be reached.
const retryAfter = "5"

// failureData is the page of a request that could not be completed: what
// the person had typed, to copy, and where to try again.
type failureData struct {
	Kept   []keptField
	Images bool   // the form carried image files, which were not kept
	Retry  string // the page to try again
}

// keptField is a field of a failed form, shown back read-only.
type keptField struct {
	ID, Label, Value string
	Rows             int
}

// staffFailure handles an error from a domain service: forbidden and field
// errors are shown; any other error is logged and answered with the
// failure page.
func (s *App) staffFailure(w http.ResponseWriter, r *http.Request, sr *staffRequest, err error) {
	if errors.Is(err, model.ErrForbidden) {
		s.staffForbidden(w, r, sr)
		return
	}
	if fe, ok := model.AsFieldError(err); ok {
		s.staffError(w, r, sr, http.StatusBadRequest, fieldMessage(fe, sr.lang))
		return
	}
	s.failed(w, r, sr, err)
}

// failed answers a request that could not be completed: 503 with
// Retry-After when the database cannot be reached, 500 for any other
// cause. The page says that nothing was saved and shows back the long
// fields of a posted form, so that the person can copy what they typed.
// sr is nil when the session itself could not be looked up: then the page
// has no menu and shows only what this request posted. err is logged,
// never shown.
func (s *App) failed(w http.ResponseWriter, r *http.Request, sr *staffRequest, err error) {
	status, key := http.StatusInternalServerError, "staff.failed"
	if errors.Is(err, model.ErrUnavailable) {
		status, key = http.StatusServiceUnavailable, "staff.unavailable"
		s.logger.Warn("web: staff: database unavailable", "route", r.Pattern, "err", err)
		w.Header().Set("Retry-After", retryAfter)
	} else {
		s.logger.Error("web: staff action", "route", r.Pattern, "err", err)
	}
	lang := i18n.Pick(r.URL.Query().Get("lang"), acceptLanguage(r))
	var v *staffView
	if sr != nil {
		lang = sr.lang
		v = s.view(sr, i18n.T(lang, key+".title"), "")
	} else {
		v = &staffView{Lang: lang, Title: i18n.T(lang, key+".title"), Errors: map[string]string{}}
	}
	v.FormError = i18n.T(lang, key+".body")
	d := failureData{Retry: retryPath(r)}
	if s.readFailedForm(w, r) {
		d.Kept = typedFields(r, lang)
		d.Images = r.MultipartForm != nil && len(r.MultipartForm.File) > 0
	}
	v.Data = d
	s.renderStaff(w, status, "staff_failure.html", v)
}

// readFailedForm makes the form of a failed POST readable, parsing it
// within the limits when no handler has yet; false when there is no form
// worth showing back.
func (s *App) readFailedForm(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost || len(formFields[r.Pattern]) == 0 {
		return false
	}
	if r.PostForm != nil {
		return true
	}
	return s.parseForm(w, r) == nil
}

// formField is a field a person may have typed at length.
type formField struct {
	name, label string
	image       int // the image an alt text belongs to; 0 for other fields
	rows        int
}

// postFields are the long fields of the post form, in its order.
var postFields = []formField{{name: "text", label: "staff.text", rows: 10}, {name: "summary", label: "staff.summary", rows: 2},
	{name: "alt1", label: "staff.alt", image: 1, rows: 2}, {name: "alt2", label: "staff.alt", image: 2, rows: 2},
	{name: "alt3", label: "staff.alt", image: 3, rows: 2}, {name: "alt4", label: "staff.alt", image: 4, rows: 2}}

// formFields names, per route, the fields shown back when a form fails.
// Passwords are never among them.
var formFields = map[string][]formField{
	"POST /staff/orgs/{org}/compose":             postFields,
	"POST /staff/orgs/{org}/posts/{id}":          postFields,
	"POST /staff/orgs/{org}/posts/{id}/{action}": {{name: "text", label: "staff.answer", rows: 4}},
	"POST /staff/orgs/{org}/profile": {{name: "name", label: "staff.name", rows: 1},
		{name: "description", label: "staff.description", rows: 4}, {name: "links", label: "staff.links", rows: 4},
		{name: "aka", label: "staff.aka", rows: 2}},
	"POST /staff/orgs/{org}/import/describe": {{name: "alt", label: "staff.import.describe", rows: 2}},
}

// typedFields returns the non-empty long fields the request posted.
func typedFields(r *http.Request, lang string) []keptField {
	var kept []keptField
	for _, f := range formFields[r.Pattern] {
		value := r.PostForm.Get(f.name)
		if value == "" {
			continue
		}
		label := i18n.T(lang, f.label)
		if f.image > 0 {
			label = i18n.T(lang, "staff.image", f.image) + ": " + label
		}
		kept = append(kept, keptField{ID: "kept-" + f.name, Label: label, Value: value, Rows: f.rows})
	}
	return kept
}

// retryPath is the page to try again: the page itself after a GET, the
// form after a failed save of one, the start page otherwise.
func retryPath(r *http.Request) string {
	switch {
	case r.Method == http.MethodGet:
		return r.URL.RequestURI()
	case r.Pattern == "POST /staff/orgs/{org}/compose", r.Pattern == "POST /staff/orgs/{org}/posts/{id}",
		r.Pattern == "POST /staff/orgs/{org}/profile":
		return r.URL.Path
	case r.Pattern == "POST /staff/orgs/{org}/posts/{id}/{action}":
		return path.Dir(r.URL.Path) // the post's form
	}
	return "/staff/"
}
