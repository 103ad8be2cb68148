package activity

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "incoming", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

const (
	anna  = "https://mastodon.example/users/anna"
	post  = orgID + "/posts/01JQ8Z"
	mkUsr = "https://misskey.example/users/9n1a2b3c4d"
)

func TestParseActivitySamples(t *testing.T) {
	tests := []struct {
		file     string
		embedded bool // whether the object was sent in full
		want     Incoming
	}{
		{"mastodon_follow.json", false, Incoming{
			ID: "https://mastodon.example/7c1a9e0f-0a5e-4c61-9d2b-0f5b6f0e1a2b", Type: TypeFollow,
			Actor: anna, Object: ObjectRef{ID: orgID},
		}},
		{"mastodon_undo_follow.json", true, Incoming{
			ID: anna + "#follows/3012/undo", Type: TypeUndo, Actor: anna,
			Object: ObjectRef{ID: "https://mastodon.example/7c1a9e0f-0a5e-4c61-9d2b-0f5b6f0e1a2b", Type: TypeFollow},
		}},
		{"pleroma_undo_follow_iri.json", false, Incoming{
			ID: "https://pleroma.example/activities/0e8f5c9a-3b4d-4f1e-9a7b-2c6d8e0f1a3b", Type: TypeUndo,
			Actor:  "https://pleroma.example/users/bob",
			Object: ObjectRef{ID: "https://pleroma.example/activities/5d1c2b3a-4e5f-6a7b-8c9d-0e1f2a3b4c5d"},
			To:     []string{orgID},
		}},
		{"misskey_like.json", false, Incoming{
			ID: "https://misskey.example/likes/9n2k4x7q1a", Type: TypeLike, Actor: mkUsr, Object: ObjectRef{ID: post},
		}},
		{"gotosocial_like.json", false, Incoming{
			ID: "https://gts.example/users/kees/liked/01JQA0T7R5Q2X8M4N6P3B1C9D7", Type: TypeLike,
			Actor: "https://gts.example/users/kees", Object: ObjectRef{ID: post}, To: []string{orgID},
		}},
		{"mastodon_announce.json", false, Incoming{
			ID: anna + "/statuses/113456789012345678/activity", Type: TypeAnnounce, Actor: anna,
			Object: ObjectRef{ID: post}, To: []string{Public}, Cc: []string{orgID, anna + "/followers"},
			Published: time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC),
		}},
		{"mastodon_delete_actor.json", false, Incoming{
			ID: "https://mastodon.example/users/gone#delete", Type: TypeDelete,
			Actor: "https://mastodon.example/users/gone", Object: ObjectRef{ID: "https://mastodon.example/users/gone"},
			To: []string{Public},
		}},
		{"mastodon_update_person.json", true, Incoming{
			ID: anna + "#updates/1762250000", Type: TypeUpdate, Actor: anna,
			Object: ObjectRef{ID: anna, Type: TypePerson}, To: []string{Public},
		}},
		{"mastodon_move.json", false, Incoming{
			ID: anna + "#moves/17", Type: TypeMove, Actor: anna, Object: ObjectRef{ID: anna},
			Target: "https://new.example/users/anna",
		}},
		{"compacted_variants.json", false, Incoming{
			ID: "https://odd.example/activities/1", Type: TypeAnnounce, Actor: "https://odd.example/users/x",
			Object: ObjectRef{ID: post}, To: []string{Public},
			Cc: []string{"https://odd.example/users/x/followers", Public},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseActivity(readSample(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if got.Object.Embedded() != tt.embedded {
				t.Errorf("Embedded() = %v, want %v", got.Object.Embedded(), tt.embedded)
			}
			got.Object.Raw = nil
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestParseActivityEmbeddedFollow(t *testing.T) {
	undo, err := ParseActivity(readSample(t, "mastodon_undo_follow.json"))
	if err != nil {
		t.Fatal(err)
	}
	follow, err := undo.Object.Activity()
	if err != nil {
		t.Fatal(err)
	}
	if follow.Type != TypeFollow || follow.Actor != anna || follow.Object.ID != orgID {
		t.Errorf("inner Follow = %+v", follow)
	}

	iriOnly, err := ParseActivity(readSample(t, "pleroma_undo_follow_iri.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iriOnly.Object.Activity(); !errors.Is(err, ErrMissing) {
		t.Errorf("Activity() of an IRI object: err = %v, want ErrMissing", err)
	}
}

func TestParseActivityNotes(t *testing.T) {
	tests := []struct {
		file string
		want RemoteNote
	}{
		{"mastodon_create_reply.json", RemoteNote{
			AttributedTo: anna,
			Content:      `<p><span class="h-card" translate="no"><a href="https://plein.example/@zeeendam" class="u-url mention">@<span>zeeendam</span></a></span> Wanneer is de <a href="https://mastodon.example/tags/brug" class="mention hashtag" rel="tag">#<span>brug</span></a> weer open?</p>`,
			ContentMap:   map[string]string{"nl": `<p><span class="h-card" translate="no"><a href="https://plein.example/@zeeendam" class="u-url mention">@<span>zeeendam</span></a></span> Wanneer is de <a href="https://mastodon.example/tags/brug" class="mention hashtag" rel="tag">#<span>brug</span></a> weer open?</p>`},
			InReplyTo:    post,
			Published:    time.Date(2026, 11, 3, 10, 5, 0, 0, time.UTC),
			URL:          "https://mastodon.example/@anna/113456789012345679",
			To:           []string{Public},
			Cc:           []string{anna + "/followers", orgID},
			Tag: []Tag{
				{Type: TypeMention, Href: orgID, Name: "@zeeendam@plein.example"},
				{Type: TypeHashtag, Href: "https://mastodon.example/tags/brug", Name: "#brug"},
			},
		}},
		{"gotosocial_create_reply.json", RemoteNote{
			AttributedTo: "https://gts.example/users/kees",
			Content:      `<p><span class="h-card"><a href="https://plein.example/@zeeendam" class="u-url mention" rel="nofollow noreferrer noopener" target="_blank">@<span>zeeendam</span></a></span> Zie foto.</p>`,
			ContentMap:   map[string]string{"nl": `<p><span class="h-card"><a href="https://plein.example/@zeeendam" class="u-url mention" rel="nofollow noreferrer noopener" target="_blank">@<span>zeeendam</span></a></span> Zie foto.</p>`},
			Summary:      "bouwwerk",
			Sensitive:    true,
			InReplyTo:    post,
			Published:    time.Date(2026, 11, 3, 10, 7, 12, 0, time.UTC),
			URL:          "https://gts.example/@kees/statuses/01JQA1B2C3D4E5F6G7H8J9K0M1",
			To:           []string{Public},
			Cc:           []string{"https://gts.example/users/kees/followers"},
			Tag:          []Tag{{Type: TypeMention, Href: orgID, Name: "@zeeendam@plein.example"}},
			Attachment: []Document{{
				Type: TypeDocument, MediaType: "image/jpeg",
				URL:  "https://gts.example/fileserver/01ABC/attachment/original/01DEF.jpeg",
				Name: "Foto van de afgesloten brug", Width: 1024, Height: 768,
			}},
		}},
		{"misskey_create_note.json", RemoteNote{
			AttributedTo: mkUsr,
			Content:      `<p><a href="https://plein.example/@zeeendam" class="u-url mention">@zeeendam@plein.example</a> dank! <a href="https://misskey.example/tags/brug" rel="tag">#brug</a></p>`,
			InReplyTo:    post,
			Published:    time.Date(2026, 11, 3, 10, 9, 0, 123000000, time.UTC),
			To:           []string{Public},
			Cc:           []string{mkUsr + "/followers", orgID},
			Tag: []Tag{
				{Type: TypeMention, Href: orgID, Name: "@zeeendam@plein.example"},
				{Type: TypeHashtag, Href: "https://misskey.example/tags/brug", Name: "#brug"},
				{Type: "Emoji", Name: ":blobcat:"},
			},
		}},
		{"peertube_video_create.json", RemoteNote{
			Content:    "<p>Report</p>", // from contentMap, first language in sorted order
			ContentMap: map[string]string{"nl": "<p>Verslag</p>", "en": "<p>Report</p>"},
			URL:        "https://tube.example/w/abc",
			Tag:        []Tag{{Type: TypeHashtag, Name: "#raad"}},
			Attachment: []Document{{Type: TypeImage, URL: "https://tube.example/thumb/abc.jpg"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseActivity(readSample(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if got.Type != TypeCreate || !got.Object.Embedded() {
				t.Fatalf("type %q, embedded %v", got.Type, got.Object.Embedded())
			}
			if got.Object.Note == nil {
				t.Fatalf("no Note for object type %q", got.Object.Type)
			}
			if !reflect.DeepEqual(*got.Object.Note, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got.Object.Note, tt.want)
			}
		})
	}
}

func TestParseActivityErrors(t *testing.T) {
	tooLarge := `{"id":"https://a.example/1","type":"Like","actor":"https://a.example/u","pad":"` +
		strings.Repeat("x", MaxActivityBytes) + `"}`
	tests := []struct {
		name string
		data string
		want error
	}{
		{"empty", ``, ErrMalformed},
		{"not JSON", `<html>`, ErrMalformed},
		{"truncated", `{"id":"https://a.example/1"`, ErrMalformed},
		{"array", `[{"id":"https://a.example/1"}]`, ErrMalformed},
		{"string", `"https://a.example/1"`, ErrMalformed},
		{"null", `null`, ErrMalformed},
		{"too large", tooLarge, ErrTooLarge},
		{"no id", `{"type":"Like","actor":"https://a.example/u","object":"https://b.example/p"}`, ErrMissing},
		{"id not a string", `{"id":7,"type":"Like","actor":"https://a.example/u"}`, ErrMissing},
		{"no type", `{"id":"https://a.example/1","actor":"https://a.example/u"}`, ErrMissing},
		{"empty type", `{"id":"https://a.example/1","type":"","actor":"https://a.example/u"}`, ErrMissing},
		{"no actor", `{"id":"https://a.example/1","type":"Like"}`, ErrMissing},
		{"null actor", `{"id":"https://a.example/1","type":"Like","actor":null}`, ErrMissing},
		{"actor object without id", `{"id":"https://a.example/1","type":"Like","actor":{"type":"Person"}}`, ErrMissing},
		{"two actors", `{"id":"https://a.example/1","type":"Like","actor":["https://a.example/u","https://b.example/u"]}`, ErrMalformed},
		{"relative id", `{"id":"/activities/1","type":"Like","actor":"https://a.example/u"}`, ErrInvalidIRI},
		{"acct actor", `{"id":"https://a.example/1","type":"Like","actor":"acct:u@a.example"}`, ErrInvalidIRI},
		{"ftp id", `{"id":"ftp://a.example/1","type":"Like","actor":"https://a.example/u"}`, ErrInvalidIRI},
		{"javascript actor", `{"id":"https://a.example/1","type":"Like","actor":"javascript:alert(1)"}`, ErrInvalidIRI},
		{"user info", `{"id":"https://a.example/1","type":"Like","actor":"https://x:y@a.example/u"}`, ErrInvalidIRI},
		{"no host", `{"id":"https:///1","type":"Like","actor":"https://a.example/u"}`, ErrInvalidIRI},
		{"bad object IRI", `{"id":"https://a.example/1","type":"Like","actor":"https://a.example/u","object":"not a url"}`, ErrInvalidIRI},
		{"bad embedded id", `{"id":"https://a.example/1","type":"Create","actor":"https://a.example/u","object":{"id":"urn:x","type":"Note"}}`, ErrInvalidIRI},
		{"bad target", `{"id":"https://a.example/1","type":"Move","actor":"https://a.example/u","target":"mailto:x@y"}`, ErrInvalidIRI},
		{"object number", `{"id":"https://a.example/1","type":"Like","actor":"https://a.example/u","object":5}`, ErrMalformed},
		{"two objects", `{"id":"https://a.example/1","type":"Delete","actor":"https://a.example/u","object":["https://a.example/p/1","https://a.example/p/2"]}`, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseActivity([]byte(tt.data))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if got != nil {
				t.Errorf("got %+v with an error", got)
			}
			if !strings.HasPrefix(err.Error(), "activity: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestParseActivityTolerates(t *testing.T) {
	// The same Like in forms real servers produce must all parse alike.
	variants := []string{
		`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://a.example/1","type":"Like","actor":"https://a.example/u","object":"https://plein.example/p"}`,
		`{"@context":["https://www.w3.org/ns/activitystreams",{"@language":"nl"}],"id":"https://a.example/1","type":"Like","actor":{"id":"https://a.example/u","type":"Person"},"object":{"id":"https://plein.example/p","type":"Note"}}`,
		`{"id":"https://a.example/1","type":["Like"],"actor":["https://a.example/u"],"object":["https://plein.example/p"],"extra":{"deep":[[[]]]}}`,
		"\n\t {\"@id\":\"https://a.example/1\",\"@type\":\"Like\",\"actor\":\"https://a.example/u\",\"object\":\"https://plein.example/p\"} \n",
		`{"id":"http://a.example/1","type":"Like","actor":"http://a.example/u","object":"http://plein.example/p"}`,
	}
	for i, v := range variants {
		got, err := ParseActivity([]byte(v))
		if err != nil {
			t.Errorf("variant %d: %v", i, err)
			continue
		}
		wantHost := "https://"
		if i == 4 {
			wantHost = "http://"
		}
		if got.ID != wantHost+"a.example/1" || got.Type != TypeLike || got.Actor != wantHost+"a.example/u" || got.Object.ID != wantHost+"plein.example/p" {
			t.Errorf("variant %d: got %+v", i, got)
		}
	}
}

func TestParseActor(t *testing.T) {
	update, err := ParseActivity(readSample(t, "mastodon_update_person.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseActor(update.Object.Raw)
	if err != nil {
		t.Fatal(err)
	}
	key := PublicKey{
		ID:           anna + "#main-key",
		Owner:        anna,
		PublicKeyPem: "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n",
	}
	want := RemoteActor{
		ID: anna, Type: TypePerson, PreferredUsername: "anna", Name: "Anna de Vries",
		Summary: "<p>Woont in Zeeënd.</p>", URL: "https://mastodon.example/@anna",
		Icon:  "https://files.mastodon.example/accounts/avatars/anna.jpg",
		Inbox: anna + "/inbox", Outbox: anna + "/outbox", SharedInbox: "https://mastodon.example/inbox",
		Followers: anna + "/followers", PublicKey: key, PublicKeys: []PublicKey{key},
		AlsoKnownAs: []string{"https://old.example/users/anna"},
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("got  %+v\nwant %+v", *got, want)
	}
	if k, ok := got.Key(anna + "#main-key"); !ok || k != key {
		t.Errorf("Key(main-key) = %v, %v", k, ok)
	}
	if _, ok := got.Key(anna + "#other"); ok {
		t.Error("Key found a key that is not there")
	}
}

func TestParseActorVariants(t *testing.T) {
	// publicKey as an array, icon as an array, a Misskey-style actor
	// without sharedInbox, and our own Organization round-tripped.
	multi := `{"id":"https://b.example/ap/actor","type":"Service","inbox":"https://b.example/ap/inbox",
		"publicKey":[{"id":"https://b.example/ap/actor#rsa","owner":"https://b.example/ap/actor","publicKeyPem":"RSA"},
		{"id":"https://b.example/ap/actor#broken"},
		{"id":"https://b.example/ap/actor#ed25519","owner":{"id":"https://b.example/ap/actor"},"publicKeyPem":"ED"}],
		"icon":[{"type":"Image","url":"https://b.example/a.png"},{"type":"Image","url":"https://b.example/b.png"}],
		"movedTo":"https://c.example/actor","manuallyApprovesFollowers":true}`
	a, err := ParseActor([]byte(multi))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.PublicKeys) != 2 || a.PublicKey.ID != "https://b.example/ap/actor#rsa" {
		t.Errorf("keys = %+v", a.PublicKeys)
	}
	if k, ok := a.Key("https://b.example/ap/actor#ed25519"); !ok || k.Owner != "https://b.example/ap/actor" || k.PublicKeyPem != "ED" {
		t.Errorf("second key = %+v, %v", k, ok)
	}
	if a.Icon != "https://b.example/a.png" || a.SharedInbox != "" || a.MovedTo != "https://c.example/actor" || !a.ManuallyApprovesFollowers {
		t.Errorf("actor = %+v", a)
	}

	data, err := Marshal(testActor())
	if err != nil {
		t.Fatal(err)
	}
	own, err := ParseActor(data)
	if err != nil {
		t.Fatal(err)
	}
	if own.ID != orgID || own.Type != TypeOrganization || own.SharedInbox != origin+"/inbox" ||
		own.Icon != origin+"/media/zeeendam-icon.png" || own.PublicKey != testActor().PublicKey ||
		!reflect.DeepEqual(own.AlsoKnownAs, testActor().AlsoKnownAs) {
		t.Errorf("own actor round trip = %+v", own)
	}

	errs := []struct {
		name string
		data string
		want error
	}{
		{"not an object", `[]`, ErrMalformed},
		{"no inbox", `{"id":"https://b.example/u","type":"Person"}`, ErrMissing},
		{"no type", `{"id":"https://b.example/u","inbox":"https://b.example/i"}`, ErrMissing},
		{"bad inbox", `{"id":"https://b.example/u","type":"Person","inbox":"/inbox"}`, ErrInvalidIRI},
		{"bad shared inbox", `{"id":"https://b.example/u","type":"Person","inbox":"https://b.example/i","endpoints":{"sharedInbox":"file:///etc/passwd"}}`, ErrInvalidIRI},
		{"too large", `{"x":"` + strings.Repeat("a", MaxActivityBytes) + `"}`, ErrTooLarge},
	}
	for _, tt := range errs {
		if _, err := ParseActor([]byte(tt.data)); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestRoundTrip marshals a Note in a Create and parses it back.
func TestRoundTrip(t *testing.T) {
	for _, note := range []Note{testNote(), testWarningNote()} {
		note.Updated = Time{time.Date(2026, 11, 6, 7, 0, 0, 0, time.UTC)}
		data, err := Marshal(NewCreate(note.ID+"/activity", note))
		if err != nil {
			t.Fatal(err)
		}
		in, err := ParseActivity(data)
		if err != nil {
			t.Fatal(err)
		}
		if in.ID != note.ID+"/activity" || in.Type != TypeCreate || in.Actor != orgID ||
			!reflect.DeepEqual(in.To, note.To) || !reflect.DeepEqual(in.Cc, note.Cc) ||
			!in.Published.Equal(note.Published.Truncate(time.Second)) {
			t.Errorf("activity = %+v", in)
		}
		if in.Object.ID != note.ID || in.Object.Type != TypeNote || in.Object.Note == nil {
			t.Fatalf("object = %+v", in.Object)
		}
		got := *in.Object.Note
		want := RemoteNote{
			AttributedTo: note.AttributedTo, Content: note.Content, ContentMap: note.ContentMap,
			Summary: note.Summary, Sensitive: note.Sensitive, InReplyTo: note.InReplyTo,
			Published: note.Published.Truncate(time.Second).UTC(), Updated: note.Updated.Time,
			URL: note.URL, To: note.To, Cc: note.Cc, Tag: note.Tag, Attachment: note.Attachment,
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip:\ngot  %+v\nwant %+v", got, want)
		}
		// The raw object is what was sent.
		var sent struct{ Object json.RawMessage }
		if err := json.Unmarshal(data, &sent); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(in.Object.Raw, sent.Object) {
			t.Error("Raw differs from the sent object")
		}
	}
}

func FuzzParseActivity(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "incoming"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		f.Add(readSample(f, e.Name()))
	}
	f.Add([]byte(`{"id":"https://a.example/1","type":"Like","actor":[{"id":[]}],"object":[{"type":[1]}]}`))
	f.Add([]byte(`{"id":"https://a.example/1","type":"Create","actor":"https://a.example/u","object":{"type":"Note","tag":{"href":{}},"url":[[],{}],"width":1e308}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseActivity(data)
		if err == nil {
			if in.ID == "" || in.Type == "" || in.Actor == "" {
				t.Errorf("accepted without id, type or actor: %+v", in)
			}
			if in.Object.Embedded() {
				if o, err := in.Object.Activity(); err == nil && o.Actor == "" {
					t.Errorf("embedded activity without actor: %+v", o)
				}
			}
		}
		if a, err := ParseActor(data); err == nil && (a.ID == "" || a.Inbox == "") {
			t.Errorf("actor accepted without id or inbox: %+v", a)
		}
	})
}
