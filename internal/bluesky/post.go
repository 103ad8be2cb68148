package bluesky

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Bluesky's limits on a post.
const (
	// MaxGraphemes is the most grapheme clusters a post's text may have.
	MaxGraphemes = 300
	// MaxBytes is the most UTF-8 bytes a post's text may have.
	MaxBytes = 3000
	// MaxImages is the most images one post may carry.
	MaxImages = 4
	// MaxImageBytes is the largest image blob a post may carry: the
	// maxSize of app.bsky.embed.images.
	MaxImageBytes = 1_000_000
	// Ellipsis ends a text that was cut.
	Ellipsis = "…"
)

// The $type values Plein writes.
const (
	typePost     = "app.bsky.feed.post"
	typeLink     = "app.bsky.richtext.facet#link"
	typeTag      = "app.bsky.richtext.facet#tag"
	typeImages   = "app.bsky.embed.images"
	typeExternal = "app.bsky.embed.external"
)

// Mention is a Fediverse account named in a post, as written
// ("@user@host"), and the address of its profile. Bluesky has no
// mentions of Fediverse accounts, so they become links.
type Mention struct {
	Text string
	URL  string
}

// Image is an uploaded image with its description.
type Image struct {
	Blob          Blob
	Alt           string
	Width, Height int
}

// ReplyRef names the thread a reply belongs to: its first post and the
// post it answers.
type ReplyRef struct {
	Root   Ref `json:"root"`
	Parent Ref `json:"parent"`
}

// Draft is a post to publish: plain text, what to mark in it, and what
// to attach.
type Draft struct {
	// Text is the post as plain text.
	Text string
	// Tags are the hashtags to mark, without "#"; each "#tag" in Text
	// that is written the same, ignoring case, becomes a tag facet.
	Tags []string
	// Mentions become link facets wherever they are written in Text.
	Mentions []Mention
	// Lang is the post's language (BCP 47); empty: none.
	Lang string
	// CreatedAt is when the post was published.
	CreatedAt time.Time
	// URL is the full post on Plein. A text over Bluesky's limits is cut,
	// and its ellipsis links there; without images the post also gets a
	// link card to it, with Title and Description.
	URL, Title, Description string
	// Images are attached, at most MaxImages.
	Images []Image
	// Reply, when not nil, makes the post a reply.
	Reply *ReplyRef
}

// PostRecord is an app.bsky.feed.post record.
type PostRecord struct {
	Type      string    `json:"$type"`
	Text      string    `json:"text"`
	Facets    []Facet   `json:"facets,omitempty"`
	Langs     []string  `json:"langs,omitempty"`
	Embed     any       `json:"embed,omitempty"`
	Reply     *ReplyRef `json:"reply,omitempty"`
	CreatedAt string    `json:"createdAt"`
}

// Facet marks a range of a post's text, in UTF-8 bytes: ByteStart
// inclusive, ByteEnd exclusive.
type Facet struct {
	Index    ByteSlice `json:"index"`
	Features []Feature `json:"features"`
}

// ByteSlice is a range of UTF-8 bytes.
type ByteSlice struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

// Feature is what a facet marks: a link (URI) or a hashtag (Tag).
type Feature struct {
	Type string `json:"$type"`
	URI  string `json:"uri,omitempty"`
	Tag  string `json:"tag,omitempty"`
}

// ImagesEmbed is an app.bsky.embed.images embed.
type ImagesEmbed struct {
	Type   string       `json:"$type"`
	Images []ImageEntry `json:"images"`
}

// ImageEntry is one image of an ImagesEmbed; Alt is required, even when
// empty.
type ImageEntry struct {
	Alt         string       `json:"alt"`
	Image       Blob         `json:"image"`
	AspectRatio *AspectRatio `json:"aspectRatio,omitempty"`
}

// AspectRatio is an image's width and height.
type AspectRatio struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// ExternalEmbed is an app.bsky.embed.external embed: a link card.
type ExternalEmbed struct {
	Type     string   `json:"$type"`
	External External `json:"external"`
}

// External is the link of a link card.
type External struct {
	URI         string `json:"uri"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Fits reports whether text is within Bluesky's limits.
func Fits(text string) bool {
	return len(text) <= MaxBytes && uniseg.GraphemeClusterCount(text) <= MaxGraphemes
}

// Record returns the record of d, and whether its text had to be cut.
func (d Draft) Record() (*PostRecord, bool) {
	text := strings.TrimSpace(d.Text)
	facets := Facets(text, d.Tags, d.Mentions)
	cut := !Fits(text)
	if cut {
		text, facets = shorten(text, facets)
		if d.URL != "" {
			start := len(text) - len(Ellipsis)
			facets = append(facets, Facet{Index: ByteSlice{start, len(text)}, Features: []Feature{{Type: typeLink, URI: d.URL}}})
		}
	}
	r := &PostRecord{Type: typePost, Text: text, Facets: facets, Reply: d.Reply,
		CreatedAt: d.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")}
	if d.Lang != "" {
		r.Langs = []string{d.Lang}
	}
	switch {
	case len(d.Images) > 0:
		e := ImagesEmbed{Type: typeImages}
		for _, im := range d.Images[:min(len(d.Images), MaxImages)] {
			entry := ImageEntry{Alt: im.Alt, Image: im.Blob}
			if im.Width > 0 && im.Height > 0 {
				entry.AspectRatio = &AspectRatio{im.Width, im.Height}
			}
			e.Images = append(e.Images, entry)
		}
		r.Embed = e
	case cut && d.URL != "":
		r.Embed = ExternalEmbed{Type: typeExternal, External: External{URI: d.URL, Title: d.Title, Description: d.Description}}
	}
	return r, cut
}

// shorten cuts text, which is over the limits, to its opening at a word
// boundary with Ellipsis appended, never inside a facet, and keeps the
// facets that lie within what is left.
func shorten(text string, facets []Facet) (string, []Facet) {
	// The longest opening that leaves room for the ellipsis.
	end, n, state := 0, 0, -1
	for rest := text; rest != ""; n++ {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if n+1 > MaxGraphemes-1 || end+len(cluster) > MaxBytes-len(Ellipsis) {
			break
		}
		end += len(cluster)
	}
	atBoundary := func(i int) bool {
		r, _ := utf8.DecodeRuneInString(text[i:])
		return unicode.IsSpace(r)
	}
	if !atBoundary(end) {
		if i := strings.LastIndexFunc(text[:end], unicode.IsSpace); i > 0 {
			end = i
		}
	}
	for _, f := range facets {
		if f.Index.ByteStart < end && f.Index.ByteEnd > end {
			end = f.Index.ByteStart
		}
	}
	opening := strings.TrimRightFunc(text[:end], unicode.IsSpace)
	if opening == "" { // one word longer than the limit: cut it anywhere
		opening = text[:end]
	}
	var kept []Facet
	for _, f := range facets {
		if f.Index.ByteEnd <= len(opening) {
			kept = append(kept, f)
		}
	}
	return opening + Ellipsis, kept
}

// Facets finds the links (http and https addresses), the hashtags among
// tags and the mentions in text, and returns their facets in order of
// their place in text. Ranges never overlap: a hashtag or mention inside
// an address is part of the address.
func Facets(text string, tags []string, mentions []Mention) []Facet {
	var facets []Facet
	overlaps := func(start, end int) bool {
		for _, f := range facets {
			if start < f.Index.ByteEnd && f.Index.ByteStart < end {
				return true
			}
		}
		return false
	}
	for _, l := range findLinks(text) {
		facets = append(facets, Facet{Index: ByteSlice{l[0], l[1]}, Features: []Feature{{Type: typeLink, URI: text[l[0]:l[1]]}}})
	}
	for _, m := range mentions {
		for _, at := range findWord(text, m.Text, isMentionByte) {
			if !overlaps(at, at+len(m.Text)) {
				facets = append(facets, Facet{Index: ByteSlice{at, at + len(m.Text)}, Features: []Feature{{Type: typeLink, URI: m.URL}}})
			}
		}
	}
	for _, tag := range tags {
		for _, at := range findWord(text, "#"+tag, isTagRune) {
			end := at + 1 + len(tag)
			if !overlaps(at, end) {
				facets = append(facets, Facet{Index: ByteSlice{at, end}, Features: []Feature{{Type: typeTag, Tag: text[at+1 : end]}}})
			}
		}
	}
	slices.SortFunc(facets, func(a, b Facet) int { return a.Index.ByteStart - b.Index.ByteStart })
	return facets
}

// findLinks returns the byte ranges of the http and https addresses in
// text. An address ends at white space or a character that cannot be in
// one; trailing punctuation, and a closing parenthesis without an opening
// one, are left out.
func findLinks(text string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "http")
		if j < 0 {
			break
		}
		start := i + j
		rest := text[start:]
		if !strings.HasPrefix(rest, "https://") && !strings.HasPrefix(rest, "http://") ||
			start > 0 && isWordByte(text[start-1]) {
			i = start + 4
			continue
		}
		end := start + strings.IndexFunc(rest+" ", func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(`<>"`, r)
		})
		for end > start {
			c := text[end-1]
			if strings.IndexByte(".,;:!?'", c) >= 0 ||
				c == ')' && strings.Count(text[start:end], "(") < strings.Count(text[start:end], ")") {
				end--
				continue
			}
			break
		}
		if scheme := strings.Index(text[start:end], "://") + 3; end-start > scheme {
			out = append(out, [2]int{start, end})
		}
		i = max(end, start+4)
	}
	return out
}

// findWord returns where word is written in text, ignoring case, as a
// whole word: not preceded by a letter, digit or "_" and not followed by
// a character inWord accepts.
func findWord(text, word string, inWord func(rune) bool) []int {
	var out []int
	for at := range text {
		if len(text)-at < len(word) || !strings.EqualFold(text[at:at+len(word)], word) {
			continue
		}
		end := at + len(word)
		before, _ := utf8.DecodeLastRuneInString(text[:at])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (at == 0 || !isWordRune(before)) && (end == len(text) || !inWord(after)) {
			out = append(out, at)
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isWordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// isTagRune reports whether r continues a hashtag.
func isTagRune(r rune) bool { return isWordRune(r) || unicode.Is(unicode.Mn, r) }

// isMentionByte reports whether r continues an @user@host.
func isMentionByte(r rune) bool { return isWordRune(r) || r == '-' || r == '@' }
