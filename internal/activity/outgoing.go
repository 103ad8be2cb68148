package activity

// Object is anything an Activity can carry as its object: *Note, *Actor,
// Tombstone, *Activity or a bare IRI. Each marshals to its own shape.
type Object interface {
	// ObjectID returns the object's id.
	ObjectID() string
}

// IRI is an object given by reference only; it marshals as a JSON string.
type IRI string

// ObjectID returns the IRI itself.
func (i IRI) ObjectID() string { return string(i) }

// Image is an actor's icon or header image. Name is the alt text; an icon
// has none.
type Image struct {
	Type      string `json:"type"` // always "Image"
	MediaType string `json:"mediaType,omitempty"`
	URL       string `json:"url"`
	Name      string `json:"name,omitempty"`
}

// Endpoints lists an actor's extra endpoints.
type Endpoints struct {
	SharedInbox string `json:"sharedInbox,omitempty"`
}

// PublicKey is the key remote servers use to verify an actor's HTTP
// signatures. ID is usually the actor id with the fragment #main-key.
type PublicKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// PropertyValue is one profile field, such as a link to the organisation's
// own website; Value is HTML.
type PropertyValue struct {
	Type  string `json:"type"` // always "PropertyValue"
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Actor is an organisation (type Organization) or the instance actor (type
// Application). Summary is sanitised HTML. ManuallyApprovesFollowers,
// Discoverable and Indexable are always written, also when false.
type Actor struct {
	Context                   any             `json:"@context,omitempty"`
	ID                        string          `json:"id"`
	Type                      string          `json:"type"`
	PreferredUsername         string          `json:"preferredUsername"`
	Name                      string          `json:"name,omitempty"`
	Summary                   string          `json:"summary,omitempty"`
	URL                       string          `json:"url,omitempty"`
	Icon                      *Image          `json:"icon,omitempty"`
	Image                     *Image          `json:"image,omitempty"` // header image
	Inbox                     string          `json:"inbox"`
	Outbox                    string          `json:"outbox"`
	Followers                 string          `json:"followers,omitempty"`
	Following                 string          `json:"following,omitempty"`
	Featured                  string          `json:"featured,omitempty"`
	Endpoints                 *Endpoints      `json:"endpoints,omitempty"`
	PublicKey                 PublicKey       `json:"publicKey"`
	Attachment                []PropertyValue `json:"attachment,omitempty"`
	AlsoKnownAs               []string        `json:"alsoKnownAs,omitempty"`
	MovedTo                   string          `json:"movedTo,omitempty"` // the account it moved to
	ManuallyApprovesFollowers bool            `json:"manuallyApprovesFollowers"`
	Discoverable              bool            `json:"discoverable"`
	Indexable                 bool            `json:"indexable"`
	Published                 Time            `json:"published,omitzero"`
}

// ObjectID returns the actor's id.
func (a *Actor) ObjectID() string { return a.ID }

// Document is a media attachment of a Note: type "Image" for pictures,
// "Document" otherwise. Name is the alt text.
type Document struct {
	Type      string `json:"type"`
	MediaType string `json:"mediaType,omitempty"`
	URL       string `json:"url"`
	Name      string `json:"name,omitempty"`
	Width     int    `json:"width,omitempty"`
	Height    int    `json:"height,omitempty"`
}

// Tag is a Mention (Href is the actor id, Name "@user@host") or a Hashtag
// (Href is the tag page, Name "#tag").
type Tag struct {
	Type string `json:"type"`
	Href string `json:"href"`
	Name string `json:"name"`
}

// Note is one post. Content is sanitised HTML; ContentMap holds the same
// HTML under the post's language. Summary is the content warning as HTML,
// so a content warning typed as text must be HTML-escaped; a Note with a
// Summary should also be Sensitive. Sensitive is always written.
// An Update of a Note must set Updated, or Mastodon ignores it.
type Note struct {
	Context      any               `json:"@context,omitempty"`
	ID           string            `json:"id"`
	Type         string            `json:"type"`
	Summary      string            `json:"summary,omitempty"`
	InReplyTo    string            `json:"inReplyTo,omitempty"`
	Published    Time              `json:"published,omitzero"`
	Updated      Time              `json:"updated,omitzero"`
	URL          string            `json:"url,omitempty"`
	AttributedTo string            `json:"attributedTo"`
	To           []string          `json:"to"`
	Cc           []string          `json:"cc,omitempty"`
	Sensitive    bool              `json:"sensitive"`
	Content      string            `json:"content"`
	ContentMap   map[string]string `json:"contentMap,omitempty"`
	Attachment   []Document        `json:"attachment,omitempty"`
	Tag          []Tag             `json:"tag,omitempty"`
	// Replies is the address of the collection of the replies shown under
	// the note.
	Replies string `json:"replies,omitempty"`
}

// ObjectID returns the note's id.
func (n *Note) ObjectID() string { return n.ID }

// Tombstone stands in for a deleted object in a Delete.
type Tombstone struct {
	ID   string `json:"id"`
	Type string `json:"type"` // always "Tombstone"
}

// ObjectID returns the id of the deleted object.
func (t Tombstone) ObjectID() string { return t.ID }

// Activity is a Create, Update, Delete, Follow, Accept, Undo, Announce or
// other activity. Object is written in its own shape: an embedded document
// for *Note, *Actor, Tombstone and *Activity, a string for IRI.
type Activity struct {
	Context   any      `json:"@context,omitempty"`
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Actor     string   `json:"actor"`
	Published Time     `json:"published,omitzero"`
	To        []string `json:"to,omitempty"`
	Cc        []string `json:"cc,omitempty"`
	Object    Object   `json:"object"`
	Target    string   `json:"target,omitempty"` // of a Move: the new account
}

// ObjectID returns the activity's id.
func (a *Activity) ObjectID() string { return a.ID }

// NewCreate returns the Create activity with the given id that publishes
// note, addressed like the note. The embedded copy of note loses its
// @context; the activity gets the default one.
func NewCreate(id string, note Note) *Activity {
	note.Context = nil
	return &Activity{
		Context:   DefaultContext(),
		ID:        id,
		Type:      TypeCreate,
		Actor:     note.AttributedTo,
		Published: note.Published,
		To:        note.To,
		Cc:        note.Cc,
		Object:    &note,
	}
}

// NewUpdate returns the Update activity with the given id for an edited
// note, addressed like the note and dated by its Updated time.
func NewUpdate(id string, note Note) *Activity {
	note.Context = nil
	return &Activity{
		Context:   DefaultContext(),
		ID:        id,
		Type:      TypeUpdate,
		Actor:     note.AttributedTo,
		Published: note.Updated,
		To:        note.To,
		Cc:        note.Cc,
		Object:    &note,
	}
}

// NewDelete returns the Delete activity with the given id by which actor
// withdraws the object objectID, replaced by a Tombstone, addressed to to
// and cc.
func NewDelete(id, actor, objectID string, to, cc []string) *Activity {
	return &Activity{
		Context: DefaultContext(),
		ID:      id,
		Type:    TypeDelete,
		Actor:   actor,
		To:      to,
		Cc:      cc,
		Object:  Tombstone{ID: objectID, Type: TypeTombstone},
	}
}

// NewAccept returns the Accept activity with the given id by which actor
// accepts a follow request. follow should repeat the received Follow (its
// id, actor and object), which is how Mastodon matches the Accept to its
// pending request. The Accept is addressed to the follower.
func NewAccept(id, actor string, follow Activity) *Activity {
	follow.Context = nil
	return &Activity{
		Context: DefaultContext(),
		ID:      id,
		Type:    TypeAccept,
		Actor:   actor,
		To:      []string{follow.Actor},
		Object:  &follow,
	}
}

// OrderedCollection is a collection described by its size and the links to
// its pages, such as an outbox. A followers collection that hides its
// members sets only ID, Type and TotalItems.
type OrderedCollection struct {
	Context    any    `json:"@context,omitempty"`
	ID         string `json:"id"`
	Type       string `json:"type"` // always "OrderedCollection"
	TotalItems int    `json:"totalItems"`
	First      string `json:"first,omitempty"`
	Last       string `json:"last,omitempty"`
	// OrderedItems lists the items' ids in a collection small enough to
	// give in full, such as a post's shown replies.
	OrderedItems []string `json:"orderedItems,omitempty"`
}

// OrderedCollectionPage is one page of an OrderedCollection. OrderedItems
// should be non-nil, so an empty page shows an empty list.
type OrderedCollectionPage struct {
	Context      any    `json:"@context,omitempty"`
	ID           string `json:"id"`
	Type         string `json:"type"` // always "OrderedCollectionPage"
	PartOf       string `json:"partOf"`
	Next         string `json:"next,omitempty"`
	Prev         string `json:"prev,omitempty"`
	OrderedItems []any  `json:"orderedItems"`
}
