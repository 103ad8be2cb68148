package moderation_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/pleintest"
	"plein/internal/store"
)

// TestAddFilterRefuses checks the limits and rules of keyword filters on
// both engines: the phrase's size and words, repeats in another spelling,
// the number per organisation, and who may add and remove them.
func TestAddFilterRefuses(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server, clock *pleintest.Clock) {
		ctx := context.Background()
		o := srv.Org(t, "ede")
		mod, op := srv.App.Moderation, auth.Operator()
		for _, tc := range []struct {
			phrase string
			action model.FilterAction
			want   string
		}{
			{" ", model.FilterHold, "give a word or phrase"},
			{"?!", model.FilterHold, "give a word or phrase"},
			{strings.Repeat("a", moderation.MaxFilterPhrase+1), model.FilterHold, "the limit is 100"},
			{strings.Repeat("a ", moderation.MaxFilterWords+1), model.FilterHold, "at most 10 words"},
			{"spam", "delete", "not a filter action"},
		} {
			_, err := mod.AddFilter(ctx, op, o.ID, tc.phrase, tc.action)
			if fe, ok := model.AsFieldError(err); !ok || !strings.Contains(fe.Error(), tc.want) {
				t.Errorf("AddFilter(%q, %q) = %v, want %q", tc.phrase, tc.action, err, tc.want)
			}
		}
		f, err := mod.AddFilter(ctx, op, o.ID, " Koop\tnu ", model.FilterRefuse)
		if err != nil || f.Phrase != "Koop nu" {
			t.Fatalf("add: %+v %v", f, err)
		}
		if _, err := mod.AddFilter(ctx, op, o.ID, "koop, NU", model.FilterHold); err == nil || !strings.Contains(err.Error(), "already") {
			t.Errorf("the same words again: %v", err)
		}
		if _, _, err := srv.App.Auth.CreateUser(ctx, op, auth.NewUser{Email: "mod@ede.nl"}); err != nil {
			t.Fatal(err)
		}
		if err := srv.App.Auth.AddToOrg(ctx, op, o.ID, "mod@ede.nl", model.RoleModerator); err != nil {
			t.Fatal(err)
		}
		moderator, err := srv.App.Auth.ActorFor(ctx, "mod@ede.nl")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mod.AddFilter(ctx, moderator, o.ID, "spam", model.FilterHold); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("a moderator adds a filter: %v", err)
		}
		if fs, err := mod.Filters(ctx, moderator, o.ID); err != nil || len(fs) != 1 {
			t.Errorf("a moderator reads the filters: %+v %v", fs, err)
		}
		if _, err := mod.RemoveFilter(ctx, moderator, f.ID); !errors.Is(err, model.ErrForbidden) {
			t.Errorf("a moderator removes a filter: %v", err)
		}
		// The store takes the rest up to the limit at once; the service
		// then refuses one more.
		err = srv.App.Store.InTx(ctx, func(tx store.Tx) error {
			for i := 1; i < moderation.MaxFilters; i++ {
				if err := tx.AddFilter(ctx, &model.Filter{ID: model.NewID(clock.Now()), OrgID: o.ID, Phrase: "woord" + strconv.Itoa(i),
					Action: model.FilterHold, CreatedAt: clock.Now()}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mod.AddFilter(ctx, op, o.ID, "one too many", model.FilterHold); err == nil || !strings.Contains(err.Error(), "the limit") {
			t.Errorf("a filter over the limit: %v", err)
		}
		if _, err := mod.RemoveFilter(ctx, op, "none"); !errors.Is(err, moderation.ErrNoFilter) {
			t.Errorf("removing no filter: %v", err)
		}
	})
}
