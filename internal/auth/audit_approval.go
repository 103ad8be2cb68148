package auth

import (
	"context"
	"strings"

	"plein/internal/i18n"
	"plein/internal/model"
)

// approvalSentences are the audit sentences of four-eyes publishing that
// name who acted and the post (see package post).
var approvalSentences = map[string]i18n.Key{
	"post.create.awaiting": i18n.AuditPostCreateAwaiting,
	"post.submit":          i18n.AuditPostSubmit,
	"post.edit.submit":     i18n.AuditPostEditSubmit,
	"post.approve":         i18n.AuditPostApprove,
	"post.approve.edit":    i18n.AuditPostApproveEdit,
	"post.correct":         i18n.AuditPostCorrect,
	"post.missed":          i18n.AuditPostMissed,
}

// approval tells an entry of four-eyes publishing; ok is false for any
// other entry. A return keeps its note and a crisis publication its reason
// in the detail; the organisation's policy is "required N" or "off".
func (d *describer) approval(ctx context.Context, e *model.AuditEntry, who Ref) (m i18n.Message, ok bool, err error) {
	if key, found := approvalSentences[e.Action]; found {
		p, err := d.post(ctx, e)
		return i18n.M(key, who, p), true, err
	}
	switch e.Action {
	case "post.return", "post.return.edit", "post.crisis":
		about := *e
		about.Detail = "" // the post is told by its text, the detail is the note or reason
		p, err := d.post(ctx, &about)
		key := i18n.AuditPostReturn
		switch e.Action {
		case "post.return.edit":
			key = i18n.AuditPostReturnEdit
		case "post.crisis":
			key = i18n.AuditPostCrisis
		}
		return i18n.M(key, who, p, e.Detail), true, err
	case "org.approval":
		o, err := d.org(ctx, e)
		if e.Detail == "required 0" {
			return i18n.M(i18n.AuditOrgApprovalStrict, who, o), true, err
		}
		if distance, on := strings.CutPrefix(e.Detail, "required "); on {
			return i18n.M(i18n.AuditOrgApprovalOn, who, o, distance), true, err
		}
		return i18n.M(i18n.AuditOrgApprovalOff, who, o), true, err
	}
	return i18n.Message{}, false, nil
}
