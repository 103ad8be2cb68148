package archive

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/riverqueue/river"

	"plein/internal/markup"
	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/post"
	"plein/internal/store"
)

// Limits on what an imported archive may hold.
const (
	maxRecordSize = 16 << 20  // one JSON record
	maxMediaSize  = 128 << 20 // one media file
)

// ImportResult counts what Import stored.
type ImportResult struct {
	Manifest   Manifest
	Posts      int
	Revisions  int
	Replies    int
	Statements int
	Media      int
	MediaFiles int
	Audit      int
}

// Import rebuilds the organisation an archive holds, with the same ids,
// in this installation. It refuses, storing nothing, when the
// organisation, its handle (now or formerly) or any of its records is here
// already: ErrExists. Media files are written first and removed again
// when the records cannot be stored.
func (a *Archiver) Import(ctx context.Context, r io.ReaderAt, size int64) (*ImportResult, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotArchive, err)
	}
	files := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		files[f.Name] = f
	}
	var res ImportResult
	if err := readJSON(files, manifestPath, &res.Manifest); err != nil {
		return nil, err
	}
	if res.Manifest.Format != Format {
		return nil, fmt.Errorf("%w: format %d, this Plein reads format %d", ErrNotArchive, res.Manifest.Format, Format)
	}
	var org orgRecord
	if err := readJSON(files, dataDir+"org.json", &org); err != nil {
		return nil, err
	}
	if org.Org == nil || !model.ValidID(org.Org.ID) || org.Org.ID != res.Manifest.OrgID {
		return nil, fmt.Errorf("%w: data/org.json does not name the organisation of the manifest", ErrNotArchive)
	}
	if _, err := a.st.OrgByID(ctx, org.Org.ID); err == nil {
		return nil, fmt.Errorf("%w: an organisation with the id %s", ErrExists, org.Org.ID)
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("archive: looking for the organisation: %w", err)
	}
	if _, err := a.st.OrgByHandle(ctx, org.Org.Handle); err == nil {
		return nil, fmt.Errorf("%w: the handle @%s", ErrExists, org.Org.Handle)
	}

	written, err := a.putMedia(ctx, zr.File, &res)
	if err == nil {
		err = a.st.InTx(ctx, func(tx store.Tx) error { return a.importRecords(ctx, tx, zr.File, org, &res) })
	}
	if err != nil {
		for _, key := range written {
			if derr := a.media.Delete(context.WithoutCancel(ctx), key); derr != nil {
				a.logger.Warn("archive: removing a media file of a failed import", "key", key, "err", derr)
			}
		}
		if errors.Is(err, store.ErrAlreadyExists) {
			return nil, fmt.Errorf("%w: %w", ErrExists, err)
		}
		return nil, err
	}
	return &res, nil
}

// putMedia writes the media files of the archive to the media store and
// returns their keys.
func (a *Archiver) putMedia(ctx context.Context, files []*zip.File, res *ImportResult) ([]string, error) {
	var written []string
	for _, f := range files {
		key, ok := strings.CutPrefix(f.Name, mediaDir)
		if !ok || strings.HasSuffix(f.Name, "/") {
			continue
		}
		ct, err := media.KeyContentType(key)
		if err != nil {
			return written, fmt.Errorf("%w: %s is not a media file Plein stores", ErrNotArchive, f.Name)
		}
		if obj, err := a.media.Open(ctx, key); err == nil {
			obj.Close()
			return written, fmt.Errorf("%w: the media file %s", ErrExists, key)
		}
		data, err := readEntry(f, maxMediaSize)
		if err != nil {
			return written, err
		}
		if err := a.media.Put(ctx, key, ct, data); err != nil {
			return written, fmt.Errorf("archive: storing media %s: %w", key, err)
		}
		written = append(written, key)
		res.MediaFiles++
	}
	return written, nil
}

// importRecords stores the organisation and its records in tx.
func (a *Archiver) importRecords(ctx context.Context, tx store.Tx, files []*zip.File, org orgRecord, res *ImportResult) error {
	if err := tx.CreateOrg(ctx, org.Org); err != nil {
		return fmt.Errorf("archive: storing the organisation: %w", err)
	}
	for _, h := range org.FormerHandles {
		if err := tx.ImportFormerHandle(ctx, org.Org.ID, h); err != nil {
			return fmt.Errorf("archive: storing the former handle @%s: %w", h.Handle, err)
		}
	}
	if org.ReplyDisplay != "" {
		if err := tx.PutReplyDisplay(ctx, org.Org.ID, org.ReplyDisplay); err != nil {
			return fmt.Errorf("archive: storing the reply setting: %w", err)
		}
	}
	// Media before posts: attachments refer to them.
	for _, dir := range []string{dataDir + "media/", dataDir + "posts/", dataDir + "audit/"} {
		for _, f := range files {
			if path.Dir(f.Name)+"/" != dir || path.Ext(f.Name) != ".json" {
				continue
			}
			if err := a.importRecord(ctx, tx, dir, f, org.Org.ID, res); err != nil {
				return err
			}
		}
	}
	return tx.MarkChanged(ctx)
}

func (a *Archiver) importRecord(ctx context.Context, tx store.Tx, dir string, f *zip.File, orgID string, res *ImportResult) error {
	switch dir {
	case dataDir + "media/":
		var m model.Media
		if err := decodeEntry(f, &m); err != nil {
			return err
		}
		if m.OrgID != orgID || !model.ValidID(m.ID) {
			return fmt.Errorf("%w: %s is not a media item of the organisation", ErrNotArchive, f.Name)
		}
		if err := tx.CreateMedia(ctx, &m); err != nil {
			return fmt.Errorf("archive: storing media %s: %w", m.ID, err)
		}
		res.Media++
	case dataDir + "audit/":
		var en model.AuditEntry
		if err := decodeEntry(f, &en); err != nil {
			return err
		}
		en.OrgID = orgID
		if err := tx.AddAudit(ctx, &en); err != nil {
			return fmt.Errorf("archive: storing an audit entry: %w", err)
		}
		res.Audit++
	default:
		var rec postRecord
		if err := decodeEntry(f, &rec); err != nil {
			return err
		}
		if rec.Post == nil || rec.Post.OrgID != orgID || !model.ValidID(rec.Post.ID) {
			return fmt.Errorf("%w: %s is not a post of the organisation", ErrNotArchive, f.Name)
		}
		return a.importPost(ctx, tx, &rec, res)
	}
	return nil
}

func (a *Archiver) importPost(ctx context.Context, tx store.Tx, rec *postRecord, res *ImportResult) error {
	p := rec.Post
	if err := tx.CreatePost(ctx, p); err != nil {
		return fmt.Errorf("archive: storing post %s: %w", p.ID, err)
	}
	res.Posts++
	// A scheduled post is published at its time here as it would have
	// been there; so is one awaiting approval looked at then.
	if p.State == model.StateScheduled || p.State == model.StateAwaiting && !p.PublishAt.IsZero() {
		if err := tx.EnqueueJob(ctx, post.PublishArgs{PostID: p.ID}, &river.InsertOpts{ScheduledAt: p.PublishAt}); err != nil {
			return fmt.Errorf("archive: scheduling post %s: %w", p.ID, err)
		}
	}
	for _, r := range rec.Revisions {
		r.PostID = p.ID
		if err := tx.AddRevision(ctx, r); err != nil {
			return fmt.Errorf("archive: storing a version of post %s: %w", p.ID, err)
		}
		res.Revisions++
	}
	for _, ra := range rec.Authors {
		if _, err := tx.RemoteActor(ctx, ra.ID); errors.Is(err, store.ErrNotFound) {
			if err := tx.PutRemoteActor(ctx, ra); err != nil {
				return fmt.Errorf("archive: storing the author of a reply: %w", err)
			}
		} else if err != nil {
			return fmt.Errorf("archive: looking for the author of a reply: %w", err)
		}
	}
	for _, r := range rec.Replies {
		// Sanitised when received; again here, as the file may have been
		// changed since.
		r.PostID, r.ContentHTML, r.Summary = p.ID, string(markup.SanitizeHTML(r.ContentHTML)), string(markup.SanitizeHTML(r.Summary))
		if err := tx.ImportReply(ctx, r); err != nil {
			return fmt.Errorf("archive: storing a reply to post %s: %w", p.ID, err)
		}
		res.Replies++
	}
	for _, st := range rec.Statements {
		st.PostID, st.OrgID = p.ID, p.OrgID
		if err := tx.AddStatement(ctx, st); err != nil {
			return fmt.Errorf("archive: storing a statement of reasons: %w", err)
		}
		res.Statements++
	}
	return nil
}

func readJSON(files map[string]*zip.File, name string, v any) error {
	f := files[name]
	if f == nil {
		return fmt.Errorf("%w: it has no %s", ErrNotArchive, name)
	}
	return decodeEntry(f, v)
}

func decodeEntry(f *zip.File, v any) error {
	data, err := readEntry(f, maxRecordSize)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrNotArchive, f.Name, err)
	}
	return nil
}

// readEntry reads a whole entry of at most limit bytes.
func readEntry(f *zip.File, limit int64) ([]byte, error) {
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrNotArchive, f.Name, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrNotArchive, f.Name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %w", ErrNotArchive, f.Name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrNotArchive, f.Name, limit)
	}
	return data, nil
}

// ReadManifest returns the manifest of an archive.
func ReadManifest(r io.ReaderAt, size int64) (*Manifest, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotArchive, err)
	}
	for _, f := range zr.File {
		if f.Name == manifestPath {
			var m Manifest
			if err := decodeEntry(f, &m); err != nil {
				return nil, err
			}
			return &m, nil
		}
	}
	return nil, fmt.Errorf("%w: it has no %s", ErrNotArchive, manifestPath)
}
