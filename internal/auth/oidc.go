package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"plein/internal/config"
	"plein/internal/keyring"
	"plein/internal/safefetch"
)

// Single sign-on with OpenID Connect. A staff member logs in at the
// installation's provider (the authorization code flow with PKCE, a state
// and a nonce); Plein verifies the ID token the provider returns (its
// signature by the provider's published keys, issuer, audience, expiry and
// nonce) and finds the account linked to the token's issuer and subject.
// The e-mail address in a token never picks an account. The state, nonce
// and PKCE verifier travel in a short-lived cookie on the log-in path,
// signed with a secret of the installation, so that any node can finish a
// log-in another began.

// SSOFlowAge is how long a log-in at the provider may take, from the click
// on the log-in button to the return to Plein.
const SSOFlowAge = 10 * time.Minute

// settingSSOKey names the installation's secret that signs the flow cookie.
const settingSSOKey = "sso_flow_key"

// The purposes of a flow.
const (
	SSOLogIn = "login" // log in
	SSOLink  = "link"  // link the identity to the logged-in account
)

// MaxSubjectLength is the longest subject OpenID Connect allows (Core 1.0,
// section 2: 255 ASCII characters).
const MaxSubjectLength = 255

var (
	// ErrSSOState means the return from the provider does not belong to a
	// log-in this browser began here: the flow cookie is missing, expired
	// or altered, or the state differs.
	ErrSSOState = errors.New("auth: single sign-on: state does not match")
	// ErrSSOProvider means the provider could not be reached, refused the
	// log-in, or returned a token that does not verify.
	ErrSSOProvider = errors.New("auth: single sign-on: provider failed")
)

// SSOConfig configures single sign-on.
type SSOConfig struct {
	config.OIDC
	// RedirectURL is Plein's callback, registered at the provider.
	RedirectURL string
	// Fetch reaches the provider; its rules for private addresses apply.
	Fetch  *safefetch.Client
	Logger *slog.Logger
}

// SSO is the installation's OpenID Connect provider.
type SSO struct {
	cfg      config.OIDC
	redirect string
	fetch    *safefetch.Client
	roles    []RoleMapping
	secret   *keyring.Secret
	now      func() time.Time
	logger   *slog.Logger

	mu       sync.Mutex
	provider *oidc.Provider // discovered on first use
}

// UseSSO turns single sign-on on with the provider c describes. The
// provider is discovered at the first log-in, not now, so that Plein
// starts while the provider is down. Call it before use only.
func (s *Service) UseSSO(c SSOConfig) error {
	if err := c.OIDC.Validate(); err != nil {
		return err
	}
	roles, err := ParseRoleMap(c.RoleMap)
	if err != nil {
		return err
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	s.sso = &SSO{cfg: c.OIDC, redirect: c.RedirectURL, fetch: c.Fetch, roles: roles,
		secret: keyring.New(s.st, settingSSOKey), now: s.now, logger: c.Logger}
	return nil
}

// SSO returns the single sign-on provider; nil when none is configured.
func (s *Service) SSO() *SSO { return s.sso }

// Name is the provider's name for the log-in button.
func (p *SSO) Name() string { return p.cfg.Name }

// Issuer is the provider's issuer URL.
func (p *SSO) Issuer() string { return p.cfg.Issuer }

// context returns ctx with the bounded client for the libraries.
func (p *SSO) context(ctx context.Context) context.Context {
	client := p.fetch.BoundedHTTPClient()
	return context.WithValue(oidc.ClientContext(ctx, client), oauth2.HTTPClient, client)
}

// discover returns the provider, fetching its discovery document once.
// A failure is not kept: the next log-in tries again.
func (p *SSO) discover(ctx context.Context) (*oidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.provider != nil {
		return p.provider, nil
	}
	// The keys are fetched later, outside this request: keep the client,
	// not the request's deadline.
	prov, err := oidc.NewProvider(p.context(context.WithoutCancel(ctx)), p.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("%w: discovery: %w", ErrSSOProvider, err)
	}
	p.provider = prov
	return prov, nil
}

func (p *SSO) oauth(prov *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret, Endpoint: prov.Endpoint(),
		RedirectURL: p.redirect, Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}
}

// SSOFlow is what a log-in at the provider carries from its beginning to
// the return: kept in the browser's flow cookie, signed.
type SSOFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Purpose  string `json:"p"`
	Next     string `json:"x,omitempty"`
	// Session is, for SSOLink, the key of the session that asked to link,
	// so that another login cannot finish the flow.
	Session string `json:"k,omitempty"`
	Lang    string `json:"l,omitempty"` // the interface language to return to
	Expires int64  `json:"e"`
}

// Begin starts the flow f (its Purpose, Next, Session and Lang set): it
// returns the provider's address to send the browser to and the value of
// the flow cookie.
func (p *SSO) Begin(ctx context.Context, f SSOFlow) (authURL, cookie string, err error) {
	prov, err := p.discover(ctx)
	if err != nil {
		return "", "", err
	}
	f.State, f.Nonce, f.Verifier = rand.Text(), rand.Text(), oauth2.GenerateVerifier()
	f.Expires = p.now().Add(SSOFlowAge).Unix()
	cookie, err = p.seal(ctx, f)
	if err != nil {
		return "", "", err
	}
	authURL = p.oauth(prov).AuthCodeURL(f.State, oauth2.S256ChallengeOption(f.Verifier), oidc.Nonce(f.Nonce))
	return authURL, cookie, nil
}

// SSOIdentity is who the provider says logged in, from a verified ID
// token (and the user info endpoint for the role claim).
type SSOIdentity struct {
	Issuer, Subject string
	Email           string // empty unless the provider vouches for it
	Name            string
	Groups          []string // the values of the role claim
}

// Finish checks the provider's answer against the flow cookie, redeems the
// code and verifies the ID token. It returns ErrSSOState when the answer
// does not belong to the cookie's flow, and an error wrapping
// ErrSSOProvider when the provider fails or its token does not verify.
func (p *SSO) Finish(ctx context.Context, cookie, state, code string) (*SSOIdentity, SSOFlow, error) {
	f, err := p.open(ctx, cookie)
	if err != nil {
		return nil, SSOFlow{}, err
	}
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		return nil, SSOFlow{}, ErrSSOState
	}
	if code == "" || len(code) > 4096 {
		return nil, f, fmt.Errorf("%w: no usable code", ErrSSOProvider)
	}
	prov, err := p.discover(ctx)
	if err != nil {
		return nil, f, err
	}
	fctx := p.context(ctx)
	tok, err := p.oauth(prov).Exchange(fctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return nil, f, fmt.Errorf("%w: redeem code: %w", ErrSSOProvider, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, f, fmt.Errorf("%w: no ID token", ErrSSOProvider)
	}
	idt, err := prov.Verifier(&oidc.Config{ClientID: p.cfg.ClientID, Now: p.now}).Verify(fctx, raw)
	if err != nil {
		return nil, f, fmt.Errorf("%w: verify ID token: %w", ErrSSOProvider, err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return nil, f, fmt.Errorf("%w: the ID token's nonce differs", ErrSSOProvider)
	}
	if idt.Subject == "" || len(idt.Subject) > MaxSubjectLength {
		return nil, f, fmt.Errorf("%w: the ID token's subject is empty or too long", ErrSSOProvider)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, f, fmt.Errorf("%w: claims: %w", ErrSSOProvider, err)
	}
	id := &SSOIdentity{Issuer: idt.Issuer, Subject: idt.Subject}
	_, hasRoles := claims[p.cfg.RoleClaim]
	_, hasEmail := claims["email"]
	if (!hasRoles && len(p.roles) > 0 || !hasEmail && p.cfg.CreateAccounts) && prov.UserInfoEndpoint() != "" {
		// Providers keep some claims for the user info endpoint when they
		// issue an access token (OpenID Connect Core, section 5.4).
		info, err := prov.UserInfo(fctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return nil, f, fmt.Errorf("%w: user info: %w", ErrSSOProvider, err)
		}
		if info.Subject != idt.Subject {
			return nil, f, fmt.Errorf("%w: the user info is of another subject", ErrSSOProvider)
		}
		var more map[string]any
		if err := info.Claims(&more); err != nil {
			return nil, f, fmt.Errorf("%w: user info claims: %w", ErrSSOProvider, err)
		}
		for k, v := range more {
			if _, ok := claims[k]; !ok {
				claims[k] = v
			}
		}
	}
	if email, _ := claims["email"].(string); email != "" {
		if verified, ok := claims["email_verified"].(bool); !ok || verified {
			id.Email = NormalizeEmail(email)
		}
	}
	id.Name, _ = claims["name"].(string)
	id.Groups = stringsOf(claims[p.cfg.RoleClaim])
	return id, f, nil
}

// stringsOf returns a claim's value as strings: one string, or the strings
// of a list.
func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// seal signs a flow for its cookie: base64url(JSON) "." base64url(HMAC).
func (p *SSO) seal(ctx context.Context, f SSOFlow) (string, error) {
	key, err := p.secret.Bytes(ctx)
	if err != nil {
		return "", fmt.Errorf("auth: single sign-on: %w", err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		return "", fmt.Errorf("auth: single sign-on: %w", err)
	}
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + base64.RawURLEncoding.EncodeToString(flowMAC(key, payload)), nil
}

// open checks a flow cookie's signature and expiry.
func (p *SSO) open(ctx context.Context, cookie string) (SSOFlow, error) {
	key, err := p.secret.Bytes(ctx)
	if err != nil {
		return SSOFlow{}, fmt.Errorf("auth: single sign-on: %w", err)
	}
	payload, mac, ok := strings.Cut(cookie, ".")
	got, derr := base64.RawURLEncoding.DecodeString(mac)
	if !ok || derr != nil || !hmac.Equal(got, flowMAC(key, payload)) {
		return SSOFlow{}, ErrSSOState
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	var f SSOFlow
	if err != nil || json.Unmarshal(b, &f) != nil || !p.now().Before(time.Unix(f.Expires, 0)) {
		return SSOFlow{}, ErrSSOState
	}
	return f, nil
}

func flowMAC(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("sso-flow\x00" + payload))
	return m.Sum(nil)
}
