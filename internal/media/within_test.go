package media

import (
	"bytes"
	"image/jpeg"
	"testing"
)

func TestJPEGWithin(t *testing.T) {
	t.Parallel()
	big := encodePNGFile(t, photo(1600, 1200)) // noisy: a large PNG
	small := encodeJPEGFile(t, photo(200, 150))
	for _, tc := range []struct {
		name      string
		data      []byte
		max       int
		unchanged bool
	}{
		{"a small JPEG is kept", small, 1_000_000, true},
		{"a PNG becomes a JPEG", big, 400_000, false},
		{"shrunk until it fits", big, 150_000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := JPEGWithin(tc.data, tc.max)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Data) > tc.max || v.ContentType != TypeJPEG {
				t.Fatalf("%d bytes of %s, want a JPEG of at most %d", len(v.Data), v.ContentType, tc.max)
			}
			if tc.unchanged != bytes.Equal(v.Data, tc.data) {
				t.Errorf("unchanged = %v, want %v", !tc.unchanged, tc.unchanged)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(v.Data))
			if err != nil || cfg.Width != v.Width || cfg.Height != v.Height {
				t.Errorf("decoded %dx%d, %v; variant says %dx%d", cfg.Width, cfg.Height, err, v.Width, v.Height)
			}
			if v.Width*3 != v.Height*4 && v.Width*3/4 != v.Height && (v.Width*3+3)/4 != v.Height {
				t.Errorf("aspect ratio lost: %dx%d", v.Width, v.Height)
			}
		})
	}
	if len(big) <= 400_000 {
		t.Fatalf("the test PNG has only %d bytes; it must be over the limit", len(big))
	}
}
