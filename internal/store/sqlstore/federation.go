package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

// PutRemoteActor implements store.Federation.
func (q Queries) PutRemoteActor(ctx context.Context, a *model.RemoteActor) error {
	_, err := q.c.Exec(ctx, `INSERT INTO remote_actors (id, inbox, shared_inbox, key_id, public_key_pem, fetched_at, acct, username, url)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET inbox = excluded.inbox, shared_inbox = excluded.shared_inbox,
		key_id = excluded.key_id, public_key_pem = excluded.public_key_pem, fetched_at = excluded.fetched_at,
		acct = CASE WHEN excluded.acct <> '' THEN excluded.acct ELSE remote_actors.acct END,
		username = excluded.username, url = excluded.url`,
		a.ID, a.Inbox, a.SharedInbox, a.KeyID, a.PublicKeyPEM, dbTime(a.FetchedAt), a.Acct, a.Username, a.URL)
	return wrap("put remote actor", err)
}

// RemoteActor implements store.Federation.
func (q Queries) RemoteActor(ctx context.Context, id string) (*model.RemoteActor, error) {
	return q.remoteActor(ctx, "id", id)
}

// RemoteActorByKey implements store.Federation.
func (q Queries) RemoteActorByKey(ctx context.Context, keyID string) (*model.RemoteActor, error) {
	return q.remoteActor(ctx, "key_id", keyID)
}

// RemoteActorByAcct implements store.Federation.
func (q Queries) RemoteActorByAcct(ctx context.Context, acct string) (*model.RemoteActor, error) {
	if acct == "" {
		return nil, wrap("remote actor", store.ErrNotFound)
	}
	return q.remoteActor(ctx, "acct", acct)
}

// remoteActor finds a remote actor by one of its unique columns.
func (q Queries) remoteActor(ctx context.Context, column, value string) (*model.RemoteActor, error) {
	var a model.RemoteActor
	var fetched sql.NullTime
	err := q.c.QueryRow(ctx, `SELECT id, inbox, shared_inbox, key_id, public_key_pem, fetched_at, acct, username, url FROM remote_actors WHERE `+
		column+` = ? ORDER BY fetched_at DESC LIMIT 1`, value).Scan(&a.ID, &a.Inbox, &a.SharedInbox, &a.KeyID, &a.PublicKeyPEM, &fetched, &a.Acct, &a.Username, &a.URL)
	if err != nil {
		return nil, wrap("remote actor", err)
	}
	a.FetchedAt = fromNull(fetched)
	return &a, nil
}

// PutFollower implements store.Federation.
func (q Queries) PutFollower(ctx context.Context, f *model.Follower) error {
	_, err := q.c.Exec(ctx, `INSERT INTO followers (org_id, actor_id, follow_id, inbox, own_inbox, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, actor_id) DO UPDATE SET follow_id = excluded.follow_id, inbox = excluded.inbox, own_inbox = excluded.own_inbox`,
		f.OrgID, f.ActorID, f.FollowID, f.Inbox, f.OwnInbox, dbTime(f.CreatedAt))
	return wrap("put follower", err)
}

// RemoveFollower implements store.Federation.
func (q Queries) RemoveFollower(ctx context.Context, orgID, actorID string) error {
	n, err := q.c.Exec(ctx, `DELETE FROM followers WHERE org_id = ? AND actor_id = ?`, orgID, actorID)
	return mustAffect("remove follower", n, err)
}

// RemoveFollow implements store.Federation.
func (q Queries) RemoveFollow(ctx context.Context, actorID, followID string) (bool, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM followers WHERE actor_id = ? AND follow_id = ?`, actorID, followID)
	return n > 0, wrap("remove follow", err)
}

// ForgetActor implements store.Federation.
func (q Queries) ForgetActor(ctx context.Context, actorID string) (int64, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM followers WHERE actor_id = ?`, actorID)
	if err != nil {
		return 0, wrap("forget actor", err)
	}
	if _, err := q.c.Exec(ctx, `DELETE FROM replies WHERE actor_id = ?`, actorID); err != nil {
		return 0, wrap("forget actor", err)
	}
	_, err = q.c.Exec(ctx, `DELETE FROM remote_actors WHERE id = ?`, actorID)
	return n, wrap("forget actor", err)
}

// MoveFollower implements store.Federation.
func (q Queries) MoveFollower(ctx context.Context, from, to, inbox string, ownInbox bool) (int64, error) {
	if _, err := q.c.Exec(ctx, `DELETE FROM followers WHERE actor_id = ? AND org_id IN
		(SELECT org_id FROM followers WHERE actor_id = ?)`, from, to); err != nil {
		return 0, wrap("move follower", err)
	}
	n, err := q.c.Exec(ctx, `UPDATE followers SET actor_id = ?, inbox = ?, own_inbox = ? WHERE actor_id = ?`, to, inbox, ownInbox, from)
	return n, wrap("move follower", err)
}

// RemoveFollowersAtInbox implements store.Federation.
func (q Queries) RemoveFollowersAtInbox(ctx context.Context, inbox string) ([]string, error) {
	return q.removeFollowers(ctx, "remove followers at inbox", `inbox = ? AND own_inbox`, inbox)
}

// RemoveFollowersOf implements store.Federation.
func (q Queries) RemoveFollowersOf(ctx context.Context, actorID string) ([]string, error) {
	return q.removeFollowers(ctx, "remove followers of actor", `actor_id = ?`, actorID)
}

// removeFollowers deletes the follows matching where and returns their
// organisations.
func (q Queries) removeFollowers(ctx context.Context, op, where string, args ...any) ([]string, error) {
	rows, err := q.c.Query(ctx, `DELETE FROM followers WHERE `+where+` RETURNING org_id`, args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	return collect(op, rows, func(r Row) (string, error) {
		var orgID string
		err := r.Scan(&orgID)
		return orgID, err
	})
}

// FollowerCount implements store.Federation.
func (q Queries) FollowerCount(ctx context.Context, orgID string) (int, error) {
	var n int
	err := q.c.QueryRow(ctx, `SELECT COUNT(*) FROM followers WHERE org_id = ?`, orgID).Scan(&n)
	return n, wrap("follower count", err)
}

// FollowsOf implements store.Federation.
func (q Queries) FollowsOf(ctx context.Context, actorID string) (int, error) {
	var n int
	err := q.c.QueryRow(ctx, `SELECT COUNT(*) FROM followers WHERE actor_id = ?`, actorID).Scan(&n)
	return n, wrap("follows of", err)
}

// FollowersSince implements store.Federation.
func (q Queries) FollowersSince(ctx context.Context, orgID string, since time.Time, limit int) (int, []*model.Follower, error) {
	var n int
	if err := q.c.QueryRow(ctx, `SELECT COUNT(*) FROM followers WHERE org_id = ? AND created_at >= ?`,
		orgID, dbTime(since)).Scan(&n); err != nil {
		return 0, nil, wrap("followers since", err)
	}
	rows, err := q.c.Query(ctx, `SELECT org_id, actor_id, follow_id, inbox, own_inbox, created_at FROM followers
		WHERE org_id = ? AND created_at >= ? ORDER BY created_at DESC, actor_id LIMIT ?`, orgID, dbTime(since), limit)
	if err != nil {
		return 0, nil, wrap("followers since", err)
	}
	list, err := collect("followers since", rows, func(r Row) (*model.Follower, error) {
		var f model.Follower
		var created sql.NullTime
		err := r.Scan(&f.OrgID, &f.ActorID, &f.FollowID, &f.Inbox, &f.OwnInbox, &created)
		f.CreatedAt = fromNull(created)
		return &f, err
	})
	return n, list, err
}

// AddMoveIn implements store.Federation.
func (q Queries) AddMoveIn(ctx context.Context, m *model.MoveIn) (bool, error) {
	n, err := q.c.Exec(ctx, `INSERT INTO org_moves_in (activity_id, org_id, from_actor, received_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (activity_id) DO NOTHING`, m.ActivityID, m.OrgID, m.From, dbTime(m.ReceivedAt))
	return n > 0, wrap("add move in", err)
}

// MovesIn implements store.Federation.
func (q Queries) MovesIn(ctx context.Context, orgID string) ([]*model.MoveIn, error) {
	rows, err := q.c.Query(ctx, `SELECT activity_id, org_id, from_actor, received_at FROM org_moves_in
		WHERE org_id = ? ORDER BY received_at DESC, activity_id`, orgID)
	if err != nil {
		return nil, wrap("moves in", err)
	}
	return collect("moves in", rows, func(r Row) (*model.MoveIn, error) {
		var m model.MoveIn
		var at sql.NullTime
		err := r.Scan(&m.ActivityID, &m.OrgID, &m.From, &at)
		m.ReceivedAt = fromNull(at)
		return &m, err
	})
}

// FollowerInboxes implements store.Federation.
func (q Queries) FollowerInboxes(ctx context.Context, orgID string) ([]string, error) {
	rows, err := q.c.Query(ctx, `SELECT DISTINCT inbox FROM followers WHERE org_id = ? ORDER BY inbox`, orgID)
	if err != nil {
		return nil, wrap("follower inboxes", err)
	}
	return collect("follower inboxes", rows, func(r Row) (string, error) {
		var s string
		err := r.Scan(&s)
		return s, err
	})
}

// AddReaction implements store.Federation.
func (q Queries) AddReaction(ctx context.Context, key, postID, kind string, at time.Time) (bool, error) {
	n, err := q.c.Exec(ctx, `INSERT INTO reactions (key, post_id, kind, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		key, postID, kind, dbTime(at))
	return n == 1, wrap("add reaction", err)
}

// RemoveReaction implements store.Federation.
func (q Queries) RemoveReaction(ctx context.Context, key string) (bool, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM reactions WHERE key = ?`, key)
	return n == 1, wrap("remove reaction", err)
}

// ReactionCounts implements store.Federation.
func (q Queries) ReactionCounts(ctx context.Context, postID string) (map[string]int, error) {
	rows, err := q.c.Query(ctx, `SELECT kind, CAST(SUM(n) AS BIGINT) FROM (
		SELECT kind, COUNT(*) AS n FROM reactions WHERE post_id = ? GROUP BY kind
		UNION ALL SELECT kind, total AS n FROM reaction_totals WHERE post_id = ?) t GROUP BY kind`, postID, postID)
	if err != nil {
		return nil, wrap("reaction counts", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, wrap("reaction counts", err)
		}
		out[kind] = n
	}
	return out, wrap("reaction counts", rows.Err())
}

// MarkSeen implements store.Federation.
func (q Queries) MarkSeen(ctx context.Context, hash string, at time.Time) (bool, error) {
	n, err := q.c.Exec(ctx, `INSERT INTO seen_activities (hash, seen_at) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING`, hash, dbTime(at))
	return n == 1, wrap("mark seen", err)
}

// UnmarkSeen implements store.Federation.
func (q Queries) UnmarkSeen(ctx context.Context, hash string) error {
	_, err := q.c.Exec(ctx, `DELETE FROM seen_activities WHERE hash = ?`, hash)
	return wrap("unmark seen", err)
}

// PutReply implements store.Federation.
func (q Queries) PutReply(ctx context.Context, r *model.Reply) error {
	n, err := q.c.Exec(ctx, `INSERT INTO replies (id, post_id, actor_id, url, content_html, summary, state, published, received_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET content_html = excluded.content_html, summary = excluded.summary, url = excluded.url,
			state = CASE WHEN replies.state = 'shown' AND (replies.content_html <> excluded.content_html OR replies.summary <> excluded.summary)
				THEN 'pending' ELSE replies.state END
		WHERE replies.actor_id = excluded.actor_id`,
		r.ID, r.PostID, r.ActorID, r.URL, r.ContentHTML, r.Summary, string(r.State), dbTime(r.Published), dbTime(r.ReceivedAt))
	return mustAffect("put reply", n, err)
}

// DeleteReply implements store.Federation.
func (q Queries) DeleteReply(ctx context.Context, id, actorID string) (bool, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM replies WHERE id = ? AND actor_id = ?`, id, actorID)
	return n == 1, wrap("delete reply", err)
}

const replyColumns = `id, post_id, actor_id, url, content_html, summary, state, published, received_at, decided_at, decided_by, decided_by_name`

func scanReply(r Row) (*model.Reply, error) {
	var rp model.Reply
	var state string
	var published, received, decided sql.NullTime
	err := r.Scan(&rp.ID, &rp.PostID, &rp.ActorID, &rp.URL, &rp.ContentHTML, &rp.Summary, &state, &published, &received,
		&decided, &rp.DecidedBy, &rp.DecidedByName)
	rp.State, rp.Published, rp.ReceivedAt = model.ReplyState(state), fromNull(published), fromNull(received)
	rp.DecidedAt = fromNull(decided)
	return &rp, err
}

// Replies implements store.Federation.
func (q Queries) Replies(ctx context.Context, postID string) ([]*model.Reply, error) {
	rows, err := q.c.Query(ctx, `SELECT `+replyColumns+` FROM replies WHERE post_id = ? ORDER BY received_at, id`, postID)
	if err != nil {
		return nil, wrap("replies", err)
	}
	return collect("replies", rows, scanReply)
}

// Reply implements store.Federation.
func (q Queries) Reply(ctx context.Context, id string) (*model.Reply, error) {
	r, err := scanReply(q.c.QueryRow(ctx, `SELECT `+replyColumns+` FROM replies WHERE id = ?`, id))
	return r, wrap("reply", err)
}

// DeliveryFailed implements store.Federation.
func (q Queries) DeliveryFailed(ctx context.Context, host string, at time.Time, pauseUntil func(failures int) time.Time) (int, error) {
	var failures int
	err := q.c.QueryRow(ctx, `INSERT INTO delivery_hosts (host, failures, first_failure, last_failure) VALUES (?, 1, ?, ?)
		ON CONFLICT (host) DO UPDATE SET failures = delivery_hosts.failures + 1, last_failure = excluded.last_failure
		RETURNING failures`, host, dbTime(at), dbTime(at)).Scan(&failures)
	if err != nil {
		return 0, wrap("delivery failed", err)
	}
	if until := pauseUntil(failures); !until.IsZero() {
		if _, err := q.c.Exec(ctx, `UPDATE delivery_hosts SET paused_until = ? WHERE host = ?`, dbTime(until), host); err != nil {
			return 0, wrap("delivery failed", err)
		}
	}
	return failures, nil
}

// DeliverySucceeded implements store.Federation.
func (q Queries) DeliverySucceeded(ctx context.Context, host string) error {
	_, err := q.c.Exec(ctx, `DELETE FROM delivery_hosts WHERE host = ?`, host)
	return wrap("delivery succeeded", err)
}

// DeliveryHost implements store.Federation.
func (q Queries) DeliveryHost(ctx context.Context, host string) (int, time.Time, error) {
	var failures int
	var until sql.NullTime
	err := q.c.QueryRow(ctx, `SELECT failures, paused_until FROM delivery_hosts WHERE host = ?`, host).Scan(&failures, &until)
	if errors.Is(err, store.ErrNotFound) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, wrap("delivery host", err)
	}
	return failures, fromNull(until), nil
}
