package pleintest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"testing"
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
