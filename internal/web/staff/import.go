package staff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"plein/internal/auth"
	"plein/internal/fbimport"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
)

// IsImportUpload reports whether r uploads an export to import, which may
// be larger than any other request (Deps.ImportMaxBytes). It reads the
// path, for the body limit applied before routing.
func IsImportUpload(r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, "/staff/orgs/")
	handle, ok2 := strings.CutSuffix(rest, "/import")
	return r.Method == http.MethodPost && ok && ok2 && handle != "" && !strings.Contains(handle, "/")
}

// importData is the import screen: the upload form, the report of the
// last run, and the images waiting for a description.
type importData struct {
	MaxMiB int64
	Report *importReportView
	Held   []heldPost
}

type importReportView struct {
	Title, Counts     string
	Problems, HeldOut []string
	ProblemsTitle     string
	HeldTitle         string
}

type heldPost struct {
	ID, Excerpt, When, ISO string
	Images                 []heldImage
}

type heldImage struct {
	MediaID, Src string
	Number       int
}

// importAllowed answers with 403 unless the screen exists and the staff
// member may manage the organisation.
func (s *App) importAllowed(w http.ResponseWriter, r *http.Request, sr *staffRequest) bool {
	if s.fbimport == nil || !sr.can(auth.PermManage) {
		s.staffForbidden(w, r, sr)
		return false
	}
	return true
}

func (s *App) showImport(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !s.importAllowed(w, r, sr) {
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.import")+" – "+sr.org.DisplayName, "import")
	v.Flash = flash(r, sr.lang)
	s.renderImport(w, r, sr, http.StatusOK, v, nil)
}

// renderImport shows the import screen with report rep, if any.
func (s *App) renderImport(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, v *staffView, rep *fbimport.Report) {
	d := importData{MaxMiB: s.importMax >> 20}
	if rep != nil {
		title, counts := i18n.ImportReportTitle, i18n.ImportReportCounts
		if rep.DryRun {
			title, counts = i18n.ImportReportDryTitle, i18n.ImportReportDryCount
		}
		d.Report = &importReportView{Title: i18n.M(title).In(sr.lang),
			Counts:        i18n.M(counts, rep.Found, rep.Imported, rep.Before, rep.Images, len(rep.HeldBack)).In(sr.lang),
			ProblemsTitle: i18n.M(i18n.ImportReportProblems, len(rep.Problems)).In(sr.lang),
			HeldTitle:     i18n.M(i18n.ImportReportHeld, len(rep.HeldBack)).In(sr.lang)}
		for _, e := range rep.Problems {
			d.Report.Problems = append(d.Report.Problems, e.Line(sr.lang))
		}
		for _, e := range rep.HeldBack {
			d.Report.HeldOut = append(d.Report.HeldOut, e.Line(sr.lang))
		}
	}
	posts, err := s.posts.HeldBack(r.Context(), sr.actor(), sr.org.ID)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	ms, err := s.posts.Media(r.Context(), posts...)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	loc := sr.org.Location()
	for _, p := range posts {
		h := heldPost{ID: p.ID, Excerpt: markup.Title(p.Text, 80), When: i18n.DateTime(sr.lang, p.PublishAt.In(loc)),
			ISO: p.PublishAt.UTC().Format(time.RFC3339)}
		for i, a := range p.Attachments {
			m, ok := ms[a.MediaID]
			if a.Alt != "" || !ok {
				continue
			}
			h.Images = append(h.Images, heldImage{MediaID: a.MediaID, Src: "/media/" + m.Variant("small").Key, Number: i + 1})
		}
		d.Held = append(d.Held, h)
	}
	v.Data = d
	s.renderStaff(w, status, "staff_import.html", v)
}

// submitImport runs an uploaded export: a dry run, or the import.
func (s *App) submitImport(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !s.importAllowed(w, r, sr) {
		return
	}
	v := s.view(sr, i18n.T(sr.lang, "staff.import")+" – "+sr.org.DisplayName, "import")
	fail := func(msg string) {
		v.Errors["export"], v.FormError = msg, i18n.T(sr.lang, "staff.errors")
		s.renderImport(w, r, sr, http.StatusUnprocessableEntity, v, nil)
	}
	file, header, err := formFile(r, "export")
	if err != nil {
		fail(i18n.T(sr.lang, "staff.import.nofile"))
		return
	}
	defer file.Close()
	if header.Size > s.importMax {
		fail(i18n.T(sr.lang, "staff.import.toolarge", s.importMax>>20))
		return
	}
	name, err := spool(file, s.importMax)
	if errors.Is(err, errSpoolTooLarge) {
		fail(i18n.T(sr.lang, "staff.import.toolarge", s.importMax>>20))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	defer os.Remove(name)
	if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(importWriteTime)); err != nil {
		s.logger.Warn("web: staff: the import keeps the usual write timeout", "err", err)
	}
	dry := r.PostFormValue("mode") != "run"
	// Once begun, the import runs to its end and into the audit log, even
	// when the browser stops waiting.
	rep, err := s.fbimport.Import(context.WithoutCancel(r.Context()), sr.actor(), sr.org.ID, name, fbimport.Options{DryRun: dry})
	if fe, ok := model.AsFieldError(err); ok {
		fail(fieldMessage(fe, sr.lang))
		return
	}
	if errors.Is(err, model.ErrForbidden) {
		s.staffForbidden(w, r, sr)
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	s.renderImport(w, r, sr, http.StatusOK, v, rep)
}

// submitDescribe gives a held-back image its description.
func (s *App) submitDescribe(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if !sr.can(auth.PermPublish) {
		s.staffForbidden(w, r, sr)
		return
	}
	postID, mediaID := r.PostFormValue("post"), r.PostFormValue("media")
	p, err := s.posts.Get(r.Context(), postID)
	if err != nil || p.OrgID != sr.org.ID {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.title"))
		return
	}
	_, err = s.posts.Describe(r.Context(), sr.actor(), p.ID, mediaID, r.PostFormValue("alt"))
	if fe, ok := model.AsFieldError(err); ok {
		v := s.view(sr, i18n.T(sr.lang, "staff.import")+" – "+sr.org.DisplayName, "import")
		v.Errors["alt-"+mediaID], v.FormError = fieldMessage(fe, sr.lang), i18n.T(sr.lang, "staff.errors")
		s.renderImport(w, r, sr, http.StatusUnprocessableEntity, v, nil)
		return
	}
	if errors.Is(err, model.ErrForbidden) {
		s.staffForbidden(w, r, sr)
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, "/staff/orgs/"+sr.org.Handle+"/import", "described")
}

var errSpoolTooLarge = errors.New("staff: upload larger than its limit")

// spool copies an upload to a temporary file of at most limit bytes and
// returns its name; the caller removes it.
func spool(r io.Reader, limit int64) (string, error) {
	f, err := os.CreateTemp("", "plein-import-*.zip")
	if err != nil {
		return "", fmt.Errorf("staff: import: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = errSpoolTooLarge
	}
	if err != nil {
		os.Remove(f.Name())
		if errors.Is(err, errSpoolTooLarge) {
			return "", err
		}
		return "", fmt.Errorf("staff: import: %w", err)
	}
	return f.Name(), nil
}
