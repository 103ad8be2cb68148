package media

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
)

// withinQualities are the JPEG qualities JPEGWithin tries at each size.
var withinQualities = []int{jpegQuality, 70, 55}

// JPEGWithin returns the image in data (a variant Process made, or any
// image Process accepts) as a JPEG of at most maxBytes: at the quality of
// the variants if it fits, else at a lower quality, else scaled down by a
// quarter at a time. Transparent parts are laid on white. Another service
// that limits the size of images (Bluesky) gets them this way.
func JPEGWithin(data []byte, maxBytes int) (Variant, error) {
	f, err := sniff(data)
	if err != nil {
		return Variant{}, err
	}
	if f == formatJPEG && len(data) <= maxBytes {
		cfg, err := f.decodeConfig(bytes.NewReader(data))
		if err != nil {
			return Variant{}, decodeError(f, err)
		}
		return Variant{Width: cfg.Width, Height: cfg.Height, ContentType: TypeJPEG, Data: data}, nil
	}
	cfg, err := f.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return Variant{}, decodeError(f, err)
	}
	if err := checkDimensions(cfg.Width, cfg.Height); err != nil {
		return Variant{}, err
	}
	src, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return Variant{}, decodeError(f, err)
	}
	b := src.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(m, m.Rect, src, b.Min, draw.Over)
	for {
		for _, q := range withinQualities {
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
				return Variant{}, fmt.Errorf("media: encoding JPEG: %w", err)
			}
			if buf.Len() <= maxBytes {
				return Variant{Width: m.Rect.Dx(), Height: m.Rect.Dy(), ContentType: TypeJPEG, Data: buf.Bytes()}, nil
			}
		}
		w, h := m.Rect.Dx()*3/4, m.Rect.Dy()*3/4
		if w < 1 || h < 1 {
			return Variant{}, fmt.Errorf("media: the image does not fit in %d bytes", maxBytes)
		}
		m = resize(m, w, h)
	}
}
