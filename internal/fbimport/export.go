package fbimport

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"plein/internal/i18n"
)

// Limits on what an export may hold.
const (
	// MaxJSONBytes is the most a JSON file of the export may hold; a
	// larger one is listed in the report, not read.
	MaxJSONBytes = 64 << 20
	// DefaultMaxTotalBytes is the most the import reads from an export in
	// all, uncompressed, unless Options say otherwise.
	DefaultMaxTotalBytes = 4 << 30
	// MaxEntries is the most files an export may hold.
	MaxEntries = 500_000
)

// ErrNotExport means the file is neither a zip file nor a folder.
var ErrNotExport = errors.New("fbimport: not a zip file or folder")

// errTotal is returned by reads past the total limit of an export.
var errTotal = errors.New("fbimport: export larger than its limit")

// Export is an opened Facebook export: a zip file or a folder.
type Export struct {
	fsys  fs.FS
	root  string // folder of the export within fsys, "" or "name/"
	close func() error

	mu        sync.Mutex
	read, max int64 // bytes read so far, and the limit
}

// Open opens the export at name, a .zip file or a folder. maxTotal limits
// the bytes read from it in all (0: DefaultMaxTotalBytes).
func Open(name string, maxTotal int64) (*Export, error) {
	if maxTotal <= 0 {
		maxTotal = DefaultMaxTotalBytes
	}
	fi, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("fbimport: open: %w", err)
	}
	if fi.IsDir() {
		return &Export{fsys: os.DirFS(name), close: func() error { return nil }, max: maxTotal}, nil
	}
	z, err := zip.OpenReader(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotExport, err)
	}
	if len(z.File) > MaxEntries {
		z.Close()
		return nil, fmt.Errorf("%w: %d files", ErrNotExport, len(z.File))
	}
	return &Export{fsys: z, close: z.Close, max: maxTotal}, nil
}

// Close closes the export.
func (e *Export) Close() error { return e.close() }

// The names of the files of posts and albums, below the export's root.
var (
	postsFile = regexp.MustCompile(`^(.*/)?(this_profile's_activity_across_facebook/posts/profile_posts|posts/your_posts)_(\d+)\.json$`)
	albumFile = regexp.MustCompile(`^(.*/)?posts/album/(\d+)\.json$`)
)

// files lists the export's files of posts and of albums, each in number
// order, and sets the export's root from the first file of posts.
func (e *Export) files() (posts, albums []string, err error) {
	n := 0
	err = fs.WalkDir(e.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if n++; n > MaxEntries {
			return fmt.Errorf("%w: more than %d files", ErrNotExport, MaxEntries)
		}
		if d.IsDir() {
			return nil
		}
		if postsFile.MatchString(p) {
			posts = append(posts, p)
		} else if albumFile.MatchString(p) {
			albums = append(albums, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("fbimport: list files: %w", err)
	}
	byNumber := func(re *regexp.Regexp) func(a, b string) int {
		return func(a, b string) int {
			ma, mb := re.FindStringSubmatch(a), re.FindStringSubmatch(b)
			na, _ := strconv.Atoi(ma[len(ma)-1])
			nb, _ := strconv.Atoi(mb[len(mb)-1])
			if na != nb {
				return na - nb
			}
			return strings.Compare(a, b)
		}
	}
	slices.SortFunc(posts, byNumber(postsFile))
	slices.SortFunc(albums, byNumber(albumFile))
	if len(posts) > 0 {
		e.root = postsFile.FindStringSubmatch(posts[0])[1]
	} else if len(albums) > 0 {
		e.root = albumFile.FindStringSubmatch(albums[0])[1]
	}
	return posts, albums, nil
}

// openFile opens the file p of the export for reading at most limit bytes;
// a file larger than limit is a problem (ImportFileTooLarge), a missing
// one too (ImportMissingFile). Every read counts towards the total limit.
func (e *Export) openFile(p string, limit int64) (io.ReadCloser, *i18n.Message, error) {
	f, err := e.fsys.Open(p)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
		m := i18n.M(i18n.ImportMissingFile, p)
		return nil, &m, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("fbimport: open %s: %w", p, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("fbimport: open %s: %w", p, err)
	}
	if fi.IsDir() {
		f.Close()
		m := i18n.M(i18n.ImportMissingFile, p)
		return nil, &m, nil
	}
	if fi.Size() > limit {
		f.Close()
		m := i18n.M(i18n.ImportFileTooLarge, p, limit>>20)
		return nil, &m, nil
	}
	// The size a zip file states may lie: the reads are limited as well.
	return &limited{e: e, f: f, r: io.LimitReader(f, limit+1), left: limit}, nil, nil
}

// size returns the size the export states for the file p, or a problem
// when there is no such file.
func (e *Export) size(p string) (int64, *i18n.Message) {
	fi, err := fs.Stat(e.fsys, p)
	if err != nil || fi.IsDir() {
		m := i18n.M(i18n.ImportMissingFile, p)
		return 0, &m
	}
	return fi.Size(), nil
}

// resolve returns the path within the export of a file an item names
// (its uri), or a problem when the name points outside the export.
func (e *Export) resolve(uri string) (string, *i18n.Message) {
	uri = strings.TrimPrefix(uri, "/")
	p := path.Clean(e.root + uri)
	if !fs.ValidPath(p) || strings.Contains(uri, "://") {
		m := i18n.M(i18n.ImportBadPath, uri)
		return "", &m
	}
	if _, err := fs.Stat(e.fsys, p); err != nil && !strings.HasPrefix(uri, "this_profile's_activity_across_facebook/") {
		// Newer exports name media below the activity folder.
		alt := path.Clean(e.root + "this_profile's_activity_across_facebook/" + uri)
		if _, err := fs.Stat(e.fsys, alt); err == nil {
			return alt, nil
		}
	}
	return p, nil
}

// limited reads one file of the export within its own limit and the
// export's total.
type limited struct {
	e    *Export
	f    fs.File
	r    io.Reader
	left int64
}

func (l *limited) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, errTooLarge
	}
	l.e.mu.Lock()
	l.e.read += int64(n)
	over := l.e.read > l.e.max
	l.e.mu.Unlock()
	if over {
		return n, errTotal
	}
	return n, err
}

func (l *limited) Close() error { return l.f.Close() }

// errTooLarge is returned by reads of a file past its own limit.
var errTooLarge = errors.New("fbimport: file larger than its limit")

// isVideo reports whether the file name p is that of a video.
func isVideo(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".mp4", ".mov", ".m4v", ".avi", ".webm", ".mkv", ".3gp":
		return true
	}
	return false
}
