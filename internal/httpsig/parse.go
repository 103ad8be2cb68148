package httpsig

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
)

// params holds the parameters of a Signature header.
type params struct {
	keyID     string
	algorithm string
	headers   []string // lower case, in signing order
	signature []byte
	created   string // decimal Unix time, or empty
	expires   string // decimal Unix time, or empty
}

// signatureParams finds and parses the signature of a request, from the
// Signature header or else from "Authorization: Signature ...".
func signatureParams(h http.Header) (params, error) {
	var value string
	switch sigs := h.Values("Signature"); len(sigs) {
	case 0:
		auth := h.Get("Authorization")
		scheme, rest, _ := strings.Cut(auth, " ")
		if !strings.EqualFold(scheme, "Signature") {
			return params{}, ErrUnsigned
		}
		value = rest
	case 1:
		value = sigs[0]
	default:
		return params{}, fmt.Errorf("%w: %d Signature headers", ErrMalformed, len(sigs))
	}
	p, err := parseParams(value)
	if err != nil {
		return params{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return p, nil
}

// parseParams parses a comma-separated list of name="value" pairs. Only
// created and expires may be bare integers. Unknown names are ignored, as
// the draft requires; a repeated name is refused.
func parseParams(s string) (params, error) {
	var p params
	seen := make(map[string]bool)
	var headers, signature string
	rest := strings.TrimSpace(s)
	if rest == "" {
		return p, fmt.Errorf("empty signature")
	}
	for {
		name, after, ok := strings.Cut(rest, "=")
		name = strings.TrimSpace(name)
		if !ok || !isToken(name) {
			return p, fmt.Errorf("expected name= at %q", rest)
		}
		after = strings.TrimLeft(after, " \t")
		var value string
		if strings.HasPrefix(after, `"`) {
			end := strings.IndexByte(after[1:], '"')
			if end < 0 {
				return p, fmt.Errorf("unterminated value of %s", name)
			}
			value = after[1 : 1+end]
			if strings.Contains(value, `\`) {
				return p, fmt.Errorf("escape in value of %s", name)
			}
			rest = after[2+end:]
		} else {
			end := strings.IndexAny(after, ", \t")
			if end < 0 {
				end = len(after)
			}
			value, rest = after[:end], after[end:]
			if (name != "created" && name != "expires") || !isDigits(value) {
				return p, fmt.Errorf("unquoted value of %s", name)
			}
		}
		if seen[name] {
			return p, fmt.Errorf("repeated parameter %s", name)
		}
		seen[name] = true
		switch name {
		case "keyId":
			p.keyID = value
		case "algorithm":
			p.algorithm = value
		case "headers":
			headers = value
		case "signature":
			signature = value
		case "created":
			if !isDigits(value) {
				return p, fmt.Errorf("created %q is not a Unix time", value)
			}
			p.created = value
		case "expires":
			if !isDigits(value) {
				return p, fmt.Errorf("expires %q is not a Unix time", value)
			}
			p.expires = value
		}
		rest = strings.TrimLeft(rest, " \t")
		if rest == "" {
			break
		}
		if rest[0] != ',' {
			return p, fmt.Errorf("expected comma at %q", rest)
		}
		rest = strings.TrimLeft(rest[1:], " \t")
		if rest == "" {
			return p, fmt.Errorf("trailing comma")
		}
	}
	if p.keyID == "" {
		return p, fmt.Errorf("no keyId")
	}
	if signature == "" {
		return p, fmt.Errorf("no signature")
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return p, fmt.Errorf("signature is not base64: %w", err)
	}
	p.signature = sig
	if !seen["headers"] {
		// The draft's default when headers is absent.
		headers = "(created)"
	}
	p.headers = strings.Fields(strings.ToLower(headers))
	if len(p.headers) == 0 {
		return p, fmt.Errorf("empty headers")
	}
	return p, nil
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
