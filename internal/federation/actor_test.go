package federation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/jpeg"
	"net/http"
	"strings"
	"testing"
	"time"

	"plein/internal/activity"
	"plein/internal/auth"
	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// jpegImage returns a JPEG of w×h pixels.
func jpegImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i / 5)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestActorImages checks that the actor of an organisation shows its
// avatar as icon and its header as image, with the header's alt text as
// name, as Mastodon reads them; that followers receive the change; and
// that a removed header leaves the actor.
func TestActorImages(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fed := pleintest.NewFediverse(t)
			srv := pleintest.NewServer(t, e)
			o := srv.Org(t, "harderwijk")
			follow(t, srv, o, fed, fed.NewActor(t, "anna"))

			a, err := srv.App.Federation.Actor(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if a.Icon != nil || a.Image != nil {
				t.Fatalf("actor without images: icon %+v, image %+v", a.Icon, a.Image)
			}

			// Larger than the medium size, so that the large one differs.
			img := jpegImage(t, 1200, 400)
			if o, err = srv.App.Orgs.SetAvatar(ctx, auth.Operator(), o.ID, "logo.jpg", bytes.NewReader(img)); err != nil {
				t.Fatal(err)
			}
			const alt = "De boulevard van Harderwijk aan het Wolderwijd"
			if o, err = srv.App.Orgs.SetHeader(ctx, auth.Operator(), o.ID, "boulevard.jpg", bytes.NewReader(img), alt); err != nil {
				t.Fatal(err)
			}
			header, err := srv.App.Orgs.Header(ctx, o)
			if err != nil || header == nil {
				t.Fatalf("header: %v %v", header, err)
			}
			if a, err = srv.App.Federation.Actor(ctx, o); err != nil {
				t.Fatal(err)
			}
			large := header.Variant("large")
			want := activity.Image{Type: activity.TypeImage, MediaType: "image/jpeg", URL: srv.URL + "/media/" + large.Key, Name: alt}
			if a.Image == nil || *a.Image != want {
				t.Fatalf("image %+v, want %+v", a.Image, want)
			}
			if large.Width != 1200 || large.Key == header.Variant("medium").Key {
				t.Errorf("large variant %+v: not the largest size", large)
			}
			if a.Icon == nil || a.Icon.Name != "" || !strings.HasSuffix(a.Icon.URL, "/medium.jpg") {
				t.Errorf("icon %+v, want the avatar's medium size without a name", a.Icon)
			}
			if resp, body := srv.Get(t, strings.TrimPrefix(a.Image.URL, srv.URL)); resp.StatusCode != http.StatusOK ||
				resp.Header.Get("Content-Type") != "image/jpeg" || len(body) != int(large.Size) {
				t.Errorf("GET the header image: %d %s, %d bytes, want %d", resp.StatusCode, resp.Header.Get("Content-Type"), len(body), large.Size)
			}
			data, err := activity.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Image map[string]string `json:"image"`
			}
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Image["type"] != "Image" || doc.Image["url"] != want.URL || doc.Image["mediaType"] != "image/jpeg" || doc.Image["name"] != alt {
				t.Errorf("image in the actor document: %v", doc.Image)
			}

			// The follower's server receives the actor with its header.
			actorID := srv.URL + "/orgs/" + o.ID
			fed.WaitFor(t, 10*time.Second, func(r pleintest.Received) bool {
				return r.Verified && r.Activity != nil && r.Activity.Type == "Update" && r.Activity.Object.ID == actorID &&
					strings.Contains(string(r.Raw), alt)
			})

			if o, err = srv.App.Orgs.SetHeader(ctx, auth.Operator(), o.ID, "", nil, ""); err != nil {
				t.Fatal(err)
			}
			if a, err = srv.App.Federation.Actor(ctx, o); err != nil {
				t.Fatal(err)
			}
			if a.Image != nil || a.Icon == nil {
				t.Errorf("after removing the header: image %+v, icon %+v", a.Image, a.Icon)
			}
		})
	}
}
