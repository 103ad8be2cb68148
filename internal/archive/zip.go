package archive

import (
	"bufio"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"time"
)

// streamZip writes a zip file (with Zip64 records, so that it may hold
// more than 65,535 entries and more than 4 GB) in constant memory: unlike
// archive/zip, which keeps every entry's header until it writes the
// central directory, it spools the central directory to a temporary file
// and copies it to the end of the archive when it closes.
type streamZip struct {
	w       *countingWriter
	dir     *os.File      // the central directory so far
	dirBuf  *bufio.Writer // buffers writes to dir
	entries uint64
	mod     time.Time
	flate   *flate.Writer

	// The entry being written; name is empty when there is none.
	name    string
	method  uint16
	offset  uint64
	crc     hash.Hash32
	raw     *countingWriter // counts the compressed bytes
	size    uint64          // uncompressed bytes
	closing bool
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n uint64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += uint64(n)
	return n, err
}

const (
	methodStore   = 0
	methodDeflate = 8
	zipVersion    = 45     // 4.5: Zip64
	zipFlags      = 0x0808 // sizes in a data descriptor; names in UTF-8
)

func newStreamZip(w io.Writer, mod time.Time) (*streamZip, error) {
	dir, err := os.CreateTemp("", "plein-archive-dir-*")
	if err != nil {
		return nil, fmt.Errorf("archive: a temporary file for the zip directory: %w", err)
	}
	fw, err := flate.NewWriter(io.Discard, flate.BestSpeed)
	if err != nil {
		dir.Close()
		os.Remove(dir.Name())
		return nil, fmt.Errorf("archive: %w", err)
	}
	return &streamZip{w: &countingWriter{w: w}, dir: dir, dirBuf: bufio.NewWriter(dir), mod: mod, flate: fw, crc: crc32.NewIEEE()}, nil
}

// entryWriter is what an entry's content is written to: it updates the
// checksum and size, and compresses when asked.
type entryWriter struct{ z *streamZip }

func (e entryWriter) Write(p []byte) (int, error) {
	z := e.z
	z.crc.Write(p)
	z.size += uint64(len(p))
	if z.method == methodDeflate {
		return z.flate.Write(p)
	}
	return z.raw.Write(p)
}

// dosTime returns the MS-DOS date and time of t.
func dosTime(t time.Time) (uint16, uint16) {
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return uint16(t.Year()-1980)<<9 | uint16(t.Month())<<5 | uint16(t.Day()),
		uint16(t.Hour())<<11 | uint16(t.Minute())<<5 | uint16(t.Second()/2)
}

// Create finishes the entry being written and starts the entry name.
func (z *streamZip) Create(name string, deflate bool) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	if len(name) > 0xffff {
		return nil, fmt.Errorf("archive: entry name too long: %d bytes", len(name))
	}
	z.name, z.method, z.offset, z.size = name, methodStore, z.w.n, 0
	if deflate {
		z.method = methodDeflate
	}
	z.crc.Reset()
	date, tm := dosTime(z.mod)
	var h [30]byte
	binary.LittleEndian.PutUint32(h[0:], 0x04034b50)
	binary.LittleEndian.PutUint16(h[4:], zipVersion)
	binary.LittleEndian.PutUint16(h[6:], zipFlags)
	binary.LittleEndian.PutUint16(h[8:], z.method)
	binary.LittleEndian.PutUint16(h[10:], tm)
	binary.LittleEndian.PutUint16(h[12:], date)
	// CRC and sizes (14–25) are zero: they follow in the data descriptor.
	binary.LittleEndian.PutUint16(h[26:], uint16(len(name)))
	if _, err := z.w.Write(h[:]); err != nil {
		return nil, fmt.Errorf("archive: writing %s: %w", name, err)
	}
	if _, err := io.WriteString(z.w, name); err != nil {
		return nil, fmt.Errorf("archive: writing %s: %w", name, err)
	}
	z.raw = &countingWriter{w: z.w}
	if deflate {
		z.flate.Reset(z.raw)
	}
	return entryWriter{z}, nil
}

// finish ends the entry being written: its data descriptor, and its
// record in the central directory.
func (z *streamZip) finish() error {
	if z.name == "" {
		return nil
	}
	name := z.name
	z.name = ""
	if z.method == methodDeflate {
		if err := z.flate.Close(); err != nil {
			return fmt.Errorf("archive: writing %s: %w", name, err)
		}
	}
	crc, csize := z.crc.Sum32(), z.raw.n
	var d [24]byte
	binary.LittleEndian.PutUint32(d[0:], 0x08074b50)
	binary.LittleEndian.PutUint32(d[4:], crc)
	binary.LittleEndian.PutUint64(d[8:], csize)
	binary.LittleEndian.PutUint64(d[16:], z.size)
	if _, err := z.w.Write(d[:]); err != nil {
		return fmt.Errorf("archive: writing %s: %w", name, err)
	}
	date, tm := dosTime(z.mod)
	var c [46 + 28]byte
	binary.LittleEndian.PutUint32(c[0:], 0x02014b50)
	binary.LittleEndian.PutUint16(c[4:], 3<<8|zipVersion) // made on Unix
	binary.LittleEndian.PutUint16(c[6:], zipVersion)
	binary.LittleEndian.PutUint16(c[8:], zipFlags)
	binary.LittleEndian.PutUint16(c[10:], z.method)
	binary.LittleEndian.PutUint16(c[12:], tm)
	binary.LittleEndian.PutUint16(c[14:], date)
	binary.LittleEndian.PutUint32(c[16:], crc)
	binary.LittleEndian.PutUint32(c[20:], 0xffffffff) // sizes and offset in the Zip64 field
	binary.LittleEndian.PutUint32(c[24:], 0xffffffff)
	binary.LittleEndian.PutUint16(c[28:], uint16(len(name)))
	binary.LittleEndian.PutUint16(c[30:], 28) // extra field length
	binary.LittleEndian.PutUint32(c[38:], 0o100644<<16)
	binary.LittleEndian.PutUint32(c[42:], 0xffffffff)
	// The Zip64 extra field: uncompressed size, compressed size, offset.
	binary.LittleEndian.PutUint16(c[46:], 0x0001)
	binary.LittleEndian.PutUint16(c[48:], 24)
	binary.LittleEndian.PutUint64(c[50:], z.size)
	binary.LittleEndian.PutUint64(c[58:], csize)
	binary.LittleEndian.PutUint64(c[66:], z.offset)
	if _, err := z.dirBuf.Write(c[:46]); err != nil {
		return fmt.Errorf("archive: writing the zip directory: %w", err)
	}
	if _, err := z.dirBuf.WriteString(name); err != nil {
		return fmt.Errorf("archive: writing the zip directory: %w", err)
	}
	if _, err := z.dirBuf.Write(c[46:]); err != nil {
		return fmt.Errorf("archive: writing the zip directory: %w", err)
	}
	z.entries++
	return nil
}

// Close finishes the last entry and writes the central directory and the
// end records. It removes the temporary file also when it fails.
func (z *streamZip) Close() error {
	return errors.Join(z.close(), z.discard())
}

func (z *streamZip) close() error {
	if err := z.finish(); err != nil {
		return err
	}
	if err := z.dirBuf.Flush(); err != nil {
		return fmt.Errorf("archive: writing the zip directory: %w", err)
	}
	if _, err := z.dir.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("archive: reading the zip directory: %w", err)
	}
	start := z.w.n
	if _, err := io.Copy(z.w, z.dir); err != nil {
		return fmt.Errorf("archive: writing the zip directory: %w", err)
	}
	end := z.w.n
	var e [56 + 20 + 22]byte
	// Zip64 end of central directory record.
	binary.LittleEndian.PutUint32(e[0:], 0x06064b50)
	binary.LittleEndian.PutUint64(e[4:], 44)
	binary.LittleEndian.PutUint16(e[12:], 3<<8|zipVersion)
	binary.LittleEndian.PutUint16(e[14:], zipVersion)
	binary.LittleEndian.PutUint64(e[24:], z.entries)
	binary.LittleEndian.PutUint64(e[32:], z.entries)
	binary.LittleEndian.PutUint64(e[40:], end-start)
	binary.LittleEndian.PutUint64(e[48:], start)
	// Zip64 end of central directory locator.
	binary.LittleEndian.PutUint32(e[56:], 0x07064b50)
	binary.LittleEndian.PutUint64(e[64:], end)
	binary.LittleEndian.PutUint32(e[72:], 1)
	// End of central directory record, pointing to the Zip64 records.
	binary.LittleEndian.PutUint32(e[76:], 0x06054b50)
	binary.LittleEndian.PutUint16(e[84:], 0xffff)
	binary.LittleEndian.PutUint16(e[86:], 0xffff)
	binary.LittleEndian.PutUint32(e[88:], 0xffffffff)
	binary.LittleEndian.PutUint32(e[92:], 0xffffffff)
	if _, err := z.w.Write(e[:]); err != nil {
		return fmt.Errorf("archive: writing the end of the zip file: %w", err)
	}
	return nil
}

// discard removes the temporary file of the central directory.
func (z *streamZip) discard() error {
	if z.dir == nil {
		return nil
	}
	name := z.dir.Name()
	err := errors.Join(z.dir.Close(), os.Remove(name))
	z.dir = nil
	if err != nil {
		return fmt.Errorf("archive: removing the temporary zip directory: %w", err)
	}
	return nil
}
