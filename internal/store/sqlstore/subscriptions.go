package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

const subscriptionColumns = `id, org_id, tag, email, email_hash, frequency, lang, state, soft_bounces, consent, consent_at,
	created_at, confirmed_at, digested_at, suspended_at`

func scanSubscription(r Row) (*model.Subscription, error) {
	var s model.Subscription
	var freq, state string
	var consentAt, created, confirmed, digested, suspended sql.NullTime
	if err := r.Scan(&s.ID, &s.OrgID, &s.Tag, &s.Email, &s.EmailHash, &freq, &s.Lang, &state, &s.SoftBounces, &s.Consent,
		&consentAt, &created, &confirmed, &digested, &suspended); err != nil {
		return nil, err
	}
	s.Frequency, s.State = model.Frequency(freq), model.SubscriptionState(state)
	s.ConsentAt, s.CreatedAt, s.ConfirmedAt = fromNull(consentAt), fromNull(created), fromNull(confirmed)
	s.DigestedAt, s.SuspendedAt = fromNull(digested), fromNull(suspended)
	return &s, nil
}

// CreateSubscription implements store.Subscriptions.
func (q Queries) CreateSubscription(ctx context.Context, s *model.Subscription) error {
	_, err := q.c.Exec(ctx, `INSERT INTO subscriptions (`+subscriptionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.OrgID, s.Tag, s.Email, s.EmailHash, string(s.Frequency), s.Lang, string(s.State), s.SoftBounces, s.Consent,
		dbTime(s.ConsentAt), dbTime(s.CreatedAt), dbTime(s.ConfirmedAt), dbTime(s.DigestedAt), dbTime(s.SuspendedAt))
	return wrap("create subscription", err)
}

// UpdateSubscription implements store.Subscriptions.
func (q Queries) UpdateSubscription(ctx context.Context, s *model.Subscription) error {
	n, err := q.c.Exec(ctx, `UPDATE subscriptions SET tag = ?, frequency = ?, lang = ?, state = ?, soft_bounces = ?,
		consent = ?, consent_at = ?, confirmed_at = ?, digested_at = ?, suspended_at = ? WHERE id = ?`,
		s.Tag, string(s.Frequency), s.Lang, string(s.State), s.SoftBounces, s.Consent, dbTime(s.ConsentAt),
		dbTime(s.ConfirmedAt), dbTime(s.DigestedAt), dbTime(s.SuspendedAt), s.ID)
	return mustAffect("update subscription", n, err)
}

// DeleteSubscription implements store.Subscriptions.
func (q Queries) DeleteSubscription(ctx context.Context, id string) error {
	if _, err := q.c.Exec(ctx, `DELETE FROM mail_outbox WHERE subscription_id = ?`, id); err != nil {
		return wrap("delete subscription", err)
	}
	n, err := q.c.Exec(ctx, `DELETE FROM subscriptions WHERE id = ?`, id)
	return mustAffect("delete subscription", n, err)
}

// SubscriptionByID implements store.Subscriptions.
func (q Queries) SubscriptionByID(ctx context.Context, id string) (*model.Subscription, error) {
	s, err := scanSubscription(q.c.QueryRow(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions WHERE id = ?`, id))
	return s, wrap("subscription by id", err)
}

// SubscriptionByEmail implements store.Subscriptions.
func (q Queries) SubscriptionByEmail(ctx context.Context, orgID, emailHash string) (*model.Subscription, error) {
	s, err := scanSubscription(q.c.QueryRow(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions
		WHERE org_id = ? AND email_hash = ?`, orgID, emailHash))
	return s, wrap("subscription by email", err)
}

// ListSubscriptions implements store.Subscriptions.
func (q Queries) ListSubscriptions(ctx context.Context, f store.SubscriptionFilter) ([]*model.Subscription, error) {
	var where []string
	var args []any
	if f.OrgID != "" {
		where = append(where, "org_id = ?")
		args = append(args, f.OrgID)
	}
	if len(f.States) > 0 {
		where = append(where, "state IN ("+placeholders(len(f.States))+")")
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if f.Frequency != "" {
		where = append(where, "frequency = ?")
		args = append(args, string(f.Frequency))
	}
	if f.Tags != nil {
		where = append(where, "tag IN ("+placeholders(len(f.Tags)+1)+")")
		args = append(args, "")
		for _, t := range f.Tags {
			args = append(args, t)
		}
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return nil, nil
		}
		where = append(where, "id IN ("+placeholders(len(f.IDs))+")")
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.AfterID != "" {
		where = append(where, "id > ?")
		args = append(args, f.AfterID)
	}
	query := `SELECT ` + subscriptionColumns + ` FROM subscriptions`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id"
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := q.c.Query(ctx, query, args...)
	if err != nil {
		return nil, wrap("list subscriptions", err)
	}
	return collect("list subscriptions", rows, scanSubscription)
}

// SubscriptionCounts implements store.Subscriptions.
func (q Queries) SubscriptionCounts(ctx context.Context, orgID string) (map[model.SubscriptionState]int, error) {
	rows, err := q.c.Query(ctx, `SELECT state, COUNT(*) FROM subscriptions WHERE org_id = ? GROUP BY state`, orgID)
	if err != nil {
		return nil, wrap("subscription counts", err)
	}
	defer rows.Close()
	out := map[model.SubscriptionState]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, wrap("subscription counts", err)
		}
		out[model.SubscriptionState(state)] = n
	}
	return out, wrap("subscription counts", rows.Err())
}

// PutSuppression implements store.Subscriptions.
func (q Queries) PutSuppression(ctx context.Context, orgID, emailHash, reason string, at time.Time) error {
	_, err := q.c.Exec(ctx, `INSERT INTO mail_suppressions (org_id, email_hash, reason, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (org_id, email_hash) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at`,
		orgID, emailHash, reason, dbTime(at))
	return wrap("put suppression", err)
}

// Suppression implements store.Subscriptions.
func (q Queries) Suppression(ctx context.Context, orgID, emailHash string) (string, error) {
	var reason string
	err := q.c.QueryRow(ctx, `SELECT reason FROM mail_suppressions WHERE org_id = ? AND email_hash = ?`, orgID, emailHash).Scan(&reason)
	return reason, wrap("suppression", err)
}

// DeleteSuppression implements store.Subscriptions.
func (q Queries) DeleteSuppression(ctx context.Context, orgID, emailHash string) error {
	_, err := q.c.Exec(ctx, `DELETE FROM mail_suppressions WHERE org_id = ? AND email_hash = ?`, orgID, emailHash)
	return wrap("delete suppression", err)
}

// ReserveMail implements store.Subscriptions.
func (q Queries) ReserveMail(ctx context.Context, key string, now, until time.Time) (bool, error) {
	n, err := q.c.Exec(ctx, `INSERT INTO mail_reservations (key, until) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET until = excluded.until WHERE mail_reservations.until <= ?`,
		key, dbTime(until), dbTime(now))
	return n == 1, wrap("reserve mail", err)
}

// ClaimFanout implements store.Subscriptions.
func (q Queries) ClaimFanout(ctx context.Context, item string, at time.Time) (bool, error) {
	n, err := q.c.Exec(ctx, `INSERT INTO mail_fanouts (item, created_at) VALUES (?, ?) ON CONFLICT (item) DO NOTHING`, item, dbTime(at))
	return n == 1, wrap("claim fan-out", err)
}

const outboxColumns = `subscription_id, item, org_id, post_id, message_id, state, created_at, done_at`

func scanOutbox(r Row) (*model.OutboxMessage, error) {
	var m model.OutboxMessage
	var state string
	var created, done sql.NullTime
	if err := r.Scan(&m.SubscriptionID, &m.Item, &m.OrgID, &m.PostID, &m.MessageID, &state, &created, &done); err != nil {
		return nil, err
	}
	m.State, m.CreatedAt, m.DoneAt = model.OutboxState(state), fromNull(created), fromNull(done)
	return &m, nil
}

// AddOutbox implements store.Subscriptions.
func (q Queries) AddOutbox(ctx context.Context, msgs []*model.OutboxMessage) error {
	for _, m := range msgs {
		if _, err := q.c.Exec(ctx, `INSERT INTO mail_outbox (`+outboxColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (subscription_id, item) DO NOTHING`,
			m.SubscriptionID, m.Item, m.OrgID, m.PostID, m.MessageID, string(m.State), dbTime(m.CreatedAt), dbTime(m.DoneAt)); err != nil {
			return wrap("add outbox", err)
		}
	}
	return nil
}

// Outbox implements store.Subscriptions.
func (q Queries) Outbox(ctx context.Context, item string, subscriptionIDs []string) ([]*model.OutboxMessage, error) {
	if len(subscriptionIDs) == 0 {
		return nil, nil
	}
	args := []any{item}
	for _, id := range subscriptionIDs {
		args = append(args, id)
	}
	rows, err := q.c.Query(ctx, `SELECT `+outboxColumns+` FROM mail_outbox WHERE item = ? AND subscription_id IN (`+
		placeholders(len(subscriptionIDs))+`) ORDER BY subscription_id`, args...)
	if err != nil {
		return nil, wrap("outbox", err)
	}
	return collect("outbox", rows, scanOutbox)
}

// OutboxByMessageID implements store.Subscriptions.
func (q Queries) OutboxByMessageID(ctx context.Context, messageID string) (*model.OutboxMessage, error) {
	m, err := scanOutbox(q.c.QueryRow(ctx, `SELECT `+outboxColumns+` FROM mail_outbox WHERE message_id = ?`, messageID))
	return m, wrap("outbox by message id", err)
}

// SetOutboxState implements store.Subscriptions.
func (q Queries) SetOutboxState(ctx context.Context, subscriptionID, item string, state model.OutboxState, at time.Time) error {
	n, err := q.c.Exec(ctx, `UPDATE mail_outbox SET state = ?, done_at = ? WHERE subscription_id = ? AND item = ?`,
		string(state), dbTime(at), subscriptionID, item)
	return mustAffect("set outbox state", n, err)
}

// DeleteUnconfirmedBefore implements store.Subscriptions.
func (q Queries) DeleteUnconfirmedBefore(ctx context.Context, t time.Time) (int64, error) {
	return q.deleteSubscriptionsWhere(ctx, "delete unconfirmed", `state = ? AND created_at < ?`, string(model.SubscriptionPending), dbTime(t))
}

// DeleteSuspendedBefore implements store.Subscriptions.
func (q Queries) DeleteSuspendedBefore(ctx context.Context, t time.Time) (int64, error) {
	return q.deleteSubscriptionsWhere(ctx, "delete suspended", `state = ? AND suspended_at < ?`, string(model.SubscriptionSuspended), dbTime(t))
}

func (q Queries) deleteSubscriptionsWhere(ctx context.Context, op, where string, args ...any) (int64, error) {
	if _, err := q.c.Exec(ctx, `DELETE FROM mail_outbox WHERE subscription_id IN (SELECT id FROM subscriptions WHERE `+where+`)`, args...); err != nil {
		return 0, wrap(op, err)
	}
	n, err := q.c.Exec(ctx, `DELETE FROM subscriptions WHERE `+where, args...)
	return n, wrap(op, err)
}

// DeleteMailReservationsBefore implements store.Subscriptions.
func (q Queries) DeleteMailReservationsBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM mail_reservations WHERE until < ?`, dbTime(t))
	return n, wrap("delete mail reservations", err)
}

// DeleteOutboxBefore implements store.Subscriptions.
func (q Queries) DeleteOutboxBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM mail_outbox WHERE created_at < ?`, dbTime(t))
	if err != nil {
		return 0, wrap("delete outbox", err)
	}
	m, err := q.c.Exec(ctx, `DELETE FROM mail_fanouts WHERE created_at < ?`, dbTime(t))
	return n + m, wrap("delete outbox", err)
}

// DeleteSuppressionsBefore implements store.Subscriptions.
func (q Queries) DeleteSuppressionsBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM mail_suppressions WHERE created_at < ?`, dbTime(t))
	return n, wrap("delete suppressions", err)
}
