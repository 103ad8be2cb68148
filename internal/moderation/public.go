package moderation

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/store"
)

// Shown is a reply as a post's public page shows it: its sanitised content
// and its author's name linking to the author's profile. Nothing in it is
// loaded from the author's server.
type Shown struct {
	ID          string
	AuthorName  string // @user@host, or the actor's id
	AuthorURL   string // the profile's address, or the actor's id
	ContentHTML string // sanitised when received
	Summary     string
	Published   time.Time
}

// Shown returns the replies shown under a post of the organisation
// orgID, oldest first: those moderation approved, unless the organisation
// shows none.
func (s *Service) Shown(ctx context.Context, orgID, postID string) ([]Shown, error) {
	d, err := s.st.ReplyDisplay(ctx, orgID)
	if err != nil || d == model.RepliesNever {
		return nil, err
	}
	replies, err := s.st.ListReplies(ctx, store.ReplyFilter{OrgID: orgID, PostID: postID, States: []model.ReplyState{model.ReplyShown}})
	if err != nil {
		return nil, fmt.Errorf("moderation: shown replies: %w", err)
	}
	out := make([]Shown, 0, len(replies))
	for _, r := range replies {
		if blocked, err := s.blockedAuthor(ctx, orgID, r.ActorID); err != nil || blocked {
			if err != nil {
				return nil, err
			}
			continue // a block came after the approval: never shown again
		}
		sh := Shown{ID: r.ID, AuthorName: r.ActorID, AuthorURL: r.ActorID, ContentHTML: r.ContentHTML, Summary: r.Summary, Published: r.Published}
		if sh.Published.IsZero() {
			sh.Published = r.ReceivedAt
		}
		if a, err := s.st.RemoteActor(ctx, r.ActorID); err == nil {
			sh.AuthorName = AuthorName(r.ActorID, a)
			if u, err := url.Parse(a.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
				sh.AuthorURL = a.URL
			}
		}
		out = append(out, sh)
	}
	return out, nil
}

// blockedAuthor reports whether any block of the organisation orgID or
// the installation, in either mode, covers the actor actorID.
func (s *Service) blockedAuthor(ctx context.Context, orgID, actorID string) (bool, error) {
	bs, err := s.st.BlocksOf(ctx, actorID, hostOf(actorID))
	if err != nil {
		return false, fmt.Errorf("moderation: blocks: %w", err)
	}
	for _, b := range bs {
		if b.OrgID == "" || b.OrgID == orgID {
			return true, nil
		}
	}
	return false, nil
}

// ReplyDisplay returns whether an organisation shows replies under its
// posts.
func (s *Service) ReplyDisplay(ctx context.Context, orgID string) (model.ReplyDisplay, error) {
	return s.st.ReplyDisplay(ctx, orgID)
}

// SetReplyDisplay sets whether an organisation shows replies under its
// posts; its admins decide.
func (s *Service) SetReplyDisplay(ctx context.Context, actor auth.Actor, orgID string, d model.ReplyDisplay) error {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
		return err
	}
	if d != model.RepliesAfterApproval && d != model.RepliesNever {
		return model.Invalid("display", i18n.M(i18n.ErrReplyDisplay))
	}
	now := s.now().UTC()
	return s.st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.PutReplyDisplay(ctx, orgID, d); err != nil {
			return err
		}
		if err := tx.MarkChanged(ctx); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, actor, orgID, "org.replies", orgID, string(d), now)
	})
}

// Blocked reports whether the actor actorID is suspended, for the
// organisation orgID or ("" or not) for the whole installation. A block
// that only hides replies does not count: see ScreenReply.
func (s *Service) Blocked(ctx context.Context, orgID, actorID string) (bool, error) {
	bs, err := s.st.BlocksOf(ctx, actorID, hostOf(actorID))
	if err != nil {
		return false, fmt.Errorf("moderation: blocks: %w", err)
	}
	for _, b := range bs {
		if (b.OrgID == "" || b.OrgID == orgID) && b.Mode != model.BlockHideReplies {
			return true, nil
		}
	}
	return false, nil
}

// ParseBlockTarget reads what to block: an account by its actor id
// (https://server/users/name) or a server by its host name.
func ParseBlockTarget(s string) (model.BlockKind, string, error) {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		if strings.Trim(u.Path, "/") == "" {
			return model.BlockServer, strings.ToLower(u.Host), nil
		}
		return model.BlockAccount, s, nil
	}
	host := strings.ToLower(strings.TrimSuffix(s, "."))
	if host != "" && !strings.ContainsAny(host, "/@ :") && strings.Contains(host, ".") || strings.HasPrefix(host, "127.0.0.1:") {
		return model.BlockServer, host, nil
	}
	return "", "", model.Invalid("target", i18n.M(i18n.ErrBlockTarget, s))
}

// Block keeps an account or server out: of the organisation orgID, by
// its admins, or ("" as orgID) of the whole installation, by instance
// administrators. Its activities are refused from then on and its follows
// end at once (see BlockWith for a block that only hides replies).
func (s *Service) Block(ctx context.Context, actor auth.Actor, orgID, target, reason string) (*model.Block, error) {
	return s.BlockWith(ctx, actor, orgID, target, reason, model.BlockSuspend)
}

// Unblock lifts the block with the id, of the organisation orgID ("" the
// installation's), for the same people who may set it.
func (s *Service) Unblock(ctx context.Context, actor auth.Actor, orgID, id string) error {
	if orgID == "" {
		if err := auth.RequireAdmin(actor); err != nil {
			return err
		}
	} else if err := s.auth.Require(ctx, actor, orgID, auth.PermManage); err != nil {
		return err
	}
	blocks, err := s.st.Blocks(ctx, orgID)
	if err != nil {
		return fmt.Errorf("moderation: unblock: %w", err)
	}
	for _, b := range blocks {
		if b.ID != id {
			continue
		}
		now := s.now().UTC()
		return s.st.InTx(ctx, func(tx store.Tx) error {
			if err := tx.RemoveBlock(ctx, id); err != nil {
				return err
			}
			return auth.Audit(ctx, tx, actor, orgID, "block.remove", b.Target, string(b.Kind), now)
		})
	}
	return ErrNoBlock
}

// ErrNoBlock means the organisation or installation has no block with the
// id given.
var ErrNoBlock = errors.New("moderation: no such block")

// Blocks returns the blocks of an organisation ("" the installation's).
func (s *Service) Blocks(ctx context.Context, actor auth.Actor, orgID string) ([]*model.Block, error) {
	if orgID == "" {
		if err := auth.RequireAdmin(actor); err != nil {
			return nil, err
		}
	} else if err := s.auth.Require(ctx, actor, orgID, auth.PermModerate); err != nil {
		return nil, err
	}
	return s.st.Blocks(ctx, orgID)
}

// Notices returns the notices about an organisation's content, newest
// first.
func (s *Service) Notices(ctx context.Context, actor auth.Actor, orgID string, limit int) ([]*model.Notice, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermModerate); err != nil {
		return nil, err
	}
	return s.st.Notices(ctx, orgID, limit)
}
