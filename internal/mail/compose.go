package mail

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrInvalid marks a message that cannot be sent as it is: a header value
// with a line break, an address that is not one, a bounce token with
// characters it may not hold. Sending it again cannot succeed, so an error
// wrapping ErrInvalid also matches ErrRejected.
var ErrInvalid error = &invalidError{}

type invalidError struct{}

func (*invalidError) Error() string { return "mail: not a valid message" }
func (*invalidError) Unwrap() error { return ErrRejected }

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// maxLine is the length RFC 5322 asks header lines to keep within.
const maxLine = 78

// Compose returns m as an RFC 5322 message from the address from, with CRLF
// line ends and only 7-bit characters, ready to be signed and sent.
//
// A message without HTML is one text/plain part. With HTML it is
// multipart/alternative: the text/plain part, then the HTML, which is
// multipart/related with the Inline images when there are any. Text and
// HTML are UTF-8 in quoted-printable; images are base64. The MIME
// boundaries are derived from the Message-ID, so the same message composes
// to the same bytes.
//
// Every message carries Auto-Submitted: auto-generated (RFC 3834), so that
// vacation replies are not sent back to the bounce address. A zero Date is
// the current time; an empty ID is a new random one at from's domain.
// Compose returns an error wrapping ErrInvalid when a value would break a
// header or is not what its field holds.
func Compose(m *Message, from string) ([]byte, error) {
	if err := checkHeaderValues(m); err != nil {
		return nil, err
	}
	fromAddr, err := plainAddress("From", from)
	if err != nil {
		return nil, err
	}
	to, err := plainAddress("To", m.To)
	if err != nil {
		return nil, err
	}
	id := m.ID
	if id == "" {
		id = rand.Text() + "@" + domainOf(fromAddr)
	}
	if strings.ContainsAny(id, "<> \t\"") || !strings.Contains(id, "@") || !isASCII(id) {
		return nil, invalidf("Message-ID %q is not of the form left@right", id)
	}
	if m.Lang != "" && !isLanguageTag(m.Lang) {
		return nil, invalidf("Lang %q is not a language tag", m.Lang)
	}
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}

	var b bytes.Buffer
	b.Grow(len(m.Text) + len(m.HTML)*11/10 + 4096)
	writeHeader(&b, "From", (&mail.Address{Name: m.FromName, Address: fromAddr}).String())
	writeHeader(&b, "To", to)
	writeHeader(&b, "Subject", encodeText(m.Subject))
	writeHeader(&b, "Date", date.Format(time.RFC1123Z))
	writeHeader(&b, "Message-ID", "<"+id+">")
	writeHeader(&b, "MIME-Version", "1.0")
	if m.Lang != "" {
		writeHeader(&b, "Content-Language", m.Lang)
	}
	if m.ListID != "" {
		v, err := listID(m.ListID)
		if err != nil {
			return nil, err
		}
		writeHeader(&b, "List-Id", v)
	}
	if m.Unsubscribe != "" {
		v, err := listUnsubscribe(m.Unsubscribe, m.UnsubscribeMailto)
		if err != nil {
			return nil, err
		}
		writeHeader(&b, "List-Unsubscribe", v)
		writeHeader(&b, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	} else if m.UnsubscribeMailto != "" {
		return nil, invalidf("UnsubscribeMailto is set without Unsubscribe")
	}
	writeHeader(&b, "Auto-Submitted", "auto-generated")

	if m.HTML == "" {
		if len(m.Inline) > 0 {
			return nil, invalidf("Inline images need an HTML part")
		}
		writeHeader(&b, "Content-Type", "text/plain; charset=utf-8")
		writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		writeQP(&b, m.Text)
		return b.Bytes(), nil
	}

	boundary := boundaryOf(id)
	alt, rel := boundary+"_alt", boundary+"_rel"
	writeHeader(&b, "Content-Type", `multipart/alternative; boundary="`+alt+`"`)
	b.WriteString("\r\n")
	b.WriteString("--" + alt + "\r\n")
	writeHeader(&b, "Content-Type", "text/plain; charset=utf-8")
	writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	writeQP(&b, m.Text)
	b.WriteString("\r\n--" + alt + "\r\n")
	if len(m.Inline) > 0 {
		writeHeader(&b, "Content-Type", `multipart/related; boundary="`+rel+`"; type="text/html"`)
		b.WriteString("\r\n")
		b.WriteString("--" + rel + "\r\n")
	}
	writeHeader(&b, "Content-Type", "text/html; charset=utf-8")
	writeHeader(&b, "Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	writeQP(&b, m.HTML)
	if len(m.Inline) > 0 {
		seen := map[string]bool{}
		for _, p := range m.Inline {
			if seen[p.ContentID] {
				return nil, invalidf("two Inline parts have the Content-ID %q", p.ContentID)
			}
			seen[p.ContentID] = true
			if err := writeInline(&b, rel, p); err != nil {
				return nil, err
			}
		}
		b.WriteString("\r\n--" + rel + "--\r\n")
	}
	b.WriteString("\r\n--" + alt + "--\r\n")
	return b.Bytes(), nil
}

// writeInline writes an image part of a multipart/related body.
func writeInline(b *bytes.Buffer, boundary string, p Part) error {
	if p.ContentID == "" || strings.ContainsAny(p.ContentID, "<> \t\"") || !isASCII(p.ContentID) {
		return invalidf("inline Content-ID %q must be non-empty ASCII without <, > or spaces", p.ContentID)
	}
	mediaType, _, err := mime.ParseMediaType(p.ContentType)
	if err != nil || !strings.Contains(mediaType, "/") {
		return invalidf("inline Content-Type %q is not a media type", p.ContentType)
	}
	b.WriteString("\r\n--" + boundary + "\r\n")
	writeHeader(b, "Content-Type", mediaType)
	writeHeader(b, "Content-Transfer-Encoding", "base64")
	writeHeader(b, "Content-ID", "<"+p.ContentID+">")
	disposition := "inline"
	if p.Filename != "" {
		disposition = mime.FormatMediaType("inline", map[string]string{"filename": p.Filename})
		if disposition == "" {
			return invalidf("inline filename %q cannot be written in a header", p.Filename)
		}
	}
	writeHeader(b, "Content-Disposition", disposition)
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString(p.Data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	if enc != "" {
		b.WriteString(enc + "\r\n")
	}
	return nil
}

// writeQP writes text as quoted-printable with CRLF line ends, ending
// with a line break.
func writeQP(b *bytes.Buffer, text string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	w := quotedprintable.NewWriter(b)
	w.Write([]byte(text)) // a bytes.Buffer does not fail
	w.Close()
}

// writeHeader writes one header field, folded at spaces so that lines keep
// within maxLine where the value allows: a single word longer than that,
// such as a long address in List-Unsubscribe, stays whole.
func writeHeader(b *bytes.Buffer, name, value string) {
	line := name + ":"
	for i, word := range strings.Split(value, " ") {
		switch {
		case i == 0 && len(line)+1+len(word) > maxLine:
			// A long first word goes on a line of its own.
			b.WriteString(line + "\r\n")
			line = " " + word
		case i == 0:
			line += " " + word
		case len(line)+1+len(word) > maxLine:
			b.WriteString(line + "\r\n")
			line = " " + word
		default:
			line += " " + word
		}
	}
	b.WriteString(line + "\r\n")
}

// encodeText returns s as header text: itself when it is short ASCII words,
// else RFC 2047 encoded words (which mime splits into words of at most 75
// characters).
func encodeText(s string) string {
	plain := isASCII(s) && !strings.Contains(s, "=?")
	for _, w := range strings.Fields(s) {
		if len(w) > maxLine-len("Subject: ") {
			plain = false
		}
	}
	if plain {
		return s
	}
	return mime.QEncoding.Encode("utf-8", s)
}

// listID checks a List-Id (RFC 2919), "Name <list.id.example>" or
// "<list.id.example>", and encodes a name that is not ASCII.
func listID(v string) (string, error) {
	name, rest, found := strings.Cut(v, "<")
	id, ok := strings.CutSuffix(strings.TrimSpace(rest), ">")
	if !found || !ok || id == "" || strings.ContainsAny(id, "<> \t@\"") || !isASCII(id) || !strings.Contains(id, ".") {
		return "", invalidf("ListID %q is not of the form Name <list.id.example>", v)
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "<" + id + ">", nil
	case !isASCII(name) || strings.Contains(name, "=?"):
		name = mime.QEncoding.Encode("utf-8", name)
	case strings.ContainsAny(name, `()<>[]:;@\,."`):
		name = `"` + strings.ReplaceAll(strings.ReplaceAll(name, `\`, `\\`), `"`, `\"`) + `"`
	}
	return name + " <" + id + ">", nil
}

// listUnsubscribe returns the List-Unsubscribe value (RFC 2369) of an
// http(s) address and an optional mailto address.
func listUnsubscribe(web, mailto string) (string, error) {
	u, err := url.Parse(web)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || !isASCII(web) || strings.ContainsAny(web, "<>, \t\"") {
		return "", invalidf("Unsubscribe %q is not an https address", web)
	}
	v := "<" + web + ">"
	if mailto != "" {
		if !strings.HasPrefix(strings.ToLower(mailto), "mailto:") {
			mailto = "mailto:" + mailto
		}
		addr, _, _ := strings.Cut(mailto[len("mailto:"):], "?")
		if _, err := plainAddress("UnsubscribeMailto", addr); err != nil || strings.ContainsAny(mailto, "<>, \t\"") {
			return "", invalidf("UnsubscribeMailto %q is not a mailto: address", mailto)
		}
		v += ", <" + mailto + ">"
	}
	return v, nil
}

// checkHeaderValues refuses a line break or NUL in any value that ends up
// in a header: the one way a value could add a header of its own.
func checkHeaderValues(m *Message) error {
	fields := []struct{ name, value string }{
		{"ID", m.ID}, {"FromName", m.FromName}, {"To", m.To}, {"BounceToken", m.BounceToken},
		{"Subject", m.Subject}, {"Lang", m.Lang}, {"ListID", m.ListID},
		{"Unsubscribe", m.Unsubscribe}, {"UnsubscribeMailto", m.UnsubscribeMailto},
	}
	for _, p := range m.Inline {
		fields = append(fields, struct{ name, value string }{"inline ContentID", p.ContentID},
			struct{ name, value string }{"inline ContentType", p.ContentType},
			struct{ name, value string }{"inline Filename", p.Filename})
	}
	for _, f := range fields {
		if strings.ContainsAny(f.value, "\r\n\x00") {
			return invalidf("%s holds a line break", f.name)
		}
		if !utf8.ValidString(f.value) {
			return invalidf("%s is not UTF-8", f.name)
		}
	}
	if !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML) {
		return invalidf("the text is not UTF-8")
	}
	return nil
}

// plainAddress checks that s is one bare ASCII address, such as
// jan@example.nl, and returns it.
func plainAddress(field, s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s || !isASCII(s) || strings.ContainsAny(s, " <>\"") {
		return "", invalidf("%s %q is not an e-mail address such as jan@example.nl", field, s)
	}
	return s, nil
}

// boundaryOf returns the MIME boundary of the message with the id. It
// starts with "=_", which quoted-printable and base64 never write at the
// start of a line, so that no part's content can contain it.
func boundaryOf(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "=_" + hex.EncodeToString(sum[:12])
}

// domainOf returns the part of an address after its last @.
func domainOf(addr string) string {
	return addr[strings.LastIndexByte(addr, '@')+1:]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isLanguageTag reports whether s looks like a BCP 47 tag: letters, digits
// and hyphens, starting with a letter.
func isLanguageTag(s string) bool {
	if len(s) > 35 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r == '-' || r >= '0' && r <= '9'):
		default:
			return false
		}
	}
	return s != ""
}
