// Package httpsig signs and verifies HTTP requests with HTTP Signatures as
// Mastodon uses them (draft-cavage-http-signatures-12): RSA PKCS #1 v1.5 over
// SHA-256, announced as "rsa-sha256" or "hs2019", with a Digest header for
// requests that carry a body.
//
// The package knows nothing of ActivityPub: callers give it a key identifier
// and a private key to sign, and a KeyResolver that finds public keys to
// verify.
package httpsig

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The Date window Verify accepts, the one Mastodon uses.
const (
	// MaxAge is how far in the past a request's Date may lie.
	MaxAge = 12 * time.Hour
	// MaxFuture is how far in the future a request's Date may lie, to allow
	// for clocks that run ahead.
	MaxFuture = time.Hour
)

// Errors Verify returns; callers map them to HTTP status codes. A resolver's
// own error is wrapped instead, so errors.Is finds it.
var (
	// ErrUnsigned reports a request without a Signature header.
	ErrUnsigned = errors.New("httpsig: request is not signed")
	// ErrMalformed reports a Signature header that cannot be parsed, or a
	// signed header missing from the request.
	ErrMalformed = errors.New("httpsig: malformed signature")
	// ErrHeaders reports a signature that does not cover a required header.
	ErrHeaders = errors.New("httpsig: required header not signed")
	// ErrDigest reports a Digest header that is missing, unusable or does
	// not match the body.
	ErrDigest = errors.New("httpsig: digest does not match body")
	// ErrDate reports a Date header that is missing or outside the window
	// of MaxAge and MaxFuture, or a signature that has expired.
	ErrDate = errors.New("httpsig: date outside accepted window")
	// ErrAlgorithm reports a signature algorithm other than rsa-sha256 or
	// hs2019.
	ErrAlgorithm = errors.New("httpsig: unsupported algorithm")
	// ErrBadSignature reports a signature that the resolved key does not
	// verify, even after fetching the key again.
	ErrBadSignature = errors.New("httpsig: signature does not verify")
)

// KeyResolver returns the public key named by keyID. When IsRefetch(ctx)
// reports true, a cached key failed to verify and the resolver should fetch
// the key afresh.
type KeyResolver func(ctx context.Context, keyID string) (*rsa.PublicKey, error)

// Verified describes a request whose signature verified.
type Verified struct {
	// KeyID is the keyId of the signature, as given to the KeyResolver.
	KeyID string
}

type refetchKey struct{}

// IsRefetch reports whether ctx comes from Verify asking a KeyResolver for a
// key a second time, after the first key failed to verify the signature.
func IsRefetch(ctx context.Context) bool {
	v, _ := ctx.Value(refetchKey{}).(bool)
	return v
}

// hasBody reports whether a request carries a body and so must have a
// signed Digest: its body is not empty or its method is POST, PUT or PATCH.
func hasBody(method string, body []byte) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return true
	}
	return len(body) > 0
}

// SignRequest signs r with key, announcing it as keyID. It sets the Host and
// Date headers (Date from now) and, when r has a body (body is not empty or
// the method is POST, PUT or PATCH), a Digest header with the SHA-256 of
// body. It signs "(request-target) host date digest content-type" for a
// request with a body and "(request-target) host date accept" otherwise,
// leaving out content-type or accept when r has no such header, and sets the
// Signature header with algorithm "rsa-sha256".
func SignRequest(r *http.Request, keyID string, key *rsa.PrivateKey, body []byte, now time.Time) error {
	if key == nil {
		return errors.New("httpsig: sign: nil key")
	}
	if keyID == "" || strings.ContainsAny(keyID, "\"\\\r\n") {
		return fmt.Errorf("httpsig: sign: unusable key id %q", keyID)
	}
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	if host == "" {
		return errors.New("httpsig: sign: request has no host")
	}
	r.Header.Set("Host", host)
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	headers := []string{"(request-target)", "host", "date"}
	if hasBody(r.Method, body) {
		sum := sha256.Sum256(body)
		r.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
		headers = append(headers, "digest")
		if r.Header.Get("Content-Type") != "" {
			headers = append(headers, "content-type")
		}
	} else if r.Header.Get("Accept") != "" {
		headers = append(headers, "accept")
	}
	s, err := signingString(r, headers, requestTarget(r), params{})
	if err != nil {
		return fmt.Errorf("httpsig: sign: %w", err)
	}
	hashed := sha256.Sum256([]byte(s))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, hashed[:])
	if err != nil {
		return fmt.Errorf("httpsig: sign: %w", err)
	}
	r.Header.Set("Signature", fmt.Sprintf(`keyId="%s",algorithm="rsa-sha256",headers="%s",signature="%s"`,
		keyID, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
	return nil
}

// Verify checks the signature of r, whose body has already been read into
// body, at time now. It accepts the signature from a Signature header or an
// "Authorization: Signature" header. The signature must cover
// (request-target), host, date and, when r has a body, digest; the Digest
// must match body (SHA-256 or SHA-512); Date must lie within MaxAge and
// MaxFuture of now; the algorithm must be rsa-sha256, hs2019 or absent.
//
// Verify asks resolve for the key. If that key does not verify the
// signature, it asks once more with a context for which IsRefetch reports
// true, so the resolver can bypass its cache after a key rotation, and tries
// again. A resolver error is returned wrapped.
func Verify(ctx context.Context, r *http.Request, body []byte, resolve KeyResolver, now time.Time) (*Verified, error) {
	p, err := signatureParams(r.Header)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(p.algorithm) {
	case "", "rsa-sha256", "hs2019":
	default:
		return nil, fmt.Errorf("%w: %q", ErrAlgorithm, p.algorithm)
	}
	signed := make(map[string]bool, len(p.headers))
	for _, h := range p.headers {
		signed[h] = true
	}
	required := []string{"(request-target)", "host", "date"}
	if hasBody(r.Method, body) {
		required = append(required, "digest")
	}
	for _, h := range required {
		if !signed[h] {
			return nil, fmt.Errorf("%w: %s", ErrHeaders, h)
		}
	}
	if err := checkTimes(r.Header, p, now); err != nil {
		return nil, err
	}
	if signed["digest"] {
		if err := checkDigest(r.Header.Get("Digest"), body); err != nil {
			return nil, err
		}
	}

	// Older Mastodon versions leave the query out of (request-target); accept
	// that form too when the request has a query.
	targets := []string{requestTarget(r)}
	if r.URL != nil && r.URL.RawQuery != "" {
		targets = append(targets, strings.ToLower(r.Method)+" "+r.URL.EscapedPath())
	}
	var hashes [][]byte
	for _, t := range targets {
		s, err := signingString(r, p.headers, t, p)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		h := sha256.Sum256([]byte(s))
		hashes = append(hashes, h[:])
	}
	verifies := func(key *rsa.PublicKey) bool {
		for _, h := range hashes {
			if rsa.VerifyPKCS1v15(key, crypto.SHA256, h, p.signature) == nil {
				return true
			}
		}
		return false
	}

	key, err := resolveKey(ctx, resolve, p.keyID)
	if err != nil {
		return nil, err
	}
	if verifies(key) {
		return &Verified{KeyID: p.keyID}, nil
	}
	fresh, err := resolveKey(context.WithValue(ctx, refetchKey{}, true), resolve, p.keyID)
	if err != nil {
		return nil, err
	}
	if !fresh.Equal(key) && verifies(fresh) {
		return &Verified{KeyID: p.keyID}, nil
	}
	return nil, fmt.Errorf("%w: key %q", ErrBadSignature, p.keyID)
}

func resolveKey(ctx context.Context, resolve KeyResolver, keyID string) (*rsa.PublicKey, error) {
	key, err := resolve(ctx, keyID)
	if err != nil {
		return nil, fmt.Errorf("httpsig: resolve key %q: %w", keyID, err)
	}
	if key == nil {
		return nil, fmt.Errorf("httpsig: resolve key %q: no key returned", keyID)
	}
	return key, nil
}

// checkTimes checks Date against the accepted window, and the created and
// expires parameters when the signature has them.
func checkTimes(h http.Header, p params, now time.Time) error {
	v := h.Get("Date")
	if v == "" {
		return fmt.Errorf("%w: no Date header", ErrDate)
	}
	date, err := http.ParseTime(v)
	if err != nil {
		return fmt.Errorf("%w: unreadable Date %q", ErrDate, v)
	}
	if now.Sub(date) > MaxAge {
		return fmt.Errorf("%w: Date %q is older than %s", ErrDate, v, MaxAge)
	}
	if date.Sub(now) > MaxFuture {
		return fmt.Errorf("%w: Date %q is more than %s ahead", ErrDate, v, MaxFuture)
	}
	if p.created != "" {
		c, _ := strconv.ParseInt(p.created, 10, 64)
		if time.Unix(c, 0).Sub(now) > MaxFuture {
			return fmt.Errorf("%w: created %s is in the future", ErrDate, p.created)
		}
	}
	if p.expires != "" {
		e, _ := strconv.ParseInt(p.expires, 10, 64)
		if now.After(time.Unix(e, 0)) {
			return fmt.Errorf("%w: signature expired at %s", ErrDate, p.expires)
		}
	}
	return nil
}

// checkDigest checks a Digest header against body. At least one SHA-256 or
// SHA-512 entry must be present, and every such entry must match.
func checkDigest(header string, body []byte) error {
	if header == "" {
		return fmt.Errorf("%w: no Digest header", ErrDigest)
	}
	matched := false
	for _, entry := range strings.Split(header, ",") {
		alg, value, ok := strings.Cut(strings.TrimSpace(entry), "=")
		if !ok {
			return fmt.Errorf("%w: unreadable Digest %q", ErrDigest, header)
		}
		var sum []byte
		switch strings.ToUpper(alg) {
		case "SHA-256":
			s := sha256.Sum256(body)
			sum = s[:]
		case "SHA-512":
			s := sha512.Sum512(body)
			sum = s[:]
		default:
			continue
		}
		if value != base64.StdEncoding.EncodeToString(sum) {
			return fmt.Errorf("%w: %s", ErrDigest, alg)
		}
		matched = true
	}
	if !matched {
		return fmt.Errorf("%w: no SHA-256 or SHA-512 in Digest %q", ErrDigest, header)
	}
	return nil
}

// requestTarget returns the value of the (request-target) pseudo-header:
// the lower-case method, a space, and the path with its query.
func requestTarget(r *http.Request) string {
	uri := r.RequestURI
	if !strings.HasPrefix(uri, "/") {
		uri = r.URL.RequestURI()
	}
	return strings.ToLower(r.Method) + " " + uri
}

// signingString builds the string a signature covers: one "name: value" line
// per signed header, joined by newlines.
func signingString(r *http.Request, headers []string, target string, p params) (string, error) {
	var b strings.Builder
	for i, name := range headers {
		if i > 0 {
			b.WriteByte('\n')
		}
		var value string
		switch name {
		case "(request-target)":
			value = target
		case "(created)":
			if p.created == "" {
				return "", errors.New("(created) signed without a created parameter")
			}
			value = p.created
		case "(expires)":
			if p.expires == "" {
				return "", errors.New("(expires) signed without an expires parameter")
			}
			value = p.expires
		case "host":
			value = r.Header.Get("Host")
			if value == "" {
				value = r.Host
			}
			if value == "" && r.URL != nil {
				value = r.URL.Host
			}
			if value == "" {
				return "", errors.New("signed header host is missing")
			}
		default:
			values := r.Header.Values(name)
			if len(values) == 0 {
				return "", fmt.Errorf("signed header %s is missing", name)
			}
			trimmed := make([]string, len(values))
			for j, v := range values {
				trimmed[j] = strings.TrimSpace(v)
			}
			value = strings.Join(trimmed, ", ")
		}
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(value)
	}
	return b.String(), nil
}
