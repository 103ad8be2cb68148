// Package bluesky speaks the few AT Protocol calls Plein needs to publish
// to an organisation's Bluesky account: log in with an app password,
// refresh the session, upload images, create and delete records, and read
// a record back. It is plain XRPC (JSON over HTTP) and sends every request
// through the http.Client it is given, which the composition root takes
// from package safefetch. It also composes the app.bsky.feed.post record
// of a post: its text within Bluesky's limits and its facets.
package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Limits of the client.
const (
	// MaxResponseBytes bounds every response body read.
	MaxResponseBytes = 1 << 20
	// RequestTimeout bounds one call, the upload of an image included.
	RequestTimeout = 30 * time.Second
	// CollectionPost is the collection of Bluesky posts.
	CollectionPost = "app.bsky.feed.post"
)

// The kinds of failure; every *Error matches exactly one with errors.Is.
var (
	// ErrAuth: the handle and app password, or the session, were refused.
	ErrAuth = errors.New("bluesky: authentication failed")
	// ErrExpired: the session's token has expired; refresh it.
	ErrExpired = errors.New("bluesky: session expired")
	// ErrRateLimited: the server asks to wait (Error.RetryAfter).
	ErrRateLimited = errors.New("bluesky: rate limited")
	// ErrServer: the server failed (5xx) or could not be reached.
	ErrServer = errors.New("bluesky: server error")
	// ErrRejected: the server refused the request itself (another 4xx).
	ErrRejected = errors.New("bluesky: request rejected")
)

// Error is a failed call.
type Error struct {
	Kind       error         // one of ErrAuth, ErrExpired, ErrRateLimited, ErrServer, ErrRejected
	Method     string        // the XRPC method, such as com.atproto.repo.createRecord
	Status     int           // the HTTP status; 0 when no response came
	Code       string        // the XRPC error name, such as ExpiredToken
	Message    string        // the server's message, for the log
	RetryAfter time.Duration // for ErrRateLimited: how long to wait; 0: unknown
	Err        error         // the transport error when no response came
}

// Error describes the failure, for the log.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %s", e.Kind, e.Method)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": status %d", e.Status)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the kind and the transport error.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Kind, e.Err}
	}
	return []error{e.Kind}
}

// Session is a logged-in account on a PDS.
type Session struct {
	PDS        string `json:"-"` // the PDS's base URL, without a trailing slash
	DID        string `json:"did"`
	Handle     string `json:"handle"`
	AccessJWT  string `json:"accessJwt"`
	RefreshJWT string `json:"refreshJwt"`
}

// Ref is a stored record: its at:// URI and the CID of its content.
type Ref struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// Blob is an uploaded blob as the PDS describes it, to be placed in a
// record unchanged.
type Blob json.RawMessage

// MarshalJSON returns the blob as the PDS gave it.
func (b Blob) MarshalJSON() ([]byte, error) {
	if len(b) == 0 {
		return []byte("null"), nil
	}
	return b, nil
}

// Client calls XRPC methods on any PDS. It is safe for concurrent use.
type Client struct {
	http *http.Client
}

// New returns a Client sending its requests through hc.
func New(hc *http.Client) *Client { return &Client{http: hc} }

// NormalizePDS checks a PDS address (an http or https URL without query)
// and returns it without a trailing slash.
func NormalizePDS(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("bluesky: %q is not an http or https address of a PDS", raw)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// CreateSession logs in to the PDS at pds with an account's handle (or
// DID) and an app password.
func (c *Client) CreateSession(ctx context.Context, pds, identifier, password string) (*Session, error) {
	pds, err := NormalizePDS(pds)
	if err != nil {
		return nil, err
	}
	var s Session
	body := map[string]string{"identifier": identifier, "password": password}
	if err := c.call(ctx, pds, "", http.MethodPost, "com.atproto.server.createSession", nil, body, &s); err != nil {
		return nil, err
	}
	s.PDS = pds
	return &s, nil
}

// RefreshSession exchanges the session's refresh token for new tokens.
func (c *Client) RefreshSession(ctx context.Context, s *Session) (*Session, error) {
	var n Session
	if err := c.call(ctx, s.PDS, s.RefreshJWT, http.MethodPost, "com.atproto.server.refreshSession", nil, nil, &n); err != nil {
		return nil, err
	}
	n.PDS = s.PDS
	return &n, nil
}

// CreateRecord stores record in the session's repository under
// collection, with a key the PDS chooses.
func (c *Client) CreateRecord(ctx context.Context, s *Session, collection string, record any) (Ref, error) {
	var ref Ref
	body := map[string]any{"repo": s.DID, "collection": collection, "record": record}
	err := c.call(ctx, s.PDS, s.AccessJWT, http.MethodPost, "com.atproto.repo.createRecord", nil, body, &ref)
	return ref, err
}

// DeleteRecord removes the record at uri from the session's repository.
// Deleting a record that is gone already succeeds.
func (c *Client) DeleteRecord(ctx context.Context, s *Session, uri string) error {
	repo, collection, rkey, err := ParseURI(uri)
	if err != nil {
		return err
	}
	body := map[string]string{"repo": repo, "collection": collection, "rkey": rkey}
	return c.call(ctx, s.PDS, s.AccessJWT, http.MethodPost, "com.atproto.repo.deleteRecord", nil, body, nil)
}

// UploadBlob uploads data of the given content type and returns the blob
// to reference from a record.
func (c *Client) UploadBlob(ctx context.Context, s *Session, contentType string, data []byte) (Blob, error) {
	var out struct {
		Blob json.RawMessage `json:"blob"`
	}
	err := c.call(ctx, s.PDS, s.AccessJWT, http.MethodPost, "com.atproto.repo.uploadBlob", nil, rawBody{contentType, data}, &out)
	if err == nil && len(out.Blob) == 0 {
		err = fmt.Errorf("bluesky: com.atproto.repo.uploadBlob: the answer holds no blob")
	}
	return Blob(out.Blob), err
}

// Record is a record read back with GetRecord.
type Record struct {
	URI   string          `json:"uri"`
	CID   string          `json:"cid"`
	Value json.RawMessage `json:"value"`
}

// GetRecord reads the record at uri from the PDS at pds, without logging
// in. A record that does not exist is an *Error of kind ErrRejected with
// Code "RecordNotFound".
func (c *Client) GetRecord(ctx context.Context, pds, uri string) (*Record, error) {
	repo, collection, rkey, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	pds, err = NormalizePDS(pds)
	if err != nil {
		return nil, err
	}
	q := url.Values{"repo": {repo}, "collection": {collection}, "rkey": {rkey}}
	var r Record
	if err := c.call(ctx, pds, "", http.MethodGet, "com.atproto.repo.getRecord", q, nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// ParseURI splits an at://repo/collection/rkey URI.
func ParseURI(uri string) (repo, collection, rkey string, err error) {
	rest, ok := strings.CutPrefix(uri, "at://")
	parts := strings.Split(rest, "/")
	if !ok || len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", fmt.Errorf("bluesky: %q is not an at:// URI of a record", uri)
	}
	return parts[0], parts[1], parts[2], nil
}

// rawBody is a request body sent as it is, not as JSON.
type rawBody struct {
	contentType string
	data        []byte
}

// call sends one XRPC request and decodes the JSON answer into out (when
// not nil). token, when not empty, is sent as a bearer token.
func (c *Client) call(ctx context.Context, pds, token, method, nsid string, query url.Values, in, out any) error {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	u := pds + "/xrpc/" + nsid
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var body io.Reader
	contentType := ""
	switch in := in.(type) {
	case nil:
	case rawBody:
		body, contentType = bytes.NewReader(in.data), in.contentType
	default:
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("bluesky: %s: %w", nsid, err)
		}
		body, contentType = bytes.NewReader(b), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return fmt.Errorf("bluesky: %s: %w", nsid, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return &Error{Kind: ErrServer, Method: nsid, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err == nil && len(data) > MaxResponseBytes {
		err = fmt.Errorf("the answer is larger than %d bytes", MaxResponseBytes)
	}
	if err != nil {
		return &Error{Kind: ErrServer, Method: nsid, Status: resp.StatusCode, Err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return statusError(nsid, resp, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &Error{Kind: ErrServer, Method: nsid, Status: resp.StatusCode, Err: fmt.Errorf("decoding the answer: %w", err)}
	}
	return nil
}

// statusError maps a response that is not 2xx to an *Error.
func statusError(nsid string, resp *http.Response, data []byte) *Error {
	var x struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(data, &x) // a body that is not JSON leaves the fields empty
	e := &Error{Method: nsid, Status: resp.StatusCode, Code: x.Error, Message: x.Message}
	switch {
	case x.Error == "ExpiredToken":
		e.Kind = ErrExpired
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden ||
		x.Error == "AuthenticationRequired" || x.Error == "InvalidToken" || x.Error == "AccountTakedown":
		e.Kind = ErrAuth
	case resp.StatusCode == http.StatusTooManyRequests:
		e.Kind = ErrRateLimited
		e.RetryAfter = retryAfter(resp.Header, time.Now())
	case resp.StatusCode >= 500:
		e.Kind = ErrServer
	default:
		e.Kind = ErrRejected
	}
	return e
}

// retryAfter reads how long to wait from Retry-After (seconds or a date)
// or, as Bluesky's servers send, RateLimit-Reset (a Unix time).
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil && t.After(now) {
			return t.Sub(now)
		}
	}
	if v := h.Get("RateLimit-Reset"); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil {
			if t := time.Unix(s, 0); t.After(now) {
				return t.Sub(now)
			}
		}
	}
	return 0
}
