package markup

import (
	"bytes"
	stdhtml "html"
	"net/url"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// linkRel is the rel attribute of every link in a post. The links are the
// organisation's own, so they are not marked nofollow.
const linkRel = "noopener noreferrer"

// rulesPriority puts Plein's node renderers before goldmark's HTML renderer
// (priority 1000) and the Strikethrough renderer (500): for the node kinds
// they both handle, Plein's wins.
const rulesPriority = 100

// markdown parses posts and renders them to HTML with Plein's rules. Raw HTML
// is never rendered: goldmark's renderer is not in unsafe mode, and Plein's
// rules drop it altogether.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, tagExtension{}),
	goldmark.WithRendererOptions(
		renderer.WithNodeRenderers(util.Prioritized(htmlRules{}, rulesPriority)),
	),
)

// plainRenderer renders a parsed post as text; see PlainText.
var plainRenderer = renderer.NewRenderer(
	renderer.WithNodeRenderers(util.Prioritized(plainRules{}, rulesPriority)),
)

// plainLinksRenderer is plainRenderer that follows the text of a link with
// its address; see PlainTextWithLinks.
var plainLinksRenderer = renderer.NewRenderer(
	renderer.WithNodeRenderers(util.Prioritized(plainRules{}, rulesPriority),
		util.Prioritized(plainLinkRules{}, rulesPriority-1)),
)

// plainLinkRules writes the address of a link after its text, in
// parentheses, unless the text is the address already.
type plainLinkRules struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (plainLinkRules) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, plainLinkAddress)
}

func plainLinkAddress(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Link)
	if !allowedHref(n.Destination) || bytes.Equal(nodeText(n, source), n.Destination) {
		return ast.WalkContinue, nil
	}
	// The renderer's output is HTML-escaped text, unescaped at the end.
	_, _ = w.WriteString(" (" + stdhtml.EscapeString(string(n.Destination)) + ")")
	return ast.WalkContinue, nil
}

// nodeText returns the text of the children of n.
func nodeText(n ast.Node, source []byte) []byte {
	var b []byte
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b = append(b, t.Value(source)...)
		} else {
			b = append(b, nodeText(c, source)...)
		}
	}
	return b
}

// policy is the allow-list applied to every rendered post.
var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^(` + linkRel + `|tag)$`)).OnElements("a")
	// Mentions and hashtags carry the classes Fediverse software looks for.
	p.AllowElements("span")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(h-card|u-url mention|mention hashtag)$`)).OnElements("a", "span")
	// Mastodon marks a mention's h-card translate="no", so that translation
	// tools leave the name alone.
	p.AllowAttrs("translate").Matching(regexp.MustCompile(`^no$`)).OnElements("span")
	// A list that starts at another number than 1 ("2024. Het jaar ...")
	// would show the wrong numbers without its start.
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")
	return p
}

// allowedHref reports whether href, as it will appear in the href
// attribute, may be a link: an http or https URL with a host, or a mailto URL.
func allowedHref(href []byte) bool {
	u, err := url.Parse(string(href))
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

// htmlRules renders the node kinds where a post differs from CommonMark HTML.
type htmlRules struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (htmlRules) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
	reg.Register(ast.KindImage, renderImage)
	reg.Register(ast.KindLink, renderLink)
	reg.Register(ast.KindAutoLink, renderAutoLink)
	reg.Register(ast.KindRawHTML, skip)
	reg.Register(ast.KindHTMLBlock, skip)
	reg.Register(ast.KindThematicBreak, skip) // hr is not on the allow-list
	reg.Register(kindMention, renderMention)
	reg.Register(kindHashtag, renderHashtag)
}

// renderHeading renders a heading as a paragraph in strong: the page around
// the post owns the heading outline.
func renderHeading(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<p><strong>")
	} else {
		_, _ = w.WriteString("</strong></p>\n")
	}
	return ast.WalkContinue, nil
}

// renderImage renders an image as its alt text.
func renderImage(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		writeTexts(w, source, n)
	}
	return ast.WalkSkipChildren, nil
}

// writeTexts writes the text inside n, HTML-escaped, without any markup.
func writeTexts(w util.BufWriter, source []byte, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			if c.IsRaw() {
				html.DefaultWriter.RawWrite(w, c.Value(source))
			} else {
				html.DefaultWriter.Write(w, c.Value(source))
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				_ = w.WriteByte(' ')
			}
		case *ast.String:
			if c.IsCode() || c.IsRaw() {
				html.DefaultWriter.RawWrite(w, c.Value)
			} else {
				html.DefaultWriter.Write(w, c.Value)
			}
		case *ast.AutoLink:
			html.DefaultWriter.RawWrite(w, c.Label(source))
		case *ast.RawHTML:
		default:
			writeTexts(w, source, c)
		}
	}
}

// renderLink renders a link with an allowed destination as an a element
// with rel; any other link as its text only.
func renderLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	href := util.URLEscape(n.Destination, true)
	if !allowedHref(href) {
		return ast.WalkContinue, nil
	}
	if entering {
		writeOpenA(w, href)
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

var (
	mailto  = []byte("mailto:")
	newline = []byte("\n")
)

// renderAutoLink renders a URL or e-mail address found in the text (between
// angle brackets or by Linkify) as a link if its scheme is allowed.
func renderAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	dest := n.URL(source)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(dest), mailto) {
		dest = append(append(make([]byte, 0, len(mailto)+len(dest)), mailto...), dest...)
	}
	href := util.URLEscape(dest, false)
	label := util.EscapeHTML(n.Label(source))
	if !allowedHref(href) {
		_, _ = w.Write(label)
		return ast.WalkContinue, nil
	}
	writeOpenA(w, href)
	_, _ = w.Write(label)
	_, _ = w.WriteString("</a>")
	return ast.WalkContinue, nil
}

func writeOpenA(w util.BufWriter, href []byte) {
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(href))
	_, _ = w.WriteString(`" rel="` + linkRel + `">`)
}

// skip renders nothing for a node and its children.
func skip(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}

// children renders only the children of a node.
func children(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkContinue, nil
}

// plainRules renders a post as text, HTML-escaped the way the HTML renderer
// escapes text, with a newline around every block. Node kinds it does not
// register (documents, lists, block quotes, emphasis, links) render only
// their children.
type plainRules struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (plainRules) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	for _, k := range []ast.NodeKind{ast.KindParagraph, ast.KindTextBlock, ast.KindHeading, ast.KindThematicBreak} {
		reg.Register(k, plainBlock)
	}
	reg.Register(ast.KindCodeBlock, plainCodeBlock)
	reg.Register(ast.KindFencedCodeBlock, plainCodeBlock)
	reg.Register(ast.KindHTMLBlock, skip)
	reg.Register(ast.KindRawHTML, skip)
	reg.Register(ast.KindText, plainText)
	reg.Register(ast.KindString, plainString)
	reg.Register(ast.KindCodeSpan, plainCodeSpan)
	reg.Register(ast.KindAutoLink, plainAutoLink)
	// The renderer looks node kinds up in a table as long as the highest
	// registered kind, so the extensions' kinds must be registered too.
	reg.Register(extast.KindStrikethrough, children)
	reg.Register(kindMention, plainMention)
	reg.Register(kindHashtag, plainHashtag)
}

func plainBlock(w util.BufWriter, _ []byte, _ ast.Node, _ bool) (ast.WalkStatus, error) {
	_ = w.WriteByte('\n')
	return ast.WalkContinue, nil
}

func plainCodeBlock(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	_ = w.WriteByte('\n')
	if entering {
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			line := lines.At(i)
			html.DefaultWriter.RawWrite(w, line.Value(source))
		}
	}
	return ast.WalkContinue, nil
}

func plainText(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Text)
	if n.IsRaw() {
		html.DefaultWriter.RawWrite(w, n.Value(source))
	} else {
		html.DefaultWriter.Write(w, n.Value(source))
	}
	switch {
	case n.HardLineBreak():
		_ = w.WriteByte('\n')
	case n.SoftLineBreak():
		_ = w.WriteByte(' ')
	}
	return ast.WalkContinue, nil
}

func plainString(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.String)
	if n.IsCode() || n.IsRaw() {
		html.DefaultWriter.RawWrite(w, n.Value)
	} else {
		html.DefaultWriter.Write(w, n.Value)
	}
	return ast.WalkContinue, nil
}

func plainCodeSpan(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			// A line ending inside a code span is a space.
			value := bytes.TrimSuffix(t.Value(source), newline)
			html.DefaultWriter.RawWrite(w, value)
			if len(value) < t.Segment.Len() {
				_ = w.WriteByte(' ')
			}
		}
	}
	return ast.WalkSkipChildren, nil
}

func plainAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		html.DefaultWriter.RawWrite(w, node.(*ast.AutoLink).Label(source))
	}
	return ast.WalkSkipChildren, nil
}
