package org

import (
	"context"
	"fmt"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/store"
)

// MovedArgs is the durable job that tells an organisation's followers that
// it moved to the account Target. It is enqueued in the transaction of the
// move; its worker lives in package federation.
type MovedArgs struct {
	OrgID  string    `json:"org_id"`
	Target string    `json:"target"`
	At     time.Time `json:"at"`
}

// Kind implements river.JobArgs.
func (MovedArgs) Kind() string { return "org_moved" }

// RequireManage returns model.ErrForbidden unless actor may manage the
// organisation orgID: its admins, instance administrators and the
// operator.
func (s *Service) RequireManage(ctx context.Context, actor auth.Actor, orgID string) error {
	return s.requireManage(ctx, actor, orgID)
}

// Move records that an organisation moved to the Fediverse account target
// (an actor id), audits it and enqueues MovedArgs, in one transaction.
// From then on the organisation publishes nothing here (package post
// refuses).
// The caller has checked that target names the organisation as an
// earlier account; package federation does (MoveOut).
func (s *Service) Move(ctx context.Context, actor auth.Actor, orgID, target string) (*model.Org, error) {
	if err := s.requireManage(ctx, actor, orgID); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var o *model.Org
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.SetOrgMovedTo(ctx, orgID, target, now); err != nil {
			return err
		}
		var err error
		if o, err = tx.OrgByID(ctx, orgID); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, o.ID, "org.move", "@"+o.Handle, target, now); err != nil {
			return err
		}
		if err := tx.EnqueueJob(ctx, MovedArgs{OrgID: o.ID, Target: target, At: now}, nil); err != nil {
			return err
		}
		return tx.MarkChanged(ctx) // its public page says where it went
	})
	if err != nil {
		return nil, fmt.Errorf("org: move: %w", err)
	}
	return o, nil
}
