package post

import (
	"context"
	"errors"
	"fmt"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/store"
)

// ErrNoReply means there is no reply with that id.
var ErrNoReply = errors.New("post: no such reply")

// Answer publishes the organisation's public answer to a citizen's reply:
// a post in reply to it that mentions its author, delivered to the
// organisation's followers and to the author's server. Editors and
// moderators may answer.
func (s *Service) Answer(ctx context.Context, actor auth.Actor, replyID, text string) (*model.Post, error) {
	r, err := s.st.Reply(ctx, replyID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %q", ErrNoReply, replyID)
	}
	if err != nil {
		return nil, err
	}
	answered, err := s.Get(ctx, r.PostID)
	if err != nil {
		return nil, err
	}
	if err := s.auth.Require(ctx, actor, answered.OrgID, auth.PermModerate); err != nil {
		if err := s.auth.Require(ctx, actor, answered.OrgID, auth.PermPublish); err != nil {
			return nil, err
		}
	}
	org, err := s.st.OrgByID(ctx, answered.OrgID)
	if err != nil {
		return nil, err
	}
	if err := notMoved(org); err != nil {
		return nil, err
	}
	in := Input{Text: text, Language: answered.Language}
	if err := s.validate(&in, org); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	p := &model.Post{ID: model.NewID(now), OrgID: org.ID, State: model.StatePublished, Text: in.Text,
		Language: in.Language, PublishAt: now, CreatedAt: now, UpdatedAt: now, Revisions: 1,
		InReplyTo: r.ID, Mention: r.ActorID}
	// The answer names its author as the author's server does, which needs
	// the actor document kept when the reply came in.
	switch a, err := s.st.RemoteActor(ctx, r.ActorID); {
	case err == nil:
		p.MentionUsername, p.MentionURL = a.Username, a.URL
	case !errors.Is(err, store.ErrNotFound):
		return nil, fmt.Errorf("post: answer: %w", err)
	}
	err = s.st.InTx(ctx, func(tx store.Tx) error { return s.insert(ctx, tx, actor, p, "post.answer") })
	if err != nil {
		return nil, fmt.Errorf("post: answer: %w", err)
	}
	return p, nil
}
