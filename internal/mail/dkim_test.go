package mail

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
)

var (
	keysOnce sync.Once
	testRSA  *rsa.PrivateKey
	testEd   ed25519.PrivateKey
)

// testKeys returns one RSA and one Ed25519 key shared by the tests: making
// an RSA key takes a while.
func testKeys(t testing.TB) (*rsa.PrivateKey, ed25519.PrivateKey) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if testRSA, testEd, err = GenerateDKIMKeys(); err != nil {
			panic(err)
		}
	})
	return testRSA, testEd
}

func testSigner(t testing.TB) *DKIMSigner {
	t.Helper()
	r, e := testKeys(t)
	s, err := NewDKIMSigner("plein.example", DKIMKey{Selector: "plein", Key: r}, DKIMKey{Selector: "plein-ed", Key: e})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// verify checks raw with go-msgauth, an implementation independent of
// Plein's, looking the keys up in the records the signer publishes.
func verify(t *testing.T, s *DKIMSigner, raw []byte) []*dkim.Verification {
	t.Helper()
	records := map[string]string{}
	for _, r := range s.Records() {
		records[r.Name] = strings.Join(r.Strings(), "")
	}
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{
		LookupTXT: func(name string) ([]string, error) {
			if v, ok := records[name]; ok {
				return []string{v}, nil
			}
			return nil, fmt.Errorf("no TXT record %s", name)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

func TestDKIMSignaturesVerify(t *testing.T) {
	s := testSigner(t)
	for name, m := range samples() {
		t.Run(name, func(t *testing.T) {
			raw, err := Compose(m, testFrom)
			if err != nil {
				t.Fatal(err)
			}
			signed, err := s.Sign(raw, testDate)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasSuffix(signed, raw) || !bytes.HasPrefix(signed, []byte("DKIM-Signature: ")) {
				t.Fatal("Sign must add fields at the top and leave the message as it is")
			}
			vs := verify(t, s, signed)
			if len(vs) != 2 {
				t.Fatalf("%d signatures, want 2", len(vs))
			}
			for _, v := range vs {
				if v.Err != nil {
					t.Errorf("signature of %s does not verify: %v", v.Domain, v.Err)
				}
				if v.Domain != "plein.example" || !v.Time.Equal(testDate.Truncate(time.Second)) {
					t.Errorf("d=%s t=%v", v.Domain, v.Time)
				}
				for _, h := range []string{"from", "to", "subject", "date", "message-id", "mime-version", "content-type",
					"list-id", "list-unsubscribe", "list-unsubscribe-post"} {
					if !slices.Contains(v.HeaderKeys, h) {
						t.Errorf("h= lacks %s: %v", h, v.HeaderKeys)
					}
				}
			}
			for _, a := range []string{"a=rsa-sha256", "a=ed25519-sha256"} {
				if !bytes.Contains(signed, []byte(a+";")) {
					t.Errorf("no signature with %s", a)
				}
			}
			checkWireForm(t, signed)
		})
	}
}

func TestDKIMTamperingBreaksSignatures(t *testing.T) {
	s := testSigner(t)
	raw, err := Compose(samples()["post.eml"], testFrom)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := s.Sign(raw, testDate)
	if err != nil {
		t.Fatal(err)
	}
	const unsub = "<https://plein.example/@sudwestfryslan/unsubscribe?t=s_01JQ9A.c2lnbmF0dXJl>"
	if !bytes.Contains(signed, []byte(unsub)) {
		t.Fatal("the sample has no such List-Unsubscribe")
	}
	for _, tc := range []struct {
		name   string
		change func([]byte) []byte
		holds  bool
	}{
		{"unchanged", func(b []byte) []byte { return b }, true},
		// Relaxed canonicalisation forgives what relays do on the way.
		{"refolded and a Received field added", func(b []byte) []byte {
			b = bytes.Replace(b, []byte("List-Unsubscribe:\r\n <https"), []byte("List-Unsubscribe:  <https"), 1)
			return append([]byte("Received: from plein by relay.example; Thu, 5 Mar 2026 09:07:01 +0100\r\n"), b...)
		}, true},
		{"List-Unsubscribe pointed elsewhere", func(b []byte) []byte {
			return bytes.Replace(b, []byte(unsub), []byte("<https://evil.example/unsubscribe?t=s_01JQ9A.c2lnbmF0dXJl>"), 1)
		}, false},
		{"List-Unsubscribe mailto dropped", func(b []byte) []byte {
			return bytes.Replace(b, []byte(unsub+",\r\n <mailto:nieuws+unsubscribe-s_01JQ9A@plein.example>"), []byte(unsub), 1)
		}, false},
		// A verifier checks the bottom-most field of a name, a mail program
		// may show the top one: only oversigning catches one added on top.
		{"a second List-Unsubscribe added on top", func(b []byte) []byte {
			return append([]byte("List-Unsubscribe: <https://evil.example/u>\r\n"), b...)
		}, false},
		{"a second From added on top", func(b []byte) []byte {
			return append([]byte("From: Belastingdienst <nieuws@plein.example>\r\n"), b...)
		}, false},
		{"List-Unsubscribe-Post removed", func(b []byte) []byte {
			return bytes.Replace(b, []byte("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), nil, 1)
		}, false},
		{"Subject changed", func(b []byte) []byte {
			return bytes.Replace(b, []byte("Werkzaamheden"), []byte("Werkzaamheid"), 1)
		}, false},
		{"body changed", func(b []byte) []byte {
			return bytes.Replace(b, []byte("Noorderbrug (=C2=B1 5"), []byte("Noorderbrug (=C2=B1 9"), 1)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			changed := tc.change(bytes.Clone(signed))
			if !tc.holds && bytes.Equal(changed, signed) {
				t.Fatal("the change changed nothing")
			}
			for _, v := range verify(t, s, changed) {
				if (v.Err == nil) != tc.holds {
					t.Errorf("signature verifies: %v, want %v (%v)", v.Err == nil, tc.holds, v.Err)
				}
			}
		})
	}
}

func TestDKIMListUnsubscribeCannotBeAdded(t *testing.T) {
	s := testSigner(t)
	raw, err := Compose(samples()["text.eml"], testFrom)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := s.Sign(raw, testDate)
	if err != nil {
		t.Fatal(err)
	}
	added := append([]byte("List-Unsubscribe: <https://evil.example/u>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), signed...)
	for _, v := range verify(t, s, added) {
		if v.Err == nil {
			t.Error("a signature of a message without List-Unsubscribe still verifies with one added")
		}
	}
}

func TestDKIMRecords(t *testing.T) {
	s := testSigner(t)
	records := s.Records()
	if len(records) != 2 || records[0].Name != "plein._domainkey.plein.example" || records[1].Name != "plein-ed._domainkey.plein.example" {
		t.Fatalf("records %+v", records)
	}
	if !strings.HasPrefix(records[0].Value, "v=DKIM1; k=rsa; p=MIIBIjAN") || len(records[0].Value) <= 255 {
		t.Errorf("RSA record %q", records[0].Value)
	}
	if !strings.HasPrefix(records[1].Value, "v=DKIM1; k=ed25519; p=") || len(records[1].Value) != len("v=DKIM1; k=ed25519; p=")+44 {
		t.Errorf("Ed25519 record %q", records[1].Value)
	}
	for _, r := range records {
		parts := r.Strings()
		for _, p := range parts {
			if len(p) > 255 || p == "" {
				t.Errorf("TXT string of %d bytes", len(p))
			}
		}
		if strings.Join(parts, "") != r.Value {
			t.Error("the strings do not join to the value")
		}
		if z := r.Zone(); !strings.HasPrefix(z, r.Name+". IN TXT \"v=DKIM1; ") || strings.Count(z, `"`) != 2*len(parts) {
			t.Errorf("zone line %q", z)
		}
	}
	if n := len(records[0].Strings()); n != 2 {
		t.Errorf("a 2048-bit key's record is %d strings, want 2", n)
	}
}

func TestDKIMKeysRoundTrip(t *testing.T) {
	r, e := testKeys(t)
	var pemText []byte
	for _, k := range []crypto.Signer{r, e} {
		text, err := EncodeDKIMKey(k)
		if err != nil {
			t.Fatal(err)
		}
		pemText = append(pemText, text...)
	}
	keys, err := DecodeDKIMKeys(pemText)
	if err != nil || len(keys) != 2 {
		t.Fatalf("DecodeDKIMKeys = %d keys, %v", len(keys), err)
	}
	if !keys[0].(*rsa.PrivateKey).Equal(r) || !keys[1].(ed25519.PrivateKey).Equal(e) {
		t.Error("the keys read back differ")
	}
	for _, bad := range []string{"", "not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
		string(pemText) + "trailing text"} {
		if _, err := DecodeDKIMKeys([]byte(bad)); !errors.Is(err, ErrDKIMKey) {
			t.Errorf("DecodeDKIMKeys(%.30q) = %v, want ErrDKIMKey", bad, err)
		}
	}
}

func TestNewDKIMSignerRefuses(t *testing.T) {
	r, e := testKeys(t)
	t.Setenv("GODEBUG", "rsa1024min=0")
	small, err := rsa.GenerateKey(rand.Reader, 512)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		domain string
		keys   []DKIMKey
	}{
		{"no key", "plein.example", nil},
		{"bad domain", "plein example", []DKIMKey{{"plein", r}}},
		{"bad selector", "plein.example", []DKIMKey{{"plein;x", r}}},
		{"same selector twice", "plein.example", []DKIMKey{{"plein", r}, {"plein", e}}},
		{"small RSA key", "plein.example", []DKIMKey{{"plein", small}}},
	} {
		if _, err := NewDKIMSigner(tc.domain, tc.keys...); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestRelaxedBody(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"\r\n\r\n", ""},
		{"a  b \t\r\n", "a b\r\n"},
		{" a\r\n\r\nb\r\n\r\n\r\n", " a\r\n\r\nb\r\n"},
		{"a", "a\r\n"},
		{"a\r\n \r\nb", "a\r\n\r\nb\r\n"},
	} {
		if got := string(relaxedBody([]byte(tc.in))); got != tc.want {
			t.Errorf("relaxedBody(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
