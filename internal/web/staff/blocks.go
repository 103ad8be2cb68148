package staff

import (
	"errors"
	"net/http"
	"time"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/moderation"
)

// blocksData is the screen of the blocks of an organisation, or of the
// whole installation.
type blocksData struct {
	Instance bool
	Path     string // where the forms post: /staff/orgs/{org}/blocks or /staff/admin/blocks
	Blocks   []blockRow
	// The add form, kept after an error.
	Target, Mode, Reason string
	CanChange            bool
	// Import is the outcome of an import just made; nil: none.
	Import *importResult
}

// blockRow is one block in the list.
type blockRow struct {
	ID, Target, Kind, Mode, Reason, When, ISO string
}

// importResult tells what an import of a blocklist did.
type importResult struct {
	Summary          string
	Skipped, Invalid []string
}

// blocksScope is what a request of the blocks screen is about: an
// organisation, or the installation.
type blocksScope struct {
	orgID, path, title, section string
	instance, canChange         bool
}

func (s *App) orgBlocks(sr *staffRequest) blocksScope {
	return blocksScope{orgID: sr.org.ID, path: "/staff/orgs/" + sr.org.Handle + "/blocks", section: "filters",
		title: i18n.T(sr.lang, "staff.blocks") + " – " + sr.org.DisplayName, canChange: sr.can(auth.PermManage)}
}

func (s *App) instanceBlocks(sr *staffRequest) blocksScope {
	return blocksScope{path: "/staff/admin/blocks", section: "admin", title: i18n.T(sr.lang, "staff.blocks.instance"),
		instance: true, canChange: true}
}

func (s *App) showOrgBlocks(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	s.showBlocks(w, r, sr, s.orgBlocks(sr))
}

func (s *App) showInstanceBlocks(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	if auth.RequireAdmin(sr.actor()) != nil {
		s.staffForbidden(w, r, sr)
		return
	}
	s.showBlocks(w, r, sr, s.instanceBlocks(sr))
}

func (s *App) showBlocks(w http.ResponseWriter, r *http.Request, sr *staffRequest, sc blocksScope) {
	v := s.view(sr, sc.title, sc.section)
	v.Flash = flash(r, sr.lang)
	s.renderBlocks(w, r, sr, http.StatusOK, sc, v, blocksData{Mode: string(model.BlockSuspend)})
}

// renderBlocks shows the blocks of sc with d's forms.
func (s *App) renderBlocks(w http.ResponseWriter, r *http.Request, sr *staffRequest, status int, sc blocksScope, v *staffView, d blocksData) {
	blocks, err := s.moderation.Blocks(r.Context(), sr.actor(), sc.orgID)
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	loc := time.UTC
	if sr.org != nil {
		loc = sr.org.Location()
	}
	for _, b := range blocks {
		mode := b.Mode
		if mode == "" {
			mode = model.BlockSuspend
		}
		d.Blocks = append(d.Blocks, blockRow{ID: b.ID, Target: b.Target, Kind: i18n.T(sr.lang, "staff.blocks.kind."+string(b.Kind)),
			Mode: i18n.T(sr.lang, "staff.blocks.mode."+string(mode)), Reason: b.Reason,
			When: i18n.DateTime(sr.lang, b.CreatedAt.In(loc)), ISO: b.CreatedAt.UTC().Format(time.RFC3339)})
	}
	d.Instance, d.Path, d.CanChange = sc.instance, sc.path, sc.canChange
	v.Data = d
	s.renderStaff(w, status, "staff_blocks.html", v)
}

func (s *App) submitOrgBlock(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	s.submitBlock(w, r, sr, s.orgBlocks(sr))
}

func (s *App) submitInstanceBlock(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	s.submitBlock(w, r, sr, s.instanceBlocks(sr))
}

func (s *App) submitBlock(w http.ResponseWriter, r *http.Request, sr *staffRequest, sc blocksScope) {
	d := blocksData{Target: r.PostFormValue("target"), Mode: r.PostFormValue("mode"), Reason: r.PostFormValue("reason")}
	_, err := s.moderation.BlockWith(r.Context(), sr.actor(), sc.orgID, d.Target, d.Reason, model.BlockMode(d.Mode))
	if fe, ok := model.AsFieldError(err); ok {
		v := s.view(sr, sc.title, sc.section)
		v.FormError = i18n.T(sr.lang, "staff.errors")
		v.Errors[fe.Field] = fieldMessage(fe, sr.lang)
		s.renderBlocks(w, r, sr, http.StatusUnprocessableEntity, sc, v, d)
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, sc.path, "blockadded")
}

func (s *App) submitOrgBlocksImport(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	s.submitBlocksImport(w, r, sr, s.orgBlocks(sr))
}

func (s *App) submitInstanceBlocksImport(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	s.submitBlocksImport(w, r, sr, s.instanceBlocks(sr))
}

// submitBlocksImport imports an uploaded blocklist and shows what it did.
func (s *App) submitBlocksImport(w http.ResponseWriter, r *http.Request, sr *staffRequest, sc blocksScope) {
	v := s.view(sr, sc.title, sc.section)
	d := blocksData{Mode: string(model.BlockSuspend)}
	file, _, err := formFile(r, "file")
	if errors.Is(err, http.ErrMissingFile) {
		v.FormError = i18n.T(sr.lang, "staff.errors")
		v.Errors["file"] = i18n.M(i18n.ErrBlocklistMissing).Sentence(sr.lang)
		s.renderBlocks(w, r, sr, http.StatusUnprocessableEntity, sc, v, d)
		return
	}
	if err != nil {
		s.staffError(w, r, sr, http.StatusBadRequest, i18n.T(sr.lang, "staff.badform"))
		return
	}
	defer file.Close()
	report, err := s.moderation.ImportBlocks(r.Context(), sr.actor(), sc.orgID, file)
	if fe, ok := model.AsFieldError(err); ok {
		v.FormError = i18n.T(sr.lang, "staff.errors")
		v.Errors["file"] = fieldMessage(fe, sr.lang)
		s.renderBlocks(w, r, sr, http.StatusUnprocessableEntity, sc, v, d)
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	res := &importResult{Summary: i18n.T(sr.lang, "staff.blocks.import.result", len(report.Added), len(report.Skipped), len(report.Invalid))}
	line := func(p moderation.BlocklistProblem) string {
		out := i18n.T(sr.lang, "staff.blocks.import.line", p.Line) + ": "
		if p.Domain != "" {
			out += p.Domain + " – "
		}
		return out + p.Why.In(sr.lang)
	}
	for _, p := range report.Skipped {
		res.Skipped = append(res.Skipped, line(p))
	}
	for _, p := range report.Invalid {
		res.Invalid = append(res.Invalid, line(p))
	}
	d.Import = res
	v.Flash = res.Summary
	s.renderBlocks(w, r, sr, http.StatusOK, sc, v, d)
}

func (s *App) submitRemoveOrgBlock(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	s.submitRemoveBlock(w, r, sr, s.orgBlocks(sr))
}

func (s *App) submitRemoveInstanceBlock(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	s.submitRemoveBlock(w, r, sr, s.instanceBlocks(sr))
}

func (s *App) submitRemoveBlock(w http.ResponseWriter, r *http.Request, sr *staffRequest, sc blocksScope) {
	err := s.moderation.Unblock(r.Context(), sr.actor(), sc.orgID, r.PathValue("id"))
	if errors.Is(err, moderation.ErrNoBlock) {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.title"))
		return
	}
	if err != nil {
		s.staffFailure(w, r, sr, err)
		return
	}
	seeOther(w, r, sc.path, "blockremoved")
}
