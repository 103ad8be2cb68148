// Package sensitive finds numbers in text that a citizen or an editor should
// not publish or send: the Dutch citizen service number (BSN, which passes
// the "elfproef"), bank account numbers (IBAN, mod-97) and the numbers of
// Dutch passports and identity cards.
//
// Scan is the one detector Plein uses everywhere: posts and their edits,
// Fediverse replies, the contact form and the inbox. It is tuned so that
// ordinary text (dates, postcodes, phone numbers, amounts, reference and case
// numbers) gives no finding. A Finding names the kind and its position, so
// callers can say what was found without repeating it and mask it with Mask.
package sensitive

import (
	"strings"
	"unicode/utf8"
)

// Kind is a kind of sensitive number.
type Kind string

// The kinds Scan finds.
const (
	// BSN is a burgerservicenummer (the former sofinummer): nine digits
	// that pass the elfproef.
	BSN Kind = "bsn"
	// IBAN is an international bank account number whose check digits
	// are right and whose length is its country's.
	IBAN Kind = "iban"
	// IDDocument is the number of a Dutch passport or identity card.
	IDDocument Kind = "id-document"
)

// Mode says where text comes from, which decides how much a bare nine-digit
// number counts.
type Mode int

const (
	// Publication is text meant for the public: posts, their edits and
	// Fediverse replies. A nine-digit number that passes the elfproef
	// counts as a BSN only with a context word ("BSN",
	// "burgerservicenummer", "sofinummer") near it, since about one random
	// nine-digit number in eleven passes.
	Publication Mode = iota
	// Message is text sent to an organisation, such as the contact form:
	// every nine-digit number that passes the elfproef counts, as a warning
	// there costs the citizen little.
	Message
)

// Finding is one sensitive number in a text.
type Finding struct {
	Kind Kind
	// Start and End are byte offsets: the number is text[Start:End],
	// spaces inside it (an IBAN in groups of four) included.
	Start, End int
}

// Scan returns the sensitive numbers in text, in the order they appear.
// It returns nil when there are none.
func Scan(text string, mode Mode) []Finding {
	var found []Finding
	for i := 0; i < len(text); {
		if !isAlnum(text[i]) || (i > 0 && isAlnum(text[i-1])) {
			i++
			continue
		}
		// i starts a word.
		if f, ok := scanAt(text, i, mode); ok {
			found = append(found, f)
			i = f.End
			continue
		}
		for i < len(text) && isAlnum(text[i]) {
			i++
		}
	}
	return found
}

// Contains reports whether text holds any sensitive number.
func Contains(text string, mode Mode) bool { return len(Scan(text, mode)) > 0 }

// scanAt tries each kind at the word that starts at i.
func scanAt(text string, i int, mode Mode) (Finding, bool) {
	if excludedBefore(text, i) {
		return Finding{}, false
	}
	if end, ok := iban(text, i); ok && !excludedAfter(text, end) {
		return Finding{Kind: IBAN, Start: i, End: end}, true
	}
	if end, ok := bsn(text, i); ok && !excludedAfter(text, end) && !phoneOrAmount(text, i) &&
		(mode == Message || nearContextWord(text, i, end)) {
		return Finding{Kind: BSN, Start: i, End: end}, true
	}
	if end, ok := idDocument(text, i, mode); ok && !excludedAfter(text, end) {
		return Finding{Kind: IDDocument, Start: i, End: end}, true
	}
	return Finding{}, false
}

// Kinds returns the distinct kinds of findings, in the order first found.
func Kinds(findings []Finding) []Kind {
	var kinds []Kind
	for _, f := range findings {
		if !containsKind(kinds, f.Kind) {
			kinds = append(kinds, f.Kind)
		}
	}
	return kinds
}

// Names returns the names of kinds ("bsn", "iban", "id-document"), as
// i18n.SensitiveKinds and the audit log take them.
func Names(kinds []Kind) []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return names
}

func containsKind(kinds []Kind, k Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Mask returns text with every letter and digit of each finding replaced by
// "•", so a reader sees where a number was and of what kind, but not the
// number. Findings must come from Scan on the same text.
func Mask(text string, findings []Finding) string {
	if len(findings) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 2*len(findings)*18)
	last := 0
	for _, f := range findings {
		if f.Start < last || f.End > len(text) || f.Start > f.End {
			continue
		}
		b.WriteString(text[last:f.Start])
		for j := f.Start; j < f.End; j++ {
			if isAlnum(text[j]) {
				b.WriteString("•")
			} else {
				b.WriteByte(text[j])
			}
		}
		last = f.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// excludedBefore reports whether the word at i is part of something larger
// that is not a number of its own: an address or path ("/", "@", "#"), an
// identifier ("_", "-"), or a number continued with "." or "," such as an
// amount or a date.
func excludedBefore(text string, i int) bool {
	if i == 0 {
		return false
	}
	switch text[i-1] {
	case '/', '@', '#', '_', '-', '=', '&', '?', '\\':
		return true
	case '.', ',':
		return i >= 2 && isAlnum(text[i-2])
	}
	return false
}

// excludedAfter reports whether the number ending at end goes on: a word
// character, or a separator followed by one ("123456789,50", "Z-…-001").
func excludedAfter(text string, end int) bool {
	if end >= len(text) {
		return false
	}
	c := text[end]
	if isAlnum(c) || c == '_' || c == '@' {
		return true
	}
	switch c {
	case '.', ',', '-', '/':
		return end+1 < len(text) && isAlnum(text[end+1])
	}
	return false
}

// phoneOrAmount reports whether the digits at i follow an international
// dialling code ("+31 612345678", "0031 612345678") or a currency
// ("€ 123456789", "EUR 123456789").
func phoneOrAmount(text string, i int) bool {
	before := strings.TrimRight(text[max(0, i-8):i], " \u00a0")
	if strings.HasSuffix(before, "€") || strings.HasSuffix(before, "$") || strings.HasSuffix(before, "£") ||
		strings.HasSuffix(strings.ToUpper(before), "EUR") {
		return true
	}
	// A dialling code: "+" and one to three digits, or "00" and two.
	j := len(before)
	for j > 0 && isDigit(before[j-1]) {
		j--
	}
	digits := len(before) - j
	if j > 0 && before[j-1] == '+' && digits >= 1 && digits <= 3 {
		return true
	}
	if digits == 4 && strings.HasPrefix(before[j:], "00") {
		return true
	}
	return strings.HasSuffix(before, "(0)")
}

// contextWords are the words that make a nine-digit number a BSN in
// published text; "sofi" covers "sofi-nummer" and "sofi nummer".
var contextWords = []string{"bsn", "burgerservicenummer", "burgerservicenummers", "sofinummer", "sofi",
	"citizen service number"}

// contextBefore and contextAfter are how many bytes before and after a
// number a context word may stand.
const (
	contextBefore = 40
	contextAfter  = 24
)

// nearContextWord reports whether a context word stands within a short
// distance of text[start:end], on the same line.
func nearContextWord(text string, start, end int) bool {
	from := max(0, start-contextBefore)
	to := min(len(text), end+contextAfter)
	for !utf8.RuneStart(text[from]) {
		from++
	}
	window := strings.ToLower(text[from:to])
	// Only the number's own line counts.
	numStart, numEnd := start-from, end-from
	if k := strings.LastIndexByte(window[:numStart], '\n'); k >= 0 {
		window, numStart, numEnd = window[k+1:], numStart-k-1, numEnd-k-1
	}
	if k := strings.IndexByte(window[numEnd:], '\n'); k >= 0 {
		window = window[:numEnd+k]
	}
	for _, w := range contextWords {
		for off := 0; ; {
			k := strings.Index(window[off:], w)
			if k < 0 {
				break
			}
			k += off
			if (k == 0 || !isAlnum(window[k-1])) && (k+len(w) == len(window) || !isLetter(window[k+len(w)])) {
				return true
			}
			off = k + 1
		}
	}
	return false
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isUpper(c byte) bool  { return 'A' <= c && c <= 'Z' }
func isLetter(c byte) bool { return isUpper(c) || ('a' <= c && c <= 'z') }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) }
func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}
