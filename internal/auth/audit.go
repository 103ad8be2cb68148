package auth

import (
	"context"
	"fmt"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

// Audit writes who did what, and when, to the audit log of the organisation
// orgID (empty: the installation's log). Call it in the transaction of the
// change it records.
func Audit(ctx context.Context, log store.AuditLog, actor Actor, orgID, action, target, detail string, at time.Time) error {
	e := &model.AuditEntry{ID: model.NewID(at), OrgID: orgID, ActorID: actor.UserID, Actor: actor.Name,
		Action: action, Target: target, Detail: detail, At: at}
	if err := log.AddAudit(ctx, e); err != nil {
		return fmt.Errorf("auth: audit %s: %w", action, err)
	}
	return nil
}
