package media

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"
)

var (
	// ErrNotFound means no object is stored under the key.
	ErrNotFound = errors.New("media: not found")
	// ErrInvalidKey means a key is not of the form "<id>/<name>.<ext>" with
	// id and name of lower-case letters and digits and ext "jpg" or "png",
	// or that a content type does not match the key's extension.
	ErrInvalidKey = errors.New("media: invalid key")
)

// maxSegment is the longest id or name allowed in a key.
const maxSegment = 64

// Modes of a LocalStore's files and directories: private to the account
// Plein runs as.
const (
	fileMode fs.FileMode = 0o600
	dirMode  fs.FileMode = 0o700
)

// Store keeps encoded media under keys such as "3f9a/large.jpg".
// Implementations are safe for concurrent use.
type Store interface {
	// Put stores data under key, replacing any object already there. A
	// reader never sees a partly written object. contentType must match
	// the key's extension.
	Put(ctx context.Context, key, contentType string, data []byte) error
	// Open returns the object stored under key, or an error matching
	// ErrNotFound when there is none. The caller closes the object.
	Open(ctx context.Context, key string) (Object, error)
	// Delete removes the object stored under key. Deleting an absent
	// object is not an error.
	Delete(ctx context.Context, key string) error
}

// Object is a stored object opened for reading. It can be passed to
// http.ServeContent.
type Object interface {
	io.ReadSeekCloser
	// ContentType returns the object's content type, such as "image/jpeg".
	ContentType() string
	// Size returns the object's length in bytes.
	Size() int64
	// ModTime returns when the object was last written.
	ModTime() time.Time
}

// KeyContentType returns the content type of the object a valid key
// names, from its extension; ErrInvalidKey when key is not one Plein makes.
func KeyContentType(key string) (string, error) { return keyContentType(key) }

// keyContentType validates key and returns the content type its extension
// stands for. The error matches ErrInvalidKey.
func keyContentType(key string) (string, error) {
	id, file, ok := strings.Cut(key, "/")
	name, ext, ok2 := strings.Cut(file, ".")
	if ok && ok2 && isSegment(id) && isSegment(name) {
		switch ext {
		case "jpg":
			return TypeJPEG, nil
		case "png":
			return TypePNG, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrInvalidKey, key)
}

// isSegment reports whether s is 1 to maxSegment lower-case ASCII letters and
// digits.
func isSegment(s string) bool {
	if len(s) == 0 || len(s) > maxSegment {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// LocalStore is a Store in a directory on local disk. An object with key
// "<id>/<name>.<ext>" is the file of that path below the directory. Files
// and directories are private to the account Plein runs as (modes 0600 and
// 0700): drafts' images are not public. All access goes through an
// os.Root, so even a symbolic link placed in the directory cannot lead a
// store operation outside it.
type LocalStore struct {
	root *os.Root
}

var _ Store = (*LocalStore)(nil)

// NewLocalStore returns a LocalStore keeping its files in dir, creating dir
// (mode 0700) if needed. Close releases it.
func NewLocalStore(dir string) (*LocalStore, error) {
	if dir == "" {
		return nil, errors.New("media: local store needs a directory")
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return nil, fmt.Errorf("media: creating store directory: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("media: opening store directory: %w", err)
	}
	return &LocalStore{root: root}, nil
}

// Close releases the store's handle on its directory. The store must not be
// used afterwards.
func (s *LocalStore) Close() error {
	return s.root.Close()
}

// Put implements Store. It writes data to a temporary file in the object's
// directory, flushes it to disk and renames it over the key, so readers see
// either the old or the new object in full. Files get mode 0600 and
// directories 0700, whatever the process umask.
func (s *LocalStore) Put(ctx context.Context, key, contentType string, data []byte) error {
	ct, err := keyContentType(key)
	if err != nil {
		return err
	}
	if contentType != ct {
		return fmt.Errorf("%w: content type %q does not match key %q", ErrInvalidKey, contentType, key)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	id, _, _ := strings.Cut(key, "/")
	switch err := s.root.Mkdir(id, dirMode); {
	case err == nil:
		if err := s.root.Chmod(id, dirMode); err != nil {
			return fmt.Errorf("media: put %s: %w", key, err)
		}
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("media: put %s: %w", key, err)
	}

	// The leading dot keeps temporary files out of the key space.
	tmp := id + "/.tmp-" + rand.Text()
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	err = writeFile(f, data)
	if err == nil {
		err = s.root.Rename(tmp, key)
	}
	if err != nil {
		_ = s.root.Remove(tmp)
		return fmt.Errorf("media: put %s: %w", key, err)
	}
	return nil
}

// writeFile writes data to f, sets its mode, syncs and closes it.
func writeFile(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(fileMode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Open implements Store.
func (s *LocalStore) Open(ctx context.Context, key string) (Object, error) {
	ct, err := keyContentType(key)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := s.root.Open(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("media: open %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("media: open %s: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("media: open %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("media: open %s: %w", key, ErrNotFound)
	}
	return &localObject{f: f, contentType: ct, size: fi.Size(), modTime: fi.ModTime()}, nil
}

// Delete implements Store. The object's directory stays, even when empty, so
// that a concurrent Put into it cannot fail.
func (s *LocalStore) Delete(ctx context.Context, key string) error {
	if _, err := keyContentType(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: delete %s: %w", key, err)
	}
	return nil
}

// localObject is an Object backed by an open file.
type localObject struct {
	f           *os.File
	contentType string
	size        int64
	modTime     time.Time
}

func (o *localObject) Read(p []byte) (int, error) { return o.f.Read(p) }
func (o *localObject) Seek(offset int64, whence int) (int64, error) {
	return o.f.Seek(offset, whence)
}
func (o *localObject) Close() error        { return o.f.Close() }
func (o *localObject) ContentType() string { return o.contentType }
func (o *localObject) Size() int64         { return o.size }
func (o *localObject) ModTime() time.Time  { return o.modTime }
