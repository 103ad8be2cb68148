// Package activity holds the ActivityStreams 2.0 / ActivityPub documents that
// Plein's federation sends and receives, and the discovery documents around
// them (WebFinger, host-meta, NodeInfo).
//
// Outgoing documents are plain structs whose JSON matches what Mastodon and
// GoToSocial expect: every organisation is an Organization actor, the
// instance actor an Application, and each post a Note. Incoming documents are
// read by ParseActivity and ParseActor, which accept the shapes real servers
// send (single values or arrays, objects or IRIs, any @context) and refuse
// broken input with the sentinel errors below.
//
// The package does no I/O: no HTTP, no database.
package activity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"strconv"
	"strings"
	"time"
)

// Public is the special collection that addresses a document to everyone.
const Public = "https://www.w3.org/ns/activitystreams#Public"

// ContentType is the media type Plein serves and sends ActivityPub documents with.
const ContentType = "application/activity+json"

// ActivityStreams and Security are the two JSON-LD vocabularies of the @context.
const (
	ActivityStreams = "https://www.w3.org/ns/activitystreams"
	Security        = "https://w3id.org/security/v1"
)

// Actor types.
const (
	TypeOrganization = "Organization"
	TypeApplication  = "Application"
	TypePerson       = "Person"
	TypeService      = "Service"
	TypeGroup        = "Group"
)

// Object types.
const (
	TypeNote                  = "Note"
	TypeTombstone             = "Tombstone"
	TypeDocument              = "Document"
	TypeImage                 = "Image"
	TypeMention               = "Mention"
	TypeHashtag               = "Hashtag"
	TypePropertyValue         = "PropertyValue"
	TypeOrderedCollection     = "OrderedCollection"
	TypeOrderedCollectionPage = "OrderedCollectionPage"
	TypeLink                  = "Link"
)

// Activity types.
const (
	TypeCreate   = "Create"
	TypeUpdate   = "Update"
	TypeDelete   = "Delete"
	TypeFollow   = "Follow"
	TypeAccept   = "Accept"
	TypeReject   = "Reject"
	TypeUndo     = "Undo"
	TypeAnnounce = "Announce"
	TypeLike     = "Like"
	TypeMove     = "Move"
	TypeFlag     = "Flag"
	TypeBlock    = "Block"
)

// contextTerms is the extension-term object of the @context. It marshals to
// a fixed byte string so the term order never changes.
type contextTerms struct{}

const contextTermsJSON = `{"manuallyApprovesFollowers":"as:manuallyApprovesFollowers",` +
	`"toot":"http://joinmastodon.org/ns#",` +
	`"discoverable":"toot:discoverable",` +
	`"indexable":"toot:indexable",` +
	`"featured":{"@id":"toot:featured","@type":"@id"},` +
	`"alsoKnownAs":{"@id":"as:alsoKnownAs","@type":"@id"},` +
	`"movedTo":{"@id":"as:movedTo","@type":"@id"},` +
	`"schema":"http://schema.org#",` +
	`"PropertyValue":"schema:PropertyValue",` +
	`"value":"schema:value",` +
	`"sensitive":"as:sensitive",` +
	`"Hashtag":"as:Hashtag"}`

// MarshalJSON writes the extension terms.
func (contextTerms) MarshalJSON() ([]byte, error) { return []byte(contextTermsJSON), nil }

// DefaultContext returns the JSON-LD @context of every top-level document
// Plein sends: the ActivityStreams and Security vocabularies and the
// extension terms Mastodon uses. Embedded objects carry no @context.
func DefaultContext() any {
	return []any{ActivityStreams, Security, contextTerms{}}
}

// Time is a timestamp that marshals as RFC 3339 in UTC with whole seconds,
// the form Mastodon writes. Its zero value is left out of documents.
type Time struct{ time.Time }

// MarshalJSON writes t as a quoted RFC 3339 UTC string.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(strconv.Quote(t.UTC().Format(time.RFC3339))), nil
}

// Marshal encodes v as compact JSON without escaping <, > and &, so HTML
// content stays readable. It is the encoding Plein sends on the wire.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("activity: marshal: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// IsActivityPubAccept reports whether an HTTP Accept header asks for an
// ActivityPub document: it names application/activity+json, or
// application/ld+json with the ActivityStreams profile, with a non-zero
// quality. Wildcards such as */* do not count, so browsers get HTML.
func IsActivityPubAccept(acceptHeader string) bool {
	for _, part := range splitOutsideQuotes(acceptHeader, ',') {
		mediaType, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if q, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
				continue
			}
		}
		switch mediaType {
		case ContentType:
			return true
		case "application/ld+json":
			for _, p := range strings.Fields(params["profile"]) {
				if p == ActivityStreams {
					return true
				}
			}
		}
	}
	return false
}

// splitOutsideQuotes splits s at sep, except inside double-quoted strings.
func splitOutsideQuotes(s string, sep byte) []string {
	var parts []string
	quoted, escaped, start := false, false, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case escaped:
			escaped = false
		case quoted && c == '\\':
			escaped = true
		case c == '"':
			quoted = !quoted
		case !quoted && c == sep:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}
