package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"plein/internal/model"
)

// PutTOTP implements store.SecondFactors.
func (q Queries) PutTOTP(ctx context.Context, f *model.TOTPFactor) error {
	_, err := q.c.Exec(ctx, `INSERT INTO totp_factors (user_id, secret, last_step, created_at, confirmed_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, last_step = excluded.last_step,
			created_at = excluded.created_at, confirmed_at = excluded.confirmed_at`,
		f.UserID, f.Secret, f.LastStep, dbTime(f.CreatedAt), dbTime(f.ConfirmedAt))
	return wrap("put totp", err)
}

// TOTP implements store.SecondFactors.
func (q Queries) TOTP(ctx context.Context, userID string) (*model.TOTPFactor, error) {
	var f model.TOTPFactor
	var created, confirmed sql.NullTime
	err := q.c.QueryRow(ctx, `SELECT user_id, secret, last_step, created_at, confirmed_at FROM totp_factors WHERE user_id = ?`, userID).
		Scan(&f.UserID, &f.Secret, &f.LastStep, &created, &confirmed)
	if err != nil {
		return nil, wrap("totp", err)
	}
	f.CreatedAt, f.ConfirmedAt = fromNull(created), fromNull(confirmed)
	return &f, nil
}

// ConfirmTOTP implements store.SecondFactors.
func (q Queries) ConfirmTOTP(ctx context.Context, userID string, step int64, at time.Time) error {
	n, err := q.c.Exec(ctx, `UPDATE totp_factors SET confirmed_at = ?, last_step = ? WHERE user_id = ? AND confirmed_at IS NULL`,
		dbTime(at), step, userID)
	return mustAffect("confirm totp", n, err)
}

// UseTOTPStep implements store.SecondFactors. One conditional update, so
// that two log-ins with the same code at once cannot both succeed.
func (q Queries) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	n, err := q.c.Exec(ctx, `UPDATE totp_factors SET last_step = ? WHERE user_id = ? AND last_step < ? AND confirmed_at IS NOT NULL`,
		step, userID, step)
	if err != nil {
		return false, wrap("use totp step", err)
	}
	return n == 1, nil
}

// DeleteTOTP implements store.SecondFactors.
func (q Queries) DeleteTOTP(ctx context.Context, userID string) (bool, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM totp_factors WHERE user_id = ?`, userID)
	return n > 0, wrap("delete totp", err)
}

// ReplaceRecoveryCodes implements store.SecondFactors.
func (q Queries) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string, at time.Time) error {
	if _, err := q.c.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return wrap("replace recovery codes", err)
	}
	for _, h := range hashes {
		if _, err := q.c.Exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)`,
			userID, h, dbTime(at)); err != nil {
			return wrap("replace recovery codes", err)
		}
	}
	return nil
}

// UseRecoveryCode implements store.SecondFactors.
func (q Queries) UseRecoveryCode(ctx context.Context, userID, hash string, at time.Time) (bool, error) {
	n, err := q.c.Exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		dbTime(at), userID, hash)
	if err != nil {
		return false, wrap("use recovery code", err)
	}
	return n == 1, nil
}

// RecoveryCodesLeft implements store.SecondFactors.
func (q Queries) RecoveryCodesLeft(ctx context.Context, userID string) (int, error) {
	var n int
	err := q.c.QueryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n)
	return n, wrap("recovery codes left", err)
}

const passkeyColumns = `id, user_id, name, credential, created_at, last_used_at`

func scanPasskey(r Row) (*model.Passkey, error) {
	var p model.Passkey
	var created, used sql.NullTime
	if err := r.Scan(&p.ID, &p.UserID, &p.Name, &p.Credential, &created, &used); err != nil {
		return nil, err
	}
	p.CreatedAt, p.LastUsedAt = fromNull(created), fromNull(used)
	return &p, nil
}

// AddPasskey implements store.SecondFactors.
func (q Queries) AddPasskey(ctx context.Context, p *model.Passkey) error {
	_, err := q.c.Exec(ctx, `INSERT INTO passkeys (`+passkeyColumns+`) VALUES (?, ?, ?, ?, ?, ?)`,
		p.ID, p.UserID, p.Name, p.Credential, dbTime(p.CreatedAt), dbTime(p.LastUsedAt))
	return wrap("add passkey", err)
}

// Passkeys implements store.SecondFactors.
func (q Queries) Passkeys(ctx context.Context, userID string) ([]*model.Passkey, error) {
	rows, err := q.c.Query(ctx, `SELECT `+passkeyColumns+` FROM passkeys WHERE user_id = ? ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, wrap("passkeys", err)
	}
	defer rows.Close()
	var out []*model.Passkey
	for rows.Next() {
		p, err := scanPasskey(rows)
		if err != nil {
			return nil, wrap("passkeys", err)
		}
		out = append(out, p)
	}
	return out, wrap("passkeys", rows.Err())
}

// PasskeyByID implements store.SecondFactors.
func (q Queries) PasskeyByID(ctx context.Context, id string) (*model.Passkey, error) {
	p, err := scanPasskey(q.c.QueryRow(ctx, `SELECT `+passkeyColumns+` FROM passkeys WHERE id = ?`, id))
	return p, wrap("passkey by id", err)
}

// PasskeyUsed implements store.SecondFactors.
func (q Queries) PasskeyUsed(ctx context.Context, id, credential string, at time.Time) error {
	n, err := q.c.Exec(ctx, `UPDATE passkeys SET credential = ?, last_used_at = ? WHERE id = ?`, credential, dbTime(at), id)
	return mustAffect("passkey used", n, err)
}

// DeletePasskey implements store.SecondFactors.
func (q Queries) DeletePasskey(ctx context.Context, userID, id string) error {
	n, err := q.c.Exec(ctx, `DELETE FROM passkeys WHERE user_id = ? AND id = ?`, userID, id)
	return mustAffect("delete passkey", n, err)
}

// DeleteSecondFactors implements store.SecondFactors.
func (q Queries) DeleteSecondFactors(ctx context.Context, userID string) (int64, error) {
	var total int64
	for _, query := range []string{
		`DELETE FROM totp_factors WHERE user_id = ? AND confirmed_at IS NOT NULL`,
		`DELETE FROM passkeys WHERE user_id = ?`,
	} {
		n, err := q.c.Exec(ctx, query, userID)
		if err != nil {
			return 0, wrap("delete second factors", err)
		}
		total += n
	}
	// An app being set up is no factor yet, and the codes go with the
	// factors they back up.
	for _, query := range []string{`DELETE FROM totp_factors WHERE user_id = ?`, `DELETE FROM recovery_codes WHERE user_id = ?`} {
		if _, err := q.c.Exec(ctx, query, userID); err != nil {
			return 0, wrap("delete second factors", err)
		}
	}
	return total, nil
}

const challengeColumns = `id, user_id, purpose, data, expires_at`

func scanChallenge(r Row) (*model.AuthChallenge, error) {
	var c model.AuthChallenge
	var expires sql.NullTime
	if err := r.Scan(&c.ID, &c.UserID, &c.Purpose, &c.Data, &expires); err != nil {
		return nil, err
	}
	c.ExpiresAt = fromNull(expires)
	return &c, nil
}

// PutChallenge implements store.SecondFactors.
func (q Queries) PutChallenge(ctx context.Context, c *model.AuthChallenge) error {
	_, err := q.c.Exec(ctx, `INSERT INTO auth_challenges (`+challengeColumns+`) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, purpose = excluded.purpose,
			data = excluded.data, expires_at = excluded.expires_at`,
		c.ID, c.UserID, c.Purpose, c.Data, dbTime(c.ExpiresAt))
	return wrap("put challenge", err)
}

// Challenge implements store.SecondFactors.
func (q Queries) Challenge(ctx context.Context, id string) (*model.AuthChallenge, error) {
	c, err := scanChallenge(q.c.QueryRow(ctx, `SELECT `+challengeColumns+` FROM auth_challenges WHERE id = ?`, id))
	return c, wrap("challenge", err)
}

// TakeChallenge implements store.SecondFactors.
func (q Queries) TakeChallenge(ctx context.Context, id string) (*model.AuthChallenge, error) {
	c, err := scanChallenge(q.c.QueryRow(ctx, `DELETE FROM auth_challenges WHERE id = ? RETURNING `+challengeColumns, id))
	return c, wrap("take challenge", err)
}

// CountChallenges implements store.SecondFactors.
func (q Queries) CountChallenges(ctx context.Context, purpose, userID string, now time.Time) (int, error) {
	var n int
	err := q.c.QueryRow(ctx, `SELECT COUNT(*) FROM auth_challenges WHERE purpose = ? AND user_id = ? AND expires_at > ?`,
		purpose, userID, dbTime(now)).Scan(&n)
	return n, wrap("count challenges", err)
}

// DeleteChallengesBefore implements store.SecondFactors.
func (q Queries) DeleteChallengesBefore(ctx context.Context, t time.Time) (int64, error) {
	n, err := q.c.Exec(ctx, `DELETE FROM auth_challenges WHERE expires_at < ?`, dbTime(t))
	return n, wrap("delete challenges", err)
}

// InitSecondFactorGrace implements store.SecondFactors.
func (q Queries) InitSecondFactorGrace(ctx context.Context, userID string, since time.Time) (time.Time, error) {
	if _, err := q.c.Exec(ctx, `INSERT INTO second_factor_grace (user_id, since) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING`,
		userID, dbTime(since)); err != nil {
		return time.Time{}, wrap("init second factor grace", err)
	}
	return q.SecondFactorGrace(ctx, userID)
}

// SecondFactorGrace implements store.SecondFactors.
func (q Queries) SecondFactorGrace(ctx context.Context, userID string) (time.Time, error) {
	var since sql.NullTime
	if err := q.c.QueryRow(ctx, `SELECT since FROM second_factor_grace WHERE user_id = ?`, userID).Scan(&since); err != nil {
		return time.Time{}, wrap("second factor grace", err)
	}
	return fromNull(since), nil
}

// DeleteSecondFactorGrace implements store.SecondFactors.
func (q Queries) DeleteSecondFactorGrace(ctx context.Context, userID string) error {
	_, err := q.c.Exec(ctx, `DELETE FROM second_factor_grace WHERE user_id = ?`, userID)
	return wrap("delete second factor grace", err)
}

// SetOrgRequiresSecondFactor implements store.SecondFactors.
func (q Queries) SetOrgRequiresSecondFactor(ctx context.Context, orgID string, require bool) error {
	_, err := q.c.Exec(ctx, `INSERT INTO org_security (org_id, require_second_factor) VALUES (?, ?)
		ON CONFLICT (org_id) DO UPDATE SET require_second_factor = excluded.require_second_factor`, orgID, require)
	return wrap("set org second factor", err)
}

// OrgsRequiringSecondFactor implements store.SecondFactors.
func (q Queries) OrgsRequiringSecondFactor(ctx context.Context) ([]string, error) {
	rows, err := q.c.Query(ctx, `SELECT org_id FROM org_security WHERE require_second_factor ORDER BY org_id`)
	if err != nil {
		return nil, wrap("orgs requiring second factor", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("orgs requiring second factor", err)
		}
		out = append(out, id)
	}
	return out, wrap("orgs requiring second factor", rows.Err())
}
