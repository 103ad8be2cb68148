package activity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"
)

// MaxActivityBytes is the largest document ParseActivity and ParseActor
// accept.
const MaxActivityBytes = 256 << 10

// Errors returned by ParseActivity and ParseActor, wrapped with detail.
var (
	// ErrTooLarge reports a document larger than MaxActivityBytes.
	ErrTooLarge = errors.New("activity: document too large")
	// ErrMalformed reports input that is not a JSON object, or a property
	// of a shape that cannot be read, such as an activity with two actors.
	ErrMalformed = errors.New("activity: malformed document")
	// ErrMissing reports a document without a required property.
	ErrMissing = errors.New("activity: required property missing")
	// ErrInvalidIRI reports an id, actor, object or target that is not an
	// absolute http or https URL.
	ErrInvalidIRI = errors.New("activity: invalid IRI")
)

// Incoming is an activity received from another server. It holds only
// what ParseActivity could read with confidence; the caller still has to
// check that Actor is the signer and fetch what is given by IRI only.
type Incoming struct {
	ID        string
	Type      string
	Actor     string    // the actor's IRI, also when the actor was embedded
	Object    ObjectRef // zero when the activity has no object
	Target    string    // IRI, or empty
	To        []string  // "as:Public" and "Public" are written as Public
	Cc        []string  // as To
	Published time.Time // zero when absent or unreadable
	// Objects are the ids of every object of a Flag, which reports one or
	// more accounts and posts at once; Object is then the first.
	Objects []string
	// Content is the plain content of a Flag: the reporter's comment.
	Content string
}

// ObjectRef is an activity's object: an IRI only, or an embedded object of
// which Raw keeps the JSON. Note is set for an embedded Note, Article, Page
// or Question.
type ObjectRef struct {
	ID   string          // the IRI, or the embedded object's id (may be empty)
	Type string          // the embedded object's type; empty for an IRI
	Raw  json.RawMessage // the embedded object; nil for an IRI
	Note *RemoteNote
}

// Embedded reports whether the object was sent in full rather than as an IRI.
func (o ObjectRef) Embedded() bool { return o.Raw != nil }

// Activity parses the embedded object as an activity, as for the Follow
// inside an Undo or Accept. It returns ErrMissing when the object was
// given as an IRI only.
func (o ObjectRef) Activity() (*Incoming, error) {
	if !o.Embedded() {
		return nil, fmt.Errorf("%w: object %q is not embedded", ErrMissing, o.ID)
	}
	return ParseActivity(o.Raw)
}

// RemoteNote is the part of an embedded Note that Plein uses. Content and
// Summary are remote HTML that the caller must sanitise before showing.
type RemoteNote struct {
	AttributedTo string
	Content      string // content, or else one of contentMap's values
	ContentMap   map[string]string
	Summary      string
	Sensitive    bool
	InReplyTo    string
	Published    time.Time
	Updated      time.Time
	URL          string
	To           []string
	Cc           []string
	Tag          []Tag
	Attachment   []Document
}

// noteTypes are the object types read into a RemoteNote.
var noteTypes = []string{TypeNote, "Article", "Page", "Question"}

// ParseActivity reads an activity received in an inbox. It accepts the
// compaction variants real servers send: single values or arrays for to,
// cc, tag and attachment; the actor as an IRI or an object with an id; the
// object as an IRI or embedded; any @context and unknown properties. It
// returns ErrTooLarge, ErrMalformed, ErrMissing (no id, type or actor) or
// ErrInvalidIRI (id, actor, object or target not an http or https URL).
func ParseActivity(data []byte) (*Incoming, error) {
	m, err := parseObject(data)
	if err != nil {
		return nil, err
	}
	in := &Incoming{}
	if in.ID, err = requiredIRI(m, "id"); err != nil {
		return nil, err
	}
	if in.Type = typeOf(m); in.Type == "" {
		return nil, fmt.Errorf("%w: type", ErrMissing)
	}
	if in.Actor, err = requiredIRI(m, "actor"); err != nil {
		return nil, err
	}
	if in.Type == TypeFlag {
		if in.Objects, err = objectIDs(m["object"]); err != nil {
			return nil, err
		}
		if len(in.Objects) > 0 {
			in.Object = ObjectRef{ID: in.Objects[0]}
		}
		in.Content = stringOf(m["content"])
	} else if in.Object, err = objectRef(m["object"]); err != nil {
		return nil, err
	}
	if in.Target, err = optionalIRI(m, "target"); err != nil {
		return nil, err
	}
	in.To = audience(m["to"])
	in.Cc = audience(m["cc"])
	in.Published = timeOf(m["published"])
	return in, nil
}

// RemoteActor is the part of a remote actor document that Plein uses.
// PublicKey is the first key of PublicKeys; use Key to find the key named
// by a signature's keyId.
type RemoteActor struct {
	ID                        string
	Type                      string
	PreferredUsername         string
	Name                      string
	Summary                   string // remote HTML; sanitise before showing
	URL                       string
	Icon                      string // URL of the avatar, or empty
	Inbox                     string
	Outbox                    string
	SharedInbox               string // empty when the server has none
	Followers                 string
	PublicKey                 PublicKey
	PublicKeys                []PublicKey
	AlsoKnownAs               []string
	MovedTo                   string
	ManuallyApprovesFollowers bool
}

// Key returns the actor's public key with the given id.
func (a *RemoteActor) Key(id string) (PublicKey, bool) {
	for _, k := range a.PublicKeys {
		if k.ID == id {
			return k, true
		}
	}
	return PublicKey{}, false
}

// ParseActor reads a remote actor document. It requires an id, a type and
// an inbox (ErrMissing), which must be http or https URLs, as must a
// sharedInbox (ErrInvalidIRI). publicKey may be one object or an array;
// keys without an id or PEM are skipped.
func ParseActor(data []byte) (*RemoteActor, error) {
	m, err := parseObject(data)
	if err != nil {
		return nil, err
	}
	a := &RemoteActor{}
	if a.ID, err = requiredIRI(m, "id"); err != nil {
		return nil, err
	}
	if a.Type = typeOf(m); a.Type == "" {
		return nil, fmt.Errorf("%w: type", ErrMissing)
	}
	if a.Inbox, err = requiredIRI(m, "inbox"); err != nil {
		return nil, err
	}
	a.PreferredUsername = stringOf(m["preferredUsername"])
	a.Name = stringOf(m["name"])
	a.Summary = stringOf(m["summary"])
	a.URL = urlOf(m["url"])
	a.Outbox = refID(m["outbox"])
	a.Followers = refID(m["followers"])
	if ep, ok := objectOf(m["endpoints"]); ok {
		if a.SharedInbox, err = optionalIRI(ep, "sharedInbox"); err != nil {
			return nil, err
		}
	}
	for _, raw := range objectsOf(m["publicKey"]) {
		k := PublicKey{ID: idOf(raw), Owner: refID(raw["owner"]), PublicKeyPem: stringOf(raw["publicKeyPem"])}
		if k.ID != "" && k.PublicKeyPem != "" {
			a.PublicKeys = append(a.PublicKeys, k)
		}
	}
	if len(a.PublicKeys) > 0 {
		a.PublicKey = a.PublicKeys[0]
	}
	if icons := objectsOf(m["icon"]); len(icons) > 0 {
		a.Icon = urlOf(icons[0]["url"])
	} else {
		a.Icon = stringOf(m["icon"])
	}
	a.AlsoKnownAs = audience(m["alsoKnownAs"])
	a.MovedTo = refID(m["movedTo"])
	a.ManuallyApprovesFollowers = boolOf(m["manuallyApprovesFollowers"])
	return a, nil
}

// parseObject checks the size of data and decodes it as a JSON object.
func parseObject(data []byte) (map[string]json.RawMessage, error) {
	if len(data) > MaxActivityBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxActivityBytes)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if m == nil {
		return nil, fmt.Errorf("%w: not a JSON object", ErrMalformed)
	}
	return m, nil
}

// requiredIRI returns the IRI under key, which must be present and valid.
func requiredIRI(m map[string]json.RawMessage, key string) (string, error) {
	if key == "id" {
		s := idOf(m)
		if s == "" {
			return "", fmt.Errorf("%w: id", ErrMissing)
		}
		if err := checkIRI("id", s); err != nil {
			return "", err
		}
		return s, nil
	}
	raw := m[key]
	if isNull(raw) {
		return "", fmt.Errorf("%w: %s", ErrMissing, key)
	}
	if isArray(raw) {
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) == nil && len(items) > 1 {
			return "", fmt.Errorf("%w: %s has %d values", ErrMalformed, key, len(items))
		}
	}
	s := refID(raw)
	if s == "" {
		return "", fmt.Errorf("%w: %s has no IRI", ErrMissing, key)
	}
	if err := checkIRI(key, s); err != nil {
		return "", err
	}
	return s, nil
}

// optionalIRI returns the IRI under key, or "" when it is absent; a present
// value must be a valid IRI.
func optionalIRI(m map[string]json.RawMessage, key string) (string, error) {
	s := refID(m[key])
	if s == "" {
		return "", nil
	}
	if err := checkIRI(key, s); err != nil {
		return "", err
	}
	return s, nil
}

// checkIRI reports whether s, the value of the property name, is an
// absolute http or https URL with a host and no user information.
func checkIRI(name, s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%w: %s %q: %w", ErrInvalidIRI, name, s, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return fmt.Errorf("%w: %s %q", ErrInvalidIRI, name, s)
	}
	return nil
}

// objectRef reads an activity's object.
// objectIDs reads the object of a Flag: one or more IRIs or objects with
// an id, at most maxFlagObjects.
func objectIDs(raw json.RawMessage) ([]string, error) {
	items := []json.RawMessage{raw}
	if isArray(raw) {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("%w: object", ErrMalformed)
		}
	}
	if len(items) > maxFlagObjects {
		return nil, fmt.Errorf("%w: more than %d objects", ErrMalformed, maxFlagObjects)
	}
	var ids []string
	for _, item := range items {
		if isNull(item) {
			continue
		}
		id, ok := asString(item)
		if !ok {
			m, isObj := objectOf(item)
			if !isObj {
				return nil, fmt.Errorf("%w: object is neither an IRI nor an object", ErrMalformed)
			}
			id = idOf(m)
		}
		if err := checkIRI("object", id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// maxFlagObjects is the most objects a Flag may report.
const maxFlagObjects = 100

func objectRef(raw json.RawMessage) (ObjectRef, error) {
	if isNull(raw) {
		return ObjectRef{}, nil
	}
	if isArray(raw) {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil || len(items) != 1 {
			return ObjectRef{}, fmt.Errorf("%w: object must be one value", ErrMalformed)
		}
		raw = items[0]
	}
	if s, ok := asString(raw); ok {
		if err := checkIRI("object", s); err != nil {
			return ObjectRef{}, err
		}
		return ObjectRef{ID: s}, nil
	}
	m, ok := objectOf(raw)
	if !ok {
		return ObjectRef{}, fmt.Errorf("%w: object is neither an IRI nor an object", ErrMalformed)
	}
	o := ObjectRef{ID: idOf(m), Type: typeOf(m), Raw: bytes.Clone(raw)}
	if o.ID != "" {
		if err := checkIRI("object id", o.ID); err != nil {
			return ObjectRef{}, err
		}
	}
	if slices.Contains(noteTypes, o.Type) {
		o.Note = remoteNote(m)
	}
	return o, nil
}

// remoteNote reads the fields of an embedded Note.
func remoteNote(m map[string]json.RawMessage) *RemoteNote {
	n := &RemoteNote{
		AttributedTo: refID(m["attributedTo"]),
		Content:      stringOf(m["content"]),
		Summary:      stringOf(m["summary"]),
		Sensitive:    boolOf(m["sensitive"]),
		InReplyTo:    refID(m["inReplyTo"]),
		Published:    timeOf(m["published"]),
		Updated:      timeOf(m["updated"]),
		URL:          urlOf(m["url"]),
		To:           audience(m["to"]),
		Cc:           audience(m["cc"]),
	}
	var cm map[string]json.RawMessage
	if json.Unmarshal(m["contentMap"], &cm) == nil {
		for lang, raw := range cm {
			if s, ok := asString(raw); ok {
				if n.ContentMap == nil {
					n.ContentMap = map[string]string{}
				}
				n.ContentMap[lang] = s
			}
		}
	}
	if n.Content == "" && len(n.ContentMap) > 0 {
		langs := make([]string, 0, len(n.ContentMap))
		for lang := range n.ContentMap {
			langs = append(langs, lang)
		}
		slices.Sort(langs)
		n.Content = n.ContentMap[langs[0]]
	}
	for _, t := range objectsOf(m["tag"]) {
		n.Tag = append(n.Tag, Tag{Type: typeOf(t), Href: refID(t["href"]), Name: stringOf(t["name"])})
	}
	for _, d := range objectsOf(m["attachment"]) {
		doc := Document{
			Type:      typeOf(d),
			MediaType: stringOf(d["mediaType"]),
			URL:       urlOf(d["url"]),
			Name:      stringOf(d["name"]),
			Width:     intOf(d["width"]),
			Height:    intOf(d["height"]),
		}
		if doc.URL == "" {
			doc.URL = refID(d["href"])
		}
		n.Attachment = append(n.Attachment, doc)
	}
	return n
}

// isNull reports whether raw is absent or JSON null.
func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// isArray reports whether raw is a JSON array.
func isArray(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '['
}

// asString decodes raw as a JSON string.
func asString(raw json.RawMessage) (string, bool) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(t, &s) != nil {
		return "", false
	}
	return s, true
}

// stringOf returns raw as a string, or "" when it is not one. A language
// map such as {"@value": "..."} gives its @value.
func stringOf(raw json.RawMessage) string {
	if s, ok := asString(raw); ok {
		return s
	}
	if m, ok := objectOf(raw); ok {
		s, _ := asString(m["@value"])
		return s
	}
	return ""
}

// boolOf returns raw as a bool; anything but JSON true is false.
func boolOf(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "true"
}

// intOf returns raw as a non-negative int, or 0.
func intOf(raw json.RawMessage) int {
	var f float64
	if json.Unmarshal(raw, &f) != nil || f < 0 || f > math.MaxInt32 || math.IsNaN(f) {
		return 0
	}
	return int(f)
}

// timeOf returns raw as an RFC 3339 time, or the zero time.
func timeOf(raw json.RawMessage) time.Time {
	s, ok := asString(raw)
	if !ok {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// objectOf decodes raw as a JSON object.
func objectOf(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(t, &m) != nil {
		return nil, false
	}
	return m, true
}

// objectsOf returns the JSON objects in raw, which is one object or an
// array; other values are skipped.
func objectsOf(raw json.RawMessage) []map[string]json.RawMessage {
	if m, ok := objectOf(raw); ok {
		return []map[string]json.RawMessage{m}
	}
	var items []json.RawMessage
	if !isArray(raw) || json.Unmarshal(raw, &items) != nil {
		return nil
	}
	var out []map[string]json.RawMessage
	for _, item := range items {
		if m, ok := objectOf(item); ok {
			out = append(out, m)
		}
	}
	return out
}

// idOf returns the id (or @id) of a decoded object.
func idOf(m map[string]json.RawMessage) string {
	if s, ok := asString(m["id"]); ok {
		return s
	}
	s, _ := asString(m["@id"])
	return s
}

// typeOf returns the type (or @type) of a decoded object; of several
// types, the first.
func typeOf(m map[string]json.RawMessage) string {
	raw := m["type"]
	if isNull(raw) {
		raw = m["@type"]
	}
	if s, ok := asString(raw); ok {
		return s
	}
	var types []json.RawMessage
	if isArray(raw) && json.Unmarshal(raw, &types) == nil {
		for _, t := range types {
			if s, ok := asString(t); ok && s != "" {
				return s
			}
		}
	}
	return ""
}

// refID returns the IRI in raw: a string, an object's id, or that of the
// first element of an array. It returns "" when there is none.
func refID(raw json.RawMessage) string {
	if s, ok := asString(raw); ok {
		return s
	}
	if m, ok := objectOf(raw); ok {
		return idOf(m)
	}
	var items []json.RawMessage
	if isArray(raw) && json.Unmarshal(raw, &items) == nil && len(items) > 0 {
		if s, ok := asString(items[0]); ok {
			return s
		}
		if m, ok := objectOf(items[0]); ok {
			return idOf(m)
		}
	}
	return ""
}

// urlOf returns the URL in a url property: a string, a Link object's href,
// or from an array the first text/html Link, else the first entry.
func urlOf(raw json.RawMessage) string {
	if s, ok := asString(raw); ok {
		return s
	}
	href := func(m map[string]json.RawMessage) string {
		if s := stringOf(m["href"]); s != "" {
			return s
		}
		return idOf(m)
	}
	if m, ok := objectOf(raw); ok {
		return href(m)
	}
	var items []json.RawMessage
	if !isArray(raw) || json.Unmarshal(raw, &items) != nil {
		return ""
	}
	first := ""
	for _, item := range items {
		s, ok := asString(item)
		if !ok {
			m, isObj := objectOf(item)
			if !isObj {
				continue
			}
			s = href(m)
			if strings.HasPrefix(stringOf(m["mediaType"]), "text/html") && s != "" {
				return s
			}
		}
		if first == "" {
			first = s
		}
	}
	return first
}

// audience returns the IRIs in a to, cc or alsoKnownAs property: one string
// or an array of strings or objects with an id. The compact forms of the
// public collection become Public.
func audience(raw json.RawMessage) []string {
	var items []json.RawMessage
	if isArray(raw) {
		if json.Unmarshal(raw, &items) != nil {
			return nil
		}
	} else if !isNull(raw) {
		items = []json.RawMessage{raw}
	}
	var out []string
	for _, item := range items {
		s := refID(item)
		if s == "as:Public" || s == "Public" {
			s = Public
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
