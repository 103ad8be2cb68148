package i18n

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Key names a message of the catalogue that code outside this package
// passes around before anyone knows the reader's language: a domain
// package's refusal of a field, a sentence of the audit log. Every Key is
// a constant declared in this package, and a test checks that each has
// Dutch and English text and that code uses no other.
type Key string

// Message is text for a person in whichever interface language they read:
// a key of the catalogue and the values its text is formatted with.
type Message struct {
	Key  Key
	Args []any
}

// M returns the message key, to be formatted with args.
func M(key Key, args ...any) Message { return Message{Key: key, Args: args} }

// In returns the message in lang. Arguments that can be told in a
// language themselves (anything with an In(lang string) string method,
// such as a Message) are told in lang, and a time.Time is written as
// DateTime writes it.
func (m Message) In(lang string) string { return T(lang, string(m.Key), m.Args...) }

// Sentence returns the message in lang as a sentence of its own: with a
// capital when it starts with a word of the catalogue (a file name or
// value it starts with stays as it is) and a full stop.
func (m Message) Sentence(lang string) string {
	s := m.In(lang)
	if m.startsWithWord(lang) {
		first, n := utf8.DecodeRuneInString(s)
		s = string(unicode.ToUpper(first)) + s[n:]
	}
	if s != "" && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "…") {
		s += "."
	}
	return s
}

// startsWithWord reports whether the message in lang starts with a word of
// the catalogue: its text does, or its text starts with its first argument
// and that is a message that does.
func (m Message) startsWithWord(lang string) bool {
	text, ok := messages[string(m.Key)]
	if !ok {
		return false
	}
	tmpl := text[0]
	if lang == "en" {
		tmpl = text[1]
	}
	if strings.HasPrefix(tmpl, "%s") || strings.HasPrefix(tmpl, "%[1]s") {
		first, ok := m.firstArg()
		return ok && first.startsWithWord(lang)
	}
	r, _ := utf8.DecodeRuneInString(tmpl)
	return unicode.IsLower(r)
}

// firstArg returns the first argument when it is a message.
func (m Message) firstArg() (Message, bool) {
	if len(m.Args) == 0 {
		return Message{}, false
	}
	first, ok := m.Args[0].(Message)
	return first, ok
}

// String returns the message in English, for logs and the command line.
func (m Message) String() string { return m.In("en") }

// localized is a value that can be told in each interface language.
type localized interface{ In(lang string) string }

// localize returns args with every localized value and time told in lang;
// it returns args itself when there is nothing to tell.
func localize(lang string, args []any) []any {
	var out []any
	for i, a := range args {
		var s string
		switch v := a.(type) {
		case localized:
			s = v.In(lang)
		case time.Time:
			s = DateTime(lang, v)
		default:
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = s
	}
	if out == nil {
		return args
	}
	return out
}

// format formats s with args told in lang.
func format(lang, s string, args []any) string {
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, localize(lang, args)...)
}
