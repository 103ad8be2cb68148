package federation

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/activity"
	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/org"
)

// Moving followers in and out, as Mastodon and GoToSocial do: an account
// sends Move{actor: old, object: old, target: new} to its followers, whose
// servers fetch the new account, check that its alsoKnownAs names the old
// one, and follow the new one.

// Address is how people on other servers name an organisation's account:
// @handle@host.
func (s *Service) Address(o *model.Org) string { return "@" + o.Handle + "@" + s.host }

// moveIn records a Move of one of an organisation's earlier accounts to
// the organisation itself, so that staff see the follows that arrive
// since. The organisation must list the mover among its earlier accounts.
func (s *Service) moveIn(ctx context.Context, in *activity.Incoming, signer *model.RemoteActor, o *model.Org) error {
	if !slices.Contains(o.AlsoKnownAs, signer.ID) {
		return fmt.Errorf("%w: Move to %s from %s, which it does not list as an earlier account", ErrBadActivity, o.ID, signer.ID)
	}
	_, err := s.st.AddMoveIn(ctx, &model.MoveIn{ActivityID: in.ID, OrgID: o.ID, From: signer.ID, ReceivedAt: s.now().UTC()})
	return err
}

// MaxMoveInFollowers is how many of the follows since a Move MoveInStatus
// lists; all of them are counted.
const MaxMoveInFollowers = 200

// MoveInStatus is what staff see of a move to an organisation: the Moves
// that arrived, newest first, and the follows that began since the newest.
type MoveInStatus struct {
	Moves     []*model.MoveIn
	Count     int               // follows since the newest Move
	Followers []*model.Follower // the newest of them, at most MaxMoveInFollowers
}

// MoveIn returns the state of moves to an organisation, for its admins.
func (s *Service) MoveIn(ctx context.Context, actor auth.Actor, orgID string) (*MoveInStatus, error) {
	if err := s.orgs.RequireManage(ctx, actor, orgID); err != nil {
		return nil, err
	}
	moves, err := s.st.MovesIn(ctx, orgID)
	if err != nil {
		return nil, err
	}
	st := &MoveInStatus{Moves: moves}
	if len(moves) > 0 {
		if st.Count, st.Followers, err = s.st.FollowersSince(ctx, orgID, moves[0].ReceivedAt, MaxMoveInFollowers); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// MoveOut moves an organisation to another Fediverse account, given as
// its address (https://…) or as @user@host: it fetches the account, checks
// that its alsoKnownAs names the organisation, as its followers' servers
// will check, and records the move (org.Service.Move), whose job sends
// the followers a Move. Refusals are bilingual field errors.
func (s *Service) MoveOut(ctx context.Context, actor auth.Actor, orgID, to string) (*model.Org, error) {
	if err := s.orgs.RequireManage(ctx, actor, orgID); err != nil {
		return nil, err
	}
	o, err := s.orgs.ByID(ctx, orgID)
	if err != nil {
		return nil, err
	}
	to = strings.TrimSpace(to)
	target, err := s.moveTarget(ctx, to)
	if err != nil {
		return nil, err
	}
	self := s.ActorID(o.ID)
	if target.ID == self {
		return nil, model.Invalid("to", i18n.M(i18n.ErrMoveSelf))
	}
	if !slices.Contains(target.AlsoKnownAs, self) {
		return nil, model.Invalid("to", i18n.M(i18n.ErrMoveNotAlias, target.ID, self))
	}
	return s.orgs.Move(ctx, actor, o.ID, target.ID)
}

// moveTarget fetches the account to move to, named by its actor id or as
// @user@host, freshly: its alsoKnownAs may have changed a moment ago.
func (s *Service) moveTarget(ctx context.Context, to string) (*activity.RemoteActor, error) {
	actorURL := to
	if u, err := url.Parse(to); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		user, host, ok := strings.Cut(strings.TrimPrefix(to, "@"), "@")
		if !ok || user == "" || host == "" || strings.ContainsAny(user+host, "/?# ") {
			return nil, model.Invalid("to", i18n.M(i18n.ErrMoveTarget, to))
		}
		a, err := s.ResolveMention(ctx, markup.Mention{User: user, Host: host})
		if err != nil {
			return nil, model.Invalid("to", i18n.M(i18n.ErrMoveFetch, to))
		}
		actorURL = a.ID
	}
	body, err := s.fetch(ctx, actorURL)
	if err != nil {
		return nil, model.Invalid("to", i18n.M(i18n.ErrMoveFetch, to))
	}
	a, err := activity.ParseActor(body)
	if err != nil || a.ID != actorURL {
		return nil, model.Invalid("to", i18n.M(i18n.ErrMoveTarget, to))
	}
	return a, nil
}

// MoveWorker tells an organisation's followers that it moved: an Update of
// its actor, which now names the account it moved to in movedTo, and the
// Move itself, to every follower inbox.
type MoveWorker struct {
	river.WorkerDefaults[org.MovedArgs]
	svc *Service
}

// NewMoveWorker returns the worker for org.MovedArgs jobs.
func NewMoveWorker(svc *Service) *MoveWorker { return &MoveWorker{svc: svc} }

// Work enqueues the Update and the Move for every follower inbox. Run
// again, it enqueues nothing twice: deliveries are unique.
func (w *MoveWorker) Work(ctx context.Context, job *river.Job[org.MovedArgs]) error {
	s := w.svc
	o, err := s.orgs.ByID(ctx, job.Args.OrgID)
	if errors.Is(err, org.ErrUnknownHandle) {
		return nil
	}
	if err != nil {
		return err
	}
	a, err := s.Actor(ctx, o)
	if err != nil {
		return err
	}
	a.Context = nil
	id := s.ActorID(o.ID)
	update := &activity.Activity{Context: activity.DefaultContext(), ID: fmt.Sprintf("%s#updates/%d", id, job.Args.At.UnixMilli()),
		Type: activity.TypeUpdate, Actor: id, To: []string{activity.Public}, Cc: []string{id + "/followers"}, Object: a}
	if err := s.fanOut(ctx, o.ID, update); err != nil {
		return err
	}
	return s.fanOut(ctx, o.ID, s.moveActivity(o, job.Args.Target, job.Args.At))
}

// moveActivity is the Move of an organisation to target, made at at.
func (s *Service) moveActivity(o *model.Org, target string, at time.Time) *activity.Activity {
	id := s.ActorID(o.ID)
	return &activity.Activity{Context: activity.DefaultContext(), ID: fmt.Sprintf("%s#moves/%d", id, at.UnixMilli()),
		Type: activity.TypeMove, Actor: id, Object: activity.IRI(id), Target: target,
		Published: activity.Time{Time: at}, To: []string{id + "/followers"}}
}

// followsNothing reports whether actorID follows no organisation here, so
// that a Move of it has nothing to hand over.
func (s *Service) followsNothing(ctx context.Context, actorID string) (bool, error) {
	n, err := s.st.FollowsOf(ctx, actorID)
	return n == 0, err
}
