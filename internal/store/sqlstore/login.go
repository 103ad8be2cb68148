package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"plein/internal/store"
)

// AddLoginFailures implements store.LoginFailures. Each key is one upsert
// that increments and returns its count, so concurrent attempts, on any
// node, get distinct counts: PostgreSQL holds the row lock until the
// transaction ends, SQLite has one writer at a time.
func (q Queries) AddLoginFailures(ctx context.Context, keys []string, at, expired time.Time) ([]store.LoginCount, error) {
	counts := make([]store.LoginCount, len(keys))
	for i, key := range keys {
		var since sql.NullTime
		err := q.c.QueryRow(ctx, `INSERT INTO login_failures (key, failures, since) VALUES (?, 1, ?)
			ON CONFLICT (key) DO UPDATE SET
				failures = CASE WHEN login_failures.since <= ? THEN 1 ELSE login_failures.failures + 1 END,
				since = CASE WHEN login_failures.since <= ? THEN excluded.since ELSE login_failures.since END
			RETURNING failures, since`, key, dbTime(at), dbTime(expired), dbTime(expired)).Scan(&counts[i].Failures, &since)
		if err != nil {
			return nil, wrap("add login failure", err)
		}
		counts[i].Since = fromNull(since)
	}
	return counts, nil
}

// RemoveLoginFailures implements store.LoginFailures.
func (q Queries) RemoveLoginFailures(ctx context.Context, keys []string) error {
	for _, key := range keys {
		if _, err := q.c.Exec(ctx, `UPDATE login_failures SET failures = failures - 1 WHERE key = ?`, key); err != nil {
			return wrap("remove login failure", err)
		}
		if _, err := q.c.Exec(ctx, `DELETE FROM login_failures WHERE key = ? AND failures <= 0`, key); err != nil {
			return wrap("remove login failure", err)
		}
	}
	return nil
}

// LoginFailureCount implements store.LoginFailures.
func (q Queries) LoginFailureCount(ctx context.Context, key string) (store.LoginCount, error) {
	var c store.LoginCount
	var since sql.NullTime
	err := q.c.QueryRow(ctx, `SELECT failures, since FROM login_failures WHERE key = ?`, key).Scan(&c.Failures, &since)
	if errors.Is(err, store.ErrNotFound) {
		return store.LoginCount{}, nil
	}
	if err != nil {
		return store.LoginCount{}, wrap("login failures", err)
	}
	c.Since = fromNull(since)
	return c, nil
}

// DeleteLoginFailuresBefore implements store.Retention.
func (q Queries) DeleteLoginFailuresBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM login_failures WHERE since < ?`, dbTime(t))
	return n, wrap("delete login failures", err)
}
