// Package markup turns the Markdown of a post into HTML that is safe to show
// on the web, in feeds and on the Fediverse, and into plain text for titles
// and previews.
//
// Rendering happens in two steps. Goldmark (CommonMark with the Linkify and
// Strikethrough extensions) renders the source with Plein's own rules: raw
// HTML is dropped, headings become a strong paragraph so that a post never
// adds to the heading outline of the page around it, images become their alt
// text (images are attachments with required alt text, not inline Markdown),
// and links get rel="noopener noreferrer". A bluemonday allow-list policy
// then removes anything that is not on the list, as a second line of defence.
//
// All functions are safe for concurrent use.
package markup

import (
	"bufio"
	"bytes"
	"fmt"
	"github.com/microcosm-cc/bluemonday"
	"html"
	"html/template"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
)

// buffer is a reusable output buffer with a buffered writer over it, which
// goldmark needs for rendering.
type buffer struct {
	bytes.Buffer
	w *bufio.Writer
}

var buffers = sync.Pool{
	New: func() any {
		b := new(buffer)
		b.w = bufio.NewWriterSize(&b.Buffer, 4096)
		return b
	},
}

func getBuffer() *buffer {
	b := buffers.Get().(*buffer)
	b.Reset()
	b.w.Reset(&b.Buffer)
	return b
}

func putBuffer(b *buffer) {
	// Very large buffers are not kept, so that one huge post does not pin
	// memory for the life of the process.
	if b.Cap() > 64<<10 {
		return
	}
	buffers.Put(b)
}

// HTML renders Markdown source to sanitised HTML, safe to embed in a page.
// Only p, br, a, em, strong, del, code, pre, blockquote, ul, ol and li survive;
// links keep only an http, https or mailto href and carry
// rel="noopener noreferrer". Mentions (@user@host) link to the account's
// profile in Mastodon's h-card markup (see MentionHTML); hashtags stay text
// (see HTMLWith). Empty source gives empty HTML.
func HTML(source string) (template.HTML, error) {
	return HTMLWith(source, Links{})
}

// HTMLWith renders like HTML, with hashtags linked as l says, marked up the
// way Mastodon marks them so that Fediverse software recognises them.
func HTMLWith(source string, l Links) (template.HTML, error) {
	src := []byte(source)
	doc := markdown.Parser().Parse(text.NewReader(src))
	setHashtagLinks(doc, l)

	b := getBuffer()
	defer putBuffer(b)
	if err := markdown.Renderer().Render(b.w, src, doc); err != nil {
		return "", fmt.Errorf("markup: render: %w", err)
	}

	var out strings.Builder
	out.Grow(b.Len())
	if err := policy.SanitizeReaderToWriter(&b.Buffer, &out); err != nil {
		return "", fmt.Errorf("markup: sanitise: %w", err)
	}
	// The policy has removed everything that is not on the allow-list.
	return template.HTML(strings.TrimRight(out.String(), "\n")), nil
}

// PlainText returns the text of the Markdown source without markup,
// whitespace collapsed. Each block (paragraph, heading, list item, line of a
// code block) and each hard line break starts a new line; within a line every
// run of white space is one space, and empty lines are dropped. Links become
// their text, images their alt text; raw HTML is left out.
//
// The result is plain text, not HTML: escape it before embedding it in HTML.
func PlainText(source string) string { return renderPlain(source, plainRenderer) }

// PlainTextWithLinks is PlainText for a place that shows plain text only
// and finds addresses in it itself (a Bluesky post): a link written as
// [text](address) becomes "text (address)", so that its address is kept.
func PlainTextWithLinks(source string) string { return renderPlain(source, plainLinksRenderer) }

func renderPlain(source string, r renderer.Renderer) string {
	src := []byte(source)
	doc := markdown.Parser().Parse(text.NewReader(src))

	b := getBuffer()
	defer putBuffer(b)
	// The text renderer writes to an in-memory buffer, which cannot fail.
	_ = r.Render(b.w, src, doc)

	// The renderer escapes text the way the HTML renderer does, after
	// resolving Markdown escapes and entity references; undo the HTML
	// escaping to get the text back.
	raw := html.UnescapeString(b.String())

	var out strings.Builder
	out.Grow(len(raw))
	for line := range strings.Lines(raw) {
		first := true
		for _, word := range strings.Fields(line) {
			if first {
				if out.Len() > 0 {
					out.WriteByte('\n')
				}
				first = false
			} else {
				out.WriteByte(' ')
			}
			out.WriteString(word)
		}
	}
	return out.String()
}

// Title returns a one-line title for the source: the first line of
// PlainText, cut at a word boundary to at most n runes with "…" appended when
// cut. The n runes include the "…". A first word longer than the limit is cut
// inside the word, never inside a character made of several code points (an
// accent on a letter, an emoji sequence). Title returns "" when n < 1.
func Title(source string, n int) string {
	line, _, _ := strings.Cut(PlainText(source), "\n")
	return truncate(line, n)
}

const ellipsis = "…"

// truncate cuts s, a line with single spaces between words, to at most n
// runes including a trailing ellipsis when cut.
func truncate(s string, n int) string {
	if n < 1 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	limit := n - 1 // runes left for the text before the ellipsis

	// end is the byte offset just past the first limit runes.
	end := 0
	for i := 0; i < limit; i++ {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
	}

	head := ""
	if s[end] == ' ' {
		head = s[:end]
	} else if i := strings.LastIndexByte(s[:end], ' '); i >= 0 {
		head = s[:i]
	}
	head = strings.TrimRightFunc(head, isTrailingSeparator)
	if head == "" {
		head = cutRunes(s, limit)
	}
	return head + ellipsis
}

// isTrailingSeparator reports whether r looks wrong at the end of a cut
// title, right before the ellipsis.
func isTrailingSeparator(r rune) bool {
	switch r {
	case ',', ';', ':', '-', '–', '—':
		return true
	}
	return unicode.IsSpace(r)
}

const zeroWidthJoiner = '\u200d'

// cutRunes returns at most limit runes of s, backing off so that it does not
// end inside a character made of several code points.
func cutRunes(s string, limit int) string {
	runes := []rune(s)
	if limit >= len(runes) {
		return s
	}
	k := limit
	for k > 0 && (extendsPrevious(runes[k]) || runes[k-1] == zeroWidthJoiner) {
		k--
	}
	// Regional indicators pair up into flags: do not keep half a flag.
	pairs := 0
	for i := k - 1; i >= 0 && isRegionalIndicator(runes[i]); i-- {
		pairs++
	}
	if pairs%2 == 1 && k < len(runes) && isRegionalIndicator(runes[k]) {
		k--
	}
	return string(runes[:k])
}

// extendsPrevious reports whether r belongs to the character before it:
// combining marks (including variation selectors), the zero width joiner,
// emoji skin tone modifiers and emoji tag characters.
func extendsPrevious(r rune) bool {
	switch {
	case r == zeroWidthJoiner:
		return true
	case r >= 0x1F3FB && r <= 0x1F3FF: // skin tone modifiers
		return true
	case r >= 0xE0020 && r <= 0xE007F: // tag characters (subdivision flags)
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
}

func isRegionalIndicator(r rune) bool {
	return r >= 0x1F1E6 && r <= 0x1F1FF
}

// remotePolicy is the posts' allow-list for HTML written by others: their
// links also get rel="nofollow noreferrer" (noreferrer implies noopener).
var remotePolicy = func() *bluemonday.Policy {
	p := newPolicy()
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	return p
}()

// SanitizeHTML cleans HTML written elsewhere, such as a reply from another
// Fediverse server, with the allow-list of posts: what is left is safe to
// embed in a page.
func SanitizeHTML(html string) template.HTML {
	return template.HTML(remotePolicy.Sanitize(html))
}

// strictPolicy keeps no element at all.
var strictPolicy = bluemonday.StrictPolicy()

// HTMLText returns the text of HTML written elsewhere, such as a reply's
// content or content warning, on one line: no element is kept and
// entities are read.
func HTMLText(s string) string {
	text := strictPolicy.Sanitize(strings.ReplaceAll(s, "<", " <"))
	return strings.Join(strings.Fields(html.UnescapeString(text)), " ")
}
