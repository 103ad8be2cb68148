package federation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"plein/internal/insights"
	"plein/internal/safefetch"
	"plein/internal/store"
)

// MaxRetriedOnRecovery bounds the waiting deliveries to a server that are
// sent at once when the server is heard from again; the rest go out when
// their own wait ends.
const MaxRetriedOnRecovery = 1000

// inboxGone ends the follows whose own inbox (never a shared inbox, which
// many followers use) answered 410 Gone, and returns how many ended.
func (s *Service) inboxGone(ctx context.Context, inbox string) (int, error) {
	return s.endFollows(ctx, func(tx store.Tx) ([]string, error) { return tx.RemoveFollowersAtInbox(ctx, inbox) })
}

// actorGone ends the follows of an actor whose document answered 410 Gone,
// and returns how many ended.
func (s *Service) actorGone(ctx context.Context, actorID string) (int, error) {
	return s.endFollows(ctx, func(tx store.Tx) ([]string, error) { return tx.RemoveFollowersOf(ctx, actorID) })
}

// endFollows runs remove, which ends follows and returns the organisation
// of each, in one transaction that marks the change (follower counts are
// public), and counts each follow as a follower lost.
func (s *Service) endFollows(ctx context.Context, remove func(tx store.Tx) ([]string, error)) (int, error) {
	var orgs []string
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if orgs, err = remove(tx); err != nil || len(orgs) == 0 {
			return err
		}
		return tx.MarkChanged(ctx)
	})
	if err != nil {
		return 0, fmt.Errorf("federation: end follows: %w", err)
	}
	for _, orgID := range orgs {
		s.count(orgID, "", insights.MetricFollowersLost, 1)
	}
	return len(orgs), nil
}

// goneOnFetch ends the follows of the actor iri when fetching it answered
// 410 Gone (err from safefetch). Anything else is left alone.
func (s *Service) goneOnFetch(ctx context.Context, iri string, err error) {
	var se *safefetch.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusGone {
		return
	}
	n, gerr := s.actorGone(context.WithoutCancel(ctx), iri)
	if gerr != nil {
		slog.WarnContext(ctx, "federation: follows of a gone actor not ended", "host", hostOf(iri), "err", gerr)
		return
	}
	if n > 0 {
		slog.InfoContext(ctx, "federation: follows of a gone actor ended", "host", hostOf(iri), "count", n)
	}
}

// serverAnswers is called for a server that just sent an activity whose
// signature verified: it is up. When its deliveries were failing or paused,
// its failures are cleared, as one successful delivery would, and its
// waiting deliveries are made runnable at once, at most
// MaxRetriedOnRecovery of them.
func (s *Service) serverAnswers(ctx context.Context, host string) error {
	if host == "" {
		return nil
	}
	failures, _, err := s.st.DeliveryHost(ctx, host)
	if err != nil || failures == 0 {
		return err
	}
	if err := s.st.DeliverySucceeded(ctx, host); err != nil {
		return fmt.Errorf("federation: end the pause of %s: %w", host, err)
	}
	n, err := s.st.RetryJobs(ctx, DeliverArgs{}.Kind(), "inbox",
		[]string{"https://" + host + "/", "http://" + host + "/"}, MaxRetriedOnRecovery)
	if err != nil {
		return fmt.Errorf("federation: retry the deliveries to %s: %w", host, err)
	}
	slog.InfoContext(ctx, "federation: server answers again; its waiting deliveries go out", "host", host, "count", n)
	return nil
}
