package fbimport

import (
	"strings"
	"unicode/utf8"
)

// Repair undoes the mojibake of Facebook's exports, which write the UTF-8
// bytes of a text as one \u00XX escape each ("L\u00c3\u00b8ye" for
// "Løye"). It changes s only when every character of s is at most U+00FF
// and those characters, taken as bytes, form valid UTF-8 that differs from
// s; any other string, already sound, is returned as it is.
func Repair(s string) string {
	b := make([]byte, 0, len(s))
	high := false
	for _, r := range s {
		if r > 0xFF {
			return s
		}
		if r >= 0x80 {
			high = true
		}
		b = append(b, byte(r))
	}
	if !high || !utf8.Valid(b) {
		return s
	}
	return string(b)
}

// escapeMarkdown writes plain text as Markdown that renders as the same
// text: characters with a meaning in Markdown are escaped, except in web
// addresses, which stay as they are so that they become links, and in
// hashtags. Each line break stays a line break.
func escapeMarkdown(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, line := range lines {
		lines[i] = escapeLine(line)
	}
	var b strings.Builder
	for i, line := range lines {
		b.WriteString(line)
		if i == len(lines)-1 {
			break
		}
		// A line followed by another non-empty line ends in a hard break.
		if strings.TrimSpace(line) != "" && strings.TrimSpace(lines[i+1]) != "" {
			b.WriteString("\\")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// escapeLine escapes one line of plain text for Markdown.
func escapeLine(line string) string {
	words := strings.Split(line, " ")
	for i, w := range words {
		if isAddress(w) {
			continue
		}
		var b strings.Builder
		for j, r := range w {
			switch r {
			case '\\', '*', '_', '`', '[', ']', '<', '>', '~', '|', '!', '&':
				b.WriteByte('\\')
			case '#':
				if j+1 == len(w) || strings.Trim(w, "#") == "" {
					b.WriteByte('\\') // a heading, not a hashtag
				}
			}
			b.WriteRune(r)
		}
		words[i] = b.String()
	}
	out := strings.Join(words, " ")
	// Line starts that Markdown reads as lists, quotes or rules.
	trimmed := strings.TrimLeft(out, " ")
	indent := out[:len(out)-len(trimmed)]
	if len(indent) >= 4 {
		indent = "   " // not a code block
	}
	if trimmed != "" {
		switch trimmed[0] {
		case '-', '+', '=', '>':
			trimmed = "\\" + trimmed
		default:
			if k := strings.IndexFunc(trimmed, func(r rune) bool { return r < '0' || r > '9' }); k > 0 && (trimmed[k] == '.' || trimmed[k] == ')') {
				trimmed = trimmed[:k] + "\\" + trimmed[k:]
			}
		}
	}
	return indent + trimmed
}

// isAddress reports whether w is a web address Linkify makes a link of.
func isAddress(w string) bool {
	l := strings.ToLower(w)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "www.")
}
