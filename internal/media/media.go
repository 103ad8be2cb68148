// Package media turns uploaded images into safe, resized variants and stores
// them.
//
// Process reads an upload of at most MaxUploadBytes, recognises JPEG, PNG, GIF
// and WebP by their first bytes, checks the dimensions in the header before
// decoding anything (so a small file claiming a huge image is refused without
// allocating it), decodes, turns JPEG photos upright according to their EXIF
// orientation and re-encodes every variant from pixels alone. Re-encoding
// drops all metadata (EXIF, GPS position, camera maker, XMP, PNG text chunks),
// so nothing but pixels ever reaches a citizen.
//
// Store keeps the encoded variants under keys of the form "<id>/<variant>.jpg";
// LocalStore is the implementation on local disk.
//
// Errors that refuse an upload (ErrTooLarge, ErrNotImage,
// ErrUnsupportedFormat, ErrTooManyPixels, ErrCorrupt) carry messages written
// for the person who uploaded the file; they contain no paths and are safe to
// show.
package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"strings"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

const (
	// MaxUploadBytes is the largest upload Process accepts: 10 MiB.
	MaxUploadBytes = 10 << 20
	// MaxPixels is the largest number of pixels (width × height) Process
	// decodes: 40 megapixels.
	MaxPixels = 40_000_000
	// MaxSide is the largest width or height, in pixels, Process decodes.
	MaxSide = 12000
)

// Variant names. Every Image returned by Process has all three.
const (
	VariantLarge  = "large"  // longest side at most 1920 pixels
	VariantMedium = "medium" // longest side at most 960 pixels
	VariantSmall  = "small"  // longest side at most 480 pixels
)

// variantSpecs lists the variants from largest to smallest; each is scaled
// from the one before it.
var variantSpecs = []struct {
	name    string
	maxSide int
}{
	{VariantLarge, 1920},
	{VariantMedium, 960},
	{VariantSmall, 480},
}

// Content types of the encoded variants.
const (
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
)

// jpegQuality is the quality of the JPEG variants: visually clean for photos
// at about a third of the size of quality 100.
const jpegQuality = 85

const accepted = "(accepted: JPEG, PNG, GIF, WebP)"

var (
	// ErrTooLarge means the upload is larger than MaxUploadBytes.
	ErrTooLarge = fmt.Errorf("media: file is larger than %d MB", MaxUploadBytes>>20)
	// ErrNotImage means the upload is not an image Process accepts. Errors
	// matching ErrUnsupportedFormat match ErrNotImage as well.
	ErrNotImage = errors.New("media: not an image " + accepted)
	// ErrUnsupportedFormat means the upload is an image in a format or
	// variant Process does not accept, such as HEIC, SVG, TIFF or an
	// animated WebP. The error's message names the format.
	ErrUnsupportedFormat = errors.New("media: image format not accepted " + accepted)
	// ErrTooManyPixels means the image has more than MaxPixels pixels or a
	// side longer than MaxSide; it is refused before decoding.
	ErrTooManyPixels = fmt.Errorf("media: image is too large (at most %d megapixels and %d pixels per side)",
		MaxPixels/1_000_000, MaxSide)
	// ErrCorrupt means the file looks like an accepted image format but
	// cannot be decoded: it is damaged or incomplete.
	ErrCorrupt = errors.New("media: image file is damaged or incomplete")
)

// refusal is an error with a message for the uploader that matches one or
// more sentinel errors and keeps any underlying cause in its chain.
type refusal struct {
	msg  string
	errs []error
}

func (e *refusal) Error() string   { return e.msg }
func (e *refusal) Unwrap() []error { return e.errs }

// unsupported returns an error matching ErrUnsupportedFormat and ErrNotImage.
func unsupported(msg string, cause error) error {
	errs := []error{ErrUnsupportedFormat, ErrNotImage}
	if cause != nil {
		errs = append(errs, cause)
	}
	return &refusal{msg: "media: " + msg, errs: errs}
}

// Variant is one encoded size of a processed image.
type Variant struct {
	Name          string // VariantLarge, VariantMedium or VariantSmall
	Width, Height int
	ContentType   string // TypeJPEG or TypePNG
	Data          []byte
}

// Image is the result of Process.
type Image struct {
	// Width and Height are the size of the source image after applying its
	// orientation.
	Width, Height int
	// Variants holds one entry per variant name, largest first. Variants
	// whose size equals the one before share its Data.
	Variants []Variant
}

// Variant returns the variant with the given name.
func (im *Image) Variant(name string) (Variant, bool) {
	for _, v := range im.Variants {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// Ext returns the file extension, with its dot, for a content type Process
// produces: ".jpg" or ".png". It returns "" for any other content type.
func Ext(contentType string) string {
	ct, _, _ := strings.Cut(contentType, ";")
	switch strings.ToLower(strings.TrimSpace(ct)) {
	case TypeJPEG:
		return ".jpg"
	case TypePNG:
		return ".png"
	}
	return ""
}

// Key returns the store key of variant v of the image with the given id, such
// as "3f9a/large.jpg". The id must consist of lower-case letters and digits
// for the key to be valid.
func Key(id string, v Variant) string {
	return id + "/" + v.Name + Ext(v.ContentType)
}

// Process reads an uploaded image from r and returns its variants, stripped of
// all metadata. It reads at most MaxUploadBytes+1 bytes from r. Errors that
// refuse the upload match ErrTooLarge, ErrNotImage, ErrUnsupportedFormat,
// ErrTooManyPixels or ErrCorrupt; other errors come from reading r.
//
// Memory use is bounded: the dimensions are checked before decoding, so the
// decoded image holds at most MaxPixels pixels.
func Process(r io.Reader) (*Image, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxUploadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("media: reading upload: %w", err)
	}
	if len(data) > MaxUploadBytes {
		return nil, ErrTooLarge
	}
	f, err := sniff(data)
	if err != nil {
		return nil, err
	}

	cfg, err := f.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, decodeError(f, err)
	}
	if err := checkDimensions(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	src, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, decodeError(f, err)
	}
	if f == formatGIF {
		src = gifCanvas(src, cfg.Width, cfg.Height)
	}
	b := src.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		// The decoders read the same header as DecodeConfig; a mismatch
		// means a malformed file.
		return nil, decodeError(f, fmt.Errorf("decoded size %dx%d differs from header %dx%d",
			b.Dx(), b.Dy(), cfg.Width, cfg.Height))
	}

	o := orientation(1)
	if f == formatJPEG {
		o = jpegOrientation(data)
	}
	width, height := b.Dx(), b.Dy()
	if o.swapsAxes() {
		width, height = height, width
	}

	encode := encodeJPEG
	if !isOpaque(src) {
		encode = encodePNG
	}

	im := &Image{Width: width, Height: height}
	var prev *image.RGBA
	for i, spec := range variantSpecs {
		w, h := fit(width, height, spec.maxSide)
		if prev != nil && w == prev.Rect.Dx() && h == prev.Rect.Dy() {
			v := im.Variants[i-1]
			v.Name = spec.name
			im.Variants = append(im.Variants, v)
			continue
		}
		var m *image.RGBA
		if prev == nil {
			// Scale in the source's stored orientation, then turn the
			// (much smaller) result upright.
			rw, rh := w, h
			if o.swapsAxes() {
				rw, rh = h, w
			}
			m = o.apply(resize(src, rw, rh))
		} else {
			m = resize(prev, w, h)
		}
		v, err := encode(m)
		if err != nil {
			return nil, err
		}
		v.Name = spec.name
		im.Variants = append(im.Variants, v)
		prev = m
	}
	return im, nil
}

// checkDimensions refuses sizes that are empty or over the limits.
func checkDimensions(w, h int) error {
	if w <= 0 || h <= 0 {
		return &refusal{
			msg:  fmt.Sprintf("%s: the image has no pixels (%d × %d)", ErrCorrupt.Error(), w, h),
			errs: []error{ErrCorrupt},
		}
	}
	if w > MaxSide || h > MaxSide || int64(w)*int64(h) > MaxPixels {
		return &refusal{
			msg: fmt.Sprintf("media: image is %d × %d pixels, too large (at most %d megapixels and %d pixels per side)",
				w, h, MaxPixels/1_000_000, MaxSide),
			errs: []error{ErrTooManyPixels},
		}
	}
	return nil
}

// decodeError turns an error from a decoder into a refusal.
func decodeError(f format, err error) error {
	var jpegErr jpeg.UnsupportedError
	var pngErr png.UnsupportedError
	if errors.As(err, &jpegErr) || errors.As(err, &pngErr) {
		return unsupported(fmt.Sprintf("this %s file uses a feature that is not supported; save it again as a standard %s %s",
			f, f, accepted), err)
	}
	return &refusal{
		msg:  fmt.Sprintf("%s: %v", ErrCorrupt.Error(), err),
		errs: []error{ErrCorrupt, err},
	}
}

// gifCanvas places the first frame of a GIF on a transparent canvas the size
// of the GIF's logical screen, as browsers show it.
func gifCanvas(frame image.Image, w, h int) image.Image {
	screen := image.Rect(0, 0, w, h)
	if frame.Bounds() == screen {
		return frame
	}
	canvas := image.NewRGBA(screen)
	draw.Draw(canvas, frame.Bounds().Intersect(screen), frame, frame.Bounds().Min, draw.Src)
	return canvas
}

// fit returns the size of a w×h image scaled down so that its longest side is
// at most maxSide, keeping the aspect ratio. It never scales up.
func fit(w, h, maxSide int) (int, int) {
	if w <= maxSide && h <= maxSide {
		return w, h
	}
	if w >= h {
		return maxSide, max(1, (h*maxSide+w/2)/w)
	}
	return max(1, (w*maxSide+h/2)/h), maxSide
}

// resize returns src scaled to w×h as a new RGBA image.
//
// The final scaling uses the Catmull-Rom kernel: a bicubic filter that stays
// sharp without ringing much, and that golang.org/x/image/draw widens by the
// scale factor when shrinking, so fine detail (text, roof tiles, fabric) is
// averaged instead of aliased into moiré. The cheaper ApproxBiLinear looks at
// only four source pixels per output pixel and aliases badly when shrinking
// a photo by 2× or more.
//
// While the source is more than twice the target size, it is first halved
// with ApproxBiLinear, which at a ratio of exactly 2 is a 2×2 box average: an
// exact, alias-free halving. Catmull-Rom then covers a ratio of at most 2,
// which bounds its cost and its scratch buffer (32 bytes per target column
// per source row, hundreds of megabytes for a large photo scaled in one step).
func resize(src image.Image, w, h int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	sb := src.Bounds()
	if sb.Dx() == w && sb.Dy() == h {
		draw.Draw(dst, dst.Rect, src, sb.Min, draw.Src)
		return dst
	}
	for sb.Dx() > 2*w && sb.Dy() > 2*h {
		half := image.NewRGBA(image.Rect(0, 0, sb.Dx()/2, sb.Dy()/2))
		draw.ApproxBiLinear.Scale(half, half.Rect, src, sb, draw.Src, nil)
		src, sb = half, half.Rect
	}
	draw.CatmullRom.Scale(dst, dst.Rect, src, sb, draw.Src, nil)
	return dst
}

// isOpaque reports whether every pixel of m is fully opaque.
func isOpaque(m image.Image) bool {
	if o, ok := m.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := m.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}

func encodeJPEG(m *image.RGBA) (Variant, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return Variant{}, fmt.Errorf("media: encoding JPEG: %w", err)
	}
	return Variant{Width: m.Rect.Dx(), Height: m.Rect.Dy(), ContentType: TypeJPEG, Data: buf.Bytes()}, nil
}

func encodePNG(m *image.RGBA) (Variant, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		return Variant{}, fmt.Errorf("media: encoding PNG: %w", err)
	}
	return Variant{Width: m.Rect.Dx(), Height: m.Rect.Dy(), ContentType: TypePNG, Data: buf.Bytes()}, nil
}

// format is an accepted input format.
type format int

const (
	formatJPEG format = iota + 1
	formatPNG
	formatGIF
	formatWebP
)

func (f format) String() string {
	switch f {
	case formatJPEG:
		return "JPEG"
	case formatPNG:
		return "PNG"
	case formatGIF:
		return "GIF"
	case formatWebP:
		return "WebP"
	}
	return "unknown"
}

func (f format) decodeConfig(r io.Reader) (image.Config, error) {
	switch f {
	case formatJPEG:
		return jpeg.DecodeConfig(r)
	case formatPNG:
		return png.DecodeConfig(r)
	case formatGIF:
		return gif.DecodeConfig(r)
	case formatWebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, fmt.Errorf("unknown format %d", f)
}

// decode decodes the image; for a GIF, only its first frame.
func (f format) decode(r io.Reader) (image.Image, error) {
	switch f {
	case formatJPEG:
		return jpeg.Decode(r)
	case formatPNG:
		return png.Decode(r)
	case formatGIF:
		return gif.Decode(r)
	case formatWebP:
		return webp.Decode(r)
	}
	return nil, fmt.Errorf("unknown format %d", f)
}
