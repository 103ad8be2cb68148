package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/store"
)

func testIdentities(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	anna := &model.User{ID: model.NewID(epoch), Email: "anna@example.org", PasswordHash: "x", CreatedAt: epoch}
	bram := &model.User{ID: model.NewID(epoch.Add(time.Second)), Email: "bram@example.org", PasswordHash: "x", CreatedAt: epoch}
	must(t, s.CreateUser(ctx, anna))
	must(t, s.CreateUser(ctx, bram))
	const issuer = "https://login.example.org/realms/gemeente"
	link := func(tx store.Queries, id *model.Identity) error { return tx.LinkIdentity(ctx, id) }
	inTx := func(id *model.Identity) error {
		return s.InTx(ctx, func(tx store.Tx) error { return link(tx, id) })
	}
	a := &model.Identity{Issuer: issuer, Subject: "sub-anna", UserID: anna.ID, CreatedAt: epoch}
	must(t, inTx(a))
	got, err := s.IdentityBySubject(ctx, issuer, "sub-anna")
	if err != nil || !reflect.DeepEqual(got, a) {
		t.Fatalf("IdentityBySubject = %+v, %v; want %+v", got, err, a)
	}
	if _, err := s.IdentityBySubject(ctx, "https://other.example.org", "sub-anna"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the same subject of another issuer: %v, want ErrNotFound", err)
	}
	if err := inTx(&model.Identity{Issuer: issuer, Subject: "sub-anna", UserID: bram.ID, CreatedAt: epoch}); !errors.Is(err, store.ErrAlreadyExists) {
		t.Errorf("a subject linked to another account: %v, want ErrAlreadyExists", err)
	}
	// A new subject of the same issuer replaces the account's link.
	a2 := &model.Identity{Issuer: issuer, Subject: "sub-anna-2", UserID: anna.ID, CreatedAt: epoch.Add(time.Hour)}
	must(t, inTx(a2))
	if _, err := s.IdentityBySubject(ctx, issuer, "sub-anna"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the replaced link still resolves: %v", err)
	}
	other := &model.Identity{Issuer: "https://other.example.org", Subject: "x", UserID: anna.ID, CreatedAt: epoch.Add(2 * time.Hour)}
	must(t, inTx(other))
	list, err := s.IdentitiesOfUser(ctx, anna.ID)
	if err != nil || len(list) != 2 || list[0].Subject != "sub-anna-2" || list[1].Subject != "x" {
		t.Fatalf("IdentitiesOfUser = %+v, %v", list, err)
	}
	must(t, s.UnlinkIdentity(ctx, anna.ID, issuer))
	if err := s.UnlinkIdentity(ctx, anna.ID, issuer); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unlinking twice: %v, want ErrNotFound", err)
	}
	if list, _ := s.IdentitiesOfUser(ctx, bram.ID); len(list) != 0 {
		t.Errorf("bram has links: %+v", list)
	}
}

func testSessionDevices(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	u := &model.User{ID: model.NewID(epoch), Email: "a@example.org", PasswordHash: "x", CreatedAt: epoch}
	other := &model.User{ID: model.NewID(epoch.Add(time.Second)), Email: "b@example.org", PasswordHash: "x", CreatedAt: epoch}
	must(t, s.CreateUser(ctx, u))
	must(t, s.CreateUser(ctx, other))
	add := func(id, userID string, created, seen, expires time.Time) {
		must(t, s.CreateSession(ctx, &model.Session{ID: id, UserID: userID, CSRFToken: "c-" + id, CreatedAt: created, LastSeenAt: seen, ExpiresAt: expires}))
	}
	add("phone", u.ID, epoch, epoch.Add(2*time.Hour), epoch.Add(3*time.Hour))
	add("laptop", u.ID, epoch, epoch.Add(time.Hour), epoch.Add(3*time.Hour))
	add("idle", u.ID, epoch, epoch, epoch.Add(time.Minute))
	add("ancient", u.ID, epoch.Add(-40*24*time.Hour), epoch.Add(time.Hour), epoch.Add(3*time.Hour))
	add("theirs", other.ID, epoch, epoch, epoch.Add(3*time.Hour))
	must(t, s.SetSessionDevice(ctx, "phone", "Safari on iOS", "oidc"))
	if err := s.SetSessionDevice(ctx, "nope", "x", "password"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetSessionDevice of no session: %v", err)
	}
	list, err := s.SessionsOfUser(ctx, u.ID, epoch.Add(30*time.Minute), epoch.Add(-7*24*time.Hour))
	must(t, err)
	if len(list) != 2 || list[0].ID != "phone" || list[1].ID != "laptop" {
		t.Fatalf("SessionsOfUser = %+v; want phone, laptop (current ones, most recently used first)", list)
	}
	want := &model.SessionEntry{ID: "phone", UserID: u.ID, Device: "Safari on iOS", Via: "oidc", CreatedAt: epoch,
		LastSeenAt: epoch.Add(2 * time.Hour), ExpiresAt: epoch.Add(3 * time.Hour)}
	if !reflect.DeepEqual(list[0], want) {
		t.Errorf("entry = %+v, want %+v", list[0], want)
	}
	if err := s.DeleteSessionOfUser(ctx, u.ID, "theirs"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ending another account's session: %v, want ErrNotFound", err)
	}
	if _, err := s.SessionByID(ctx, "theirs"); err != nil {
		t.Errorf("another account's session was ended: %v", err)
	}
	must(t, s.DeleteSessionOfUser(ctx, u.ID, "laptop"))
	if _, err := s.SessionByID(ctx, "laptop"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the ended session remains: %v", err)
	}
}
