package subscription

import (
	"context"
	"errors"
	"fmt"
	"time"

	"plein/internal/insights"
	"plein/internal/mail"
	"plein/internal/model"
	"plein/internal/store"
)

// ErrUnknownReport means a delivery report names no subscription of this
// installation: no valid bounce token, and no Message-ID in the outbox.
var ErrUnknownReport = errors.New("subscription: the report names no subscription")

// HandleReport acts on a bounce or complaint about a message to a
// subscriber, found by the report's bounce token or else its Message-ID:
// a hard bounce suspends the subscription (an unconfirmed one is erased),
// SoftBouncesToSuspend soft bounces in a row suspend it, and a complaint
// ends it and keeps the address's hash on the suppression list, so that
// it gets no more mail. A report about a subscription that is gone
// already changes nothing.
func (s *Service) HandleReport(ctx context.Context, r *mail.Report) error {
	id, err := s.reportSubscription(ctx, r)
	if err != nil {
		return err
	}
	var outcome string
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		sub, err := tx.SubscriptionByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			outcome = "gone"
			return nil
		}
		if err != nil {
			return err
		}
		now := s.now().UTC()
		switch r.Kind {
		case mail.Complaint:
			outcome = "ended"
			return s.end(ctx, tx, sub, ReasonComplaint)
		case mail.HardBounce:
			if sub.State == model.SubscriptionPending {
				outcome = "erased"
				return tx.DeleteSubscription(ctx, sub.ID)
			}
			outcome = "suspended"
			return s.suspend(ctx, tx, sub, now)
		case mail.SoftBounce:
			sub.SoftBounces++
			outcome = "counted"
			if sub.SoftBounces >= SoftBouncesToSuspend && sub.State == model.SubscriptionActive {
				outcome = "suspended"
				return s.suspend(ctx, tx, sub, now)
			}
			return tx.UpdateSubscription(ctx, sub)
		default:
			return fmt.Errorf("unknown report kind %d", r.Kind)
		}
	})
	if err != nil {
		return fmt.Errorf("subscription: report: %w", err)
	}
	s.logger.InfoContext(ctx, "subscription: delivery report handled", "kind", kindName(r.Kind), "outcome", outcome)
	return nil
}

// suspend stops mail to an address that bounced, in tx.
func (s *Service) suspend(ctx context.Context, tx store.Tx, sub *model.Subscription, now time.Time) error {
	was := sub.State
	sub.State, sub.SuspendedAt = model.SubscriptionSuspended, now
	if err := tx.UpdateSubscription(ctx, sub); err != nil {
		return err
	}
	if was == model.SubscriptionActive {
		return count(ctx, tx, sub.OrgID, "", insights.MetricSubscribersLost, now)
	}
	return nil
}

// reportSubscription returns the id of the subscription a report is about.
func (s *Service) reportSubscription(ctx context.Context, r *mail.Report) (string, error) {
	if r.BounceToken != "" {
		id, err := s.parseToken(ctx, purposeBounce, r.BounceToken)
		if errors.Is(err, ErrInvalidToken) {
			return "", ErrUnknownReport
		}
		return id, err
	}
	if r.MessageID != "" {
		m, err := s.st.OutboxByMessageID(ctx, r.MessageID)
		if errors.Is(err, store.ErrNotFound) {
			return "", ErrUnknownReport
		}
		if err != nil {
			return "", fmt.Errorf("subscription: report: %w", err)
		}
		return m.SubscriptionID, nil
	}
	return "", ErrUnknownReport
}

func kindName(k mail.ReportKind) string {
	switch k {
	case mail.SoftBounce:
		return "soft_bounce"
	case mail.HardBounce:
		return "hard_bounce"
	case mail.Complaint:
		return "complaint"
	}
	return "unknown"
}
