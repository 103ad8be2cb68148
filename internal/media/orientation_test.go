package media

import (
	"encoding/binary"
	"testing"
)

func TestJPEGOrientation(t *testing.T) {
	base := encodeJPEGFile(t, photo(16, 16))
	exif := func(info exifInfo) []byte {
		return append([]byte("Exif\x00\x00"), exifTIFF(info)...)
	}
	// tiff builds a TIFF structure by hand: byte order mark, magic, IFD0
	// offset, then the rest.
	tiff := func(parts ...[]byte) []byte {
		b := []byte("Exif\x00\x00")
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	be := binary.BigEndian
	u16 := func(v uint16) []byte { return be.AppendUint16(nil, v) }
	u32 := func(v uint32) []byte { return be.AppendUint32(nil, v) }
	entry := func(tag, typ uint16, count uint32, value []byte) []byte {
		e := append(u16(tag), u16(typ)...)
		e = append(e, u32(count)...)
		return append(e, append(value, make([]byte, 4-len(value))...)...)
	}
	xmp := append([]byte("http://ns.adobe.com/xap/1.0/\x00"), "<x:xmpmeta/>"...)

	tests := []struct {
		name string
		data []byte
		want orientation
	}{
		{"no EXIF", base, 1},
		{"big-endian 6", withEXIF(base, exifInfo{order: binary.BigEndian, orientation: 6}), 6},
		{"little-endian 8", withEXIF(base, exifInfo{order: binary.LittleEndian, orientation: 8}), 8},
		{"after Make and before GPS", withEXIF(base, exifInfo{order: binary.LittleEndian, orientation: 3, maker: "Cam", gps: true}), 3},
		{"no Orientation tag", withEXIF(base, exifInfo{order: binary.BigEndian, maker: "Cam", gps: true}), 1},
		{"after an XMP segment", withSegment(withEXIF(base, exifInfo{order: binary.BigEndian, orientation: 5}), 0xE1, xmp), 5},
		{"fill bytes before the marker", append([]byte{0xFF, 0xD8, 0xFF, 0xFF}, withEXIF(base, exifInfo{order: binary.BigEndian, orientation: 7})[3:]...), 7},
		{"orientation LONG", withSegment(base, 0xE1, tiff([]byte("MM"), u16(42), u32(8), u16(1), entry(0x0112, 4, 1, u32(6)), u32(0))), 6},
		{"orientation 0", withSegment(base, 0xE1, tiff([]byte("MM"), u16(42), u32(8), u16(1), entry(0x0112, 3, 1, u16(0)), u32(0))), 1},
		{"orientation 9", withSegment(base, 0xE1, exif(exifInfo{order: binary.BigEndian, orientation: 9})), 1},
		{"orientation of wrong type", withSegment(base, 0xE1, tiff([]byte("MM"), u16(42), u32(8), u16(1), entry(0x0112, 2, 1, []byte("6")), u32(0))), 1},
		{"orientation with count 2", withSegment(base, 0xE1, tiff([]byte("MM"), u16(42), u32(8), u16(1), entry(0x0112, 3, 2, u16(6)), u32(0))), 1},
		{"bad byte order", withSegment(base, 0xE1, tiff([]byte("XX"), u16(42), u32(8), u16(1), entry(0x0112, 3, 1, u16(6)), u32(0))), 1},
		{"bad magic", withSegment(base, 0xE1, tiff([]byte("MM"), u16(43), u32(8), u16(1), entry(0x0112, 3, 1, u16(6)), u32(0))), 1},
		{"IFD offset past the end", withSegment(base, 0xE1, tiff([]byte("MM"), u16(42), u32(0xFFFFFFF0))), 1},
		{"IFD offset inside the header", withSegment(base, 0xE1, tiff([]byte("MM"), u16(42), u32(2), u16(1))), 1},
		{"entry count past the end", withSegment(base, 0xE1, tiff([]byte("MM"), u16(42), u32(8), u16(0xFFFF), entry(0x0100, 3, 1, u16(1)))), 1},
		{"short TIFF", withSegment(base, 0xE1, tiff([]byte("MM"), u16(42))), 1},
		{"segment length past the end", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E', 'x'}, 1},
		{"segment length below 2", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01}, 1},
		{"EXIF after start of scan", append([]byte{0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02}, withEXIF([]byte{0xFF, 0xD8}, exifInfo{order: binary.BigEndian, orientation: 6})[2:]...), 1},
		{"not a JPEG", []byte("\x89PNG\r\n\x1A\n"), 1},
		{"empty", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jpegOrientation(tt.data); got != tt.want {
				t.Errorf("jpegOrientation = %d, want %d", got, tt.want)
			}
		})
	}
}

// FuzzJPEGOrientation checks that the EXIF parser never panics or returns a
// value outside 1 to 8.
func FuzzJPEGOrientation(f *testing.F) {
	base := encodeJPEGFile(f, photo(8, 8))
	f.Add(base)
	f.Add(withEXIF(base, exifInfo{order: binary.BigEndian, orientation: 6, maker: "Cam", gps: true}))
	f.Add(withEXIF(base, exifInfo{order: binary.LittleEndian, orientation: 8}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("jpegOrientation = %d", o)
		}
	})
}
