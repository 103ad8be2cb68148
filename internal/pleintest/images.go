package pleintest

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"testing"
	"time"

	"plein/internal/model"
)

// BrokenPNG returns a PNG file whose header is sound but whose second
// chunk claims an impossible length, as a file cut short or damaged in
// transfer does: its size can be read, its pixels cannot. Go's decoder
// answers it with "png: invalid format: …", text no person
// should see.
func BrokenPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(0, 0, color.Transparent)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	// The signature (8 bytes) and the IHDR chunk (4 + 4 + 13 + 4 bytes)
	// come first; the next four bytes are the following chunk's length.
	binary.BigEndian.PutUint32(data[33:37], 0xAA27_1C02)
	return data
}

// PublishImagesWithoutAlt stores a published post of o with n images that
// have no description, straight in the store: the post service refuses
// such a post, but content imported from elsewhere may have them. The
// images' files are not stored.
func PublishImagesWithoutAlt(t testing.TB, s *Server, o *model.Org, n int) *model.Post {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	p := &model.Post{ID: model.NewID(now), OrgID: o.ID, State: model.StatePublished, Text: "Foto's zonder beschrijving", Language: "nl",
		PublishAt: now, CreatedAt: now, UpdatedAt: now, Revisions: 1}
	st := s.App.Store
	for i := range n {
		m := &model.Media{ID: model.NewID(now.Add(time.Duration(i+1) * time.Millisecond)), OrgID: o.ID, ContentType: "image/png", Width: 8, Height: 6,
			Variants:  []model.MediaVariant{{Name: "large", Key: o.ID + "/" + p.ID + "-" + strconv.Itoa(i) + ".png", ContentType: "image/png", Width: 8, Height: 6, Size: 1}},
			CreatedAt: now}
		if err := st.CreateMedia(ctx, m); err != nil {
			t.Fatalf("pleintest: storing an image without a description: %v", err)
		}
		p.Attachments = append(p.Attachments, model.Attachment{MediaID: m.ID})
	}
	if err := st.CreatePost(ctx, p); err != nil {
		t.Fatalf("pleintest: storing a post with images without a description: %v", err)
	}
	if err := st.MarkChanged(ctx); err != nil {
		t.Fatalf("pleintest: marking the change: %v", err)
	}
	return p
}
