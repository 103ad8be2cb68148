package auth_test

import (
	"context"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/safefetch"
	"plein/internal/store/storetest"
)

func TestParseRoleMap(t *testing.T) {
	tests := []struct {
		in      string
		want    []auth.RoleMapping
		wantErr string // in English, and the Dutch must differ
	}{
		{in: "", want: nil},
		{in: "communicatie=almere:editor", want: []auth.RoleMapping{{Value: "communicatie", Org: "almere", Role: model.RoleEditor}}},
		{in: " /org/comms = @almere : admin , 6f1c-guid=zwolle:analyst,",
			want: []auth.RoleMapping{{Value: "/org/comms", Org: "almere", Role: model.RoleAdmin}, {Value: "6f1c-guid", Org: "zwolle", Role: model.RoleAnalyst}}},
		{in: "a=b=almere:moderator", want: []auth.RoleMapping{{Value: "a=b", Org: "almere", Role: model.RoleModerator}}},
		{in: "communicatie", wantErr: "write it as value=organisation:role"},
		{in: "communicatie=almere", wantErr: "write it as value=organisation:role"},
		{in: "=almere:editor", wantErr: "write it as value=organisation:role"},
		{in: "x=Almere Stad:editor", wantErr: "is not the handle of an organisation"},
		{in: "x=almere:owner", wantErr: "‘owner’ is not a role"},
		{in: "x=almere:editor,x=almere:admin", wantErr: "already has a role at @almere"},
		{in: strings.Repeat("v", 300) + "=almere:editor", wantErr: "longer than 255 characters"},
		{in: strings.Repeat("x=almere:editor,", 300), wantErr: "longer than 4096 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.in[:min(len(tt.in), 30)], func(t *testing.T) {
			got, err := auth.ParseRoleMap(tt.in)
			if tt.wantErr == "" {
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("ParseRoleMap = %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			fe, ok := model.AsFieldError(err)
			if !ok {
				t.Fatalf("error %v, want a field error", err)
			}
			if en, nl := fe.In("en"), fe.In("nl"); !strings.Contains(en, tt.wantErr) || nl == en || nl == "" {
				t.Errorf("error en %q, nl %q; want %q in English and a Dutch text", en, nl, tt.wantErr)
			}
		})
	}
}

func TestDeviceName(t *testing.T) {
	tests := []struct{ ua, want string }{
		{"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox (Linux)"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge (Windows)"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "Safari (macOS)"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1", "Chrome (iOS)"},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome (Android)"},
		{"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome (ChromeOS)"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Chrome (Linux)"},
		{"Go-http-client/1.1", ""},
		{"", ""},
		{"curl/8.5.0 (Windows)", "Windows"},
	}
	for _, tt := range tests {
		if got := auth.DeviceName(tt.ua); got != tt.want {
			t.Errorf("DeviceName(%q) = %q, want %q", tt.ua, got, tt.want)
		}
	}
}

// ssoService is a Service with single sign-on configured for a provider
// that is never reached: the identity is handed in as if verified.
func ssoService(t *testing.T, e storetest.Engine, oidc config.OIDC) (*auth.Service, *pleintest.Clock) {
	t.Helper()
	st := e.Open(t, e.NewDatabase(t), nil)
	clk := pleintest.NewClock(time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC))
	svc := auth.NewService(st, clk.Now)
	svc.Pause = func(context.Context, time.Duration) error { return nil }
	oidc.Issuer, oidc.ClientID = "https://login.example.org/realms/gemeente", "plein"
	if err := svc.UseSSO(auth.SSOConfig{OIDC: oidc, RedirectURL: "https://plein.example.org/staff/login/sso/callback",
		Fetch: safefetch.New(safefetch.Options{})}); err != nil {
		t.Fatal(err)
	}
	return svc, clk
}

// TestUnlinkedIdentityCountsAsFailedLogin: an identity linked to no
// account is refused and counted in the log-in limits, so that the pair of
// identity and address is refused after PairMaxAttempts.
func TestUnlinkedIdentityCountsAsFailedLogin(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			svc, _ := ssoService(t, e, config.OIDC{})
			id := &auth.SSOIdentity{Issuer: svc.SSO().Issuer(), Subject: "stranger", Email: "stranger@example.org"}
			a := auth.LoginAttempt{Addr: netip.MustParseAddr("203.0.113.9")}
			for i := range auth.PairMaxAttempts {
				if _, _, err := svc.LogInWithIdentity(ctx, a, id); !errors.Is(err, auth.ErrIdentityUnlinked) {
					t.Fatalf("attempt %d: %v, want ErrIdentityUnlinked", i+1, err)
				}
			}
			if _, _, err := svc.LogInWithIdentity(ctx, a, id); !errors.Is(err, auth.ErrLocked) {
				t.Fatalf("attempt past the limit: %v, want ErrLocked", err)
			}
			log, err := svc.AuditLog(ctx, auth.Operator(), "", 100)
			if err != nil {
				t.Fatal(err)
			}
			var failed, refused int
			for _, e := range log {
				switch e.Action {
				case "login.failed":
					failed++
				case "sso.unlinked":
					refused++
				}
			}
			if failed != auth.PairMaxAttempts || refused != auth.PairMaxAttempts {
				t.Errorf("%d failed log-ins and %d refused identities audited, want %d each", failed, refused, auth.PairMaxAttempts)
			}
			if users, _ := svc.ListUsers(ctx, auth.Operator()); len(users) != 0 {
				t.Errorf("accounts were made: %d", len(users))
			}
		})
	}
}

func TestLinkIdentity(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			svc, _ := ssoService(t, e, config.OIDC{})
			issuer := svc.SSO().Issuer()
			for _, email := range []string{"anna@example.org", "bram@example.org"} {
				if _, _, err := svc.CreateUser(ctx, auth.Operator(), auth.NewUser{Email: email}); err != nil {
					t.Fatal(err)
				}
			}
			bram, _ := svc.ActorFor(ctx, "bram@example.org")
			if err := svc.LinkIdentity(ctx, bram, "anna@example.org", issuer, "sub-anna"); !errors.Is(err, model.ErrForbidden) {
				t.Errorf("linking another's account: %v, want ErrForbidden", err)
			}
			if err := svc.LinkIdentity(ctx, auth.Operator(), "anna@example.org", issuer, "sub-anna"); err != nil {
				t.Fatal(err)
			}
			if err := svc.LinkIdentity(ctx, auth.Operator(), "bram@example.org", issuer, "sub-anna"); err == nil ||
				!strings.Contains(err.Error(), "already linked to another account") {
				t.Errorf("linking a taken subject: %v", err)
			}
			if err := svc.LinkIdentity(ctx, auth.Operator(), "bram@example.org", issuer, strings.Repeat("s", 256)); err == nil {
				t.Error("a subject of 256 characters was linked")
			}
			u, _, err := svc.LogInWithIdentity(ctx, auth.LoginAttempt{Addr: netip.MustParseAddr("198.51.100.4")},
				&auth.SSOIdentity{Issuer: issuer, Subject: "sub-anna", Email: "bram@example.org"})
			if err != nil || u.Email != "anna@example.org" {
				t.Fatalf("log-in of the linked subject = %v, %v; want anna (the subject decides, not the e-mail address)", u, err)
			}
		})
	}
}

func TestSSOFlowCookieRefused(t *testing.T) {
	svc, _ := ssoService(t, storetest.Engines()[0], config.OIDC{})
	for _, cookie := range []string{"", "garbage", "eyJzIjoieCJ9.AAAA", "eyJzIjoieCJ9"} {
		if _, _, err := svc.SSO().Finish(context.Background(), cookie, "x", "code"); !errors.Is(err, auth.ErrSSOState) {
			t.Errorf("flow cookie %q: %v, want ErrSSOState", cookie, err)
		}
	}
}

func TestSessionLimitsValidate(t *testing.T) {
	tests := []struct {
		in      config.Sessions
		want    config.Sessions
		wantErr string
	}{
		{in: config.Sessions{}, want: config.Sessions{Idle: time.Hour, Max: 12 * time.Hour}},
		{in: config.Sessions{Idle: 30 * time.Minute, Max: 8 * time.Hour}, want: config.Sessions{Idle: 30 * time.Minute, Max: 8 * time.Hour}},
		{in: config.Sessions{Idle: time.Minute}, wantErr: "--session-idle must be at least"},
		{in: config.Sessions{Max: 40 * 24 * time.Hour}, wantErr: "--session-max must be at most"},
		{in: config.Sessions{Idle: 3 * time.Hour, Max: 2 * time.Hour}, wantErr: "must not be longer than --session-max"},
	}
	for _, tt := range tests {
		got := tt.in
		err := got.Validate()
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Validate(%+v) = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Validate(%+v) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}
