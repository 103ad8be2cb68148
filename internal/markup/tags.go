package markup

import (
	"bytes"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A post names Fediverse accounts as @user@host and topics as #tag, as
// Mastodon does. Both are found only in running text: not in code, not
// inside a link's text or address.

// Mention is an account named in a post as @User@Host.
type Mention struct {
	User string
	Host string
}

// String returns the mention as written: @user@host.
func (m Mention) String() string { return "@" + m.User + "@" + m.Host }

// ProfileURL is where a reader's browser finds the account: https://host/@user,
// the profile address of Mastodon, GoToSocial, Misskey and Akkoma.
func (m Mention) ProfileURL() string { return "https://" + m.Host + "/@" + m.User }

// Links says where hashtags link to. A nil Hashtag leaves hashtags as text.
type Links struct {
	Hashtag func(tag string) string
}

// Limits on what counts as a mention or a hashtag.
const (
	maxUserLen = 64
	maxHostLen = 253
	maxTagLen  = 100
)

var (
	kindMention = ast.NewNodeKind("Mention")
	kindHashtag = ast.NewNodeKind("Hashtag")
)

// mentionNode is a parsed @user@host.
type mentionNode struct {
	ast.BaseInline
	Mention
}

func (*mentionNode) Kind() ast.NodeKind { return kindMention }

func (n *mentionNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Mention": n.String()}, nil)
}

// hashtagNode is a parsed #tag; Href is set before rendering.
type hashtagNode struct {
	ast.BaseInline
	Tag  string
	Href string
}

func (*hashtagNode) Kind() ast.NodeKind { return kindHashtag }

func (n *hashtagNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Tag": n.Tag}, nil)
}

// tagTransformer finds mentions and hashtags in the text of a parsed
// post and splits the text nodes around them. Working on the tree, after
// parsing, leaves code, links and entity references ("&#169;") alone.
type tagTransformer struct{}

func (tagTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	var texts []*ast.Text
	var emails []*ast.AutoLink
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindLink, ast.KindAutoLink, ast.KindCodeSpan, ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock, ast.KindRawHTML:
			return ast.WalkSkipChildren, nil
		}
		if t, ok := n.(*ast.Text); ok {
			mergeFollowingTexts(t)
			texts = append(texts, t)
		}
		return ast.WalkContinue, nil
	})
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if a, ok := n.(*ast.AutoLink); ok && entering && a.AutoLinkType == ast.AutoLinkEmail {
			emails = append(emails, a)
		}
		return ast.WalkContinue, nil
	})
	for _, t := range texts {
		splitTags(t, source)
	}
	for _, a := range emails {
		emailToMention(a, source)
	}
}

// mergeFollowingTexts joins the text nodes that directly follow t in the
// source into t. The parser leaves text split where an emphasis delimiter
// ("_") did not match, which would cut "#straße_2" short.
func mergeFollowingTexts(t *ast.Text) {
	for !t.SoftLineBreak() && !t.HardLineBreak() {
		next, ok := t.NextSibling().(*ast.Text)
		if !ok || next.Segment.Start != t.Segment.Stop || next.IsRaw() != t.IsRaw() {
			return
		}
		t.Segment = t.Segment.WithStop(next.Segment.Stop)
		t.SetSoftLineBreak(next.SoftLineBreak())
		t.SetHardLineBreak(next.HardLineBreak())
		t.Parent().RemoveChild(t.Parent(), next)
	}
}

// emailToMention turns "@" followed by an e-mail address that Linkify found
// ("@eva@social.example.nl", or "@jan_" and "1@social.example.nl" when an
// underscore split the text) into a mention.
func emailToMention(a *ast.AutoLink, source []byte) {
	prev, ok := a.PreviousSibling().(*ast.Text)
	if !ok || prev.SoftLineBreak() || prev.HardLineBreak() {
		return
	}
	before := prev.Segment.Value(source)
	at := bytes.LastIndexByte(before, '@')
	if at < 0 || bytes.ContainsFunc(before[at+1:], func(r rune) bool { return r > 127 || !isUserByte(byte(r)) }) {
		return
	}
	if at > 0 {
		if r, _ := utf8.DecodeLastRune(before[:at]); !unicode.IsSpace(r) && !isOpening(r) {
			return
		}
	} else if r := precedingRune(prev, source); r != 0 && !unicode.IsSpace(r) && !isOpening(r) {
		return
	}
	written := append(slices.Clip(before[at:]), a.URL(source)...)
	m, n := scanMention(written)
	if n != len(written) {
		return
	}
	prev.Segment = prev.Segment.WithStop(prev.Segment.Start + at)
	parent := a.Parent()
	parent.ReplaceChild(parent, a, &mentionNode{Mention: m})
	if prev.Segment.Len() == 0 {
		parent.RemoveChild(parent, prev)
	}
}

// splitTags replaces t by text and tag nodes when its text holds tags.
func splitTags(t *ast.Text, source []byte) {
	seg := t.Segment
	value := seg.Value(source)
	parent := t.Parent()
	last := 0 // start of the text not yet emitted
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c != '@' && c != '#' {
			continue
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRune(value[:i])
			if !unicode.IsSpace(prev) && !isOpening(prev) {
				continue
			}
		} else if prev := precedingRune(t, source); prev != 0 && !unicode.IsSpace(prev) && !isOpening(prev) {
			continue
		}
		var node ast.Node
		var n int
		if c == '@' {
			var m Mention
			if m, n = scanMention(value[i:]); n > 0 {
				node = &mentionNode{Mention: m}
			}
		} else {
			var tag string
			if tag, n = scanHashtag(value[i:]); n > 0 {
				node = &hashtagNode{Tag: tag}
			}
		}
		if node == nil {
			continue
		}
		if i > last {
			parent.InsertBefore(parent, t, ast.NewTextSegment(text.NewSegment(seg.Start+last, seg.Start+i)))
		}
		parent.InsertBefore(parent, t, node)
		last = i + n
		i = last - 1
	}
	if last == 0 {
		return
	}
	t.Segment = text.NewSegment(seg.Start+last, seg.Stop)
	if last == len(value) && !t.SoftLineBreak() && !t.HardLineBreak() {
		parent.RemoveChild(parent, t)
	}
}

// precedingRune returns the last character of the text before t in the same
// block, or 0 at the start of the block.
func precedingRune(t *ast.Text, source []byte) rune {
	prev, ok := t.PreviousSibling().(*ast.Text)
	if !ok {
		if t.PreviousSibling() != nil {
			return 'x' // after emphasis or a link: inside a word
		}
		return 0
	}
	if prev.SoftLineBreak() || prev.HardLineBreak() {
		return '\n'
	}
	r, _ := utf8.DecodeLastRune(prev.Segment.Value(source))
	return r
}

// isOpening reports whether r may directly precede a mention or hashtag.
func isOpening(r rune) bool {
	return strings.ContainsRune("([{\"'“‘", r)
}

// scanMention reads "@user@host" at the start of line and returns it and
// its length in bytes, or a zero length when line does not start with one.
func scanMention(line []byte) (Mention, int) {
	i := 1
	for i < len(line) && i-1 < maxUserLen && isUserByte(line[i]) {
		i++
	}
	user := string(line[1:i])
	if user == "" || i >= len(line) || line[i] != '@' {
		return Mention{}, 0
	}
	i++
	start := i
	for i < len(line) && i-start < maxHostLen && isHostByte(line[i]) {
		i++
	}
	// A sentence may end right after the host: "… @eva@example.nl."
	for i > start && (line[i-1] == '.' || line[i-1] == '-') {
		i--
	}
	// A port, as on a server inside a government network: host:8443.
	if i+1 < len(line) && line[i] == ':' && line[i+1] >= '0' && line[i+1] <= '9' {
		j := i + 1
		for j < len(line) && j-i <= 5 && line[j] >= '0' && line[j] <= '9' {
			j++
		}
		i = j
	}
	host := strings.ToLower(string(line[start:i]))
	if !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		return Mention{}, 0
	}
	return Mention{User: user, Host: host}, i
}

func isUserByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

func isHostByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
}

// scanHashtag reads "#tag" at the start of line: letters, digits and
// underscores, not only digits ("#1" is a number). It returns the tag
// without "#" and the length in bytes, or a zero length.
func scanHashtag(line []byte) (string, int) {
	i, letters := 1, false
	for i < len(line) {
		r, size := utf8.DecodeRune(line[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && !unicode.Is(unicode.Mn, r) {
			break
		}
		if !unicode.IsDigit(r) {
			letters = true
		}
		i += size
	}
	if !letters || i-1 > maxTagLen {
		return "", 0
	}
	return string(line[1:i]), i
}

// tagExtension adds the tag transformer to goldmark.
type tagExtension struct{}

func (tagExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(tagTransformer{}, 100)))
}

// Tags returns the mentions and hashtags in source, each once, in order of
// appearance. Hashtags are returned as written, without "#"; two spellings
// that differ only in case count as one.
func Tags(source string) ([]Mention, []string) {
	src := []byte(source)
	doc := markdown.Parser().Parse(text.NewReader(src))
	var mentions []Mention
	var tags []string
	seen := map[string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *mentionNode:
			key := strings.ToLower(n.String())
			if !seen[key] {
				seen[key] = true
				mentions = append(mentions, n.Mention)
			}
		case *hashtagNode:
			key := "#" + strings.ToLower(n.Tag)
			if !seen[key] {
				seen[key] = true
				tags = append(tags, n.Tag)
			}
		}
		return ast.WalkContinue, nil
	})
	return mentions, tags
}

// setHashtagLinks sets the address of every hashtag in doc.
func setHashtagLinks(doc ast.Node, l Links) {
	if l.Hashtag == nil {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*hashtagNode); ok && entering {
			h.Href = l.Hashtag(h.Tag)
		}
		return ast.WalkContinue, nil
	})
}

// renderMention renders a mention as Mastodon does, so that servers and
// apps recognise it (see MentionHTML).
func renderMention(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*mentionNode)
	writeMention(w, util.URLEscape([]byte(n.ProfileURL()), true), n.User)
	return ast.WalkSkipChildren, nil
}

// writeMention writes Mastodon's markup of a mention, an h-card that
// translation tools leave alone:
// <span class="h-card" translate="no"><a href class="u-url mention">@<span>user</span></a></span>.
func writeMention(w interface{ Write([]byte) (int, error) }, href []byte, user string) {
	_, _ = w.Write([]byte(`<span class="h-card" translate="no"><a href="`))
	_, _ = w.Write(util.EscapeHTML(href))
	_, _ = w.Write([]byte(`" class="u-url mention">@<span>`))
	_, _ = w.Write(util.EscapeHTML([]byte(user)))
	_, _ = w.Write([]byte(`</span></a></span>`))
}

// MentionHTML returns the markup of a mention of the account user whose
// profile is at href, as Mastodon writes it. An href that may not be a link
// (not http or https) gives the name as text.
func MentionHTML(href, user string) template.HTML {
	var b bytes.Buffer
	h := util.URLEscape([]byte(href), true)
	if u, err := url.Parse(string(h)); err != nil || u.Host == "" || u.Scheme != "http" && u.Scheme != "https" {
		b.WriteString("@")
		b.Write(util.EscapeHTML([]byte(user)))
		return template.HTML(b.String())
	}
	writeMention(&b, h, user)
	return template.HTML(b.String())
}

// PrependMention puts a mention (from MentionHTML) at the start of rendered
// content, inside its first paragraph as Mastodon places the mention of the
// account a post replies to, and sanitises the result.
func PrependMention(content, mention template.HTML) template.HTML {
	c := string(content)
	var out string
	if rest, ok := strings.CutPrefix(c, "<p>"); ok {
		out = "<p>" + string(mention) + " " + rest
	} else {
		out = "<p>" + string(mention) + "</p>" + c
	}
	return template.HTML(policy.Sanitize(out))
}

// renderHashtag renders a hashtag as a link when it has an address, else
// as text.
func renderHashtag(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*hashtagNode)
	if n.Href == "" {
		_, _ = w.WriteString("#")
		_, _ = w.Write(util.EscapeHTML([]byte(n.Tag)))
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(n.Href), true)))
	_, _ = w.WriteString(`" class="mention hashtag" rel="tag">#<span>`)
	_, _ = w.Write(util.EscapeHTML([]byte(n.Tag)))
	_, _ = w.WriteString(`</span></a>`)
	return ast.WalkSkipChildren, nil
}

// plainMention and plainHashtag render tags as they were written.
func plainMention(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.Write(util.EscapeHTML([]byte(node.(*mentionNode).String())))
	}
	return ast.WalkSkipChildren, nil
}

func plainHashtag(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("#")
		_, _ = w.Write(util.EscapeHTML([]byte(node.(*hashtagNode).Tag)))
	}
	return ast.WalkSkipChildren, nil
}
