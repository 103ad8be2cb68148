package media

import (
	"bytes"
	"encoding/binary"
)

// sniff recognises an accepted format by the first bytes of data. For other
// images it recognises, it returns an error matching ErrUnsupportedFormat that
// names the format; for anything else, ErrNotImage.
func sniff(data []byte) (format, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return formatJPEG, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1A\n")):
		return formatPNG, nil
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return formatGIF, nil
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		// An extended WebP (VP8X chunk first) declares animation in its
		// flags; the WebP decoder reads still images only.
		if len(data) >= 21 && string(data[12:16]) == "VP8X" && data[20]&0x02 != 0 {
			return 0, unsupported("animated WebP images are not accepted "+accepted, nil)
		}
		return formatWebP, nil
	}
	if name := otherImageFormat(data); name != "" {
		msg := name + " images are not accepted " + accepted
		if name == "HEIC" {
			msg = "HEIC photos are not accepted; on the phone or computer, export the photo as JPEG " + accepted
		}
		return 0, unsupported(msg, nil)
	}
	return 0, ErrNotImage
}

// otherImageFormat names image formats that are recognisable but not
// accepted, so the uploader learns what to change. It returns "" when data is
// not one of them.
func otherImageFormat(data []byte) string {
	switch {
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		// ISO base media file: HEIF/HEIC (iPhone photos), AVIF, or video.
		switch string(data[8:12]) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
			return "HEIC"
		case "avif", "avis":
			return "AVIF"
		}
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "TIFF" // also most camera raw formats
	case len(data) >= 18 && string(data[0:2]) == "BM":
		switch binary.LittleEndian.Uint32(data[14:18]) { // DIB header size
		case 12, 40, 52, 56, 64, 108, 124:
			return "BMP"
		}
	case bytes.HasPrefix(data, []byte("\xFF\x0A")),
		bytes.HasPrefix(data, []byte("\x00\x00\x00\x0CJXL \x0D\x0A\x87\x0A")):
		return "JPEG XL"
	case bytes.HasPrefix(data, []byte("8BPS")):
		return "Photoshop (PSD)"
	case isSVG(data):
		return "SVG"
	}
	return ""
}

// isSVG reports whether data starts like an SVG document: an <svg> root
// element, possibly after a byte order mark, an XML declaration, processing
// instructions, comments and a document type declaration.
func isSVG(data []byte) bool {
	b := data[:min(len(data), 4096)]
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		var end string
		switch {
		case hasPrefixFold(b, "<svg"), hasPrefixFold(b, "<!DOCTYPE svg"):
			return true
		case bytes.HasPrefix(b, []byte("<?")):
			end = "?>"
		case bytes.HasPrefix(b, []byte("<!--")):
			end = "-->"
		default:
			return false
		}
		i := bytes.Index(b, []byte(end))
		if i < 0 {
			return false
		}
		b = b[i+len(end):]
	}
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}
