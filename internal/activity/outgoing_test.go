package activity

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const (
	origin   = "https://plein.example"
	orgID    = origin + "/@zeeendam"
	followID = orgID + "/followers"
)

// cet is a zone other than UTC, to show that times are written in UTC.
var cet = time.FixedZone("CET", 3600)

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update after checking the change):\n%s", path, got)
	}
}

// indented marshals v with Marshal and indents it for a readable golden file.
func indented(t *testing.T, v any) []byte {
	t.Helper()
	data, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, data, "", "  "); err != nil {
		t.Fatal(err)
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

func testActor() *Actor {
	return &Actor{
		Context:           DefaultContext(),
		ID:                orgID,
		Type:              TypeOrganization,
		PreferredUsername: "zeeendam",
		Name:              "Gemeente Zeeënd & Dam",
		Summary:           "<p>Nieuws van de gemeente Zeeënd &amp; Dam.</p>",
		URL:               orgID,
		Icon:              &Image{Type: TypeImage, MediaType: "image/png", URL: origin + "/media/zeeendam-icon.png"},
		Image:             &Image{Type: TypeImage, MediaType: "image/jpeg", URL: origin + "/media/zeeendam-header.jpg", Name: "De dijk bij Zeeënd met de molen in de avondzon"},
		Inbox:             orgID + "/inbox",
		Outbox:            orgID + "/outbox",
		Followers:         followID,
		Following:         orgID + "/following",
		Featured:          orgID + "/featured",
		Endpoints:         &Endpoints{SharedInbox: origin + "/inbox"},
		PublicKey: PublicKey{
			ID:           orgID + "#main-key",
			Owner:        orgID,
			PublicKeyPem: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n",
		},
		Attachment: []PropertyValue{{
			Type:  TypePropertyValue,
			Name:  "Website",
			Value: `<a href="https://www.zeeendam.example" rel="me nofollow noopener noreferrer" target="_blank">www.zeeendam.example</a>`,
		}},
		AlsoKnownAs:  []string{"https://mastodon.example/users/zeeendam"},
		Discoverable: true,
		Indexable:    true,
		Published:    Time{time.Date(2026, 3, 1, 9, 0, 0, 0, cet)},
	}
}

func testNote() Note {
	id := orgID + "/posts/01JQ8Z"
	return Note{
		Context:      DefaultContext(),
		ID:           id,
		Type:         TypeNote,
		Published:    Time{time.Date(2026, 11, 3, 10, 15, 30, 123456789, cet)},
		URL:          id,
		AttributedTo: orgID,
		To:           []string{Public},
		Cc:           []string{followID, "https://mastodon.example/users/anna"},
		Content:      `<p>Werk aan de <a href="https://plein.example/tags/brug" class="mention hashtag" rel="tag">#<span>brug</span></a>, vraag van <span class="h-card" translate="no"><a href="https://mastodon.example/@anna" class="u-url mention">@<span>anna</span></a></span>.</p>`,
		ContentMap:   map[string]string{"nl": `<p>Werk aan de <a href="https://plein.example/tags/brug" class="mention hashtag" rel="tag">#<span>brug</span></a>, vraag van <span class="h-card" translate="no"><a href="https://mastodon.example/@anna" class="u-url mention">@<span>anna</span></a></span>.</p>`},
		Attachment: []Document{{
			Type:      TypeImage,
			MediaType: "image/jpeg",
			URL:       origin + "/media/brug.jpg",
			Name:      "De Hoge Brug met steigers, gezien vanaf de kade",
			Width:     1600,
			Height:    900,
		}},
		Tag: []Tag{
			{Type: TypeMention, Href: "https://mastodon.example/users/anna", Name: "@anna@mastodon.example"},
			{Type: TypeHashtag, Href: origin + "/tags/brug", Name: "#brug"},
		},
	}
}

func testWarningNote() Note {
	id := orgID + "/posts/01JQ9A"
	return Note{
		Context:      DefaultContext(),
		ID:           id,
		Type:         TypeNote,
		Summary:      "Verkeersongeval",
		Published:    Time{time.Date(2026, 11, 4, 8, 0, 0, 0, time.UTC)},
		URL:          id,
		AttributedTo: orgID,
		To:           []string{Public},
		Cc:           []string{followID},
		Sensitive:    true,
		Content:      "<p>De N57 is afgesloten na een ongeval.</p>",
		ContentMap:   map[string]string{"nl": "<p>De N57 is afgesloten na een ongeval.</p>"},
	}
}

// testAnswerNote is an organisation's answer to a citizen's reply: it
// replies to the citizen's note, names the citizen first in its content as
// Mastodon does, tags the citizen and addresses the citizen in cc.
func testAnswerNote() Note {
	id := orgID + "/posts/01JQ9B"
	content := `<p><span class="h-card" translate="no"><a href="https://mastodon.example/@anna" class="u-url mention">@<span>anna</span></a></span> De brug gaat vrijdag weer open.</p>`
	return Note{
		Context:      DefaultContext(),
		ID:           id,
		Type:         TypeNote,
		InReplyTo:    "https://mastodon.example/users/anna/statuses/113456789012345679",
		Published:    Time{time.Date(2026, 11, 3, 11, 0, 0, 0, time.UTC)},
		URL:          id,
		AttributedTo: orgID,
		To:           []string{Public},
		Cc:           []string{followID, "https://mastodon.example/users/anna"},
		Content:      content,
		ContentMap:   map[string]string{"nl": content},
		Tag:          []Tag{{Type: TypeMention, Href: "https://mastodon.example/users/anna", Name: "@anna@mastodon.example"}},
	}
}

func TestGolden(t *testing.T) {
	note := testNote()
	edited := testWarningNote()
	edited.Updated = Time{time.Date(2026, 11, 4, 9, 30, 0, 0, time.UTC)}
	follow := Activity{
		Context: []any{ActivityStreams},
		ID:      "https://mastodon.example/7c1a9e0f-0a5e-4c61-9d2b-0f5b6f0e1a2b",
		Type:    TypeFollow,
		Actor:   "https://mastodon.example/users/anna",
		Object:  IRI(orgID),
	}
	instance := &Actor{
		Context:                   DefaultContext(),
		ID:                        origin + "/actor",
		Type:                      TypeApplication,
		PreferredUsername:         "plein.example",
		URL:                       origin + "/about",
		Inbox:                     origin + "/actor/inbox",
		Outbox:                    origin + "/actor/outbox",
		Endpoints:                 &Endpoints{SharedInbox: origin + "/inbox"},
		PublicKey:                 PublicKey{ID: origin + "/actor#main-key", Owner: origin + "/actor", PublicKeyPem: "PEM"},
		ManuallyApprovesFollowers: true,
	}
	create := NewCreate(orgID+"/posts/01JQ8Z/activity", note)
	nodeInfo := NewNodeInfo(
		NodeInfoSoftware{Name: "plein", Version: "0.1.0", Homepage: origin},
		NodeInfoUsage{Users: NodeInfoUsers{Total: 3, ActiveMonth: 2, ActiveHalfyear: 3}, LocalPosts: 41},
	)
	tests := []struct {
		golden string
		doc    any
	}{
		{"actor.json", testActor()},
		{"instance_actor.json", instance},
		{"note.json", note},
		{"note_content_warning.json", testWarningNote()},
		{"note_answer.json", testAnswerNote()},
		{"create.json", create},
		{"update.json", NewUpdate(orgID+"/posts/01JQ9A#updates/1762248600", edited)},
		{"delete.json", NewDelete(orgID+"/posts/01JQ9A#delete", orgID, orgID+"/posts/01JQ9A", []string{Public}, []string{followID})},
		{"accept_follow.json", NewAccept(orgID+"#accepts/follows/42", orgID, follow)},
		{"announce.json", &Activity{
			Context: DefaultContext(), ID: orgID + "/announces/7", Type: TypeAnnounce, Actor: orgID,
			Published: Time{time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC)},
			To:        []string{Public}, Cc: []string{"https://mastodon.example/users/anna", followID},
			Object: IRI("https://mastodon.example/users/anna/statuses/1"),
		}},
		{"followers.json", OrderedCollection{Context: DefaultContext(), ID: followID, Type: TypeOrderedCollection, TotalItems: 1234}},
		{"outbox.json", OrderedCollection{
			Context: DefaultContext(), ID: orgID + "/outbox", Type: TypeOrderedCollection, TotalItems: 2,
			First: orgID + "/outbox?page=true", Last: orgID + "/outbox?page=true&min_id=0",
		}},
		{"outbox_page.json", OrderedCollectionPage{
			Context: DefaultContext(), ID: orgID + "/outbox?page=true", Type: TypeOrderedCollectionPage,
			PartOf: orgID + "/outbox", Next: orgID + "/outbox?page=true&max_id=01JQ8Z",
			OrderedItems: []any{create},
		}},
		{"webfinger.json", JRD{
			Subject: "acct:zeeendam@plein.example",
			Aliases: []string{orgID},
			Links: []JRDLink{
				{Rel: RelProfilePage, Type: "text/html", Href: orgID},
				{Rel: RelSelf, Type: ContentType, Href: orgID},
				{Rel: RelSubscribe, Template: origin + "/authorize_interaction?uri={uri}"},
			},
		}},
		{"webfinger_instance_actor.json", JRD{
			Subject: "acct:plein.example@plein.example",
			Aliases: []string{origin + "/actor"},
			Links:   []JRDLink{{Rel: RelSelf, Type: ContentType, Href: origin + "/actor"}},
		}},
		{"following.json", OrderedCollection{Context: DefaultContext(), ID: orgID + "/following", Type: TypeOrderedCollection}},
		{"nodeinfo_links.json", NewNodeInfoLinks(origin)},
		{"nodeinfo.json", nodeInfo},
		{"nodeinfo_2.0.json", nodeInfo.V20()},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			checkGolden(t, tt.golden, indented(t, tt.doc))
		})
	}
	t.Run("host-meta.xml", func(t *testing.T) {
		out, err := MarshalXRD(HostMeta(origin))
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "host-meta.xml", out)
	})
}

// TestMarshalShape checks properties of the wire form that golden files
// alone would not make explicit.
func TestMarshalShape(t *testing.T) {
	create := NewCreate("https://plein.example/a/1", testNote())
	data, err := Marshal(create)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	ctx, ok := m["@context"].([]any)
	if !ok || len(ctx) != 3 || ctx[0] != ActivityStreams || ctx[1] != Security {
		t.Errorf("@context = %v", m["@context"])
	}
	terms, _ := ctx[2].(map[string]any)
	for _, term := range []string{"manuallyApprovesFollowers", "toot", "discoverable", "indexable", "featured", "alsoKnownAs", "schema", "PropertyValue", "value", "sensitive", "Hashtag"} {
		if _, ok := terms[term]; !ok {
			t.Errorf("@context lacks term %q", term)
		}
	}
	obj, ok := m["object"].(map[string]any)
	if !ok {
		t.Fatalf("object = %T, want embedded object", m["object"])
	}
	if _, ok := obj["@context"]; ok {
		t.Error("embedded Note carries its own @context")
	}
	if obj["published"] != "2026-11-03T09:15:30Z" {
		t.Errorf("published = %v, want whole seconds in UTC", obj["published"])
	}
	if m["published"] != obj["published"] {
		t.Errorf("Create published %v differs from Note %v", m["published"], obj["published"])
	}
	if strings.Contains(string(data), `\u003c`) {
		t.Error("HTML is escaped")
	}

	undo, err := Marshal(&Activity{ID: "https://plein.example/u/1", Type: TypeUndo, Actor: orgID, Object: IRI("https://plein.example/a/1")})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(undo), `"object":"https://plein.example/a/1"`) {
		t.Errorf("IRI object not a string: %s", undo)
	}
	if strings.Contains(string(undo), "@context") || strings.Contains(string(undo), "published") {
		t.Errorf("unset @context or published written: %s", undo)
	}

	// NewCreate must not change the note it was given.
	note := testNote()
	NewCreate("https://plein.example/a/2", note)
	if note.Context == nil {
		t.Error("NewCreate cleared the caller's @context")
	}
}

func TestIsActivityPubAccept(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"application/activity+json", true},
		{`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, true},
		{`application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, true},
		{`application/ld+json;profile="http://example.org/x https://www.w3.org/ns/activitystreams"`, true},
		{"Application/Activity+JSON; charset=utf-8", true},
		{"text/html, application/activity+json;q=0.9", true},
		{"application/activity+json;q=0", false},
		{"application/ld+json", false},
		{`application/ld+json; profile="https://example.org/other"`, false},
		{"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false},
		{"*/*", false},
		{"application/json", false},
		{"", false},
		{`application/ld+json; profile="a,b", text/html`, false},
		{"garbage;;;", false},
	}
	for _, tt := range tests {
		if got := IsActivityPubAccept(tt.header); got != tt.want {
			t.Errorf("IsActivityPubAccept(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}
