package post

import (
	"context"
	"strings"
	"time"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/sensitive"
	"plein/internal/store"
)

// FieldSensitive is the field of the FieldError with which Create and Edit
// refuse a post that holds sensitive numbers: the staff form shows it with
// a box to confirm, the command line names --allow-sensitive.
const FieldSensitive = "sensitive"

// Guard scans a post's text, content warning and alt texts for sensitive
// numbers (sensitive.Publication). It returns the kinds found; when there
// are any and in.AllowSensitive is false, it also returns a FieldError on
// FieldSensitive that names the kinds, never the numbers.
func Guard(in Input) ([]sensitive.Kind, error) {
	texts := []string{in.Text, in.Summary}
	for _, img := range in.Images {
		texts = append(texts, img.Alt)
	}
	var found []sensitive.Finding
	for _, t := range texts {
		found = append(found, sensitive.Scan(t, sensitive.Publication)...)
	}
	kinds := sensitive.Kinds(found)
	if len(kinds) > 0 && !in.AllowSensitive {
		return kinds, model.Invalid(FieldSensitive, i18n.M(i18n.ErrSensitivePost, i18n.SensitiveKinds(sensitive.Names(kinds))))
	}
	return kinds, nil
}

// auditSensitive records, in tx, that actor confirmed that p may contain
// the kinds found; it writes nothing when nothing was found.
func auditSensitive(ctx context.Context, tx store.Tx, actor auth.Actor, p *model.Post, found []sensitive.Kind, at time.Time) error {
	if len(found) == 0 {
		return nil
	}
	return auth.Audit(ctx, tx, actor, p.OrgID, AuditSensitive, p.ID, strings.Join(sensitive.Names(found), ","), at)
}

// AuditSensitive is the audit action of a confirmed post with sensitive
// numbers; its detail lists the kinds, comma-separated.
const AuditSensitive = "post.sensitive"
