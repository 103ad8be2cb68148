package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

// testMoves checks what is kept of moves: where an organisation moved to,
// kept when its profile changes; the Moves naming an organisation, each
// once; the follows that began since a moment, and how many an actor
// has.
func testMoves(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, o))
	must(t, s.CreateOrg(ctx, other))

	const target = "https://social.example/users/almere"
	movedAt := epoch.Add(time.Hour)
	must(t, s.SetOrgMovedTo(ctx, o.ID, target, movedAt))
	o.DisplayName = "Gemeente Almere"
	must(t, s.UpdateOrg(ctx, o)) // a profile saved without the move keeps it
	got, err := s.OrgByID(ctx, o.ID)
	if err != nil || got.MovedTo != target || !got.MovedAt.Equal(movedAt) || !got.Moved() {
		t.Fatalf("moved org: %+v %v; want moved to %s at %v", got, err, target, movedAt)
	}
	if got, err := s.OrgByID(ctx, other.ID); err != nil || got.Moved() || !got.MovedAt.IsZero() {
		t.Fatalf("org that did not move: %+v %v", got, err)
	}
	if err := s.SetOrgMovedTo(ctx, "nope", target, movedAt); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("SetOrgMovedTo of no org: %v, want ErrNotFound", err)
	}

	for i, m := range []*model.MoveIn{
		{ActivityID: "https://old.example/a/1", OrgID: o.ID, From: "https://old.example/users/a", ReceivedAt: epoch},
		{ActivityID: "https://old.example/a/2", OrgID: o.ID, From: "https://old.example/users/a", ReceivedAt: epoch.Add(2 * time.Hour)},
		{ActivityID: "https://old.example/a/3", OrgID: other.ID, From: "https://old.example/users/b", ReceivedAt: epoch},
	} {
		if added, err := s.AddMoveIn(ctx, m); err != nil || !added {
			t.Fatalf("AddMoveIn %d: %v %v", i, added, err)
		}
	}
	if added, err := s.AddMoveIn(ctx, &model.MoveIn{ActivityID: "https://old.example/a/1", OrgID: o.ID, From: "x", ReceivedAt: epoch}); err != nil || added {
		t.Fatalf("AddMoveIn again: %v %v; want false", added, err)
	}
	moves, err := s.MovesIn(ctx, o.ID)
	must(t, err)
	if len(moves) != 2 || moves[0].ActivityID != "https://old.example/a/2" || moves[1].From != "https://old.example/users/a" ||
		!moves[0].ReceivedAt.Equal(epoch.Add(2*time.Hour)) || moves[0].OrgID != o.ID {
		t.Fatalf("moves in: %+v; want the two of almere, newest first", moves)
	}

	for i, at := range []time.Duration{-time.Minute, 0, time.Minute, 2 * time.Minute} {
		actor := "https://social.example/users/f" + string(rune('a'+i))
		must(t, s.PutFollower(ctx, &model.Follower{OrgID: o.ID, ActorID: actor, FollowID: actor + "#follow",
			Inbox: "https://social.example/inbox", CreatedAt: epoch.Add(at)}))
	}
	must(t, s.PutFollower(ctx, &model.Follower{OrgID: other.ID, ActorID: "https://social.example/users/z", FollowID: "z",
		Inbox: "https://social.example/inbox", CreatedAt: epoch.Add(time.Hour)}))
	if n, err := s.FollowsOf(ctx, "https://social.example/users/fa"); err != nil || n != 1 {
		t.Errorf("FollowsOf a follower = %d, %v; want 1", n, err)
	}
	if n, err := s.FollowsOf(ctx, "https://social.example/users/nobody"); err != nil || n != 0 {
		t.Errorf("FollowsOf an actor who follows nothing = %d, %v; want 0", n, err)
	}
	for _, tc := range []struct {
		since     time.Time
		limit     int
		wantCount int
		wantFirst string
		wantLen   int
	}{
		{epoch, 10, 3, "https://social.example/users/fd", 3},
		{epoch, 2, 3, "https://social.example/users/fd", 2},
		{epoch.Add(time.Hour), 10, 0, "", 0},
	} {
		n, list, err := s.FollowersSince(ctx, o.ID, tc.since, tc.limit)
		must(t, err)
		if n != tc.wantCount || len(list) != tc.wantLen || len(list) > 0 && (list[0].ActorID != tc.wantFirst || list[0].OrgID != o.ID) {
			t.Errorf("FollowersSince(%v, %d) = %d, %+v; want %d, %d, first %s", tc.since, tc.limit, n, list, tc.wantCount, tc.wantLen, tc.wantFirst)
		}
	}
}
