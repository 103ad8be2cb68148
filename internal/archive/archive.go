// Package archive writes an organisation's public records to one zip file
// and reads such a file back into another installation. The archive holds
// every post with all its revisions and deletions, the media as kept, the
// replies with moderation's decisions and statements of reasons, the audit
// log and the profile's history: as Activity Streams JSON (one file per
// object), as HTML readable offline, as an MDTO record per information
// object, and as Plein's own records for import. With a web handler it also
// holds WARC files of every public page, feed and media file, made by real
// requests to that handler in this process.
//
// Export reads the store page by page and writes each zip entry as it goes:
// its memory does not grow with the number of posts.
package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/store"
)

// Format is the version of the archive's layout, written to its manifest.
const Format = 1

// pageSize is how many records Export reads from the store at once.
const pageSize = 100

// DefaultWARCLimit is the largest size of one WARC file: the Nationaal
// Archief asks for files of at most 1 GB.
const DefaultWARCLimit = 1 << 30

// The paths of the archive's parts.
const (
	manifestPath = "manifest.json"
	dataDir      = "data/"
	asDir        = "activitystreams/"
	htmlDir      = "html/"
	mdtoDir      = "mdto/"
	mediaDir     = "media/"
	warcDir      = "warc/"
)

// Deps are what an Archiver reads and writes.
type Deps struct {
	Store   store.Store
	Media   media.Store
	BaseURL string // the installation's public URL, without a trailing slash
	Now     func() time.Time
	Logger  *slog.Logger
}

// Archiver exports and imports organisations.
type Archiver struct {
	st      store.Store
	media   media.Store
	baseURL string
	now     func() time.Time
	logger  *slog.Logger
}

// New returns an Archiver.
func New(d Deps) *Archiver {
	a := &Archiver{st: d.Store, media: d.Media, baseURL: strings.TrimSuffix(d.BaseURL, "/"), now: d.Now, logger: d.Logger}
	if a.now == nil {
		a.now = time.Now
	}
	if a.logger == nil {
		a.logger = slog.Default()
	}
	return a
}

// Options change what Export writes.
type Options struct {
	// WARC, when set, is the installation's web handler: Export requests
	// every public page, feed and media file of the organisation from it
	// and writes the requests and responses as WARC files.
	WARC http.Handler
	// WARCLimit is the largest size of one WARC file in bytes; 0:
	// DefaultWARCLimit.
	WARCLimit int64
}

// Manifest describes an archive; it is its last entry.
type Manifest struct {
	Format     int       `json:"format"`
	OrgID      string    `json:"orgId"`
	Handle     string    `json:"handle"`
	Name       string    `json:"name"`
	BaseURL    string    `json:"baseUrl"`
	ExportedAt time.Time `json:"exportedAt"`
	Posts      int       `json:"posts"`
	Revisions  int       `json:"revisions"`
	Deleted    int       `json:"deleted"`
	Replies    int       `json:"replies"`
	Statements int       `json:"statements"`
	Media      int       `json:"media"`
	MediaFiles int       `json:"mediaFiles"`
	Audit      int       `json:"audit"`
	// WARCFiles and WARCRecords count the WARC files and the records in
	// them (a request and a response for each address).
	WARCFiles   int `json:"warcFiles,omitempty"`
	WARCRecords int `json:"warcRecords,omitempty"`
}

// orgRecord is data/org.json: the profile, the handles it had and how it
// shows replies.
type orgRecord struct {
	Org           *model.Org           `json:"org"`
	FormerHandles []store.FormerHandle `json:"formerHandles"`
	ReplyDisplay  model.ReplyDisplay   `json:"replyDisplay"`
}

// postRecord is data/posts/ID.json: a post with everything about it.
type postRecord struct {
	Post       *model.Post          `json:"post"`
	Revisions  []*model.Revision    `json:"revisions"`
	Replies    []*model.Reply       `json:"replies"`
	Statements []*model.Statement   `json:"statements"`
	Authors    []*model.RemoteActor `json:"authors"` // of the replies, where known
}

// ErrNotArchive means the file is not an archive Export wrote.
var ErrNotArchive = errors.New("archive: not a Plein organisation archive")

// ErrExists means the organisation, its handle or one of its records is
// already in the installation: import never overwrites.
var ErrExists = errors.New("archive: already in this installation")

// zipWriter writes the entries of an archive one after another.
type zipWriter struct {
	zw *streamZip
}

// create starts an entry; deflate compresses it.
func (z *zipWriter) create(name string, deflate bool) (io.Writer, error) {
	return z.zw.Create(name, deflate)
}

// json writes v as an indented JSON entry.
func (z *zipWriter) json(name string, v any) error {
	w, err := z.create(name, true)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("archive: writing %s: %w", name, err)
	}
	return nil
}

// bytes writes b as an entry.
func (z *zipWriter) bytes(name string, b []byte) error {
	w, err := z.create(name, true)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("archive: writing %s: %w", name, err)
	}
	return nil
}
