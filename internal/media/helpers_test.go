package media

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
)

// Colours of the quadrants drawn by quadrants.
var (
	red   = color.NRGBA{0xff, 0, 0, 0xff}
	green = color.NRGBA{0, 0xff, 0, 0xff}
	blue  = color.NRGBA{0, 0, 0xff, 0xff}
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

// quadrants returns a w×h image whose top-left quarter is red, top-right
// green, bottom-left blue and bottom-right white.
func quadrants(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x < w/2 && y >= h/2:
				c = blue
			case x >= w/2 && y >= h/2:
				c = white
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

// photo returns a w×h opaque image with smooth gradients and fine detail,
// roughly as hard to compress as a photograph.
func photo(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			i := m.PixOffset(x, y)
			m.Pix[i+0] = uint8(x * 255 / w)
			m.Pix[i+1] = uint8(y * 255 / h)
			m.Pix[i+2] = uint8((x*x + y*y*3) >> 5)
			m.Pix[i+3] = 0xff
		}
	}
	return m
}

func encodeJPEGFile(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNGFile(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeGIFFile(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// byteOrder is binary.BigEndian or binary.LittleEndian.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// exifInfo is what exifTIFF writes into an EXIF structure.
type exifInfo struct {
	order       byteOrder
	orientation uint16 // 0: no Orientation tag
	maker       string // "": no Make tag
	gps         bool   // a GPS IFD with a position in Amsterdam
}

// gpsLatitude is the GPS latitude exifTIFF writes, as it appears in the
// file: three rationals, 52° 22′ 12″.
func gpsLatitude(order byteOrder) []byte {
	var b []byte
	for _, v := range []uint32{52, 1, 22, 1, 12, 1} {
		b = order.AppendUint32(b, v)
	}
	return b
}

// exifTIFF builds the TIFF structure of an EXIF segment: IFD0 with Make,
// Orientation and a pointer to a GPS IFD holding latitude and longitude.
func exifTIFF(info exifInfo) []byte {
	bo := info.order
	type entry struct {
		tag, typ    uint16
		count       uint32
		value       []byte // inline when at most 4 bytes, else stored after the IFD
		pointsToGPS bool
	}
	var ifd0 []entry
	if info.maker != "" {
		ifd0 = append(ifd0, entry{tag: 0x010F, typ: 2, count: uint32(len(info.maker) + 1), value: []byte(info.maker + "\x00")})
	}
	if info.orientation != 0 {
		ifd0 = append(ifd0, entry{tag: 0x0112, typ: 3, count: 1, value: bo.AppendUint16(nil, info.orientation)})
	}
	if info.gps {
		ifd0 = append(ifd0, entry{tag: 0x8825, typ: 4, count: 1, pointsToGPS: true})
	}
	var lon []byte
	for _, v := range []uint32{4, 1, 53, 1, 42, 1} {
		lon = bo.AppendUint32(lon, v)
	}
	gpsIFD := []entry{
		{tag: 0x0001, typ: 2, count: 2, value: []byte("N\x00")},
		{tag: 0x0002, typ: 5, count: 3, value: gpsLatitude(bo)},
		{tag: 0x0003, typ: 2, count: 2, value: []byte("E\x00")},
		{tag: 0x0004, typ: 5, count: 3, value: lon},
	}

	// writeIFD appends an IFD at offset len(out) with its out-of-line
	// values right behind it; gpsOffset fills the GPS pointer.
	writeIFD := func(out []byte, entries []entry, gpsOffset uint32) []byte {
		data := uint32(len(out) + 2 + 12*len(entries) + 4)
		var extra []byte
		out = bo.AppendUint16(out, uint16(len(entries)))
		for _, e := range entries {
			out = bo.AppendUint16(out, e.tag)
			out = bo.AppendUint16(out, e.typ)
			out = bo.AppendUint32(out, e.count)
			switch {
			case e.pointsToGPS:
				out = bo.AppendUint32(out, gpsOffset)
			case len(e.value) <= 4:
				out = append(out, e.value...)
				out = append(out, make([]byte, 4-len(e.value))...)
			default:
				out = bo.AppendUint32(out, data+uint32(len(extra)))
				extra = append(extra, e.value...)
				if len(extra)%2 == 1 {
					extra = append(extra, 0)
				}
			}
		}
		out = bo.AppendUint32(out, 0) // no next IFD
		return append(out, extra...)
	}

	var out []byte
	if bo == binary.LittleEndian {
		out = append(out, "II"...)
	} else {
		out = append(out, "MM"...)
	}
	out = bo.AppendUint16(out, 42)
	out = bo.AppendUint32(out, 8)
	// IFD0 size does not depend on the GPS offset: write it once to learn
	// where the GPS IFD starts, then again with the right pointer.
	gpsOffset := uint32(len(writeIFD(out, ifd0, 0)))
	out = writeIFD(out, ifd0, gpsOffset)
	if info.gps {
		out = writeIFD(out, gpsIFD, 0)
	}
	return out
}

// withSegment inserts a JPEG marker segment right after the SOI marker.
func withSegment(jpegFile []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpegFile[:2]...)
	out = append(out, seg...)
	return append(out, jpegFile[2:]...)
}

// withEXIF inserts an APP1 EXIF segment into a JPEG file.
func withEXIF(jpegFile []byte, info exifInfo) []byte {
	return withSegment(jpegFile, 0xE1, append([]byte("Exif\x00\x00"), exifTIFF(info)...))
}

// pngChunk returns a PNG chunk with its length and CRC.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// withPNGChunk inserts a chunk into a PNG file right after IHDR.
func withPNGChunk(pngFile []byte, typ string, data []byte) []byte {
	const afterIHDR = 8 + 4 + 4 + 13 + 4
	out := append([]byte{}, pngFile[:afterIHDR]...)
	out = append(out, pngChunk(typ, data)...)
	return append(out, pngFile[afterIHDR:]...)
}

// pngHeaderOnly returns a PNG file with a valid IHDR claiming w×h RGBA
// pixels, and no pixel data.
func pngHeaderOnly(w, h uint32) []byte {
	return pngClaiming(w, h, false)
}

// pngClaiming returns a PNG file with a valid IHDR claiming w×h RGBA pixels
// and, when withData is set, an IDAT chunk holding the first row only: a
// decoder that trusts the header allocates the whole image before it finds
// the data missing.
func pngClaiming(w, h uint32, withData bool) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8 bits, RGBA, no interlace
	out := []byte("\x89PNG\r\n\x1A\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	if withData {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(make([]byte, 1+4*int(w))) // filter byte and one row
		zw.Close()
		out = append(out, pngChunk("IDAT", z.Bytes())...)
	}
	return append(out, pngChunk("IEND", nil)...)
}

// bitWriter writes the least significant bit first, as VP8L reads.
type bitWriter struct {
	buf   []byte
	nBits uint
}

func (w *bitWriter) write(v uint32, n uint) {
	for i := range n {
		if w.nBits%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		w.buf[len(w.buf)-1] |= byte((v>>i)&1) << (w.nBits % 8)
		w.nBits++
	}
}

// solidWebP returns a lossless WebP file of w×h pixels of colour c. Every
// prefix code has a single symbol, so the pixels take no bits at all.
func solidWebP(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.write(0x2f, 8) // VP8L signature
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	bw.write(1, 1)                                       // alpha hint
	bw.write(0, 3)                                       // version
	bw.write(0, 1)                                       // no transform
	bw.write(0, 1)                                       // no colour cache
	bw.write(0, 1)                                       // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} { // the last is the distance code
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // 8-bit symbol
		bw.write(uint32(sym), 8)
	}
	return riffWebP(riffChunk("VP8L", bw.buf))
}

// riffChunk returns a RIFF chunk: four-character code, little-endian
// length, data and a pad byte for odd lengths.
func riffChunk(fourCC string, data []byte) []byte {
	c := append([]byte(fourCC), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	c = append(c, data...)
	if len(data)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

// riffWebP wraps chunks in a RIFF WEBP container.
func riffWebP(chunks ...[]byte) []byte {
	body := []byte("WEBP")
	for _, c := range chunks {
		body = append(body, c...)
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	return append(out, body...)
}

// animatedWebPHeader returns the start of an animated WebP file: a VP8X chunk
// with the animation flag and an ANIM chunk.
func animatedWebPHeader() []byte {
	vp8x := []byte{0x02, 0, 0, 0, 99, 0, 0, 99, 0, 0} // animation; 100×100
	return riffWebP(riffChunk("VP8X", vp8x), riffChunk("ANIM", make([]byte, 6)))
}
