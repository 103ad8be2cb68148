// Package library keeps the images an organisation uploads: each upload is
// checked, stripped of metadata and resized by package media, and its
// sizes are written to the media store. Callers record the returned
// model.Media in the transaction that uses it.
package library

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"plein/internal/media"
	"plein/internal/model"
)

// Library writes and removes the files of uploaded images.
type Library struct {
	files media.Store
}

// New returns a Library storing files in files.
func New(files media.Store) *Library { return &Library{files: files} }

// Save processes an upload and stores its sizes. The media it returns is
// not yet recorded in the database. A refused upload is a
// model.FieldError on field, naming the file, safe to show.
func (l *Library) Save(ctx context.Context, orgID, field, name string, r io.Reader, now time.Time) (*model.Media, error) {
	processed, err := media.Process(r)
	if err != nil {
		return nil, model.Invalid(field, name+": "+strings.TrimPrefix(err.Error(), "media: "))
	}
	m := &model.Media{ID: model.NewID(now), OrgID: orgID, Width: processed.Width, Height: processed.Height, CreatedAt: now}
	for _, v := range processed.Variants {
		key := media.Key(m.ID, v)
		if err := l.files.Put(ctx, key, v.ContentType, v.Data); err != nil {
			l.Discard(m)
			return nil, fmt.Errorf("library: store image: %w", err)
		}
		m.ContentType = v.ContentType
		m.Variants = append(m.Variants, model.MediaVariant{Name: v.Name, Key: key, ContentType: v.ContentType,
			Width: v.Width, Height: v.Height, Size: int64(len(v.Data))})
	}
	return m, nil
}

// Discard removes the files of media that were never recorded, after a
// refusal or a failed transaction. It is best effort: a leftover file is
// referenced by nothing.
func (l *Library) Discard(ms ...*model.Media) {
	for _, m := range ms {
		for _, v := range m.Variants {
			_ = l.files.Delete(context.Background(), v.Key)
		}
	}
}

// Remove deletes the files of a media item for good.
func (l *Library) Remove(ctx context.Context, m *model.Media) error {
	for _, v := range m.Variants {
		if err := l.files.Delete(ctx, v.Key); err != nil {
			return fmt.Errorf("library: remove %s: %w", v.Key, err)
		}
	}
	return nil
}
