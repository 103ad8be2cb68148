package pleintest

import (
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"plein/internal/config"
)

// OIDCProvider is a real OpenID Connect provider on loopback, for tests of
// single sign-on: the example provider of zitadel/oidc (discovery, JWKS,
// the authorization code flow with PKCE, RS256-signed ID tokens, user
// info), with its log-in form at /login/username. Its users are the
// OIDCUser values it was made with; their groups are in the "groups"
// claim of the ID token and of the user info.
type OIDCProvider struct {
	Issuer       string // http://127.0.0.1:port
	ClientID     string
	ClientSecret string

	ln    net.Listener
	mu    sync.Mutex // guards users' groups
	users map[string]*OIDCUser
	once  sync.Once
}

// SetGroups changes the groups of the user with the subject, as an
// administrator at the provider does; the next tokens carry them.
func (p *OIDCProvider) SetGroups(subject string, groups ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.users[subject].Groups = groups
}

// groups returns the groups of the user with the subject.
func (p *OIDCProvider) groups(subject string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if u, ok := p.users[subject]; ok {
		return append([]string(nil), u.Groups...)
	}
	return nil
}

// OIDCUser is a person at the provider.
type OIDCUser struct {
	Subject  string // the "sub" of their tokens
	Username string // what they type in the provider's form
	Password string
	Email    string
	Name     string
	Groups   []string
}

// NewOIDCProvider listens on loopback for a provider of users; it serves
// once Start names Plein's callback, so that Plein can be configured with
// its issuer first. It stops when the test ends.
func NewOIDCProvider(t testing.TB, users ...OIDCUser) *OIDCProvider {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &OIDCProvider{Issuer: "http://" + ln.Addr().String(), ClientID: "plein", ClientSecret: "provider-secret-of-plein",
		ln: ln, users: map[string]*OIDCUser{}}
	for i := range users {
		p.users[users[i].Subject] = &users[i]
	}
	t.Cleanup(func() { ln.Close() })
	return p
}

// Configure is a pleintest option that points Plein's single sign-on at
// the provider, named "Test-IdP".
func (p *OIDCProvider) Configure(c *config.Config) {
	c.OIDC.Issuer, c.OIDC.ClientID, c.OIDC.ClientSecret, c.OIDC.Name = p.Issuer, p.ClientID, p.ClientSecret, "Test-IdP"
}

// Start serves the provider, with Plein at baseURL as its one client.
func (p *OIDCProvider) Start(t testing.TB, baseURL string) {
	t.Helper()
	p.once.Do(func() {
		client := storage.WebClient(p.ClientID, p.ClientSecret, baseURL+"/staff/login/sso/callback")
		st := &groupStorage{Storage: storage.NewStorageWithClients(oidcUsers{p.users}, map[string]*storage.Client{p.ClientID: client}), p: p}
		router := exampleop.SetupServer(p.Issuer, st, nil, false)
		srv := &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(p.ln)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			srv.Shutdown(ctx)
		})
	})
}

// oidcUsers is the provider's user store.
type oidcUsers struct{ users map[string]*OIDCUser }

func (u oidcUsers) GetUserByID(id string) *storage.User {
	if x, ok := u.users[id]; ok {
		return exampleUser(x)
	}
	return nil
}

func (u oidcUsers) GetUserByUsername(name string) *storage.User {
	for _, x := range u.users {
		if x.Username == name {
			return exampleUser(x)
		}
	}
	return nil
}

func (u oidcUsers) ExampleClientID() string { return "service" }

func exampleUser(x *OIDCUser) *storage.User {
	return &storage.User{ID: x.Subject, Username: x.Username, Password: x.Password, FirstName: x.Name,
		Email: x.Email, EmailVerified: x.Email != "", PreferredLanguage: language.Dutch}
}

// groupStorage adds each user's groups to their ID tokens and user info.
type groupStorage struct {
	*storage.Storage
	p *OIDCProvider
}

func (s *groupStorage) SetUserinfoFromRequest(ctx context.Context, info *zoidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, req, scopes); err != nil {
		return err
	}
	s.addGroups(info, req.GetSubject())
	return nil
}

func (s *groupStorage) SetUserinfoFromToken(ctx context.Context, info *zoidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, info, tokenID, subject, origin); err != nil {
		return err
	}
	s.addGroups(info, info.Subject)
	return nil
}

func (s *groupStorage) addGroups(info *zoidc.UserInfo, subject string) {
	if groups := s.p.groups(subject); len(groups) > 0 {
		info.AppendClaims("groups", groups)
	}
}
