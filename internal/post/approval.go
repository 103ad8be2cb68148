package post

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/sensitive"
	"plein/internal/store"
)

// Four-eyes publishing. Where an organisation requires approval
// (model.ApprovalPolicy), publishing or scheduling a post submits it to
// the organisation's approvers and admins instead: it is StateAwaiting
// until one of them approves it (then it is published, or scheduled when
// its time is still to come) or returns it with a note (StateReturned;
// its author edits it and submits it again). An edit of a published post
// is kept apart, the published version staying public, until it is
// approved. Nobody approves what they wrote themselves, admins included:
// everyone who wrote a version of the post (of an edit of a published
// post: of the edit) is one of its authors. In
// a crisis an admin, or the operator on the command line, publishes
// directly by stating a reason, which the audit log keeps.

// Limits of approval.
const (
	MaxNoteLength   = 2000 // characters of a note returning a post
	MaxReasonLength = 500  // characters of the reason of a crisis publication
	// MaxCorrectionDistance is the largest correction distance an
	// organisation may set (see model.ApprovalPolicy).
	MaxCorrectionDistance = 20
)

// Fields of the FieldErrors of approval.
const (
	FieldReason = "reason" // the reason of a crisis publication
	FieldNote   = "note"   // the note returning a post
	FieldAs     = "as"     // who acts: approval needs a named account
)

// Audit actions of approval. The detail of AuditReturn and
// AuditReturnEdit is the note, of AuditCrisis the reason, of AuditPolicy
// "required N" or "off", of the others the post's excerpt.
const (
	AuditCreateAwaiting = "post.create.awaiting"
	AuditSubmit         = "post.submit"
	AuditEditSubmit     = "post.edit.submit"
	AuditApprove        = "post.approve"
	AuditApproveEdit    = "post.approve.edit"
	AuditReturn         = "post.return"
	AuditReturnEdit     = "post.return.edit"
	AuditCrisis         = "post.crisis"
	AuditCorrect        = "post.correct"
	AuditMissed         = "post.missed"
	AuditPolicy         = "org.approval"
)

// route is how a publication goes under the organisation's policy.
type route int

const (
	routeDirect     route = iota // approval is not required
	routeApproval                // submit it for approval
	routeCrisis                  // publish directly, for the stated reason
	routeCorrection              // an edit small enough to pass as a correction
)

// Policy returns an organisation's approval policy.
func (s *Service) Policy(ctx context.Context, orgID string) (model.ApprovalPolicy, error) {
	p, err := s.st.ApprovalPolicy(ctx, orgID)
	if err != nil {
		return p, fmt.Errorf("post: approval policy: %w", err)
	}
	return p, nil
}

// SetPolicy sets an organisation's approval policy. Its admins and
// instance administrators may.
func (s *Service) SetPolicy(ctx context.Context, actor auth.Actor, orgID string, p model.ApprovalPolicy) error {
	if auth.RequireAdmin(actor) != nil {
		if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
			return err
		}
	}
	if p.CorrectionDistance < 0 || p.CorrectionDistance > MaxCorrectionDistance {
		return model.Invalid("correction_distance", i18n.M(i18n.ErrCorrectionDistance, MaxCorrectionDistance))
	}
	o, err := s.st.OrgByID(ctx, orgID)
	if err != nil {
		return fmt.Errorf("post: organisation %s: %w", orgID, err)
	}
	p.OrgID = o.ID
	detail := "off"
	if p.Required {
		detail = fmt.Sprintf("required %d", p.CorrectionDistance)
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.PutApprovalPolicy(ctx, p); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, o.ID, AuditPolicy, o.Handle, detail, s.now().UTC())
	})
	if err != nil {
		return fmt.Errorf("post: set approval policy: %w", err)
	}
	return nil
}

// route decides how a publication by actor in the organisation orgID
// goes, given the reason of a crisis publication (empty: none).
func (s *Service) route(ctx context.Context, actor auth.Actor, orgID, reason string) (route, error) {
	pol, err := s.Policy(ctx, orgID)
	if err != nil || !pol.Required {
		return routeDirect, err
	}
	return s.crisisOr(ctx, actor, orgID, reason, routeApproval)
}

// crisisOr returns routeCrisis when reason is given and actor may publish
// in a crisis, else otherwise; the operator must give a reason.
func (s *Service) crisisOr(ctx context.Context, actor auth.Actor, orgID, reason string, otherwise route) (route, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		if actor.Operator {
			return 0, model.Invalid(FieldReason, i18n.M(i18n.ErrApprovalOperatorReason))
		}
		return otherwise, nil
	}
	if n := utf8.RuneCountInString(reason); n > MaxReasonLength {
		return 0, model.Invalid(FieldReason, i18n.M(i18n.ErrReasonTooLong, n, MaxReasonLength))
	}
	if actor.Operator {
		return routeCrisis, nil
	}
	switch err := s.auth.Require(ctx, actor, orgID, auth.PermManage); {
	case errors.Is(err, model.ErrForbidden):
		return 0, model.Invalid(FieldReason, i18n.M(i18n.ErrCrisisAdminsOnly))
	case err != nil:
		return 0, err
	}
	return routeCrisis, nil
}

// editRoute decides how an edit of the published post p goes.
func (s *Service) editRoute(ctx context.Context, actor auth.Actor, p *model.Post, in Input) (route, error) {
	pol, err := s.Policy(ctx, p.OrgID)
	if err != nil || !pol.Required {
		return routeDirect, err
	}
	if strings.TrimSpace(in.Reason) == "" && IsCorrection(p, in, pol.CorrectionDistance) {
		return routeCorrection, nil
	}
	return s.crisisOr(ctx, actor, p.OrgID, in.Reason, routeApproval)
}

// submitted records, in tx, what the route of a publication of p asks: an
// approval to wait for and the approvers to tell, or the reason of a
// crisis publication. A post published otherwise no longer awaits
// anything.
func (s *Service) submitted(ctx context.Context, tx store.Tx, actor auth.Actor, p *model.Post, r route, reason string, now time.Time) error {
	switch r {
	case routeApproval:
		a, err := tx.ApprovalByPost(ctx, p.ID)
		switch {
		case errors.Is(err, store.ErrNotFound) || err == nil && a.Kind != model.ApprovalPost:
			a = &model.Approval{PostID: p.ID, OrgID: p.OrgID, Kind: model.ApprovalPost}
		case err != nil:
			return err
		}
		a.AuthorID, a.Author, a.Authors, a.SubmittedAt = actor.UserID, actor.Name, withAuthor(a.Authors, actor), now
		// Whoever wrote a version of the post, a draft before it was
		// submitted included, is one of its authors.
		revs, err := tx.Revisions(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, r := range revs {
			a.Authors = withAuthor(a.Authors, auth.Actor{UserID: r.EditorID})
		}
		a.Returned, a.Note, a.ReturnedBy, a.ReturnedByName, a.ReturnedAt = false, "", "", "", time.Time{}
		if err := tx.PutApproval(ctx, a); err != nil {
			return err
		}
		return tellApprovers(ctx, tx, a)
	case routeCrisis:
		if err := tx.DeleteApproval(ctx, p.ID); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, p.OrgID, AuditCrisis, p.ID, strings.TrimSpace(reason), now)
	}
	return tx.DeleteApproval(ctx, p.ID)
}

// withAuthor returns authors with the actor's account added.
func withAuthor(authors []string, actor auth.Actor) []string {
	if actor.UserID == "" || slices.Contains(authors, actor.UserID) {
		return authors
	}
	return append(slices.Clone(authors), actor.UserID)
}

// joinAuthors makes the actor, who changed a post awaiting approval or
// returned, one of its authors, in tx.
func joinAuthors(ctx context.Context, tx store.Tx, actor auth.Actor, p *model.Post) error {
	a, err := tx.ApprovalByPost(ctx, p.ID)
	if errors.Is(err, store.ErrNotFound) || err == nil && (a.Kind != model.ApprovalPost || a.WrittenBy(actor.UserID)) {
		return nil
	}
	if err != nil {
		return err
	}
	a.Authors = withAuthor(a.Authors, actor)
	return tx.PutApproval(ctx, a)
}

// submitEdit keeps an edit of the published post p apart until it is
// approved: p stays as it is, and the approvers are told.
func (s *Service) submitEdit(ctx context.Context, actor auth.Actor, p *model.Post, in Input, found []sensitive.Kind) (*model.Post, error) {
	now := s.now().UTC()
	uploads, err := s.storeUploads(ctx, p.OrgID, in.Images, now)
	if err != nil {
		return nil, err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		prev, err := tx.ApprovalByPost(ctx, p.ID)
		if errors.Is(err, store.ErrNotFound) || err == nil && prev.Kind != model.ApprovalEdit {
			prev, err = &model.Approval{}, nil
		}
		if err != nil {
			return err
		}
		if err := checkKept(ctx, tx, p.OrgID, in.Images, append(slices.Clone(p.Attachments), prev.Attachments...)); err != nil {
			return err
		}
		for _, m := range uploads {
			if err := tx.CreateMedia(ctx, m); err != nil {
				return err
			}
		}
		a := &model.Approval{PostID: p.ID, OrgID: p.OrgID, Kind: model.ApprovalEdit, AuthorID: actor.UserID, Author: actor.Name,
			Authors: withAuthor(prev.Authors, actor), SubmittedAt: now, Text: in.Text, Summary: in.Summary, Language: in.Language,
			Attachments: attachments(in.Images, uploads)}
		if err := tx.PutApproval(ctx, a); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, p.OrgID, AuditEditSubmit, p.ID, auditText(in.Text), now); err != nil {
			return err
		}
		if err := auditSensitive(ctx, tx, actor, p, found, now); err != nil {
			return err
		}
		return tellApprovers(ctx, tx, a)
	})
	if err != nil {
		s.library.Discard(uploads...)
		if _, ok := model.AsFieldError(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("post: submit edit: %w", err)
	}
	return p, nil
}

// mayDecide checks that actor may approve or return posts of orgID: a
// named account whose role approves.
func (s *Service) mayDecide(ctx context.Context, actor auth.Actor, orgID string) error {
	if actor.Operator {
		return model.Invalid(FieldAs, i18n.M(i18n.ErrApprovalNeedsAccount))
	}
	return s.auth.Require(ctx, actor, orgID, auth.PermApprove)
}

// Approve publishes a post awaiting approval (or schedules it, when the
// time asked for is still to come; a time that passed while it waited
// makes it public now), or applies an edit of a published post awaiting
// approval. Approvers and admins may, never for what they wrote.
func (s *Service) Approve(ctx context.Context, actor auth.Actor, postID string) (*model.Post, error) {
	p, err := s.Get(ctx, postID)
	if err != nil {
		return nil, err
	}
	if err := s.mayDecide(ctx, actor, p.OrgID); err != nil {
		return nil, err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		a, err := tx.ApprovalByPost(ctx, postID)
		if errors.Is(err, store.ErrNotFound) {
			return model.Invalid("post", i18n.M(i18n.ErrNotAwaiting))
		}
		if err != nil {
			return err
		}
		if p, err = tx.PostByID(ctx, postID); err != nil {
			return err
		}
		switch {
		case a.Returned:
			return model.Invalid("post", i18n.M(i18n.ErrApprovalReturned))
		case a.WrittenBy(actor.UserID):
			return model.Invalid("post", i18n.M(i18n.ErrSelfApproval))
		case a.Kind == model.ApprovalPost && p.State != model.StateAwaiting,
			a.Kind == model.ApprovalEdit && p.State != model.StatePublished:
			return model.Invalid("post", i18n.M(i18n.ErrNotAwaiting))
		}
		now := s.now().UTC()
		if err := tx.DeleteApproval(ctx, p.ID); err != nil {
			return err
		}
		if a.Kind == model.ApprovalEdit {
			return s.applyEdit(ctx, tx, actor, p, a, now)
		}
		was := p.State
		p.State = model.StateScheduled
		if !p.PublishAt.After(now) {
			p.State, p.PublishAt, p.UpdatedAt = model.StatePublished, now, now
		}
		if err := tx.UpdatePost(ctx, p); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, p.OrgID, AuditApprove, p.ID, auditText(p.Text), now); err != nil {
			return err
		}
		return s.afterChange(ctx, tx, p, was)
	})
	if _, ok := model.AsFieldError(err); ok {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("post: approve: %w", err)
	}
	return p, nil
}

// applyEdit makes the approved edit a the published version of p, in tx:
// a new revision in the name of its author.
func (s *Service) applyEdit(ctx context.Context, tx store.Tx, actor auth.Actor, p *model.Post, a *model.Approval, now time.Time) error {
	p.Text, p.Summary, p.Language, p.Attachments, p.UpdatedAt = a.Text, a.Summary, a.Language, a.Attachments, now
	p.Revisions++
	if err := tx.UpdatePost(ctx, p); err != nil {
		return err
	}
	rev := revision(p, auth.Actor{UserID: a.AuthorID, Name: a.Author}, now)
	if err := tx.AddRevision(ctx, rev); err != nil {
		return err
	}
	if err := auth.Audit(ctx, tx, actor, p.OrgID, AuditApproveEdit, p.ID, auditText(p.Text), now); err != nil {
		return err
	}
	if err := federate(ctx, tx, p, ChangeUpdate); err != nil {
		return err
	}
	return tx.MarkChanged(ctx)
}

// Return sends a post, or an edit of a published post, awaiting approval
// back to its author with a note saying what to change. Approvers and
// admins may; the author is told by e-mail.
func (s *Service) Return(ctx context.Context, actor auth.Actor, postID, note string) (*model.Post, error) {
	note = strings.TrimSpace(strings.ReplaceAll(note, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(note); {
	case n == 0:
		return nil, model.Invalid(FieldNote, i18n.M(i18n.ErrNoteEmpty))
	case n > MaxNoteLength:
		return nil, model.Invalid(FieldNote, i18n.M(i18n.ErrNoteTooLong, n, MaxNoteLength))
	}
	p, err := s.Get(ctx, postID)
	if err != nil {
		return nil, err
	}
	if err := s.mayDecide(ctx, actor, p.OrgID); err != nil {
		return nil, err
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		a, err := tx.ApprovalByPost(ctx, postID)
		if errors.Is(err, store.ErrNotFound) {
			return model.Invalid("post", i18n.M(i18n.ErrNotAwaiting))
		}
		if err != nil {
			return err
		}
		if a.Returned {
			return model.Invalid("post", i18n.M(i18n.ErrApprovalReturned))
		}
		if p, err = tx.PostByID(ctx, postID); err != nil {
			return err
		}
		now := s.now().UTC()
		a.Returned, a.Note, a.ReturnedBy, a.ReturnedByName, a.ReturnedAt = true, note, actor.UserID, actor.Name, now
		if err := tx.PutApproval(ctx, a); err != nil {
			return err
		}
		action := AuditReturnEdit
		if a.Kind == model.ApprovalPost {
			action = AuditReturn
			p.State = model.StateReturned
			if err := tx.UpdatePost(ctx, p); err != nil {
				return err
			}
		}
		if err := auth.Audit(ctx, tx, actor, p.OrgID, action, p.ID, note, now); err != nil {
			return err
		}
		return tellAuthor(ctx, tx, a, NoticeReturned, now)
	})
	if _, ok := model.AsFieldError(err); ok {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("post: return: %w", err)
	}
	return p, nil
}

// Approval returns what awaits approval for a post, or was returned; nil
// when nothing does.
func (s *Service) Approval(ctx context.Context, postID string) (*model.Approval, error) {
	a, err := s.st.ApprovalByPost(ctx, postID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("post: approval: %w", err)
	}
	return a, nil
}

// Pending is a post, or an edit of one, that awaits approval or was
// returned, with the post as it is now.
type Pending struct {
	*model.Approval
	Post *model.Post
}

// Approvals returns what awaits approval in an organisation, or was
// returned, oldest submitted first, for its approvers and admins.
func (s *Service) Approvals(ctx context.Context, actor auth.Actor, orgID string) ([]Pending, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermApprove); err != nil {
		return nil, err
	}
	list, err := s.st.ListApprovals(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("post: approvals: %w", err)
	}
	out := make([]Pending, 0, len(list))
	for _, a := range list {
		p, err := s.st.PostByID(ctx, a.PostID)
		if err != nil {
			return nil, fmt.Errorf("post: approvals: %w", err)
		}
		out = append(out, Pending{Approval: a, Post: p})
	}
	return out, nil
}
