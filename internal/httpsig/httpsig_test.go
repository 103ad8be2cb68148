package httpsig

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

const (
	keyIDA = "https://plein.example/@gemeente#main-key"
	keyIDB = "https://other.example/users/b#main-key"
	inbox  = "https://mastodon.example/users/alice/inbox"
	note   = `{"type":"Create","actor":"https://plein.example/@gemeente"}`
)

// now is the fixed clock of these tests.
var now = time.Date(2026, 11, 4, 10, 0, 0, 0, time.UTC)

func loadKey(t testing.TB, name string) *rsa.PrivateKey {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	key, err := DecodePrivateKey(string(text))
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// staticResolver returns a resolver that gives keys[keyID] and counts its calls.
func staticResolver(keys map[string]*rsa.PublicKey, calls *int) KeyResolver {
	return func(_ context.Context, keyID string) (*rsa.PublicKey, error) {
		*calls++
		k, ok := keys[keyID]
		if !ok {
			return nil, fmt.Errorf("unknown key %q", keyID)
		}
		return k, nil
	}
}

// newOutgoing builds a request as a client would before signing.
func newOutgoing(t testing.TB, method, url string, body []byte) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		r.Header.Set("Content-Type", "application/activity+json")
	} else {
		r.Header.Set("Accept", "application/activity+json")
	}
	return r
}

// received writes r to the wire and reads it back as a server sees it, with
// the Host header moved into r.Host and RequestURI set.
func received(t testing.TB, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	in, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(in.Body)
	if err != nil {
		t.Fatal(err)
	}
	return in, body
}

// handSign signs r the way the draft describes, independently of
// SignRequest: it builds the signing string line by line from the named
// headers, signs its SHA-256 with RSA PKCS #1 v1.5 and sets Signature.
func handSign(t testing.TB, r *http.Request, key *rsa.PrivateKey, keyID, algorithm, target string, headers []string) {
	t.Helper()
	var lines []string
	for _, h := range headers {
		switch h {
		case "(request-target)":
			lines = append(lines, "(request-target): "+target)
		case "host":
			lines = append(lines, "host: "+r.Host)
		default:
			lines = append(lines, h+": "+r.Header.Get(h))
		}
	}
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	alg := ""
	if algorithm != "" {
		alg = `algorithm="` + algorithm + `",`
	}
	r.Header.Set("Signature", fmt.Sprintf(`keyId="%s",%sheaders="%s",signature="%s"`,
		keyID, alg, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
}

// mastodonPost builds an inbox delivery exactly as Mastodon makes one.
func mastodonPost(t testing.TB, key *rsa.PrivateKey, keyID, path string, body []byte, date time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "https://plein.example"+path, bytes.NewReader(body))
	sum := sha256.Sum256(body)
	r.Header.Set("Date", date.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT"))
	r.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
	r.Header.Set("Content-Type", "application/activity+json")
	handSign(t, r, key, keyID, "rsa-sha256", "post "+path,
		[]string{"(request-target)", "host", "date", "digest", "content-type"})
	return r
}

func TestSignRequestGolden(t *testing.T) {
	key := loadKey(t, "key_a.pem")
	tests := []struct {
		name   string
		method string
		url    string
		body   []byte
	}{
		{"post", http.MethodPost, inbox, []byte(note)},
		{"get", http.MethodGet, "https://mastodon.example/users/alice?page=1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newOutgoing(t, tt.method, tt.url, tt.body)
			if err := SignRequest(r, keyIDA, key, tt.body, now); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, h := range []string{"Host", "Date", "Digest", "Signature"} {
				if v := r.Header.Get(h); v != "" {
					fmt.Fprintf(&b, "%s: %s\n", h, v)
				}
			}
			got := b.String()
			golden := filepath.Join("testdata", "sign_"+tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("signed headers differ from %s:\n got: %s\nwant: %s", golden, got, want)
			}
		})
	}
}

func TestSignRequestHeaders(t *testing.T) {
	key := loadKey(t, "key_a.pem")
	tests := []struct {
		name        string
		method      string
		body        []byte
		contentType string
		accept      string
		wantHeaders string
		wantDigest  bool
	}{
		{"post", http.MethodPost, []byte(note), "application/activity+json", "", "(request-target) host date digest content-type", true},
		{"post without content type", http.MethodPost, []byte(note), "", "", "(request-target) host date digest", true},
		{"post empty body", http.MethodPost, nil, "application/activity+json", "", "(request-target) host date digest content-type", true},
		{"get", http.MethodGet, nil, "", "application/activity+json", "(request-target) host date accept", false},
		{"get without accept", http.MethodGet, nil, "", "", "(request-target) host date", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := http.NewRequest(tt.method, inbox, bytes.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			if tt.accept != "" {
				r.Header.Set("Accept", tt.accept)
			}
			if err := SignRequest(r, keyIDA, key, tt.body, now); err != nil {
				t.Fatal(err)
			}
			p, err := signatureParams(r.Header)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(p.headers, " "); got != tt.wantHeaders {
				t.Errorf("headers = %q, want %q", got, tt.wantHeaders)
			}
			if p.algorithm != "rsa-sha256" || p.keyID != keyIDA {
				t.Errorf("algorithm, keyId = %q, %q", p.algorithm, p.keyID)
			}
			if got := r.Header.Get("Date"); got != "Wed, 04 Nov 2026 10:00:00 GMT" {
				t.Errorf("Date = %q", got)
			}
			if got := r.Header.Get("Host"); got != "mastodon.example" {
				t.Errorf("Host = %q", got)
			}
			if got := r.Header.Get("Digest") != ""; got != tt.wantDigest {
				t.Errorf("Digest set = %v, want %v", got, tt.wantDigest)
			}
			// Check the signature as an independent verifier would.
			var lines []string
			for _, h := range p.headers {
				if h == "(request-target)" {
					lines = append(lines, "(request-target): "+strings.ToLower(tt.method)+" /users/alice/inbox")
				} else {
					lines = append(lines, h+": "+r.Header.Get(h))
				}
			}
			sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
			if err := rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, sum[:], p.signature); err != nil {
				t.Errorf("signature does not verify over %q: %v", lines, err)
			}
			if tt.wantDigest {
				d := sha256.Sum256(tt.body)
				if want := "SHA-256=" + base64.StdEncoding.EncodeToString(d[:]); r.Header.Get("Digest") != want {
					t.Errorf("Digest = %q, want %q", r.Header.Get("Digest"), want)
				}
			}
		})
	}
}

func TestSignRequestRefuses(t *testing.T) {
	key := loadKey(t, "key_a.pem")
	r := newOutgoing(t, http.MethodGet, inbox, nil)
	if err := SignRequest(r, keyIDA, nil, nil, now); err == nil {
		t.Error("nil key: no error")
	}
	if err := SignRequest(r, `bad"id`, key, nil, now); err == nil {
		t.Error("key id with a quote: no error")
	}
	r.Host, r.URL.Host = "", ""
	if err := SignRequest(r, keyIDA, key, nil, now); err == nil {
		t.Error("no host: no error")
	}
}

func TestRoundTrip(t *testing.T) {
	key := loadKey(t, "key_a.pem")
	keys := map[string]*rsa.PublicKey{keyIDA: &key.PublicKey}
	tests := []struct {
		name    string
		method  string
		url     string
		body    []byte
		signAt  time.Time
		checkAt time.Time
	}{
		{"post", http.MethodPost, inbox, []byte(note), now, now},
		{"post with query", http.MethodPost, inbox + "?x=1&y=%2F", []byte(note), now, now},
		{"get", http.MethodGet, "https://mastodon.example/users/alice", nil, now, now},
		{"get with query", http.MethodGet, "https://mastodon.example/users/alice/outbox?page=true", nil, now, now},
		{"get escaped path", http.MethodGet, "https://mastodon.example/tags/caf%C3%A9", nil, now, now},
		{"date 11 hours old", http.MethodPost, inbox, []byte(note), now.Add(-11 * time.Hour), now},
		{"date 59 minutes ahead", http.MethodPost, inbox, []byte(note), now.Add(59 * time.Minute), now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newOutgoing(t, tt.method, tt.url, tt.body)
			if err := SignRequest(r, keyIDA, key, tt.body, tt.signAt); err != nil {
				t.Fatal(err)
			}
			in, body := received(t, r)
			calls := 0
			v, err := Verify(context.Background(), in, body, staticResolver(keys, &calls), tt.checkAt)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if v.KeyID != keyIDA {
				t.Errorf("KeyID = %q, want %q", v.KeyID, keyIDA)
			}
			if calls != 1 {
				t.Errorf("resolver called %d times, want 1", calls)
			}
		})
	}
}

// TestLoopback sends signed requests through a real HTTP server, so Go's
// own handling of Host and the request line on both sides is covered.
func TestLoopback(t *testing.T) {
	key := loadKey(t, "key_a.pem")
	keys := map[string]*rsa.PublicKey{keyIDA: &key.PublicKey}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		calls := 0
		if _, err := Verify(r.Context(), r, body, staticResolver(keys, &calls), now); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	for _, tt := range []struct {
		method string
		body   []byte
	}{{http.MethodPost, []byte(note)}, {http.MethodGet, nil}} {
		r := newOutgoing(t, tt.method, srv.URL+"/users/alice/inbox?q=1", tt.body)
		if err := SignRequest(r, keyIDA, key, tt.body, now); err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Errorf("%s: status %d: %s", tt.method, resp.StatusCode, msg)
		}
	}
}

func TestVerifyRejects(t *testing.T) {
	keyA := loadKey(t, "key_a.pem")
	keyB := loadKey(t, "key_b.pem")
	body := []byte(note)
	allHeaders := []string{"(request-target)", "host", "date", "digest", "content-type"}

	// signed returns a Mastodon-style delivery to /inbox, signed with key A.
	signed := func(t *testing.T) *http.Request {
		return mastodonPost(t, keyA, keyIDA, "/inbox", body, now)
	}
	tests := []struct {
		name    string
		request func(t *testing.T) (*http.Request, []byte)
		keys    map[string]*rsa.PublicKey
		want    error
		calls   int // expected resolver calls
	}{
		{"no signature", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Del("Signature")
			return r, body
		}, nil, ErrUnsigned, 0},
		{"other authorization scheme", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Del("Signature")
			r.Header.Set("Authorization", "Bearer abc")
			return r, body
		}, nil, ErrUnsigned, 0},
		{"garbage signature header", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Set("Signature", "garbage")
			return r, body
		}, nil, ErrMalformed, 0},
		{"two signature headers", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Add("Signature", r.Header.Get("Signature"))
			return r, body
		}, nil, ErrMalformed, 0},
		{"unterminated quote", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Set("Signature", `keyId="x,headers="date",signature="AAAA`)
			return r, body
		}, nil, ErrMalformed, 0},
		{"trailing comma", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Set("Signature", r.Header.Get("Signature")+",")
			return r, body
		}, nil, ErrMalformed, 0},
		{"repeated keyId", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Set("Signature", `keyId="`+keyIDB+`",`+r.Header.Get("Signature"))
			return r, body
		}, nil, ErrMalformed, 0},
		{"unquoted value", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), `algorithm="rsa-sha256"`, "algorithm=rsa-sha256", 1))
			return r, body
		}, nil, ErrMalformed, 0},
		{"no keyId", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), `keyId="`+keyIDA+`",`, "", 1))
			return r, body
		}, nil, ErrMalformed, 0},
		{"signature not base64", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			s := r.Header.Get("Signature")
			i := strings.Index(s, `signature="`)
			r.Header.Set("Signature", s[:i]+`signature="not base64!"`)
			return r, body
		}, nil, ErrMalformed, 0},
		{"signed header absent from request", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Del("Content-Type")
			return r, body
		}, nil, ErrMalformed, 0},
		{"request-target not signed", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			handSign(t, r, keyA, keyIDA, "rsa-sha256", "", allHeaders[1:])
			return r, body
		}, nil, ErrHeaders, 0},
		{"host not signed", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			handSign(t, r, keyA, keyIDA, "rsa-sha256", "post /inbox", []string{"(request-target)", "date", "digest"})
			return r, body
		}, nil, ErrHeaders, 0},
		{"date not signed", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			handSign(t, r, keyA, keyIDA, "rsa-sha256", "post /inbox", []string{"(request-target)", "host", "digest"})
			return r, body
		}, nil, ErrHeaders, 0},
		{"no headers parameter", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), `headers="(request-target) host date digest content-type",`, "", 1))
			return r, body
		}, nil, ErrHeaders, 0},
		{"digest header missing", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Del("Digest")
			return r, body
		}, nil, ErrDigest, 0},
		{"digest not signed", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			handSign(t, r, keyA, keyIDA, "rsa-sha256", "post /inbox", []string{"(request-target)", "host", "date", "content-type"})
			return r, body
		}, nil, ErrHeaders, 0},
		{"digest not signed on empty post", func(t *testing.T) (*http.Request, []byte) {
			r := httptest.NewRequest(http.MethodPost, "https://plein.example/inbox", nil)
			r.Header.Set("Date", now.Format(http.TimeFormat))
			handSign(t, r, keyA, keyIDA, "rsa-sha256", "post /inbox", []string{"(request-target)", "host", "date"})
			return r, nil
		}, nil, ErrHeaders, 0},
		{"body changed", func(t *testing.T) (*http.Request, []byte) {
			return signed(t), []byte(strings.Replace(note, "Create", "Delete", 1))
		}, nil, ErrDigest, 0},
		{"digest with unknown algorithm only", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Set("Digest", "MD5=AAAA")
			handSign(t, r, keyA, keyIDA, "rsa-sha256", "post /inbox", allHeaders)
			return r, body
		}, nil, ErrDigest, 0},
		{"date 13 hours old", func(t *testing.T) (*http.Request, []byte) {
			return mastodonPost(t, keyA, keyIDA, "/inbox", body, now.Add(-13*time.Hour)), body
		}, nil, ErrDate, 0},
		{"date 2 hours ahead", func(t *testing.T) (*http.Request, []byte) {
			return mastodonPost(t, keyA, keyIDA, "/inbox", body, now.Add(2*time.Hour)), body
		}, nil, ErrDate, 0},
		{"date unreadable", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Set("Date", "yesterday")
			handSign(t, r, keyA, keyIDA, "rsa-sha256", "post /inbox", allHeaders)
			return r, body
		}, nil, ErrDate, 0},
		{"signature expired", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Set("Signature", r.Header.Get("Signature")+fmt.Sprintf(",expires=%d", now.Add(-time.Minute).Unix()))
			return r, body
		}, nil, ErrDate, 0},
		{"unknown algorithm", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			handSign(t, r, keyA, keyIDA, "hmac-sha256", "post /inbox", allHeaders)
			return r, body
		}, nil, ErrAlgorithm, 0},
		{"rsa-sha512 algorithm", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			handSign(t, r, keyA, keyIDA, "rsa-sha512", "post /inbox", allHeaders)
			return r, body
		}, nil, ErrAlgorithm, 0},
		{"wrong key", func(t *testing.T) (*http.Request, []byte) {
			return signed(t), body
		}, map[string]*rsa.PublicKey{keyIDA: &keyB.PublicKey}, ErrBadSignature, 2},
		{"signed by other key under this key id", func(t *testing.T) (*http.Request, []byte) {
			return mastodonPost(t, keyB, keyIDA, "/inbox", body, now), body
		}, nil, ErrBadSignature, 2},
		{"signature over another path", func(t *testing.T) (*http.Request, []byte) {
			r := httptest.NewRequest(http.MethodPost, "https://plein.example/users/other/inbox", bytes.NewReader(body))
			r.Header = signed(t).Header
			return r, body
		}, nil, ErrBadSignature, 2},
		{"signature over another host", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Host = "evil.example"
			return r, body
		}, nil, ErrBadSignature, 2},
		{"signature over another method", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Method = http.MethodPut
			return r, body
		}, nil, ErrBadSignature, 2},
		{"content type changed", func(t *testing.T) (*http.Request, []byte) {
			r := signed(t)
			r.Header.Set("Content-Type", "text/plain")
			return r, body
		}, nil, ErrBadSignature, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := tt.keys
			if keys == nil {
				keys = map[string]*rsa.PublicKey{keyIDA: &keyA.PublicKey}
			}
			r, b := tt.request(t)
			calls := 0
			v, err := Verify(context.Background(), r, b, staticResolver(keys, &calls), now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify error = %v, want %v", err, tt.want)
			}
			if v != nil {
				t.Errorf("Verified = %+v, want nil", v)
			}
			if calls != tt.calls {
				t.Errorf("resolver called %d times, want %d", calls, tt.calls)
			}
		})
	}
}

// TestVerifyAccepts covers the forms other servers send that Plein's own
// signer does not produce.
func TestVerifyAccepts(t *testing.T) {
	key := loadKey(t, "key_a.pem")
	body := []byte(note)
	allHeaders := []string{"(request-target)", "host", "date", "digest", "content-type"}
	tests := []struct {
		name    string
		request func(t *testing.T) (*http.Request, []byte)
	}{
		{"mastodon delivery", func(t *testing.T) (*http.Request, []byte) {
			return mastodonPost(t, key, keyIDA, "/inbox", body, now), body
		}},
		{"hs2019", func(t *testing.T) (*http.Request, []byte) {
			r := mastodonPost(t, key, keyIDA, "/inbox", body, now)
			handSign(t, r, key, keyIDA, "hs2019", "post /inbox", allHeaders)
			return r, body
		}},
		{"no algorithm", func(t *testing.T) (*http.Request, []byte) {
			r := mastodonPost(t, key, keyIDA, "/inbox", body, now)
			handSign(t, r, key, keyIDA, "", "post /inbox", allHeaders)
			return r, body
		}},
		{"authorization header", func(t *testing.T) (*http.Request, []byte) {
			r := mastodonPost(t, key, keyIDA, "/inbox", body, now)
			r.Header.Set("Authorization", "Signature "+r.Header.Get("Signature"))
			r.Header.Del("Signature")
			return r, body
		}},
		{"spaces after commas and unknown parameter", func(t *testing.T) (*http.Request, []byte) {
			r := mastodonPost(t, key, keyIDA, "/inbox", body, now)
			s := strings.ReplaceAll(r.Header.Get("Signature"), `",`, `", `)
			r.Header.Set("Signature", `extra="ignored", `+s)
			return r, body
		}},
		{"sha-512 digest", func(t *testing.T) (*http.Request, []byte) {
			r := mastodonPost(t, key, keyIDA, "/inbox", body, now)
			sum := sha512.Sum512(body)
			r.Header.Set("Digest", "SHA-512="+base64.StdEncoding.EncodeToString(sum[:]))
			handSign(t, r, key, keyIDA, "rsa-sha256", "post /inbox", allHeaders)
			return r, body
		}},
		{"created and expires signed", func(t *testing.T) (*http.Request, []byte) {
			r := mastodonPost(t, key, keyIDA, "/inbox", body, now)
			created, expires := now.Unix(), now.Add(time.Hour).Unix()
			lines := fmt.Sprintf("(request-target): post /inbox\n(created): %d\n(expires): %d\nhost: plein.example\ndate: %s\ndigest: %s",
				created, expires, r.Header.Get("Date"), r.Header.Get("Digest"))
			sum := sha256.Sum256([]byte(lines))
			sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Signature", fmt.Sprintf(`keyId="%s",algorithm="hs2019",created=%d,expires=%d,headers="(request-target) (created) (expires) host date digest",signature="%s"`,
				keyIDA, created, expires, base64.StdEncoding.EncodeToString(sig)))
			return r, body
		}},
		{"target without query (older Mastodon)", func(t *testing.T) (*http.Request, []byte) {
			r := httptest.NewRequest(http.MethodGet, "https://plein.example/@gemeente/outbox?page=true", nil)
			r.Header.Set("Date", now.Format(http.TimeFormat))
			r.Header.Set("Accept", "application/activity+json")
			handSign(t, r, key, keyIDA, "rsa-sha256", "get /@gemeente/outbox", []string{"(request-target)", "host", "date", "accept"})
			return r, nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, b := tt.request(t)
			calls := 0
			keys := map[string]*rsa.PublicKey{keyIDA: &key.PublicKey}
			v, err := Verify(context.Background(), r, b, staticResolver(keys, &calls), now)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if v.KeyID != keyIDA || calls != 1 {
				t.Errorf("KeyID = %q after %d resolver calls, want %q after 1", v.KeyID, calls, keyIDA)
			}
		})
	}
}

func TestVerifyKeyRotation(t *testing.T) {
	oldKey := loadKey(t, "key_b.pem")
	newKey := loadKey(t, "key_a.pem")
	r := mastodonPost(t, newKey, keyIDA, "/inbox", []byte(note), now)
	var refetches []bool
	resolve := func(ctx context.Context, keyID string) (*rsa.PublicKey, error) {
		refetches = append(refetches, IsRefetch(ctx))
		if IsRefetch(ctx) {
			return &newKey.PublicKey, nil
		}
		return &oldKey.PublicKey, nil
	}
	v, err := Verify(context.Background(), r, []byte(note), resolve, now)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if v.KeyID != keyIDA {
		t.Errorf("KeyID = %q", v.KeyID)
	}
	if want := []bool{false, true}; !slices.Equal(refetches, want) {
		t.Errorf("resolver calls with IsRefetch = %v, want %v", refetches, want)
	}
	if IsRefetch(context.Background()) {
		t.Error("IsRefetch(Background) = true")
	}
}

func TestVerifyResolverError(t *testing.T) {
	key := loadKey(t, "key_a.pem")
	errFetch := errors.New("actor fetch failed")
	tests := []struct {
		name      string
		failFirst bool
		wantCalls int
	}{
		{"first lookup", true, 1},
		{"refetch", false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := loadKey(t, "key_b.pem")
			calls := 0
			resolve := func(ctx context.Context, keyID string) (*rsa.PublicKey, error) {
				calls++
				if tt.failFirst || IsRefetch(ctx) {
					return nil, errFetch
				}
				return &other.PublicKey, nil
			}
			r := mastodonPost(t, key, keyIDA, "/inbox", []byte(note), now)
			_, err := Verify(context.Background(), r, []byte(note), resolve, now)
			if !errors.Is(err, errFetch) {
				t.Fatalf("Verify error = %v, want it to wrap %v", err, errFetch)
			}
			if !strings.HasPrefix(err.Error(), "httpsig: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if calls != tt.wantCalls {
				t.Errorf("resolver called %d times, want %d", calls, tt.wantCalls)
			}
		})
	}
	t.Run("nil key", func(t *testing.T) {
		r := mastodonPost(t, key, keyIDA, "/inbox", []byte(note), now)
		resolve := func(context.Context, string) (*rsa.PublicKey, error) { return nil, nil }
		if _, err := Verify(context.Background(), r, []byte(note), resolve, now); err == nil {
			t.Error("Verify with a nil key: no error")
		}
	})
}

func BenchmarkSignRequest(b *testing.B) {
	key := loadKey(b, "key_a.pem")
	body := []byte(note)
	for b.Loop() {
		r := newOutgoing(b, http.MethodPost, inbox, body)
		if err := SignRequest(r, keyIDA, key, body, now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	key := loadKey(b, "key_a.pem")
	body := []byte(note)
	r := mastodonPost(b, key, keyIDA, "/inbox", body, now)
	resolve := func(context.Context, string) (*rsa.PublicKey, error) { return &key.PublicKey, nil }
	ctx := context.Background()
	for b.Loop() {
		if _, err := Verify(ctx, r, body, resolve, now); err != nil {
			b.Fatal(err)
		}
	}
}
