package post

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/store"
)

// ErrAlreadyImported means the item of the export became a post before.
var ErrAlreadyImported = errors.New("post: item imported before")

// AuditImport is the audit action of a post imported from another
// platform; AuditDescribe that of a description given to an image.
const (
	AuditImport   = "post.import"
	AuditDescribe = "post.describe"
)

// Imported is an item of another platform's export to become a post.
type Imported struct {
	Source string    // the platform, such as model.ImportFacebook
	Key    string    // stable key of the item within its source
	Text   string    // Markdown
	At     time.Time // the item's original publication time
	// Images are the item's images; one whose Alt is empty is imported but
	// held back until staff describe it.
	Images []ImageInput
}

// ImportCheck tells whether the item key of source may still be imported
// into the organisation: ErrAlreadyImported when it was, a permission
// error when actor may not import.
func (s *Service) ImportCheck(ctx context.Context, actor auth.Actor, orgID, source, key string) error {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
		return err
	}
	_, err := s.st.PostImported(ctx, orgID, source, key)
	switch {
	case err == nil:
		return ErrAlreadyImported
	case errors.Is(err, store.ErrNotFound):
		return nil
	}
	return fmt.Errorf("post: import: %w", err)
}

// Import publishes an item of another platform's export as a post of the
// organisation, dated at its original time and marked as imported. It is
// for organisation admins: the approval flow does not apply, and the post
// is neither announced to followers nor sent to subscribers. Each image
// the media pipeline refuses is left out and its refusal returned, keyed
// by the image's index; ErrAlreadyImported means the item was imported
// before and nothing changed.
func (s *Service) Import(ctx context.Context, actor auth.Actor, orgID string, in Imported) (*model.Post, map[int]error, error) {
	if err := s.ImportCheck(ctx, actor, orgID, in.Source, in.Key); err != nil {
		return nil, nil, err
	}
	org, err := s.st.OrgByID(ctx, orgID)
	if err != nil {
		return nil, nil, fmt.Errorf("post: import: %w", err)
	}
	text, err := checkText(in.Text)
	if err != nil {
		return nil, nil, err
	}
	if len(in.Images) > MaxImages {
		return nil, nil, model.Invalid("image", i18n.M(i18n.ErrTooManyImages, MaxImages))
	}
	if _, err := Guard(Input{Text: text, Images: in.Images}); err != nil {
		return nil, nil, err
	}
	now := s.now().UTC()
	var uploads []*model.Media
	var kept []model.Attachment
	refused := map[int]error{}
	for i, img := range in.Images {
		alt := strings.TrimSpace(img.Alt)
		if utf8.RuneCountInString(alt) > MaxAltLength {
			alt = "" // held back: staff write a shorter one
		}
		m, err := s.library.Save(ctx, orgID, "image", imageName(img, i), img.Upload, now)
		if _, ok := model.AsFieldError(err); ok {
			refused[i] = err
			continue
		}
		if err != nil {
			s.library.Discard(uploads...)
			return nil, nil, fmt.Errorf("post: import: %w", err)
		}
		uploads = append(uploads, m)
		kept = append(kept, model.Attachment{MediaID: m.ID, Alt: alt})
	}
	at := in.At.UTC()
	p := &model.Post{ID: model.NewID(now), OrgID: orgID, State: model.StatePublished, Text: text, Language: org.Language,
		PublishAt: at, CreatedAt: at, UpdatedAt: at, Revisions: 1, Attachments: kept, ImportedFrom: in.Source}
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		for _, m := range uploads {
			if err := tx.CreateMedia(ctx, m); err != nil {
				return err
			}
		}
		if err := tx.CreatePost(ctx, p); err != nil {
			return err
		}
		if err := tx.AddPostImport(ctx, orgID, in.Source, in.Key, p.ID, now); err != nil {
			return err
		}
		if err := tx.AddRevision(ctx, revision(p, actor, at)); err != nil {
			return err
		}
		if err := auth.Audit(ctx, tx, actor, orgID, AuditImport, p.ID, auditText(p.Text), now); err != nil {
			return err
		}
		return tx.MarkChanged(ctx)
	})
	if err != nil {
		s.library.Discard(uploads...)
		if errors.Is(err, store.ErrAlreadyExists) {
			return nil, nil, ErrAlreadyImported
		}
		return nil, nil, fmt.Errorf("post: import: %w", err)
	}
	return p, refused, nil
}

// Describe gives the image mediaID of a post, an imported image held back
// for want of alt text, its description: it is public from then on.
// Images that have alt text change through Edit. It changes no
// revision and announces nothing: the text stays as it was.
func (s *Service) Describe(ctx context.Context, actor auth.Actor, postID, mediaID, alt string) (*model.Post, error) {
	alt = strings.TrimSpace(alt)
	switch n := utf8.RuneCountInString(alt); {
	case n == 0:
		return nil, model.Invalid("alt", i18n.M(i18n.ErrAltMissing, i18n.M(i18n.ImageNumber, 1)))
	case n > MaxAltLength:
		return nil, model.Invalid("alt", i18n.M(i18n.ErrAltTooLong, i18n.M(i18n.ImageNumber, 1), n, MaxAltLength))
	}
	if _, err := Guard(Input{Images: []ImageInput{{Alt: alt}}}); err != nil {
		return nil, err
	}
	return s.change(ctx, actor, postID, AuditDescribe, func(p *model.Post, _ time.Time) error {
		for i, a := range p.Attachments {
			if a.MediaID == mediaID && a.Alt == "" {
				p.Attachments[i].Alt = alt
				return nil
			}
		}
		return model.Invalid("image", i18n.M(i18n.ErrImageNotUsable))
	})
}

// AuditImportRun is the audit action of a whole import; its detail is
// four numbers: posts imported, images, images held back, items not
// imported.
const AuditImportRun = "import."

// RecordImport writes the audit entry of a finished import from source
// into the organisation.
func (s *Service) RecordImport(ctx context.Context, actor auth.Actor, orgID, source string, posts, images, held, problems int) error {
	detail := fmt.Sprintf("%d %d %d %d", posts, images, held, problems)
	if err := auth.Audit(ctx, s.st, actor, orgID, AuditImportRun+source, "", detail, s.now().UTC()); err != nil {
		return fmt.Errorf("post: import: %w", err)
	}
	return nil
}

// HeldBack returns the organisation's posts with an image held back for
// want of a description, newest first, for staff to describe.
func (s *Service) HeldBack(ctx context.Context, actor auth.Actor, orgID string) ([]*model.Post, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermPublish); err != nil {
		return nil, err
	}
	posts, err := s.st.ListPosts(ctx, store.PostFilter{OrgID: orgID, HeldBack: true})
	if err != nil {
		return nil, fmt.Errorf("post: held back: %w", err)
	}
	return posts, nil
}
