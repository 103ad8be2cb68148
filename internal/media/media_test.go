package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// decodeVariant decodes v.Data and checks that its format and size match
// what v declares.
func decodeVariant(t *testing.T, v Variant) image.Image {
	t.Helper()
	m, format, err := image.Decode(bytes.NewReader(v.Data))
	if err != nil {
		t.Fatalf("variant %s: decoding output: %v", v.Name, err)
	}
	wantFormat := map[string]string{TypeJPEG: "jpeg", TypePNG: "png"}[v.ContentType]
	if format != wantFormat {
		t.Errorf("variant %s: data is %s, content type says %s", v.Name, format, v.ContentType)
	}
	if b := m.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
		t.Errorf("variant %s: data is %dx%d, declared %dx%d", v.Name, b.Dx(), b.Dy(), v.Width, v.Height)
	}
	return m
}

// near reports whether c is within tol of want in every channel, comparing
// non-premultiplied values.
func near(c color.Color, want color.NRGBA, tol int) bool {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	d := func(a, b uint8) bool { return max(int(a)-int(b), int(b)-int(a)) <= tol }
	return d(n.R, want.R) && d(n.G, want.G) && d(n.B, want.B) && d(n.A, want.A)
}

func mustProcess(t *testing.T, data []byte) *Image {
	t.Helper()
	im, err := Process(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	return im
}

func TestProcessStripsMetadata(t *testing.T) {
	const maker = "PleinTestCamera Maker X100"
	opaque := photo(64, 48)
	translucent := quadrants(64, 48)
	translucent.SetNRGBA(0, 0, color.NRGBA{})

	xmp := append([]byte("http://ns.adobe.com/xap/1.0/\x00"),
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>52,22.2N</exif:GPSLatitude></x:xmpmeta>`...)

	tests := []struct {
		name      string
		input     []byte
		wantType  string
		forbidden [][]byte
	}{
		{
			name: "JPEG with EXIF maker and GPS, big-endian",
			input: withEXIF(encodeJPEGFile(t, opaque),
				exifInfo{order: binary.BigEndian, orientation: 1, maker: maker, gps: true}),
			wantType:  TypeJPEG,
			forbidden: [][]byte{[]byte("Exif"), []byte(maker), gpsLatitude(binary.BigEndian)},
		},
		{
			name: "JPEG with EXIF maker and GPS, little-endian",
			input: withEXIF(encodeJPEGFile(t, opaque),
				exifInfo{order: binary.LittleEndian, orientation: 3, maker: maker, gps: true}),
			wantType:  TypeJPEG,
			forbidden: [][]byte{[]byte("Exif"), []byte(maker), gpsLatitude(binary.LittleEndian)},
		},
		{
			name: "JPEG with XMP and a comment",
			input: withSegment(withSegment(encodeJPEGFile(t, opaque), 0xE1, xmp),
				0xFE, []byte("shot with "+maker)),
			wantType:  TypeJPEG,
			forbidden: [][]byte{[]byte("xmpmeta"), []byte("GPSLatitude"), []byte(maker)},
		},
		{
			name: "opaque PNG with tEXt and eXIf chunks",
			input: withPNGChunk(withPNGChunk(encodePNGFile(t, opaque),
				"tEXt", []byte("Comment\x00taken at secret-location 52.37N 4.89E")),
				"eXIf", exifTIFF(exifInfo{order: binary.BigEndian, maker: maker, gps: true})),
			wantType:  TypeJPEG,
			forbidden: [][]byte{[]byte("tEXt"), []byte("secret-location"), []byte("eXIf"), []byte(maker)},
		},
		{
			name: "transparent PNG with tEXt chunk",
			input: withPNGChunk(encodePNGFile(t, translucent),
				"tEXt", []byte("Author\x00secret-location 52.37N 4.89E")),
			wantType:  TypePNG,
			forbidden: [][]byte{[]byte("tEXt"), []byte("secret-location")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range tt.forbidden {
				if !bytes.Contains(tt.input, f) {
					t.Fatalf("test input lacks %q", f)
				}
			}
			im := mustProcess(t, tt.input)
			for _, v := range im.Variants {
				if v.ContentType != tt.wantType {
					t.Errorf("variant %s: content type %s, want %s", v.Name, v.ContentType, tt.wantType)
				}
				for _, f := range tt.forbidden {
					if bytes.Contains(v.Data, f) {
						t.Errorf("variant %s still contains %q", v.Name, f)
					}
				}
				decodeVariant(t, v)
			}
		})
	}
}

func TestProcessOrientation(t *testing.T) {
	// Colours of the upright image's quadrants: top-left, top-right,
	// bottom-left, bottom-right, for a stored image drawn by quadrants.
	upright := map[uint16][4]color.NRGBA{
		1: {red, green, blue, white},
		2: {green, red, white, blue},
		3: {white, blue, green, red},
		4: {blue, white, red, green},
		5: {red, blue, green, white},
		6: {blue, red, white, green},
		7: {white, green, blue, red},
		8: {green, white, red, blue},
	}
	sizes := []struct{ w, h int }{
		{64, 32},    // no scaling
		{2000, 200}, // scaled for every variant
	}
	for _, size := range sizes {
		src := encodeJPEGFile(t, quadrants(size.w, size.h))
		for o := uint16(1); o <= 8; o++ {
			t.Run(fmt.Sprintf("%dx%d orientation %d", size.w, size.h, o), func(t *testing.T) {
				t.Parallel()
				im := mustProcess(t, withEXIF(src, exifInfo{order: binary.BigEndian, orientation: o}))
				wantW, wantH := size.w, size.h
				if o >= 5 {
					wantW, wantH = size.h, size.w
				}
				if im.Width != wantW || im.Height != wantH {
					t.Fatalf("Image is %dx%d, want %dx%d", im.Width, im.Height, wantW, wantH)
				}
				for _, v := range im.Variants {
					if (v.Width > v.Height) != (wantW > wantH) {
						t.Errorf("variant %s is %dx%d, not in the orientation of %dx%d",
							v.Name, v.Width, v.Height, wantW, wantH)
					}
					m := decodeVariant(t, v)
					w, h := v.Width, v.Height
					centres := [4]image.Point{{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}}
					for i, p := range centres {
						if got := m.At(p.X, p.Y); !near(got, upright[o][i], 40) {
							t.Errorf("variant %s: quadrant %d is %v, want %v", v.Name, i, got, upright[o][i])
						}
					}
				}
			})
		}
	}
}

func TestProcessRefuses(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rnd.UintN(256))
	}
	validJPEG := encodeJPEGFile(t, photo(64, 48))
	arithmetic := bytes.Replace(validJPEG, []byte{0xFF, 0xC0}, []byte{0xFF, 0xC9}, 1) // SOF9: arithmetic coding
	bmp := append([]byte("BM"), make([]byte, 52)...)
	bmp[14] = 40

	all := []error{ErrTooLarge, ErrNotImage, ErrUnsupportedFormat, ErrTooManyPixels, ErrCorrupt}
	tests := []struct {
		name    string
		input   []byte
		want    []error // the error matches all of these and none of the others in all
		message string  // the error message contains this
	}{
		{"empty", nil, []error{ErrNotImage}, "not an image (accepted: JPEG, PNG, GIF, WebP)"},
		{"random bytes", random, []error{ErrNotImage}, "not an image"},
		{"text", []byte("Dear citizens,\nthe bridge is closed today.\n"), []error{ErrNotImage}, "not an image"},
		{"HTML", []byte("<!doctype html><html><body><svg></svg></body></html>"), []error{ErrNotImage}, "not an image"},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
			[]error{ErrNotImage, ErrUnsupportedFormat}, "SVG images are not accepted"},
		{"SVG with prolog", []byte("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- logo -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">\n<svg/>"),
			[]error{ErrNotImage, ErrUnsupportedFormat}, "SVG"},
		{"HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"),
			[]error{ErrNotImage, ErrUnsupportedFormat}, "export the photo as JPEG"},
		{"AVIF", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1"),
			[]error{ErrNotImage, ErrUnsupportedFormat}, "AVIF"},
		{"MP4 video", []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), []error{ErrNotImage}, "not an image"},
		{"TIFF", []byte("II*\x00\x08\x00\x00\x00"), []error{ErrNotImage, ErrUnsupportedFormat}, "TIFF"},
		{"BMP", bmp, []error{ErrNotImage, ErrUnsupportedFormat}, "BMP"},
		{"animated WebP", animatedWebPHeader(), []error{ErrNotImage, ErrUnsupportedFormat}, "animated WebP"},
		{"arithmetic-coded JPEG", arithmetic, []error{ErrNotImage, ErrUnsupportedFormat}, "standard JPEG"},
		{"PNG of 100000×100000", pngHeaderOnly(100000, 100000), []error{ErrTooManyPixels}, "100000 × 100000"},
		{"PNG wider than MaxSide", pngHeaderOnly(MaxSide+1, 10), []error{ErrTooManyPixels}, "at most 40 megapixels"},
		{"PNG of 42 megapixels", pngHeaderOnly(7000, 6000), []error{ErrTooManyPixels}, "12000 pixels per side"},
		{"PNG of 0×10", pngHeaderOnly(0, 10), []error{ErrCorrupt}, "damaged"},
		{"PNG without pixel data", pngHeaderOnly(100, 100), []error{ErrCorrupt}, "damaged or incomplete"},
		{"truncated JPEG", validJPEG[:len(validJPEG)/2], []error{ErrCorrupt}, "damaged or incomplete"},
		{"GIF header only", []byte("GIF89a"), []error{ErrCorrupt}, "damaged"},
		{"truncated WebP", solidWebP(10, 10, red)[:20], []error{ErrCorrupt}, "damaged"},
		{"WebP without image chunk", riffWebP(), []error{ErrCorrupt}, "damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im, err := Process(bytes.NewReader(tt.input))
			if err == nil {
				t.Fatalf("Process succeeded with %d variants, want an error", len(im.Variants))
			}
			for _, e := range all {
				want := false
				for _, w := range tt.want {
					want = want || w == e
				}
				if got := errors.Is(err, e); got != want {
					t.Errorf("errors.Is(%q, %q) = %v, want %v", err, e, got, want)
				}
			}
			if !strings.HasPrefix(err.Error(), "media: ") || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("message %q lacks the prefix or %q", err, tt.message)
			}
		})
	}
}

func TestProcessRefusesHugeHeaderWithoutAllocating(t *testing.T) {
	tests := []struct {
		name string
		w, h uint32
	}{
		{"100000×100000", 100000, 100000}, // 40 GB once decoded
		{"8000×6000", 8000, 6000},         // 192 MB once decoded
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := pngClaiming(tt.w, tt.h, true)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Process(bytes.NewReader(data))
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrTooManyPixels) {
				t.Fatalf("Process: %v, want ErrTooManyPixels", err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("Process allocated %d bytes refusing a header", n)
			}
		})
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestProcessSizeLimit(t *testing.T) {
	t.Run("11 MiB", func(t *testing.T) {
		_, err := Process(io.LimitReader(zeros{}, 11<<20))
		if !errors.Is(err, ErrTooLarge) || err.Error() != "media: file is larger than 10 MB" {
			t.Fatalf("Process: %v, want ErrTooLarge", err)
		}
	})
	t.Run("endless upload stops after the limit", func(t *testing.T) {
		r := &countingReader{r: zeros{}}
		_, err := Process(r)
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Process: %v, want ErrTooLarge", err)
		}
		if r.n > MaxUploadBytes+1 {
			t.Errorf("read %d bytes, want at most %d", r.n, MaxUploadBytes+1)
		}
	})
	t.Run("exactly MaxUploadBytes is accepted", func(t *testing.T) {
		data := encodePNGFile(t, photo(32, 32))
		data = append(data, make([]byte, MaxUploadBytes-len(data))...) // trailing bytes after IEND
		if _, err := Process(bytes.NewReader(data)); err != nil {
			t.Fatalf("Process: %v", err)
		}
	})
	t.Run("read error", func(t *testing.T) {
		boom := errors.New("connection reset")
		_, err := Process(io.MultiReader(bytes.NewReader([]byte("\x89PNG")), errReader{boom}))
		if !errors.Is(err, boom) {
			t.Fatalf("Process: %v, want %v", err, boom)
		}
		for _, e := range []error{ErrTooLarge, ErrNotImage, ErrCorrupt} {
			if errors.Is(err, e) {
				t.Errorf("read error %v matches %v", err, e)
			}
		}
	})
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestProcessVariants(t *testing.T) {
	type size struct{ w, h int }
	tests := []struct {
		name                 string
		src                  image.Image
		encode               func(testing.TB, image.Image) []byte
		large, medium, small size
	}{
		{"small PNG", photo(100, 50), encodePNGFile, size{100, 50}, size{100, 50}, size{100, 50}},
		{"between medium and small", photo(700, 300), encodePNGFile, size{700, 300}, size{700, 300}, size{480, 206}},
		{"exactly large", photo(1920, 1080), encodeJPEGFile, size{1920, 1080}, size{960, 540}, size{480, 270}},
		{"landscape photo", photo(2000, 1000), encodeJPEGFile, size{1920, 960}, size{960, 480}, size{480, 240}},
		{"portrait", photo(500, 2500), encodeJPEGFile, size{384, 1920}, size{192, 960}, size{96, 480}},
		{"one pixel high", photo(5000, 1), encodePNGFile, size{1920, 1}, size{960, 1}, size{480, 1}},
		{"single pixel", photo(1, 1), encodeGIFFile, size{1, 1}, size{1, 1}, size{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			im := mustProcess(t, tt.encode(t, tt.src))
			b := tt.src.Bounds()
			if im.Width != b.Dx() || im.Height != b.Dy() {
				t.Errorf("Image is %dx%d, want %dx%d", im.Width, im.Height, b.Dx(), b.Dy())
			}
			want := []struct {
				name string
				size size
			}{{VariantLarge, tt.large}, {VariantMedium, tt.medium}, {VariantSmall, tt.small}}
			if len(im.Variants) != len(want) {
				t.Fatalf("got %d variants, want %d", len(im.Variants), len(want))
			}
			for i, w := range want {
				v, ok := im.Variant(w.name)
				if !ok {
					t.Fatalf("variant %s missing", w.name)
				}
				if im.Variants[i].Name != w.name {
					t.Errorf("variant %d is %s, want %s", i, im.Variants[i].Name, w.name)
				}
				if v.Width != w.size.w || v.Height != w.size.h {
					t.Errorf("variant %s is %dx%d, want %dx%d", w.name, v.Width, v.Height, w.size.w, w.size.h)
				}
				if v.Width > b.Dx() || v.Height > b.Dy() {
					t.Errorf("variant %s is %dx%d, larger than the %dx%d source", w.name, v.Width, v.Height, b.Dx(), b.Dy())
				}
				if v.ContentType != TypeJPEG {
					t.Errorf("variant %s of an opaque image is %s", w.name, v.ContentType)
				}
				decodeVariant(t, v)
			}
		})
	}
	t.Run("unknown variant", func(t *testing.T) {
		im := mustProcess(t, encodePNGFile(t, photo(10, 10)))
		if v, ok := im.Variant("huge"); ok {
			t.Errorf("Variant(huge) = %v, true", v.Name)
		}
	})
}

func TestProcessScaledContent(t *testing.T) {
	// Scaling keeps the picture: the quadrants stay where they were, in
	// every variant, from a source large enough to be halved first.
	im := mustProcess(t, encodePNGFile(t, quadrants(4000, 400)))
	for _, v := range im.Variants {
		m := decodeVariant(t, v)
		w, h := v.Width, v.Height
		for i, p := range []image.Point{{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}} {
			want := [4]color.NRGBA{red, green, blue, white}[i]
			if got := m.At(p.X, p.Y); !near(got, want, 40) {
				t.Errorf("variant %s: quadrant %d is %v, want %v", v.Name, i, got, want)
			}
		}
	}
}

func TestProcessTransparency(t *testing.T) {
	onePixel := photo(40, 30)
	onePixel.Pix[3] = 0 // pixel (0, 0) fully transparent
	onePixelNRGBA := image.NewNRGBA(onePixel.Rect)
	for i := range onePixelNRGBA.Pix {
		onePixelNRGBA.Pix[i] = onePixel.Pix[i]
	}

	halfClear := image.NewNRGBA(image.Rect(0, 0, 4000, 400)) // halved, then scaled
	for y := range 400 {
		for x := 2000; x < 4000; x++ {
			halfClear.SetNRGBA(x, y, color.NRGBA{0, 0x80, 0xff, 0xff})
		}
	}

	pal := color.Palette{color.NRGBA{}, red, blue}
	transparentGIF := image.NewPaletted(image.Rect(0, 0, 20, 20), pal)
	for i := range transparentGIF.Pix {
		transparentGIF.Pix[i] = uint8(1 + i%2)
	}
	transparentGIF.Pix[0] = 0
	opaqueGIF := image.NewPaletted(image.Rect(0, 0, 20, 20), palette.Plan9)

	gray := image.NewGray(image.Rect(0, 0, 30, 30))

	// probe is a pixel to check in the large variant.
	type probe struct {
		x, y int
		want color.NRGBA
		tol  int
	}
	tests := []struct {
		name     string
		input    []byte
		wantType string
		probes   []probe
	}{
		{"opaque PNG", encodePNGFile(t, photo(40, 30)), TypeJPEG, nil},
		{"PNG with one transparent pixel", encodePNGFile(t, onePixelNRGBA), TypePNG,
			[]probe{{0, 0, color.NRGBA{}, 0}, {1, 0, color.NRGBA{onePixel.Pix[4], onePixel.Pix[5], onePixel.Pix[6], 0xff}, 0}}},
		{"PNG half transparent, scaled", encodePNGFile(t, halfClear), TypePNG,
			[]probe{{100, 96, color.NRGBA{}, 0}, {1800, 96, color.NRGBA{0, 0x80, 0xff, 0xff}, 2}}},
		{"GIF with transparent index", encodeGIFFile(t, transparentGIF), TypePNG,
			[]probe{{0, 0, color.NRGBA{}, 0}, {1, 0, blue, 0}}},
		{"opaque GIF", encodeGIFFile(t, opaqueGIF), TypeJPEG, nil},
		{"gray PNG", encodePNGFile(t, gray), TypeJPEG, []probe{{5, 5, color.NRGBA{0, 0, 0, 0xff}, 2}}},
		{"opaque WebP", solidWebP(50, 40, color.NRGBA{0x20, 0x80, 0xc0, 0xff}), TypeJPEG,
			[]probe{{25, 20, color.NRGBA{0x20, 0x80, 0xc0, 0xff}, 3}}},
		{"translucent WebP", solidWebP(50, 40, color.NRGBA{0x20, 0x80, 0xc0, 0x80}), TypePNG,
			[]probe{{25, 20, color.NRGBA{0x20, 0x80, 0xc0, 0x80}, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			im := mustProcess(t, tt.input)
			for _, v := range im.Variants {
				if v.ContentType != tt.wantType {
					t.Errorf("variant %s is %s, want %s", v.Name, v.ContentType, tt.wantType)
				}
			}
			large, _ := im.Variant(VariantLarge)
			m := decodeVariant(t, large)
			for _, p := range tt.probes {
				if got := m.At(p.x, p.y); !near(got, p.want, p.tol) {
					t.Errorf("pixel (%d, %d) is %v, want %v", p.x, p.y, got, p.want)
				}
			}
		})
	}
}

func TestProcessGIFFirstFrame(t *testing.T) {
	frame := func(r image.Rectangle, c uint8) *image.Paletted {
		m := image.NewPaletted(r, color.Palette{color.NRGBA{}, red, blue})
		for i := range m.Pix {
			m.Pix[i] = c
		}
		return m
	}
	t.Run("animation", func(t *testing.T) {
		var buf bytes.Buffer
		anim := &gif.GIF{
			Image: []*image.Paletted{frame(image.Rect(0, 0, 30, 20), 1), frame(image.Rect(0, 0, 30, 20), 2)},
			Delay: []int{50, 50},
		}
		if err := gif.EncodeAll(&buf, anim); err != nil {
			t.Fatal(err)
		}
		im := mustProcess(t, buf.Bytes())
		m := decodeVariant(t, im.Variants[0])
		if got := m.At(15, 10); !near(got, red, 40) {
			t.Errorf("pixel is %v, want the red of the first frame", got)
		}
	})
	t.Run("first frame smaller than the screen", func(t *testing.T) {
		var buf bytes.Buffer
		anim := &gif.GIF{
			Image:  []*image.Paletted{frame(image.Rect(10, 5, 20, 15), 1)},
			Delay:  []int{0},
			Config: image.Config{Width: 40, Height: 30, ColorModel: color.Palette{color.NRGBA{}, red, blue}},
		}
		if err := gif.EncodeAll(&buf, anim); err != nil {
			t.Fatal(err)
		}
		im := mustProcess(t, buf.Bytes())
		if im.Width != 40 || im.Height != 30 {
			t.Fatalf("Image is %dx%d, want the 40x30 screen", im.Width, im.Height)
		}
		v := im.Variants[0]
		if v.ContentType != TypePNG {
			t.Errorf("content type %s, want PNG for the uncovered screen", v.ContentType)
		}
		m := decodeVariant(t, v)
		if got := m.At(15, 10); !near(got, red, 0) {
			t.Errorf("pixel in the frame is %v, want red", got)
		}
		if got := m.At(2, 2); !near(got, color.NRGBA{}, 0) {
			t.Errorf("pixel outside the frame is %v, want transparent", got)
		}
	})
}

func TestProcessDedupesEqualVariants(t *testing.T) {
	im := mustProcess(t, encodePNGFile(t, photo(300, 200)))
	for _, v := range im.Variants[1:] {
		if &v.Data[0] != &im.Variants[0].Data[0] {
			t.Errorf("variant %s of a small image was encoded again", v.Name)
		}
	}
}

func TestExt(t *testing.T) {
	tests := []struct{ contentType, want string }{
		{"image/jpeg", ".jpg"},
		{"image/png", ".png"},
		{"IMAGE/PNG; charset=binary", ".png"},
		{"image/gif", ""},
		{"image/svg+xml", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Ext(tt.contentType); got != tt.want {
			t.Errorf("Ext(%q) = %q, want %q", tt.contentType, got, tt.want)
		}
	}
}

func TestKey(t *testing.T) {
	im := mustProcess(t, encodePNGFile(t, photo(10, 10)))
	for _, v := range im.Variants {
		key := Key("0a1b2c", v)
		if want := "0a1b2c/" + v.Name + ".jpg"; key != want {
			t.Errorf("Key = %q, want %q", key, want)
		}
		if ct, err := keyContentType(key); err != nil || ct != v.ContentType {
			t.Errorf("key %q: content type %q, %v; want %q", key, ct, err, v.ContentType)
		}
	}
}

// FuzzProcess checks that no input makes Process panic or return both an
// image and an error, and that every image it returns is complete.
func FuzzProcess(f *testing.F) {
	f.Add(encodeJPEGFile(f, photo(20, 10)))
	f.Add(withEXIF(encodeJPEGFile(f, photo(20, 10)), exifInfo{order: binary.LittleEndian, orientation: 6, maker: "x", gps: true}))
	f.Add(encodePNGFile(f, quadrants(12, 9)))
	f.Add(encodeGIFFile(f, quadrants(12, 9)))
	f.Add(solidWebP(7, 5, red))
	f.Add(pngHeaderOnly(100, 100))
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := Process(bytes.NewReader(data))
		if err != nil {
			if im != nil {
				t.Fatal("Process returned an image and an error")
			}
			return
		}
		for _, name := range []string{VariantLarge, VariantMedium, VariantSmall} {
			v, ok := im.Variant(name)
			if !ok || len(v.Data) == 0 || v.Width < 1 || v.Height < 1 {
				t.Fatalf("variant %s incomplete: %v %dx%d", name, ok, v.Width, v.Height)
			}
		}
	})
}

func BenchmarkProcess(b *testing.B) {
	data := encodeJPEGFile(b, photo(4000, 3000))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Process(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
