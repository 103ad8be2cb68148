// Package library keeps the images an organisation uploads: each upload is
// checked, stripped of metadata and resized by package media, and its
// sizes are written to the media store. Callers record the returned
// model.Media in the transaction that uses it.
package library

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"plein/internal/i18n"
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
// model.FieldError on field, naming the file by name (a file name, or an
// i18n.Message such as "image 2"), safe to show: it tells what is wrong
// in words, never the decoder's text.
func (l *Library) Save(ctx context.Context, orgID, field string, name any, r io.Reader, now time.Time) (*model.Media, error) {
	processed, err := media.Process(r)
	if err != nil {
		if key, ok := refusal(err); ok {
			return nil, model.Invalid(field, refusalMessage(key, name))
		}
		return nil, fmt.Errorf("library: %w", err)
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

// refusal returns the message key for an error of media.Process that
// refuses the upload; false for any other error, such as a failed read.
func refusal(err error) (i18n.Key, bool) {
	switch {
	case errors.Is(err, media.ErrTooLarge):
		return i18n.ErrImageTooLarge, true
	case errors.Is(err, media.ErrTooManyPixels):
		return i18n.ErrImageTooManyPx, true
	case errors.Is(err, media.ErrUnsupportedFormat):
		return i18n.ErrImageUnsupported, true
	case errors.Is(err, media.ErrCorrupt):
		return i18n.ErrImageDamaged, true
	case errors.Is(err, media.ErrNotImage):
		return i18n.ErrImageNotImage, true
	}
	return "", false
}

// refusalMessage is the message of refusal key about the file name.
func refusalMessage(key i18n.Key, name any) i18n.Message {
	if name == "" || name == nil {
		name = i18n.M(i18n.FileUnnamed)
	}
	switch key {
	case i18n.ErrImageTooLarge:
		return i18n.M(key, name, media.MaxUploadBytes>>20)
	case i18n.ErrImageTooManyPx:
		return i18n.M(key, name, media.MaxPixels/1_000_000, media.MaxSide)
	}
	return i18n.M(key, name)
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
