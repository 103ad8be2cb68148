package media

import (
	"encoding/binary"
	"image"
)

// orientation is the value of the EXIF Orientation tag (0x0112): how the
// stored pixels must be transformed to display the image upright. 1 is
// upright; 6 is what a phone held upright writes (rotate 90° clockwise).
type orientation int

// swapsAxes reports whether the upright image has width and height swapped.
func (o orientation) swapsAxes() bool { return o >= 5 && o <= 8 }

// apply returns m transformed to be upright. It returns m itself for
// orientation 1 and unknown values.
func (o orientation) apply(m *image.RGBA) *image.RGBA {
	if o < 2 || o > 8 {
		return m
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dw, dh := w, h
	if o.swapsAxes() {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		src := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := range w {
			// (x, y) in the stored image goes to (dx, dy) upright.
			var dx, dy int
			switch o {
			case 2: // mirrored horizontally
				dx, dy = w-1-x, y
			case 3: // rotated 180°
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored vertically
				dx, dy = x, h-1-y
			case 5: // mirrored along the top-left to bottom-right diagonal
				dx, dy = y, x
			case 6: // needs rotating 90° clockwise
				dx, dy = h-1-y, x
			case 7: // mirrored along the top-right to bottom-left diagonal
				dx, dy = h-1-y, w-1-x
			case 8: // needs rotating 90° counter-clockwise
				dx, dy = y, w-1-x
			}
			copy(dst.Pix[dy*dst.Stride+4*dx:], src[4*x:4*x+4])
		}
	}
	return dst
}

// jpegOrientation returns the EXIF orientation of a JPEG file, or 1 when it
// has none or the metadata is malformed. It walks the marker segments before
// the image data and reads only the Orientation tag of IFD0 in the first
// APP1 segment holding EXIF data. Every offset is checked against the data.
func jpegOrientation(data []byte) orientation {
	if len(data) < 2 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	i := 2
	for {
		if i >= len(data) || data[i] != 0xFF {
			return 1
		}
		for i < len(data) && data[i] == 0xFF { // fill bytes
			i++
		}
		if i >= len(data) {
			return 1
		}
		marker := data[i]
		i++
		switch {
		case marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7):
			continue // markers without a length
		case marker == 0xDA || marker == 0xD9:
			return 1 // image data or end of image: no EXIF came before
		}
		if i+2 > len(data) {
			return 1
		}
		n := int(data[i])<<8 | int(data[i+1]) // includes the two length bytes
		if n < 2 || i+n > len(data) {
			return 1
		}
		seg := data[i+2 : i+n]
		i += n
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return exifOrientation(seg[6:])
		}
	}
}

// exifOrientation reads the Orientation tag from IFD0 of a TIFF structure
// (the payload of an EXIF segment after its "Exif\0\0" header).
func exifOrientation(t []byte) orientation {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	off := uint64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > uint64(len(t)) {
		return 1
	}
	count := int(bo.Uint16(t[off:]))
	entries := t[off+2:]
	for k := range count {
		if 12*k+12 > len(entries) {
			return 1
		}
		e := entries[12*k : 12*k+12] // tag, type, count, value
		if bo.Uint16(e[0:]) != 0x0112 {
			continue
		}
		if bo.Uint32(e[4:]) != 1 {
			return 1
		}
		var v uint32
		switch bo.Uint16(e[2:]) {
		case 3: // SHORT, as the standard requires
			v = uint32(bo.Uint16(e[8:]))
		case 4: // LONG, written by a few tools
			v = bo.Uint32(e[8:])
		default:
			return 1
		}
		if v < 1 || v > 8 {
			return 1
		}
		return orientation(v)
	}
	return 1
}
