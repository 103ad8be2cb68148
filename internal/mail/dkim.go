package mail

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DKIMRSABits is the size of the RSA keys Plein makes for DKIM (RFC 8301
// asks for at least 1024 bits and recommends 2048).
const DKIMRSABits = 2048

// minRSABits is the smallest RSA key a signer accepts: verifiers ignore
// signatures by smaller ones (RFC 8301).
const minRSABits = 1024

// DKIMKey is a private key that signs as one selector of a domain.
type DKIMKey struct {
	// Selector names the key's DNS record,
	// <Selector>._domainkey.<domain>.
	Selector string
	// Key is an *rsa.PrivateKey (rsa-sha256, RFC 6376) or an
	// ed25519.PrivateKey (ed25519-sha256, RFC 8463).
	Key crypto.Signer
}

// DKIMSigner adds DKIM signatures (RFC 6376, relaxed/relaxed) to composed
// messages: one per key, so that a receiver that does not know Ed25519 yet
// still checks the RSA one. It is safe for concurrent use.
type DKIMSigner struct {
	domain string
	keys   []DKIMKey
}

// signedHeaders are the fields every signature covers. Each is listed once
// more than the message has it ("oversigning"), so that nobody on the way
// can add a second From or List-Unsubscribe, nor add one the message did
// not have, without breaking the signature.
var signedHeaders = []string{
	"From", "To", "Subject", "Date", "Message-ID", "MIME-Version",
	"Content-Type", "Content-Transfer-Encoding", "Content-Language",
	"List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "Auto-Submitted",
}

// NewDKIMSigner returns a signer for domain (the d= of the signatures,
// which is the domain of the From address, for DMARC alignment) with at
// least one key.
func NewDKIMSigner(domain string, keys ...DKIMKey) (*DKIMSigner, error) {
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	if domain == "" || !isDNSName(domain) {
		return nil, fmt.Errorf("mail: dkim: %q is not a domain name", domain)
	}
	if len(keys) == 0 {
		return nil, errors.New("mail: dkim: no key")
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if !isDNSName(k.Selector) {
			return nil, fmt.Errorf("mail: dkim: selector %q must be letters, digits, hyphens and dots", k.Selector)
		}
		if seen[k.Selector] {
			return nil, fmt.Errorf("mail: dkim: two keys have the selector %q", k.Selector)
		}
		seen[k.Selector] = true
		switch key := k.Key.(type) {
		case *rsa.PrivateKey:
			if key.N.BitLen() < minRSABits {
				return nil, fmt.Errorf("mail: dkim: the RSA key of selector %q has %d bits; at least %d are needed", k.Selector, key.N.BitLen(), minRSABits)
			}
		case ed25519.PrivateKey:
		default:
			return nil, fmt.Errorf("mail: dkim: the key of selector %q is %T, not RSA or Ed25519", k.Selector, k.Key)
		}
	}
	return &DKIMSigner{domain: domain, keys: append([]DKIMKey(nil), keys...)}, nil
}

// Domain returns the signing domain, d=.
func (s *DKIMSigner) Domain() string { return s.domain }

// Selectors returns the selectors of the keys, in the order they sign.
func (s *DKIMSigner) Selectors() []string {
	out := make([]string, len(s.keys))
	for i, k := range s.keys {
		out[i] = k.Selector
	}
	return out
}

// Sign returns msg, a composed message with CRLF line ends, with one
// DKIM-Signature field per key added at the top, dated now (t=).
func (s *DKIMSigner) Sign(msg []byte, now time.Time) ([]byte, error) {
	header, body, ok := bytes.Cut(msg, []byte("\r\n\r\n"))
	if !ok {
		return nil, errors.New("mail: dkim: the message has no end of header")
	}
	fields := splitFields(header)
	bodyHash := sha256.Sum256(relaxedBody(body))
	bh := base64.StdEncoding.EncodeToString(bodyHash[:])
	// The same fields, in the same order, are signed by every key.
	var names []string
	var signed bytes.Buffer
	count := map[string]int{}
	for _, f := range fields {
		count[strings.ToLower(f.name)]++
	}
	used := map[string]int{}
	for _, name := range signedHeaders {
		key := strings.ToLower(name)
		for range count[key] + 1 {
			names = append(names, key)
		}
		// Fields are taken from the bottom up (RFC 6376 section 5.4.2).
		for range count[key] {
			used[key]++
			if f, ok := nthFromBottom(fields, key, used[key]); ok {
				signed.WriteString(relaxedHeader(f.raw))
			}
		}
	}

	out := make([]byte, 0, len(msg)+len(s.keys)*800)
	for _, k := range s.keys {
		algo := "rsa-sha256"
		if _, ok := k.Key.(ed25519.PrivateKey); ok {
			algo = "ed25519-sha256"
		}
		field := "DKIM-Signature: v=1; a=" + algo + "; c=relaxed/relaxed;\r\n\td=" + s.domain +
			"; s=" + k.Selector + "; t=" + strconv.FormatInt(now.Unix(), 10) + ";\r\n\th=" + foldList(names) +
			";\r\n\tbh=" + bh + ";\r\n\tb="
		h := sha256.New()
		h.Write(signed.Bytes())
		h.Write([]byte(strings.TrimSuffix(relaxedHeader(field), "\r\n")))
		digest := h.Sum(nil)
		var sig []byte
		var err error
		switch key := k.Key.(type) {
		case *rsa.PrivateKey:
			sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest)
		case ed25519.PrivateKey:
			// RFC 8463: PureEdDSA over the SHA-256 hash.
			sig = ed25519.Sign(key, digest)
		}
		if err != nil {
			return nil, fmt.Errorf("mail: dkim: sign with %s: %w", k.Selector, err)
		}
		out = append(out, field...)
		out = append(out, foldBase64(base64.StdEncoding.EncodeToString(sig), 70)...)
		out = append(out, "\r\n"...)
	}
	return append(out, msg...), nil
}

// field is one header field: its name and its raw text with the CRLF of
// every line it spans.
type field struct {
	name string
	raw  string
}

// splitFields splits a header block (without the empty line that ends it)
// into its fields.
func splitFields(header []byte) []field {
	var fields []field
	for _, line := range strings.SplitAfter(string(header), "\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\n") {
			line += "\r\n"
		}
		if (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1].raw += line
			continue
		}
		name, _, _ := strings.Cut(line, ":")
		fields = append(fields, field{name: strings.TrimSpace(name), raw: line})
	}
	return fields
}

// nthFromBottom returns the n-th field named key (lower case), counting
// from the bottom of the header.
func nthFromBottom(fields []field, key string, n int) (field, bool) {
	for i := len(fields) - 1; i >= 0; i-- {
		if strings.ToLower(fields[i].name) == key {
			n--
			if n == 0 {
				return fields[i], true
			}
		}
	}
	return field{}, false
}

// relaxedHeader canonicalises one field the "relaxed" way (RFC 6376
// section 3.4.2): the name in lower case, the value unfolded, runs of white
// space made one space, no white space around the colon or at the end.
func relaxedHeader(raw string) string {
	name, value, _ := strings.Cut(raw, ":")
	value = strings.ReplaceAll(value, "\r\n", "")
	value = strings.ReplaceAll(value, "\n", "")
	return strings.ToLower(strings.TrimSpace(name)) + ":" + strings.Join(strings.FieldsFunc(value, isWSP), " ") + "\r\n"
}

// relaxedBody canonicalises a body the "relaxed" way (RFC 6376 section
// 3.4.4): white space at the end of lines removed, runs of it made one
// space, empty lines at the end removed, and a non-empty body ending with
// CRLF.
func relaxedBody(body []byte) []byte {
	lines := strings.Split(string(body), "\n")
	var out bytes.Buffer
	out.Grow(len(body))
	blank := 0
	for i, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		if i == len(lines)-1 && line == "" {
			break // the text after the last line break
		}
		var b strings.Builder
		inSpace := false
		for j := 0; j < len(line); j++ {
			if line[j] == ' ' || line[j] == '\t' {
				inSpace = true
				continue
			}
			if inSpace {
				b.WriteByte(' ')
			}
			inSpace = false
			b.WriteByte(line[j])
		}
		if b.Len() == 0 {
			blank++
			continue
		}
		for ; blank > 0; blank-- {
			out.WriteString("\r\n")
		}
		out.WriteString(b.String())
		out.WriteString("\r\n")
	}
	return out.Bytes()
}

func isWSP(r rune) bool { return r == ' ' || r == '\t' }

// foldList joins names with colons after "\th=", folding before a name
// that would take the line past maxLine.
func foldList(names []string) string {
	var b strings.Builder
	width := len("\th=")
	for i, n := range names {
		if i > 0 {
			b.WriteByte(':')
			width++
			if width+len(n)+1 > maxLine {
				b.WriteString("\r\n\t ")
				width = 2
			}
		}
		b.WriteString(n)
		width += len(n)
	}
	return b.String()
}

// foldBase64 breaks a long base64 value into lines of width, continued
// with a tab; verifiers ignore white space in it.
func foldBase64(s string, width int) string {
	var b strings.Builder
	for len(s) > width {
		b.WriteString(s[:width] + "\r\n\t ")
		s = s[width:]
	}
	b.WriteString(s)
	return b.String()
}

// isDNSName reports whether s is one or more labels of letters, digits and
// hyphens separated by dots.
func isDNSName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// TXTRecord is a DNS TXT record to publish.
type TXTRecord struct {
	// Name is the fully qualified name, without the final dot, such as
	// plein._domainkey.example.nl.
	Name string
	// Value is the record's text, before it is split into strings.
	Value string
}

// Strings returns the value split into the strings of at most 255 bytes
// that one TXT record is made of; a resolver joins them again.
func (r TXTRecord) Strings() []string {
	var out []string
	v := r.Value
	for len(v) > 255 {
		out = append(out, v[:255])
		v = v[255:]
	}
	return append(out, v)
}

// Zone returns the record as a line of a DNS zone file, with each string
// quoted.
func (r TXTRecord) Zone() string {
	parts := r.Strings()
	for i, p := range parts {
		parts[i] = `"` + p + `"`
	}
	return r.Name + ". IN TXT " + strings.Join(parts, " ")
}

// Records returns the DNS TXT record of each key's public half, for
// <selector>._domainkey.<domain>.
func (s *DKIMSigner) Records() []TXTRecord {
	out := make([]TXTRecord, 0, len(s.keys))
	for _, k := range s.keys {
		v, err := DKIMRecord(k.Key.Public())
		if err != nil {
			continue // NewDKIMSigner accepted only RSA and Ed25519 keys
		}
		out = append(out, TXTRecord{Name: k.Selector + "._domainkey." + s.domain, Value: v})
	}
	return out
}

// DKIMRecord returns the TXT value that publishes pub, an RSA or Ed25519
// public key: "v=DKIM1; k=rsa; p=…" with the key in SubjectPublicKeyInfo
// form for RSA, and "k=ed25519" with the 32 bytes of the key (RFC 8463).
func DKIMRecord(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			return "", fmt.Errorf("mail: dkim: %w", err)
		}
		return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der), nil
	case ed25519.PublicKey:
		return "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(k), nil
	}
	return "", fmt.Errorf("mail: dkim: a %T key cannot be published", pub)
}

// GenerateDKIMKeys makes a new RSA key of DKIMRSABits bits and a new
// Ed25519 key.
func GenerateDKIMKeys() (*rsa.PrivateKey, ed25519.PrivateKey, error) {
	r, err := rsa.GenerateKey(rand.Reader, DKIMRSABits)
	if err != nil {
		return nil, nil, fmt.Errorf("mail: dkim: generate RSA key: %w", err)
	}
	_, e, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("mail: dkim: generate Ed25519 key: %w", err)
	}
	return r, e, nil
}

// EncodeDKIMKey returns key, RSA or Ed25519, as a PEM "PRIVATE KEY" block
// (PKCS #8).
func EncodeDKIMKey(key crypto.Signer) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", fmt.Errorf("mail: dkim: encode key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// ErrDKIMKey reports PEM text that does not hold usable DKIM keys.
var ErrDKIMKey = errors.New("mail: not a usable DKIM key")

// DecodeDKIMKeys parses every PEM block in text: RSA keys as "PRIVATE KEY"
// (PKCS #8) or "RSA PRIVATE KEY" (PKCS #1), Ed25519 keys as "PRIVATE KEY".
// Text that holds no key, another kind of key or anything but white space
// between the blocks is refused with an error wrapping ErrDKIMKey.
func DecodeDKIMKeys(text []byte) ([]crypto.Signer, error) {
	var keys []crypto.Signer
	rest := bytes.TrimSpace(text)
	for len(rest) > 0 {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, fmt.Errorf("%w: text that is not a PEM block", ErrDKIMKey)
		}
		rest = bytes.TrimSpace(rest)
		var key any
		var err error
		switch block.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		default:
			return nil, fmt.Errorf("%w: PEM block %q is not a private key", ErrDKIMKey, block.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrDKIMKey, err)
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			keys = append(keys, k)
		case ed25519.PrivateKey:
			keys = append(keys, k)
		default:
			return nil, fmt.Errorf("%w: a %T key is neither RSA nor Ed25519", ErrDKIMKey, key)
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no PEM block", ErrDKIMKey)
	}
	return keys, nil
}
