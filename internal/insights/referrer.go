package insights

import "strings"

// maxHostLen is the longest DNS name.
const maxHostLen = 253

// referrerHost returns the lower-cased host of a Referer header value, or ""
// when the value is empty, not an http or https URL or a bare host, or names
// selfHost. A port, user information, path, query and fragment are dropped;
// a leading "www." is kept. It allocates only when the host has upper-case
// letters.
func referrerHost(referrer, selfHost string) string {
	rest := referrer
	if scheme, after, ok := strings.Cut(referrer, "://"); ok {
		if !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
			return ""
		}
		rest = after
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			rest = rest[:i]
		}
		if i := strings.LastIndexByte(rest, '@'); i >= 0 {
			rest = rest[i+1:]
		}
	} else if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	host, ok := stripPort(rest)
	if !ok {
		return ""
	}
	host = strings.TrimSuffix(host, ".")
	if !validHost(host) {
		return ""
	}
	host = strings.ToLower(host)
	if host == selfHost {
		return ""
	}
	return host
}

// normalHost returns host as referrerHost would report it, without a port,
// or "" if it is not a valid host.
func normalHost(host string) string {
	return referrerHost(host, "")
}

// stripPort removes a ":port" suffix made of digits from hostport.
func stripPort(hostport string) (string, bool) {
	if strings.HasPrefix(hostport, "[") {
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return "", false
		}
		host, port := hostport[:end+1], hostport[end+1:]
		if port == "" {
			return host, true
		}
		if port[0] != ':' || !allDigits(port[1:]) {
			return "", false
		}
		return host, true
	}
	host, port, found := strings.Cut(hostport, ":")
	if found && !allDigits(port) {
		return "", false
	}
	return host, true
}

// allDigits reports whether s is made of ASCII digits only (or is empty).
func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validHost reports whether host is a plausible DNS name or IP literal: an
// ASCII name of letters, digits, '-', '_' and non-empty dot-separated
// labels, or a bracketed IPv6 address.
func validHost(host string) bool {
	if host == "" || len(host) > maxHostLen {
		return false
	}
	if host[0] == '[' {
		if len(host) < 3 || host[len(host)-1] != ']' {
			return false
		}
		for i := 1; i < len(host)-1; i++ {
			c := host[i]
			if !isHexDigit(c) && c != ':' && c != '.' {
				return false
			}
		}
		return true
	}
	if host[0] == '.' || strings.Contains(host, "..") {
		return false
	}
	for i := range len(host) {
		c := host[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// isHexDigit reports whether c is a hexadecimal digit.
func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
