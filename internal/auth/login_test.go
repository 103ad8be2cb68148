package auth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/metrics"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/store"
	"plein/internal/store/storetest"
)

// policyEnv is a LoginLimiter on a real store, with a clock the test
// moves, its own metrics and a log the test reads.
type policyEnv struct {
	st   store.Store
	clk  *pleintest.Clock
	m    *metrics.Metrics
	logs *lockedBuffer
	l    *auth.LoginLimiter
}

// lockedBuffer is a bytes.Buffer safe for the logger's writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

var policyStart = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newPolicyEnv(t *testing.T, e storetest.Engine) *policyEnv {
	t.Helper()
	p := &policyEnv{st: e.Open(t, e.NewDatabase(t), nil), clk: pleintest.NewClock(policyStart), m: metrics.New(), logs: &lockedBuffer{}}
	logger := slog.New(slog.NewTextHandler(p.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	p.l = auth.NewLoginLimiter(p.st, p.clk.Now, p.m, logger)
	return p
}

// user stores an account with email and returns it.
func (p *policyEnv) user(t *testing.T, email string) *model.User {
	t.Helper()
	u := &model.User{ID: model.NewID(p.clk.Now()), Email: email, PasswordHash: "not checked here", CreatedAt: p.clk.Now()}
	if err := p.st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func attempt(email, addr, device string) auth.LoginAttempt {
	return auth.LoginAttempt{Email: email, Addr: netip.MustParseAddr(addr), Device: device}
}

// fail reserves an attempt, which must be admitted, and records it as a
// failure of u (nil: an unknown account).
func (p *policyEnv) fail(t *testing.T, a auth.LoginAttempt, u *model.User) *auth.Reservation {
	t.Helper()
	r, err := p.l.Reserve(context.Background(), a)
	if err != nil {
		t.Fatalf("reserve %+v: %v", a, err)
	}
	if err := r.Failed(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return r
}

// admitted reports whether an attempt is admitted, giving it back when it
// is; it fails the test on any error but a lock.
func (p *policyEnv) admitted(t *testing.T, a auth.LoginAttempt) (bool, time.Time) {
	t.Helper()
	r, err := p.l.Reserve(context.Background(), a)
	var locked *auth.LockedError
	if errors.As(err, &locked) {
		if !errors.Is(err, auth.ErrLocked) {
			t.Fatalf("a LockedError that is not ErrLocked: %v", err)
		}
		return false, locked.Until
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Refund(context.Background()); err != nil {
		t.Fatal(err)
	}
	return true, time.Time{}
}

// succeed reserves an attempt and records it as a success; it returns the
// device token.
func (p *policyEnv) succeed(t *testing.T, a auth.LoginAttempt) string {
	t.Helper()
	r, err := p.l.Reserve(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	device, err := r.Succeeded(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return device
}

// audit returns the installation's audit log, oldest first.
func (p *policyEnv) audit(t *testing.T) []*model.AuditEntry {
	t.Helper()
	entries, err := p.st.ListAudit(context.Background(), "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	return entries
}

// actions counts the audit entries per action.
func actions(entries []*model.AuditEntry) map[string]int {
	n := map[string]int{}
	for _, e := range entries {
		n[e.Action]++
	}
	return n
}

// metricValue reads one series from m's exposition, such as
// `plein_login_lockouts_total{scope="pair"}`; 0 when it is absent.
func metricValue(t *testing.T, m *metrics.Metrics, series string) float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for line := range strings.Lines(rec.Body.String()) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", series, err)
			}
			return f
		}
	}
	return 0
}

func forEachEngine(t *testing.T, fn func(t *testing.T, e storetest.Engine)) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, e)
		})
	}
}

// TestLoginPairLock: PairMaxAttempts failures of one account from one
// address refuse that pair until the window ends, and only that pair; an
// unknown account is treated alike, so that the refusal tells nothing.
func TestLoginPairLock(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		p := newPolicyEnv(t, e)
		eva := p.user(t, "eva@example.nl")
		for range auth.PairMaxAttempts {
			p.fail(t, attempt("eva@example.nl", "192.0.2.1", ""), eva)
			p.fail(t, attempt("nobody@example.nl", "192.0.2.1", ""), nil)
			p.clk.Advance(time.Second)
		}
		end := policyStart.Add(auth.LoginWindow)
		for _, email := range []string{"eva@example.nl", "nobody@example.nl", " EVA@example.nl"} {
			if ok, until := p.admitted(t, attempt(email, "192.0.2.1", "")); ok || !until.Equal(end) {
				t.Errorf("%s from the guessing address after %d failures: admitted %v, until %v, want refused until %v",
					email, auth.PairMaxAttempts, ok, until, end)
			}
		}
		for _, a := range []auth.LoginAttempt{
			attempt("eva@example.nl", "192.0.2.2", ""),        // the owner elsewhere
			attempt("eva@example.nl", "::ffff:192.0.2.3", ""), // another address, IPv4-mapped
			attempt("ans@example.nl", "192.0.2.1", ""),        // a colleague behind the same address
		} {
			if ok, _ := p.admitted(t, a); !ok {
				t.Errorf("%+v refused: only the guessing pair may be", a)
			}
		}
		if got := metricValue(t, p.m, `plein_login_refusals_total{reason="locked"}`); got != 3 {
			t.Errorf("refusals counted %v, want 3", got)
		}

		// The window began at the first failure and ends LoginWindow later.
		p.clk.Advance(auth.LoginWindow - auth.PairMaxAttempts*time.Second - time.Second)
		if ok, _ := p.admitted(t, attempt("eva@example.nl", "192.0.2.1", "")); ok {
			t.Fatal("admitted a second before the window ends")
		}
		p.clk.Advance(time.Second)
		if ok, _ := p.admitted(t, attempt("eva@example.nl", "192.0.2.1", "")); !ok {
			t.Fatal("refused once the window ended")
		}
	})
}

// TestLoginIPv6CountedByNetwork: an IPv6 client can pick any address in
// its /64, so addresses are counted by /64.
func TestLoginIPv6CountedByNetwork(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		p := newPolicyEnv(t, e)
		for i := range auth.PairMaxAttempts {
			p.fail(t, attempt("eva@example.nl", fmt.Sprintf("2001:db8:1:2::%x", i+1), ""), nil)
		}
		if ok, _ := p.admitted(t, attempt("eva@example.nl", "2001:db8:1:2:ffff::1", "")); ok {
			t.Error("another address of the same /64 admitted")
		}
		if ok, _ := p.admitted(t, attempt("eva@example.nl", "2001:db8:1:3::1", "")); !ok {
			t.Error("another /64 refused")
		}
	})
}

// TestLoginAccountNeverLocked: failures of one account from many addresses
// alert once at AccountAlertFailures and then slow attempts from browsers
// unknown to the account, but never refuse one.
func TestLoginAccountNeverLocked(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		p := newPolicyEnv(t, e)
		root := p.user(t, "root@example.nl")
		device := p.succeed(t, attempt("root@example.nl", "203.0.113.1", ""))
		addr := func(i int) string { return fmt.Sprintf("198.51.%d.%d", 100+i/250, 1+i%250) }
		wantDelay := map[int]time.Duration{ // failures before the attempt → its delay
			0: 0, auth.AccountAlertFailures - 1: 0, auth.AccountAlertFailures: auth.AccountSlowdown,
			2*auth.AccountAlertFailures - 1: auth.AccountSlowdown, 2 * auth.AccountAlertFailures: 2 * auth.AccountSlowdown,
			6 * auth.AccountAlertFailures: auth.MaxAccountSlowdown,
		}
		for i := range 6*auth.AccountAlertFailures + 1 {
			r, err := p.l.Reserve(context.Background(), attempt("root@example.nl", addr(i), ""))
			if err != nil {
				t.Fatalf("attempt %d from a new address refused: %v", i+1, err)
			}
			if want, ok := wantDelay[i]; ok && r.Delay != want {
				t.Errorf("attempt after %d failures waits %v, want %v", i, r.Delay, want)
			}
			if err := r.Failed(context.Background(), root); err != nil {
				t.Fatal(err)
			}
		}
		// The owner's own browser is not slowed down.
		r, err := p.l.Reserve(context.Background(), attempt("root@example.nl", "198.51.100.1", device))
		if err != nil || r.Delay != 0 {
			t.Fatalf("the owner's browser: %v, delay %v; want admitted at once", err, r.Delay)
		}
		entries := p.audit(t)
		if n := actions(entries); n["login.account-alert"] != 1 || n["login.failed"] != 6*auth.AccountAlertFailures+1 {
			t.Errorf("audit actions %v, want one account alert", n)
		}
		for _, entry := range entries {
			if entry.Action == "login.account-alert" && entry.Target != "root@example.nl" {
				t.Errorf("account alert about %q", entry.Target)
			}
		}
		if got := metricValue(t, p.m, "plein_login_account_alerts_total"); got != 1 {
			t.Errorf("account alerts counted %v, want 1", got)
		}
	})
}

// TestLoginAddressCeiling: one address spraying passwords over many
// accounts is refused after AddressMaxFailures, except in a browser that
// logged in to the account before.
func TestLoginAddressCeiling(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		p := newPolicyEnv(t, e)
		const sprayer = "203.0.113.9"
		device := p.succeed(t, attempt("eva@example.nl", sprayer, ""))
		for i := range auth.AddressMaxFailures {
			p.fail(t, attempt(fmt.Sprintf("user%d@example.nl", i), sprayer, ""), nil)
		}
		if ok, until := p.admitted(t, attempt("ans@example.nl", sprayer, "")); ok || !until.Equal(policyStart.Add(auth.LoginWindow)) {
			t.Errorf("a new account from the spraying address: admitted %v until %v, want refused until the window ends", ok, until)
		}
		if ok, _ := p.admitted(t, attempt("eva@example.nl", sprayer, device)); !ok {
			t.Error("a browser that logged in to the account before is refused")
		}
		if ok, _ := p.admitted(t, attempt("ans@example.nl", sprayer, device)); ok {
			t.Error("a device token admits another account than its own")
		}
		if ok, _ := p.admitted(t, attempt("ans@example.nl", "203.0.113.10", "")); !ok {
			t.Error("the next address is refused: the ceiling is per address, not per network")
		}
		if n := actions(p.audit(t)); n["login.address-locked"] != 1 {
			t.Errorf("audit actions %v, want one address lock", n)
		}
		if got := metricValue(t, p.m, `plein_login_lockouts_total{scope="address"}`); got != 1 {
			t.Errorf("address lockouts counted %v, want 1", got)
		}
	})
}

// TestLoginDeviceCountedApart: a NAT neighbour that locks an account from
// the shared address does not lock out the owner's browser that logged in
// before, and the browser's own failures lock only that browser.
func TestLoginDeviceCountedApart(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		p := newPolicyEnv(t, e)
		const townHall = "192.0.2.10"
		eva := p.user(t, "eva@example.nl")
		device := p.succeed(t, attempt("eva@example.nl", "203.0.113.50", "")) // at home, yesterday
		for range auth.PairMaxAttempts {
			p.fail(t, attempt("eva@example.nl", townHall, ""), eva)
		}
		if ok, _ := p.admitted(t, attempt("eva@example.nl", townHall, "")); ok {
			t.Fatal("the guessing pair is admitted")
		}
		if ok, _ := p.admitted(t, attempt("eva@example.nl", townHall, device)); !ok {
			t.Fatal("the owner's browser is locked out by someone else's guesses")
		}
		for _, forged := range []string{device + "0", "9999999999." + strings.Repeat("0", 64), "garbage", ""} {
			if ok, _ := p.admitted(t, attempt("eva@example.nl", townHall, forged)); ok {
				t.Errorf("device token %q admitted", forged)
			}
		}
		for range auth.PairMaxAttempts {
			p.fail(t, attempt("eva@example.nl", "198.51.100.1", device), eva)
		}
		if ok, _ := p.admitted(t, attempt("eva@example.nl", "198.51.100.2", device)); ok {
			t.Error("a browser that failed the limit itself is admitted from another address")
		}
		// A device token lasts DeviceTrustAge.
		p.clk.Advance(auth.DeviceTrustAge)
		if ok, _ := p.admitted(t, attempt("eva@example.nl", townHall, device)); !ok {
			t.Error("an expired device token is not just an unknown browser")
		}
	})
}

// TestLoginSuccessAndRefund: an attempt given back (not checked) does not
// count; a success counts as an attempt of its pair, so that a right guess
// does not open the pair to more guesses, but not as a failure of the
// account, and the browser's next log-in is counted under its new device
// token.
func TestLoginSuccessAndRefund(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		p := newPolicyEnv(t, e)
		eva := p.user(t, "eva@example.nl")
		a := attempt("eva@example.nl", "192.0.2.1", "")
		for range auth.PairMaxAttempts - 2 {
			p.fail(t, a, eva)
		}
		for range 5 { // not checked: the server was busy
			if ok, _ := p.admitted(t, a); !ok {
				t.Fatal("refused before the limit")
			}
		}
		device := p.succeed(t, a)
		p.fail(t, a, eva)
		if ok, _ := p.admitted(t, a); ok {
			t.Fatalf("admitted after %d failures and a success from one pair", auth.PairMaxAttempts-1)
		}
		for i := range auth.PairMaxAttempts {
			if ok, _ := p.admitted(t, attempt("eva@example.nl", "192.0.2.1", device)); !ok {
				t.Fatalf("attempt %d in the browser that logged in refused", i+1)
			}
		}
		if got := metricValue(t, p.m, "plein_login_failures_total"); got != auth.PairMaxAttempts-1 {
			t.Errorf("failures counted %v, want %d", got, auth.PairMaxAttempts-1)
		}
		if got := metricValue(t, p.m, `plein_login_lockouts_total{scope="pair"}`); got != 1 {
			t.Errorf("pair lockouts counted %v, want 1", got)
		}

		// The success was given back to the account: the alert comes at
		// the AccountAlertFailures-th failure, not attempt.
		for i := range auth.AccountAlertFailures - (auth.PairMaxAttempts - 1) - 1 {
			p.fail(t, attempt("eva@example.nl", fmt.Sprintf("198.51.100.%d", i+1), ""), eva)
		}
		if n := actions(p.audit(t)); n["login.account-alert"] != 0 {
			t.Fatalf("alert after %d failures and a success", auth.AccountAlertFailures-1)
		}
		p.fail(t, attempt("eva@example.nl", "203.0.113.1", ""), eva)
		if n := actions(p.audit(t)); n["login.account-alert"] != 1 {
			t.Fatalf("no alert after %d failures", auth.AccountAlertFailures)
		}
	})
}

// TestLoginAuditAndLogs: failed log-ins and locks are in the installation's
// audit log with the client's network, never its address, and without the
// e-mail address typed for an unknown account; the log has neither.
func TestLoginAuditAndLogs(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		p := newPolicyEnv(t, e)
		eva := p.user(t, "eva@example.nl")
		for range auth.PairMaxAttempts {
			p.fail(t, attempt("eva@example.nl", "192.0.2.77", ""), eva)
			p.fail(t, attempt("nobody@example.nl", "2001:db8:aa:bb::77", ""), nil)
		}
		entries := p.audit(t)
		if n := actions(entries); n["login.failed"] != 2*auth.PairMaxAttempts || n["login.locked"] != 2 {
			t.Fatalf("audit actions %v, want %d failures and 2 locks", n, 2*auth.PairMaxAttempts)
		}
		for _, entry := range entries {
			all := entry.Actor + " " + entry.Target + " " + entry.Detail
			if entry.OrgID != "" || entry.ActorID != "" {
				t.Errorf("%s in an organisation's log or by an account: %+v", entry.Action, entry)
			}
			for _, secret := range []string{"192.0.2.77", "2001:db8:aa:bb", "nobody@"} {
				if strings.Contains(all, secret) {
					t.Errorf("audit entry %s holds %q: %q", entry.Action, secret, all)
				}
			}
			switch entry.Target {
			case "eva@example.nl":
				if entry.Actor != "client in 192.0.2.0/24" {
					t.Errorf("%s actor %q, want the /24", entry.Action, entry.Actor)
				}
			case "an unknown account":
				if entry.Actor != "client in 2001:db8:aa::/48" {
					t.Errorf("%s actor %q, want the /48", entry.Action, entry.Actor)
				}
			default:
				t.Errorf("%s about %q", entry.Action, entry.Target)
			}
		}
		logs := p.logs.String()
		if !strings.Contains(logs, "failed staff log-in") || !strings.Contains(logs, "locked") {
			t.Errorf("the log does not tell of failures and locks:\n%s", logs)
		}
		for _, secret := range []string{"@", "192.0.2", "2001:db8"} {
			if strings.Contains(logs, secret) {
				t.Errorf("the log holds %q:\n%s", secret, logs)
			}
		}
	})
}

// TestLogInSlowsDownUnknownBrowsers goes through Service.LogIn: once the
// account is past AccountAlertFailures, the right password from a new
// browser still logs in after the pause, and the owner's browser does not
// wait.
func TestLogInSlowsDownUnknownBrowsers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e storetest.Engine) {
		ctx := context.Background()
		p := newPolicyEnv(t, e)
		svc := auth.NewService(p.st, p.clk.Now)
		svc.Logins = p.l
		var pauses []time.Duration
		svc.Pause = func(_ context.Context, d time.Duration) error {
			pauses = append(pauses, d)
			return nil
		}
		u, pw, err := svc.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: "eva@example.nl"})
		if err != nil {
			t.Fatal(err)
		}
		got, device, err := svc.LogIn(ctx, attempt("eva@example.nl", "192.0.2.1", ""), pw)
		if err != nil || got.ID != u.ID || device == "" {
			t.Fatalf("log in: %v %v, device %q", got, err, device)
		}
		if _, _, err := svc.LogIn(ctx, attempt("eva@example.nl", "192.0.2.1", ""), "wrong password!"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Fatalf("wrong password: %v", err)
		}
		for i := range auth.AccountAlertFailures {
			p.fail(t, attempt("eva@example.nl", fmt.Sprintf("198.51.100.%d", i+1), ""), u)
		}
		if _, _, err := svc.LogIn(ctx, attempt("eva@example.nl", "203.0.113.1", ""), pw); err != nil {
			t.Fatalf("the right password from a new browser under attack: %v", err)
		}
		if len(pauses) != 1 || pauses[0] != auth.AccountSlowdown {
			t.Fatalf("pauses %v, want one of %v", pauses, auth.AccountSlowdown)
		}
		if _, _, err := svc.LogIn(ctx, attempt("eva@example.nl", "203.0.113.2", device), pw); err != nil || len(pauses) != 1 {
			t.Fatalf("the owner's browser: %v, pauses %v", err, pauses)
		}
		// A client that goes away during its pause has its attempt given
		// back, although its request's context has ended.
		for range auth.PairMaxAttempts + 1 {
			gone, leave := context.WithCancel(ctx)
			svc.Pause = func(ctx context.Context, _ time.Duration) error {
				leave()
				return ctx.Err()
			}
			if _, _, err := svc.LogIn(gone, attempt("eva@example.nl", "203.0.113.3", ""), pw); !errors.Is(err, context.Canceled) {
				t.Fatalf("log-in whose client left in its pause: %v", err)
			}
		}
		svc.Pause = func(context.Context, time.Duration) error { return nil }
		if _, _, err := svc.LogIn(ctx, attempt("eva@example.nl", "203.0.113.3", ""), pw); err != nil {
			t.Fatalf("log-in after %d attempts whose clients left: %v", auth.PairMaxAttempts+1, err)
		}
	})
}
