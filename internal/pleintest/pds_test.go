package pleintest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"path"
	"strings"
	"testing"
	"time"

	"plein/internal/pleintest"
)

// TestPDS proves the AT Protocol test network is a real PDS: an account
// logs in with an app password, posts, uploads an image, reads both back
// and deletes the post.
func TestPDS(t *testing.T) {
	pds := pleintest.StartPDS(t)
	t.Logf("PDS %s with PLC %s started in %v", pds.URL, pds.PLCURL, pds.Startup)

	did, handle := pds.CreateAccount(t, "minbzk", "account-password")
	if !strings.HasPrefix(did, "did:plc:") || !strings.HasSuffix(handle, ".test") {
		t.Fatalf("account %q %q, want a did:plc and a handle ending in .test", did, handle)
	}
	appPassword := pds.CreateAppPassword(t, handle, "account-password", "Plein")
	if appPassword == "" || appPassword == "account-password" {
		t.Fatalf("app password %q", appPassword)
	}
	token := pds.Login(t, handle, appPassword)

	var wrong *pleintest.XRPCError
	err := pds.Call(http.MethodPost, "com.atproto.server.createSession", "",
		map[string]string{"identifier": handle, "password": "not-the-password"}, nil)
	if !errors.As(err, &wrong) || wrong.Status != http.StatusUnauthorized {
		t.Fatalf("logging in with a wrong password: %v, want an XRPC error 401", err)
	}

	// An image, uploaded as a blob.
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	var uploaded struct{ Blob json.RawMessage }
	if err := pds.Call(http.MethodPost, "com.atproto.repo.uploadBlob", token, bytes.NewReader(pngData.Bytes()), &uploaded); err != nil {
		t.Fatalf("uploading an image: %v", err)
	}
	var blob struct {
		Ref struct {
			Link string `json:"$link"`
		}
		MimeType string
		Size     int
	}
	if err := json.Unmarshal(uploaded.Blob, &blob); err != nil {
		t.Fatal(err)
	}
	if blob.MimeType != "image/png" || blob.Size != pngData.Len() || blob.Ref.Link == "" {
		t.Fatalf("uploaded blob %s, want image/png of %d bytes", uploaded.Blob, pngData.Len())
	}

	// A post with the image and its alt text.
	post := map[string]any{
		"$type":     "app.bsky.feed.post",
		"text":      "Het loket is dicht op 1 januari #plein",
		"createdAt": time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC).Format(time.RFC3339),
		"langs":     []string{"nl"},
		"facets": []any{map[string]any{
			"index":    map[string]int{"byteStart": 32, "byteEnd": 38},
			"features": []any{map[string]string{"$type": "app.bsky.richtext.facet#tag", "tag": "plein"}},
		}},
		"embed": map[string]any{
			"$type":  "app.bsky.embed.images",
			"images": []any{map[string]any{"image": uploaded.Blob, "alt": "Een gesloten deur"}},
		},
	}
	var created struct{ URI, CID string }
	in := map[string]any{"repo": did, "collection": "app.bsky.feed.post", "record": post}
	if err := pds.Call(http.MethodPost, "com.atproto.repo.createRecord", token, in, &created); err != nil {
		t.Fatalf("posting: %v", err)
	}
	rkey := path.Base(created.URI)
	if created.URI != "at://"+did+"/app.bsky.feed.post/"+rkey || created.CID == "" {
		t.Fatalf("created %+v", created)
	}

	rec, ok := pds.GetRecord(t, did, "app.bsky.feed.post", rkey)
	if !ok {
		t.Fatal("the post is not in the repository")
	}
	var got struct {
		Text   string
		Langs  []string
		Facets []struct {
			Index    struct{ ByteStart, ByteEnd int }
			Features []struct{ Tag string }
		}
		Embed struct {
			Images []struct {
				Alt   string
				Image struct {
					Ref struct {
						Link string `json:"$link"`
					}
				}
			}
		}
	}
	if err := json.Unmarshal(rec.Value, &got); err != nil {
		t.Fatal(err)
	}
	if got.Text != post["text"] || len(got.Langs) != 1 || got.Langs[0] != "nl" ||
		len(got.Facets) != 1 || got.Facets[0].Index.ByteStart != 32 || got.Facets[0].Features[0].Tag != "plein" ||
		len(got.Embed.Images) != 1 || got.Embed.Images[0].Alt != "Een gesloten deur" ||
		got.Embed.Images[0].Image.Ref.Link != blob.Ref.Link || rec.CID != created.CID {
		t.Fatalf("read back %s (cid %s), want the post as created (cid %s)", rec.Value, rec.CID, created.CID)
	}
	if recs := pds.ListRecords(t, did, "app.bsky.feed.post"); len(recs) != 1 || recs[0].URI != created.URI {
		t.Fatalf("listed %+v, want the one post", recs)
	}
	if b := pds.GetBlob(t, did, blob.Ref.Link); !bytes.Equal(b, pngData.Bytes()) {
		t.Fatalf("read back %d bytes of the image, want the %d uploaded", len(b), pngData.Len())
	}

	del := map[string]string{"repo": did, "collection": "app.bsky.feed.post", "rkey": rkey}
	if err := pds.Call(http.MethodPost, "com.atproto.repo.deleteRecord", token, del, nil); err != nil {
		t.Fatalf("deleting the post: %v", err)
	}
	if _, ok := pds.GetRecord(t, did, "app.bsky.feed.post", rkey); ok {
		t.Fatal("the deleted post is still in the repository")
	}
}

// TestPDSHandlesDiffer checks that accounts made from the same name on the
// shared PDS get different handles.
func TestPDSHandlesDiffer(t *testing.T) {
	pds := pleintest.StartPDS(t)
	did1, handle1 := pds.CreateAccount(t, "a-very-long-organisation-name", "pw-one-two-three")
	did2, handle2 := pds.CreateAccount(t, "a-very-long-organisation-name", "pw-one-two-three")
	if did1 == did2 || handle1 == handle2 {
		t.Fatalf("two accounts got %s %s and %s %s", did1, handle1, did2, handle2)
	}
}
