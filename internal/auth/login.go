package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"plein/internal/accesslog"
	"plein/internal/config"
	"plein/internal/keyring"
	"plein/internal/metrics"
	"plein/internal/model"
	"plein/internal/store"
)

// The log-in policy. Log-ins are counted in three scopes, each in a window
// that begins at the scope's first count and lasts LoginWindow:
//
//   - the pair of one account and one address (or one browser the account
//     logged in from before, see DeviceTrustAge): after PairMaxAttempts
//     attempts the pair is refused until its window ends. Only the pair:
//     the owner of the account gets in from any other address, and the
//     colleagues behind the same address get in to their own accounts.
//   - one account, from every address together: never locked. After
//     AccountAlertFailures failures the instance administrators are
//     alerted (the installation's audit log and a metric), and each
//     further attempt from a browser unknown to the account waits
//     AccountSlowdown before its password is checked, growing to
//     MaxAccountSlowdown.
//   - one address, for every account together (password spraying): after
//     AddressMaxFailures failures the address is refused until its window
//     ends, except in browsers that logged in to the account they try
//     before.
//
// An attempt is counted before its password is checked, so that attempts
// at once, on any node, get no more checks than the limits; it is given
// back when it was not checked (the server was busy), and a success is
// given back to the account and the address but not to the pair (see
// Reservation.Succeeded).
const (
	// LoginWindow is how long a count of failed log-ins lasts from its
	// first failure, and so the longest a pair or an address is refused.
	LoginWindow = config.LoginThrottleAge
	// PairMaxAttempts is how many log-in attempts one account gets from one
	// address (or one known browser) per window. Failures count, and so
	// does a success, which changes the browser's device token and so the
	// pair its next log-ins are counted in.
	PairMaxAttempts = 10
	// AccountAlertFailures is how many failed log-ins of one account, from
	// every address together, per window, alert the instance
	// administrators and slow further attempts down. The account is never
	// locked.
	AccountAlertFailures = 50
	// AccountSlowdown is how long an attempt waits before its password is
	// checked once its account reached AccountAlertFailures; it grows by
	// as much for every further AccountAlertFailures failures.
	AccountSlowdown = 2 * time.Second
	// MaxAccountSlowdown bounds the growing wait of AccountSlowdown.
	MaxAccountSlowdown = 10 * time.Second
	// AddressMaxFailures is how many failed log-ins one address gets for
	// every account together per window; then it is refused, except in
	// browsers known to the account they try.
	AddressMaxFailures = 100
	// DeviceTrustAge is how long a browser stays known to an account after
	// it logged in to it: the device token it gets then exempts it from
	// the address ceiling and the slowdown, and counts its failures apart
	// from its address.
	DeviceTrustAge = 90 * config.Day
	// IPv6CountingPrefix is the network an IPv6 address is counted by: one
	// host commonly holds a whole /64 and can pick any address in it.
	// IPv4 addresses are counted whole.
	IPv6CountingPrefix = 64
)

// settingLoginKey names the installation's secret that keys the hashes of
// the counted log-ins and signs device tokens.
const settingLoginKey = "login_key"

// ErrLocked reports a log-in refused without checking its password, for
// too many failures; the error is a *LockedError telling until when.
var ErrLocked = errors.New("auth: too many failed log-ins")

// LockedError is a log-in refused until Until.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return fmt.Sprintf("auth: too many failed log-ins; refused until %s", e.Until.UTC().Format(time.RFC3339))
}

// Is makes a LockedError match ErrLocked.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// LoginAttempt is one log-in to limit: the e-mail address typed, the
// client's address (behind trusted proxies, the forwarded one) and the
// device token its browser presented, if any.
type LoginAttempt struct {
	Email  string
	Addr   netip.Addr
	Device string
}

// LoginLimiter applies the log-in policy for the whole installation: the
// counts are in the database every node shares, under keyed hashes (HMAC
// with the installation's secret) of the account, the address or both, so
// that no e-mail address or IP address is stored with them. Every failure
// and every lock is written to the installation's audit log with the
// address cut to its network (/24, /48), and counted in metrics.
type LoginLimiter struct {
	st      store.Store
	now     func() time.Time
	metrics *metrics.Metrics
	logger  *slog.Logger

	secret *keyring.Secret // of log-in keys and device tokens
}

// NewLoginLimiter returns a LoginLimiter on st; m may be nil (no metrics),
// logger nil for slog.Default.
func NewLoginLimiter(st store.Store, now func() time.Time, m *metrics.Metrics, logger *slog.Logger) *LoginLimiter {
	if logger == nil {
		logger = slog.Default()
	}
	return &LoginLimiter{st: st, now: now, metrics: m, logger: logger, secret: keyring.New(st, settingLoginKey)}
}

// Reservation is an attempt counted as a failure until Succeeded or
// Refund says otherwise.
type Reservation struct {
	// Delay is how long to wait before checking the password: zero unless
	// the account is past AccountAlertFailures and the browser unknown to
	// it.
	Delay time.Duration

	l        *LoginLimiter
	email    string
	network  string // the address cut to /24 or /48, for the audit log
	trusted  bool   // the browser presented a valid device token for email
	internal bool   // the address is a loopback or private one, as a proxy's would be
	keys     []string
	counts   []store.LoginCount
	reserved time.Time
}

// The scopes, in the order of Reservation.keys and counts. Every
// reservation counts them in this order, so that transactions on
// PostgreSQL lock shared rows in the same order.
const (
	scopePair = iota
	scopeAccount
	scopeAddress
)

// errOverLimit rolls back a reservation that is refused.
var errOverLimit = errors.New("auth: over the log-in limit")

// Reserve counts the attempt a as a failure in its three scopes before its
// password is checked. It returns a *LockedError, having counted nothing,
// when the pair is past PairMaxAttempts or the address past
// AddressMaxFailures (unless the browser is known to the account).
func (l *LoginLimiter) Reserve(ctx context.Context, a LoginAttempt) (*Reservation, error) {
	secret, err := l.key(ctx)
	if err != nil {
		return nil, err
	}
	now := l.now()
	r := &Reservation{l: l, email: NormalizeEmail(a.Email), network: network(a.Addr), reserved: now}
	r.trusted = validDevice(secret, r.email, a.Device, now)
	r.internal = a.Addr.Unmap().IsLoopback() || a.Addr.Unmap().IsPrivate()
	pair := "pair\x00" + r.email + "\x00" + addressKey(a.Addr)
	if r.trusted {
		pair = "device\x00" + r.email + "\x00" + a.Device
	}
	r.keys = []string{keyed(secret, pair), keyed(secret, "account\x00"+r.email), keyed(secret, "address\x00"+addressKey(a.Addr))}
	var until time.Time
	err = l.st.InTx(ctx, func(tx store.Tx) error {
		counts, err := tx.AddLoginFailures(ctx, r.keys, now, now.Add(-LoginWindow))
		if err != nil {
			return err
		}
		if c := counts[scopePair]; c.Failures > PairMaxAttempts {
			until = c.Since.Add(LoginWindow)
		}
		if c := counts[scopeAddress]; !r.trusted && c.Failures > AddressMaxFailures && c.Since.Add(LoginWindow).After(until) {
			until = c.Since.Add(LoginWindow)
		}
		if !until.IsZero() {
			return errOverLimit
		}
		r.counts = counts
		return nil
	})
	if errors.Is(err, errOverLimit) {
		l.metrics.LoginRefusedLocked()
		return nil, &LockedError{Until: until}
	}
	if err != nil {
		return nil, fmt.Errorf("auth: count log-in: %w", err)
	}
	if !r.trusted {
		r.Delay = slowdown(r.counts[scopeAccount].Failures)
	}
	return r, nil
}

// slowdown is the wait of an attempt whose account counts failures.
func slowdown(failures int) time.Duration {
	steps := (failures - 1) / AccountAlertFailures
	return min(time.Duration(steps)*AccountSlowdown, MaxAccountSlowdown)
}

// Refund gives the attempt back: its password was not checked.
func (r *Reservation) Refund(ctx context.Context) error {
	if err := r.l.st.RemoveLoginFailures(ctx, r.keys); err != nil {
		return fmt.Errorf("auth: give back log-in attempt: %w", err)
	}
	return nil
}

// Succeeded records that the password was right and returns a new device
// token for the browser, which makes it known to the account for
// DeviceTrustAge. The attempt is given back to the account and the address,
// whose counts are of failures; the pair keeps counting it, so that a right
// guess among guesses sent at once does not open the pair to more guesses
// than PairMaxAttempts. The browser's next log-in is counted under its new
// device token, apart from that pair.
func (r *Reservation) Succeeded(ctx context.Context) (device string, err error) {
	if err := r.l.st.RemoveLoginFailures(ctx, r.keys[scopeAccount:]); err != nil {
		return "", fmt.Errorf("auth: log-in succeeded: %w", err)
	}
	secret, err := r.l.key(ctx)
	if err != nil {
		return "", err
	}
	return deviceToken(secret, r.email, r.l.now().Add(DeviceTrustAge)), nil
}

// The audit log's names for a client that is not logged in and for a
// log-in name that is no account.
const (
	clientActorPrefix = "client in "
	unknownAccount    = "an unknown account"
)

// Failed records that the password was wrong for u (nil: no such account):
// it writes the failure, and any lock or alert it began, to the
// installation's audit log, counts them in metrics and logs them without
// the account or the address.
func (r *Reservation) Failed(ctx context.Context, u *model.User) error {
	return r.failed(ctx, u, "")
}

// detailSecondFactor marks, in the audit log, a failed log-in whose
// password was right and whose second factor was wrong.
const detailSecondFactor = "the password was right, the second factor wrong"

// failed is Failed with what failed added to the audit log's detail
// (empty: the password).
func (r *Reservation) failed(ctx context.Context, u *model.User, what string) error {
	l := r.l
	l.metrics.LoginFailed()
	target := unknownAccount
	if u != nil {
		target = u.Email
	}
	from := "from this address"
	detail := ""
	if r.trusted {
		from = "from this browser"
		detail = "in a browser that logged in to this account before"
	}
	window := durationText(LoginWindow)
	actor := Actor{Name: clientActorPrefix + r.network}
	type entry struct{ action, target, detail string }
	if what != "" {
		detail = strings.TrimPrefix(detail+"; "+what, "; ")
	}
	entries := []entry{{"login.failed", target, detail}}
	pair, account, address := r.counts[scopePair], r.counts[scopeAccount], r.counts[scopeAddress]
	if pair.Failures == PairMaxAttempts {
		l.metrics.LoginPairLocked()
		l.logger.Warn("auth: log-ins of one account from one address or browser locked; see the installation's audit log")
		entries = append(entries, entry{"login.locked", target, fmt.Sprintf(
			"%d log-in attempts for this account %s within %s, this one failed: its log-ins %s are refused until %s",
			PairMaxAttempts, from, window, from, clock(pair.Since.Add(LoginWindow)))})
	}
	if account.Failures == AccountAlertFailures {
		l.metrics.LoginAccountAlert()
		l.logger.Warn("auth: many failed log-ins of one account from all addresses together; its log-ins are slowed; see the installation's audit log")
		entries = append(entries, entry{"login.account-alert", target, fmt.Sprintf(
			"%d failed log-ins for this account from all addresses together within %s: its log-ins from browsers "+
				"that did not log in to it before wait %s or more before the password is checked; the account is not locked",
			AccountAlertFailures, window, durationText(AccountSlowdown))})
	}
	if address.Failures == AddressMaxFailures {
		l.metrics.LoginAddressLocked()
		l.logger.Warn("auth: log-ins from one address locked for every account; see the installation's audit log")
		if r.internal {
			l.logger.Warn("auth: the locked address is a loopback or private one; if it is a reverse proxy's, " +
				"list it with --trusted-proxies, or every client behind it is counted as one")
		}
		entries = append(entries, entry{"login.address-locked", "every account", fmt.Sprintf(
			"%d failed log-ins from this address for all accounts together within %s: its log-ins are refused until %s, "+
				"except in browsers that logged in to the account before", AddressMaxFailures, window, clock(address.Since.Add(LoginWindow)))})
	}
	l.logger.Info("auth: failed staff log-in")
	err := l.st.InTx(ctx, func(tx store.Tx) error {
		for _, e := range entries {
			if err := Audit(ctx, tx, actor, "", e.action, e.target, e.detail, r.reserved); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("auth: failed log-in: %w", err)
	}
	return nil
}

// key returns the installation's secret for log-in keys and device tokens,
// made on first use.
func (l *LoginLimiter) key(ctx context.Context) ([]byte, error) { return l.secret.Bytes(ctx) }

// keyed is the HMAC-SHA256 of s under secret.
func keyed(secret []byte, s string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}

// deviceToken signs email with an expiry: "<unix seconds>.<hmac>".
func deviceToken(secret []byte, email string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	return exp + "." + keyed(secret, "device-token\x00"+email+"\x00"+exp)
}

// validDevice reports whether token is a device token for email that has
// not expired at now.
func validDevice(secret []byte, email, token string, now time.Time) bool {
	exp, mac, ok := strings.Cut(token, ".")
	if !ok {
		return false
	}
	unix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || !now.Before(time.Unix(unix, 0)) {
		return false
	}
	want := keyed(secret, "device-token\x00"+email+"\x00"+exp)
	return hmac.Equal([]byte(mac), []byte(want))
}

// addressKey is what an address is counted by: an IPv4 address whole, an
// IPv6 address by its IPv6CountingPrefix network.
func addressKey(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case a.Is4():
		return a.String()
	case a.Is6():
		p, _ := a.WithZone("").Prefix(IPv6CountingPrefix)
		return p.String()
	}
	return "unknown"
}

// network is an address cut to /24 (IPv4) or /48 (IPv6), as the audit log
// shows it.
func network(a netip.Addr) string {
	n := accesslog.Truncate(a)
	switch {
	case n.Is4():
		return netip.PrefixFrom(n, 24).String()
	case n.Is6():
		return netip.PrefixFrom(n, 48).String()
	}
	return "an unknown network"
}

// clock writes a time for the audit log.
func clock(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// durationText writes a duration of whole minutes or seconds.
func durationText(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	}
	return fmt.Sprintf("%d seconds", int(d/time.Second))
}

// LogIn checks password for the attempt a within the log-in policy (see
// LoginLimiter) and returns the account and a new device token for the
// browser. It returns a *LockedError (ErrLocked) when the attempt is
// refused without checking, ErrBadCredentials for a wrong password or an
// unknown account alike, and an error wrapping ErrBusy when too many
// passwords were being checked at once (then the attempt does not count).
func (s *Service) LogIn(ctx context.Context, a LoginAttempt, password string) (*model.User, string, error) {
	l := s.Logins
	r, err := l.Reserve(ctx, a)
	if err != nil {
		return nil, "", err
	}
	// What happened is recorded even when the client has gone meanwhile,
	// within recordTimeout from when it is recorded.
	record := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	}
	refund := func(cause error) error {
		rctx, cancel := record()
		defer cancel()
		if err := r.Refund(rctx); err != nil {
			l.logger.Warn("auth: an attempt that was not checked still counts", "err", err)
		}
		return cause
	}
	if r.Delay > 0 {
		if err := s.Pause(ctx, r.Delay); err != nil {
			return nil, "", refund(fmt.Errorf("auth: log in: %w", err))
		}
	}
	u, ok, err := s.verify(ctx, a.Email, password)
	if errors.Is(err, ErrBusy) && ctx.Err() == nil {
		l.metrics.LoginRefusedBusy()
	}
	if err != nil {
		return nil, "", refund(err)
	}
	rctx, cancel := record()
	defer cancel()
	if !ok {
		if err := r.Failed(rctx, u); err != nil {
			l.logger.Error("auth: recording a failed log-in", "err", err)
		}
		return nil, "", ErrBadCredentials
	}
	device, err := r.Succeeded(rctx)
	if err != nil {
		return nil, "", err
	}
	return u, device, nil
}

// recordTimeout bounds the writes that record how a log-in ended, which
// go on when the client has gone.
const recordTimeout = 10 * time.Second

// pause waits d or until ctx ends.
func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
