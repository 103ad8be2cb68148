package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"plein/internal/model"
	"plein/internal/store"
)

// Run runs the conformance suite on engine e.
func Run(t *testing.T, e Engine) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e Engine)
	}{
		{"Orgs", testOrgs},
		{"OrgImages", testOrgImages},
		{"Users", testUsers},
		{"Posts", testPosts},
		{"PostPagination", testPostPagination},
		{"PostImports", testPostImports},
		{"Settings", testSettings},
		{"TxRollback", testTxRollback},
		{"WatchChangesAcrossConnections", testWatchChanges},
		{"JobsEnqueuedWithTx", testJobs},
		{"JobCounts", testJobCounts},
		{"StopJobsCancelsRunning", testStopJobsCancelsRunning},
		{"RetryJobs", testRetryJobs},
		{"FollowersGone", testFollowersGone},
		{"SessionsAndAudit", testSessionsAndAudit},
		{"LoginFailures", testLoginFailures},
		{"LoginFailuresReservedAtOnce", testLoginFailuresAtOnce},
		{"ActorKeys", testActorKeys},
		{"Federation", testFederation},
		{"Subscriptions", testSubscriptions},
		{"SubscriptionGroups", testSubscriptionGroups},
		{"Questions", testQuestions},
		{"Inbox", testInbox},
		{"InboxTopics", testInboxTopics},
		{"Bluesky", testBluesky},
		{"Moderation", testModeration},
		{"ModerationFilters", testModerationFilters},
		{"ModerationBlockModes", testModerationBlockModes},
		{"ModerationFigures", testModerationFigures},
		{"Complaints", testComplaints},
		{"SecondFactors", testSecondFactors},
		{"Approvals", testApprovals},
		{"Identities", testIdentities},
		{"SessionDevices", testSessionDevices},
		{"Archive", testArchive},
		{"ImagesWithoutAlt", testImagesWithoutAlt},
		{"Moves", testMoves},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, e)
		})
	}
}

func open(t *testing.T, e Engine) store.Store {
	t.Helper()
	return e.Open(t, e.NewDatabase(t), nil)
}

var epoch = time.Date(2026, 11, 23, 9, 30, 0, 123456000, time.UTC)

func newOrg(handle string) *model.Org {
	return &model.Org{
		ID: model.NewID(epoch), Handle: handle, DisplayName: "Gemeente " + handle,
		Description: "Nieuws & informatie", Links: []model.Link{{Label: "Website", URL: "https://example.org"}},
		Language: "nl", TimeZone: "Europe/Amsterdam", CreatedAt: epoch, UpdatedAt: epoch,
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testOrgs(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	a, b := newOrg("almere"), newOrg("zwolle")
	must(t, s.CreateOrg(ctx, a))
	must(t, s.CreateOrg(ctx, b))

	dup := newOrg("almere")
	if err := s.CreateOrg(ctx, dup); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("duplicate handle: got %v, want ErrAlreadyExists", err)
	}
	got, err := s.OrgByHandle(ctx, "almere")
	must(t, err)
	if got.ID != a.ID || got.DisplayName != a.DisplayName || !got.CreatedAt.Equal(epoch) ||
		len(got.Links) != 1 || got.Links[0] != a.Links[0] || got.TimeZone != "Europe/Amsterdam" {
		t.Fatalf("OrgByHandle = %+v, want %+v", got, a)
	}
	if _, err := s.OrgByHandle(ctx, "nowhere"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown handle: got %v, want ErrNotFound", err)
	}

	// Rename: the old handle redirects and stays reserved.
	must(t, s.RenameOrg(ctx, a.ID, "almere-stad", epoch.Add(time.Hour)))
	if got, err := s.OrgByHandle(ctx, "almere-stad"); err != nil || got.ID != a.ID {
		t.Fatalf("new handle: %v %v", got, err)
	}
	if got, err := s.OrgByFormerHandle(ctx, "almere"); err != nil || got.ID != a.ID {
		t.Fatalf("former handle: %v %v", got, err)
	}
	if err := s.RenameOrg(ctx, b.ID, "almere", epoch); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("taking another's former handle: got %v", err)
	}
	if err := s.CreateOrg(ctx, newOrg("almere")); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("creating with a former handle: got %v", err)
	}
	if err := s.RenameOrg(ctx, b.ID, "almere-stad", epoch); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("taking another's current handle: got %v", err)
	}
	// Taking back its own former handle is allowed.
	must(t, s.RenameOrg(ctx, a.ID, "almere", epoch.Add(2*time.Hour)))
	if got, err := s.OrgByFormerHandle(ctx, "almere-stad"); err != nil || got.ID != a.ID {
		t.Fatalf("second former handle: %v %v", got, err)
	}
	if _, err := s.OrgByFormerHandle(ctx, "almere"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("current handle is no longer former: %v", err)
	}

	a.DisplayName = "Gemeente Almere"
	a.Links = nil
	a.AlsoKnownAs = []string{"https://mastodon.example/users/almere"}
	a.UpdatedAt = epoch.Add(3 * time.Hour)
	must(t, s.UpdateOrg(ctx, a))
	list, err := s.ListOrgs(ctx)
	must(t, err)
	if len(list) != 2 || list[0].DisplayName != "Gemeente Almere" || list[1].Handle != "zwolle" || len(list[0].Links) != 0 ||
		len(list[0].AlsoKnownAs) != 1 || list[0].AlsoKnownAs[0] != "https://mastodon.example/users/almere" {
		t.Fatalf("ListOrgs = %+v", list)
	}
	if err := s.UpdateOrg(ctx, newOrg("ghost")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update unknown org: %v", err)
	}
}

// testOrgImages checks that an organisation's avatar and header, with the
// header's alt text, are kept, and that media an organisation uses as either
// is never counted as unattached.
func testOrgImages(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	newMedia := func() *model.Media {
		id := model.NewID(epoch)
		return &model.Media{ID: id, ContentType: "image/jpeg", Width: 1500, Height: 500, CreatedAt: epoch,
			Variants: []model.MediaVariant{{Name: "large", Key: id + "/large.jpg", ContentType: "image/jpeg", Width: 1500, Height: 500, Size: 2048}}}
	}
	avatar, header, loose := newMedia(), newMedia(), newMedia()
	o := newOrg("deventer")
	o.AvatarID, o.HeaderID, o.HeaderAlt = avatar.ID, header.ID, "De Brink met de Waag bij avondlicht"
	must(t, s.CreateOrg(ctx, o))
	for _, m := range []*model.Media{avatar, header, loose} {
		m.OrgID = o.ID
		must(t, s.CreateMedia(ctx, m))
	}
	check := func(what string, got *model.Org, err error, avatarID, headerID, headerAlt string) {
		t.Helper()
		must(t, err)
		if got.AvatarID != avatarID || got.HeaderID != headerID || got.HeaderAlt != headerAlt {
			t.Fatalf("%s: avatar %q, header %q (%q); want %q, %q (%q)", what, got.AvatarID, got.HeaderID, got.HeaderAlt,
				avatarID, headerID, headerAlt)
		}
	}
	got, err := s.OrgByID(ctx, o.ID)
	check("created", got, err, avatar.ID, header.ID, o.HeaderAlt)
	unattached := func() []string {
		t.Helper()
		ms, err := s.UnattachedMediaBefore(ctx, epoch.Add(time.Hour))
		must(t, err)
		var ids []string
		for _, m := range ms {
			ids = append(ids, m.ID)
		}
		return ids
	}
	if ids := unattached(); !slices.Equal(ids, []string{loose.ID}) {
		t.Fatalf("unattached media %v, want only %s", ids, loose.ID)
	}

	// Another header replaces the first; the first is then unattached.
	o.HeaderID, o.HeaderAlt, o.UpdatedAt = loose.ID, "Fietsers op de IJsselbrug", epoch.Add(time.Hour)
	must(t, s.UpdateOrg(ctx, o))
	got, err = s.OrgByHandle(ctx, "deventer")
	check("replaced", got, err, avatar.ID, loose.ID, "Fietsers op de IJsselbrug")
	if ids := unattached(); !slices.Equal(ids, []string{header.ID}) {
		t.Fatalf("unattached media after the replacement %v, want only %s", ids, header.ID)
	}

	// Removing the header leaves the avatar.
	o.HeaderID, o.HeaderAlt = "", ""
	must(t, s.UpdateOrg(ctx, o))
	list, err := s.ListOrgs(ctx)
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("ListOrgs: %d organisations, want 1", len(list))
	}
	check("removed", list[0], nil, avatar.ID, "", "")
	if ids := unattached(); len(ids) != 2 || slices.Contains(ids, avatar.ID) {
		t.Fatalf("unattached media after the removal %v, want both headers and not the avatar", ids)
	}
}

func testUsers(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	org := newOrg("rijk")
	must(t, s.CreateOrg(ctx, org))
	u := &model.User{ID: model.NewID(epoch), Email: "editor@example.org", Name: "Eva", PasswordHash: "x", CreatedAt: epoch}
	must(t, s.CreateUser(ctx, u))
	if err := s.CreateUser(ctx, &model.User{ID: model.NewID(epoch), Email: "editor@example.org", PasswordHash: "y", CreatedAt: epoch}); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("duplicate e-mail: %v", err)
	}
	must(t, s.SetPasswordHash(ctx, u.ID, "new-hash"))
	got, err := s.UserByEmail(ctx, "editor@example.org")
	must(t, err)
	if got.PasswordHash != "new-hash" || got.IsAdmin || got.Name != "Eva" || got.MustChangePassword {
		t.Fatalf("UserByEmail = %+v", got)
	}
	// An account made with a password an administrator chose must change
	// it; the flag is read back, set and cleared.
	temp := &model.User{ID: model.NewID(epoch.Add(time.Second)), Email: "new@example.org", PasswordHash: "z",
		MustChangePassword: true, CreatedAt: epoch}
	must(t, s.CreateUser(ctx, temp))
	if got, err := s.UserByID(ctx, temp.ID); err != nil || !got.MustChangePassword {
		t.Fatalf("new account with a chosen password: %+v, %v", got, err)
	}
	must(t, s.SetMustChangePassword(ctx, temp.ID, false))
	if got, err := s.UserByEmail(ctx, "new@example.org"); err != nil || got.MustChangePassword {
		t.Fatalf("after clearing: %+v, %v", got, err)
	}
	must(t, s.SetMustChangePassword(ctx, u.ID, true))
	if list, err := s.ListUsers(ctx); err != nil || len(list) != 2 || !list[0].MustChangePassword || list[1].MustChangePassword {
		t.Fatalf("ListUsers after setting Eva's flag: %+v, %v", list, err)
	}
	if err := s.SetMustChangePassword(ctx, "nobody", true); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("flag of an unknown account: %v", err)
	}
	must(t, s.PutMembership(ctx, model.Membership{OrgID: org.ID, UserID: u.ID, Role: model.RoleAnalyst}))
	must(t, s.PutMembership(ctx, model.Membership{OrgID: org.ID, UserID: u.ID, Role: model.RoleEditor}))
	m, err := s.Membership(ctx, org.ID, u.ID)
	must(t, err)
	if m.Role != model.RoleEditor {
		t.Fatalf("role = %s, want editor (replaced)", m.Role)
	}
	ms, err := s.MembersOfOrg(ctx, org.ID)
	must(t, err)
	if len(ms) != 1 {
		t.Fatalf("members = %v", ms)
	}
	must(t, s.DeleteMembership(ctx, org.ID, u.ID))
	if _, err := s.Membership(ctx, org.ID, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted membership: %v", err)
	}
	if err := s.DeleteMembership(ctx, org.ID, u.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
}

func newPost(orgID string, state model.PostState, at time.Time) *model.Post {
	p := &model.Post{ID: model.NewID(at), OrgID: orgID, State: state, Text: "Tekst", Language: "nl",
		CreatedAt: at, UpdatedAt: at, Revisions: 1}
	if state != model.StateDraft {
		p.PublishAt = at
	}
	return p
}

func testPosts(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	org := newOrg("demo")
	must(t, s.CreateOrg(ctx, org))
	img := &model.Media{ID: model.NewID(epoch), OrgID: org.ID, ContentType: "image/jpeg", Width: 800, Height: 600,
		Variants:  []model.MediaVariant{{Name: "large", Key: "x/large.jpg", ContentType: "image/jpeg", Width: 800, Height: 600, Size: 1234}},
		CreatedAt: epoch}
	must(t, s.CreateMedia(ctx, img))

	p := newPost(org.ID, model.StatePublished, epoch)
	p.Summary = "Let op"
	p.InReplyTo, p.Mention = "https://social.example/notes/1", "https://social.example/users/eva"
	p.MentionUsername, p.MentionURL = "eva", "https://social.example/@eva"
	p.Attachments = []model.Attachment{{MediaID: img.ID, Alt: "Een dijk bij hoog water"}}
	must(t, s.CreatePost(ctx, p))
	must(t, s.AddRevision(ctx, &model.Revision{PostID: p.ID, Number: 1, Text: p.Text, Language: "nl", Editor: "Eva", CreatedAt: epoch}))

	got, err := s.PostByID(ctx, p.ID)
	must(t, err)
	if got.Summary != "Let op" || got.InReplyTo != p.InReplyTo || got.Mention != p.Mention ||
		got.MentionUsername != "eva" || got.MentionURL != "https://social.example/@eva" || !got.PublishAt.Equal(epoch) || got.PublishAt.Location() != time.UTC ||
		!got.DeletedAt.IsZero() || len(got.Attachments) != 1 || got.Attachments[0].Alt != "Een dijk bij hoog water" {
		t.Fatalf("PostByID = %+v", got)
	}
	m, err := s.MediaByIDs(ctx, []string{img.ID, "missing"})
	must(t, err)
	if len(m) != 1 || m[img.ID].Variant("large").Size != 1234 {
		t.Fatalf("MediaByIDs = %+v", m)
	}

	// Edit: new revision, attachments replaced.
	p.Text = "Tekst, verbeterd"
	p.Revisions = 2
	p.Attachments = nil
	p.UpdatedAt = epoch.Add(time.Minute)
	must(t, s.UpdatePost(ctx, p))
	must(t, s.AddRevision(ctx, &model.Revision{PostID: p.ID, Number: 2, Text: p.Text, Language: "nl", Editor: "Eva", CreatedAt: p.UpdatedAt}))
	if err := s.AddRevision(ctx, &model.Revision{PostID: p.ID, Number: 2, Text: "dup", Language: "nl", CreatedAt: epoch}); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("duplicate revision number: %v", err)
	}
	got, err = s.PostByID(ctx, p.ID)
	must(t, err)
	if got.Text != "Tekst, verbeterd" || !got.Edited() || got.Revisions != 2 || len(got.Attachments) != 0 {
		t.Fatalf("after edit: %+v", got)
	}
	revs, err := s.Revisions(ctx, p.ID)
	must(t, err)
	if len(revs) != 2 || revs[0].Text != "Tekst" || revs[1].Number != 2 || !revs[1].CreatedAt.Equal(epoch.Add(time.Minute)) {
		t.Fatalf("revisions = %+v", revs)
	}

	draft := newPost(org.ID, model.StateDraft, epoch.Add(time.Hour))
	must(t, s.CreatePost(ctx, draft))
	pinned := newPost(org.ID, model.StatePublished, epoch.Add(-time.Hour))
	pinned.Pinned = true
	must(t, s.CreatePost(ctx, pinned))

	yes, no := true, false
	for _, tc := range []struct {
		name string
		f    store.PostFilter
		want []string
	}{
		{"published newest first", store.PostFilter{OrgID: org.ID, States: []model.PostState{model.StatePublished}}, []string{p.ID, pinned.ID}},
		{"pinned", store.PostFilter{OrgID: org.ID, States: []model.PostState{model.StatePublished}, Pinned: &yes}, []string{pinned.ID}},
		{"not pinned", store.PostFilter{OrgID: org.ID, Pinned: &no, States: []model.PostState{model.StatePublished}}, []string{p.ID}},
		{"drafts", store.PostFilter{OrgID: org.ID, States: []model.PostState{model.StateDraft}}, []string{draft.ID}},
		{"every state", store.PostFilter{OrgID: org.ID}, []string{draft.ID, p.ID, pinned.ID}},
		{"other org", store.PostFilter{OrgID: "none"}, nil},
	} {
		list, err := s.ListPosts(ctx, tc.f)
		must(t, err)
		var ids []string
		for _, p := range list {
			ids = append(ids, p.ID)
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, ids, tc.want)
		}
	}

	must(t, s.PurgePost(ctx, p.ID))
	must(t, s.DeleteMedia(ctx, img.ID))
	if _, err := s.MediaByID(ctx, img.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted media: %v", err)
	}
	if _, err := s.PostByID(ctx, p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("purged post: %v", err)
	}
	if revs, err := s.Revisions(ctx, p.ID); err != nil || len(revs) != 0 {
		t.Fatalf("purged revisions: %v %v", revs, err)
	}
}

func testPostPagination(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	org := newOrg("paged")
	must(t, s.CreateOrg(ctx, org))
	for i := range 7 {
		// Two posts share each second, so the id breaks ties.
		must(t, s.CreatePost(ctx, newPost(org.ID, model.StatePublished, epoch.Add(time.Duration(i/2)*time.Second))))
	}
	all, err := s.ListPosts(ctx, store.PostFilter{OrgID: org.ID})
	must(t, err)
	var got []string
	var cursor *store.PostCursor
	for {
		page, err := s.ListPosts(ctx, store.PostFilter{OrgID: org.ID, Before: cursor, Limit: 3})
		must(t, err)
		for _, p := range page {
			got = append(got, p.ID)
		}
		if len(page) < 3 {
			break
		}
		last := page[len(page)-1]
		cursor = &store.PostCursor{PublishAt: last.PublishAt, ID: last.ID}
	}
	var allIDs []string
	for i, p := range all {
		allIDs = append(allIDs, p.ID)
		if i > 0 {
			prev := all[i-1]
			if prev.PublishAt.Before(p.PublishAt) || prev.PublishAt.Equal(p.PublishAt) && prev.ID < p.ID {
				t.Fatalf("not newest first at %d: %v then %v", i, prev.PublishAt, p.PublishAt)
			}
		}
	}
	if len(allIDs) != 7 || !slices.Equal(got, allIDs) {
		t.Fatalf("paged %v, want %v", got, allIDs)
	}
}

func testSettings(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	if _, err := s.Setting(ctx, "base_url"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing setting: %v", err)
	}
	v, err := s.InitSetting(ctx, "base_url", "https://a.example")
	must(t, err)
	v2, err := s.InitSetting(ctx, "base_url", "https://b.example")
	must(t, err)
	if v != "https://a.example" || v2 != "https://a.example" {
		t.Fatalf("InitSetting kept %q then %q", v, v2)
	}
	must(t, s.PutSetting(ctx, "base_url", "https://c.example"))
	if v, _ := s.Setting(ctx, "base_url"); v != "https://c.example" {
		t.Fatalf("PutSetting: %q", v)
	}
}

func testTxRollback(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	before, err := s.ChangeVersion(ctx)
	must(t, err)
	boom := errors.New("boom")
	err = s.InTx(ctx, func(tx store.Tx) error {
		must(t, tx.CreateOrg(ctx, newOrg("rolled-back")))
		must(t, tx.MarkChanged(ctx))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v, want boom", err)
	}
	if _, err := s.OrgByHandle(ctx, "rolled-back"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("rolled back org exists: %v", err)
	}
	must(t, s.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrg(ctx, newOrg("committed")); err != nil {
			return err
		}
		return tx.MarkChanged(ctx)
	}))
	after, err := s.ChangeVersion(ctx)
	must(t, err)
	if after != before+1 {
		t.Fatalf("change version %d → %d, want one step", before, after)
	}
}

func testWatchChanges(t *testing.T, e Engine) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loc := e.NewDatabase(t)
	watcher := e.Open(t, loc, nil)
	writer := e.Open(t, loc, nil) // stands for another process or node
	changed := make(chan int64, 100)
	done := make(chan error, 1)
	go func() { done <- watcher.WatchChanges(ctx, func(v int64) { changed <- v }) }()
	// A change made before the watcher's first reading is not reported:
	// change again until one is.
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for seen := false; !seen; {
		must(t, writer.InTx(ctx, func(tx store.Tx) error { return tx.MarkChanged(ctx) }))
		select {
		case v := <-changed:
			now, err := writer.ChangeVersion(ctx)
			must(t, err)
			if v < 1 || v > now {
				t.Fatalf("reported version %d; the counter is at %d", v, now)
			}
			seen = true
		case <-tick.C:
		case <-deadline:
			t.Fatal("no change seen within 5s")
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("WatchChanges returned %v", err)
	}
}

type probeArgs struct{ N int }

func (probeArgs) Kind() string { return "storetest_probe" }

type probeWorker struct {
	river.WorkerDefaults[probeArgs]
	ran chan int
}

func (w *probeWorker) Work(ctx context.Context, j *river.Job[probeArgs]) error {
	w.ran <- j.Args.N
	return nil
}

func testJobs(t *testing.T, e Engine) {
	ctx := context.Background()
	workers := river.NewWorkers()
	w := &probeWorker{ran: make(chan int, 10)}
	river.AddWorker(workers, w)
	s := e.Open(t, e.NewDatabase(t), workers)
	must(t, s.StartJobs(ctx))
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.StopJobs(sctx); err != nil {
			t.Errorf("StopJobs: %v", err)
		}
	})
	var orgCreated atomic.Bool
	_ = s.InTx(ctx, func(tx store.Tx) error {
		must(t, tx.EnqueueJob(ctx, probeArgs{N: 1}, nil))
		return errors.New("roll back")
	})
	must(t, s.InTx(ctx, func(tx store.Tx) error {
		orgCreated.Store(true)
		return tx.EnqueueJob(ctx, probeArgs{N: 2}, &river.InsertOpts{ScheduledAt: time.Now().Add(300 * time.Millisecond)})
	}))
	select {
	case n := <-w.ran:
		if n != 2 {
			t.Fatalf("ran job %d: the job of the rolled-back transaction must not exist", n)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("committed job did not run within 15s")
	}
	select {
	case n := <-w.ran:
		t.Fatalf("unexpected second job %d", n)
	case <-time.After(200 * time.Millisecond):
	}
	if !orgCreated.Load() {
		t.Fatal("transaction body did not run")
	}
}

type blockingArgs struct{}

func (blockingArgs) Kind() string { return "storetest_blocking" }

// blockingWorker runs until its job is cancelled.
type blockingWorker struct {
	river.WorkerDefaults[blockingArgs]
	started chan struct{}
}

func (w *blockingWorker) Work(ctx context.Context, j *river.Job[blockingArgs]) error {
	w.started <- struct{}{}
	<-ctx.Done()
	return ctx.Err()
}

// testStopJobsCancelsRunning stops the queue while a job runs that does not
// finish within the grace: StopJobs cancels it and returns, and the job is
// not left "running" for the rescuer to find much later, but available at
// once to the next process.
func testStopJobsCancelsRunning(t *testing.T, e Engine) {
	ctx := context.Background()
	workers := river.NewWorkers()
	w := &blockingWorker{started: make(chan struct{}, 1)}
	river.AddWorker(workers, w)
	s := e.Open(t, e.NewDatabase(t), workers)
	must(t, s.StartJobs(ctx))
	must(t, s.InTx(ctx, func(tx store.Tx) error { return tx.EnqueueJob(ctx, blockingArgs{}, nil) }))
	select {
	case <-w.started:
	case <-time.After(15 * time.Second):
		t.Fatal("the job did not start within 15s")
	}
	graceCtx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := s.StopJobs(graceCtx); err != nil {
		t.Fatalf("StopJobs: %v", err)
	}
	counts, err := s.JobCounts(ctx)
	must(t, err)
	if counts["running"] != 0 || counts["available"] != 1 {
		t.Fatalf("job counts after the stop %v: the cancelled job must be handed back (available), not left running", counts)
	}
}

func testJobCounts(t *testing.T, e Engine) {
	ctx := context.Background()
	workers := river.NewWorkers()
	river.AddWorker(workers, &probeWorker{ran: make(chan int, 10)})
	s := e.Open(t, e.NewDatabase(t), workers) // jobs are not started: they wait
	must(t, s.InTx(ctx, func(tx store.Tx) error {
		if err := tx.EnqueueJobs(ctx, []river.JobArgs{probeArgs{N: 0}, probeArgs{N: 1}, probeArgs{N: 2}}); err != nil {
			return err
		}
		return tx.EnqueueJob(ctx, probeArgs{N: 9}, &river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour)})
	}))
	_ = s.InTx(ctx, func(tx store.Tx) error {
		must(t, tx.EnqueueJobs(ctx, []river.JobArgs{probeArgs{N: 5}, probeArgs{N: 6}}))
		return errors.New("roll back")
	})
	counts, err := s.JobCounts(ctx)
	must(t, err)
	if counts["available"] != 3 || counts["scheduled"] != 1 {
		t.Fatalf("job counts %v, want 3 available and 1 scheduled (none of the rolled-back batch)", counts)
	}
}

type inboxArgs struct {
	Inbox string `json:"inbox"`
}

func (inboxArgs) Kind() string { return "storetest_inbox" }

type inboxWorker struct {
	river.WorkerDefaults[inboxArgs]
}

func (inboxWorker) Work(context.Context, *river.Job[inboxArgs]) error { return nil }

func testRetryJobs(t *testing.T, e Engine) {
	ctx := context.Background()
	workers := river.NewWorkers()
	river.AddWorker(workers, &inboxWorker{})
	s := e.Open(t, e.NewDatabase(t), workers) // jobs are not started: they wait
	later := &river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour)}
	must(t, s.InTx(ctx, func(tx store.Tx) error {
		for _, inbox := range []string{"https://down.example/inbox", "http://down.example/u/a/inbox",
			"https://down.example/u/b/inbox", "https://down.example.org/inbox", "https://up.example/inbox"} {
			if err := tx.EnqueueJob(ctx, inboxArgs{Inbox: inbox}, later); err != nil {
				return err
			}
		}
		return nil
	}))
	prefixes := []string{"https://down.example/", "http://down.example/"}
	n, err := s.RetryJobs(ctx, inboxArgs{}.Kind(), "inbox", prefixes, 2)
	must(t, err)
	if n != 2 {
		t.Fatalf("RetryJobs with a limit of 2 made %d jobs runnable", n)
	}
	n, err = s.RetryJobs(ctx, inboxArgs{}.Kind(), "inbox", prefixes, 100)
	must(t, err)
	if n != 1 {
		t.Fatalf("RetryJobs made %d more jobs runnable, want the 1 left of down.example", n)
	}
	counts, err := s.JobCounts(ctx)
	must(t, err)
	if counts["available"] != 3 || counts["scheduled"] != 2 {
		t.Fatalf("job counts %v, want the 3 jobs of down.example available and the other 2 scheduled", counts)
	}
	if n, err := s.RetryJobs(ctx, "storetest_other", "inbox", prefixes, 100); err != nil || n != 0 {
		t.Fatalf("RetryJobs of another kind: %d %v", n, err)
	}
	if _, err := s.RetryJobs(ctx, inboxArgs{}.Kind(), "inbox' OR 1=1 --", prefixes, 100); err == nil {
		t.Fatal("RetryJobs accepted an argument name that is not a plain name")
	}
}

func testFollowersGone(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	a, b := newOrg("gone-a"), newOrg("gone-b")
	must(t, s.CreateOrg(ctx, a))
	must(t, s.CreateOrg(ctx, b))
	follow := func(org *model.Org, actorID, inbox string, own bool) {
		must(t, s.PutFollower(ctx, &model.Follower{OrgID: org.ID, ActorID: actorID, FollowID: actorID + "#follow",
			Inbox: inbox, OwnInbox: own, CreatedAt: epoch}))
	}
	follow(a, "https://solo.example/u/ann", "https://solo.example/u/ann/inbox", true)
	follow(b, "https://solo.example/u/ann", "https://solo.example/u/ann/inbox", true)
	follow(a, "https://solo.example/u/bob", "https://solo.example/u/bob/inbox", true)
	follow(a, "https://social.example/u/cas", "https://social.example/inbox", false)
	follow(a, "https://social.example/u/dex", "https://social.example/inbox", false)

	orgs, err := s.RemoveFollowersAtInbox(ctx, "https://social.example/inbox")
	must(t, err)
	if len(orgs) != 0 {
		t.Fatalf("a shared inbox ended follows of %v", orgs)
	}
	orgs, err = s.RemoveFollowersAtInbox(ctx, "https://solo.example/u/ann/inbox")
	must(t, err)
	slices.Sort(orgs)
	want := []string{a.ID, b.ID}
	slices.Sort(want)
	if !slices.Equal(orgs, want) {
		t.Fatalf("own inbox gone: ended follows of %v, want %v", orgs, want)
	}
	if n, _ := s.FollowerCount(ctx, a.ID); n != 3 {
		t.Fatalf("%d followers of a after an own inbox is gone, want 3", n)
	}
	inboxes, err := s.FollowerInboxes(ctx, b.ID)
	must(t, err)
	if len(inboxes) != 0 {
		t.Fatalf("inboxes of b after its only follower is gone: %v", inboxes)
	}

	// A move keeps whether the inbox is the follower's own.
	moved, err := s.MoveFollower(ctx, "https://social.example/u/dex", "https://solo.example/u/dex", "https://solo.example/u/dex/inbox", true)
	must(t, err)
	if moved != 1 {
		t.Fatalf("moved %d follows, want 1", moved)
	}
	if orgs, _ := s.RemoveFollowersAtInbox(ctx, "https://solo.example/u/dex/inbox"); !slices.Equal(orgs, []string{a.ID}) {
		t.Fatalf("moved follower's own inbox gone: ended follows of %v", orgs)
	}

	orgs, err = s.RemoveFollowersOf(ctx, "https://social.example/u/cas")
	must(t, err)
	if !slices.Equal(orgs, []string{a.ID}) {
		t.Fatalf("actor gone: ended follows of %v, want [%s]", orgs, a.ID)
	}
	inboxes, err = s.FollowerInboxes(ctx, a.ID)
	must(t, err)
	if !slices.Equal(inboxes, []string{"https://solo.example/u/bob/inbox"}) {
		t.Fatalf("inboxes of a: %v", inboxes)
	}
}

func testSessionsAndAudit(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	org := newOrg("audited")
	must(t, s.CreateOrg(ctx, org))
	u := &model.User{ID: model.NewID(epoch), Email: "a@example.org", PasswordHash: "x", CreatedAt: epoch}
	must(t, s.CreateUser(ctx, u))
	sess := &model.Session{ID: "hash-1", UserID: u.ID, CSRFToken: "csrf", Lang: "nl", CreatedAt: epoch, LastSeenAt: epoch, ExpiresAt: epoch.Add(time.Hour)}
	must(t, s.CreateSession(ctx, sess))
	must(t, s.CreateSession(ctx, &model.Session{ID: "hash-2", UserID: u.ID, CSRFToken: "c2", CreatedAt: epoch, LastSeenAt: epoch, ExpiresAt: epoch}))
	sess.Lang, sess.ExpiresAt = "en", epoch.Add(2*time.Hour)
	must(t, s.UpdateSession(ctx, sess))
	got, err := s.SessionByID(ctx, "hash-1")
	must(t, err)
	if got.Lang != "en" || !got.ExpiresAt.Equal(epoch.Add(2*time.Hour)) || got.CSRFToken != "csrf" {
		t.Fatalf("session = %+v", got)
	}
	must(t, s.CreateSession(ctx, &model.Session{ID: "old", UserID: u.ID, CSRFToken: "c3", CreatedAt: epoch.Add(-30 * 24 * time.Hour), LastSeenAt: epoch, ExpiresAt: epoch.Add(time.Hour)}))
	n, err := s.DeleteExpiredSessions(ctx, epoch.Add(time.Minute), epoch.Add(-7*24*time.Hour))
	must(t, err)
	if n != 2 { // hash-2 expired at epoch; "old" began too long ago
		t.Fatalf("deleted %d expired sessions, want 2", n)
	}
	if _, err := s.SessionByID(ctx, "hash-1"); err != nil {
		t.Fatalf("a current session was deleted: %v", err)
	}
	must(t, s.CreateSession(ctx, &model.Session{ID: "hash-2", UserID: u.ID, CSRFToken: "c2", CreatedAt: epoch, LastSeenAt: epoch, ExpiresAt: epoch}))
	must(t, s.DeleteUserSessions(ctx, u.ID, "hash-1"))
	if _, err := s.SessionByID(ctx, "hash-2"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other session survived: %v", err)
	}
	must(t, s.DeleteSession(ctx, "hash-1"))
	if _, err := s.SessionByID(ctx, "hash-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted session: %v", err)
	}

	for i, action := range []string{"post.create", "post.edit", "member.add"} {
		must(t, s.AddAudit(ctx, &model.AuditEntry{ID: model.NewID(epoch), OrgID: org.ID, ActorID: u.ID, Actor: "Eva",
			Action: action, Target: "x", At: epoch.Add(time.Duration(i) * time.Minute)}))
	}
	must(t, s.AddAudit(ctx, &model.AuditEntry{ID: model.NewID(epoch), Actor: "operator", Action: "user.create", At: epoch}))
	list, err := s.ListAudit(ctx, org.ID, 2)
	must(t, err)
	if len(list) != 2 || list[0].Action != "member.add" || list[1].Action != "post.edit" || list[0].Actor != "Eva" {
		t.Fatalf("ListAudit = %+v", list)
	}
	if inst, err := s.ListAudit(ctx, "", 10); err != nil || len(inst) != 1 || inst[0].Action != "user.create" {
		t.Fatalf("installation audit = %+v %v", inst, err)
	}
}

func testLoginFailures(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	const window = 15 * time.Minute
	add := func(at time.Time, keys ...string) []store.LoginCount {
		t.Helper()
		counts, err := s.AddLoginFailures(ctx, keys, at, at.Add(-window))
		must(t, err)
		return counts
	}
	count := func(key string) store.LoginCount {
		t.Helper()
		c, err := s.LoginFailureCount(ctx, key)
		must(t, err)
		return c
	}
	if c := count("a"); c.Failures != 0 || !c.Since.IsZero() {
		t.Fatalf("count of a key never counted: %+v", c)
	}
	if got := add(epoch, "a", "b"); len(got) != 2 || got[0].Failures != 1 || got[1].Failures != 1 || !got[0].Since.Equal(epoch) {
		t.Fatalf("first failures: %+v", got)
	}
	got := add(epoch.Add(time.Minute), "b", "a")
	if got[0].Failures != 2 || got[1].Failures != 2 || !got[1].Since.Equal(epoch) {
		t.Fatalf("second failures, keys in another order: %+v, want 2 each since %v", got, epoch)
	}
	must(t, s.RemoveLoginFailures(ctx, []string{"a"}))
	if c := count("a"); c.Failures != 1 {
		t.Fatalf("a after taking one back: %+v", c)
	}
	must(t, s.RemoveLoginFailures(ctx, []string{"a"}))
	if c := count("a"); c.Failures != 0 {
		t.Fatalf("a after taking every failure back: %+v, want forgotten", c)
	}
	must(t, s.RemoveLoginFailures(ctx, []string{"b", "never-counted"}))
	must(t, s.RemoveLoginFailures(ctx, []string{"b"}))
	if c := count("b"); c.Failures != 0 {
		t.Fatalf("b after taking every failure back: %+v", c)
	}
	if c := count("never-counted"); c.Failures != 0 {
		t.Fatalf("a key never counted after taking one back: %+v", c)
	}

	// A window ends window after it began: the next failure starts anew.
	add(epoch, "c")
	add(epoch.Add(window-time.Second), "c")
	if c := count("c"); c.Failures != 2 || !c.Since.Equal(epoch) {
		t.Fatalf("c within its window: %+v", c)
	}
	if got := add(epoch.Add(window), "c"); got[0].Failures != 1 || !got[0].Since.Equal(epoch.Add(window)) {
		t.Fatalf("c once its window ended: %+v, want 1 since %v", got, epoch.Add(window))
	}

	// The sweep deletes the counts whose window began before its limit.
	add(epoch, "old")
	n, err := s.DeleteLoginFailuresBefore(ctx, epoch.Add(time.Minute))
	must(t, err)
	if n != 1 || count("old").Failures != 0 || count("c").Failures != 1 {
		t.Fatalf("sweep deleted %d; old %+v, c %+v", n, count("old"), count("c"))
	}

}

// errRefused rolls back a reservation over the limit.
var errRefused = errors.New("over the limit")

// testLoginFailuresAtOnce reserves 30 attempts at once against a limit of
// 10, each in its own transaction that rolls back when its count is over
// the limit, from two connections to the same database (two nodes): no
// more than 10 may be admitted, and each admitted count is distinct.
func testLoginFailuresAtOnce(t *testing.T, e Engine) {
	ctx := context.Background()
	location := e.NewDatabase(t)
	nodes := []store.Store{e.Open(t, location, nil), e.Open(t, location, nil)}
	const n, limit = 30, 10
	admitted := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		st := nodes[i%len(nodes)]
		wg.Go(func() {
			err := st.InTx(ctx, func(tx store.Tx) error {
				counts, err := tx.AddLoginFailures(ctx, []string{"pair", "account"}, epoch, epoch.Add(-15*time.Minute))
				if err != nil {
					return err
				}
				if counts[0].Failures > limit {
					return errRefused
				}
				admitted <- counts[0].Failures
				return nil
			})
			if err != nil && !errors.Is(err, errRefused) {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	close(admitted)
	var got []int
	for c := range admitted {
		got = append(got, c)
	}
	slices.Sort(got)
	if want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; !slices.Equal(got, want) {
		t.Fatalf("admitted counts %v of %d attempts at once, want %v", got, n, want)
	}
	for _, st := range nodes {
		for _, key := range []string{"pair", "account"} {
			if c, err := st.LoginFailureCount(ctx, key); err != nil || c.Failures != limit {
				t.Fatalf("%s after the refused attempts rolled back: %+v %v, want %d", key, c, err, limit)
			}
		}
	}
}

func testActorKeys(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	if _, err := s.ActorKey(ctx, "org-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing key: %v", err)
	}
	first, err := s.InitActorKey(ctx, &model.ActorKey{OwnerID: "org-1", PrivatePEM: "private A", PublicPEM: "public A", CreatedAt: epoch})
	must(t, err)
	second, err := s.InitActorKey(ctx, &model.ActorKey{OwnerID: "org-1", PrivatePEM: "private B", PublicPEM: "public B", CreatedAt: epoch})
	must(t, err)
	if first.PrivatePEM != "private A" || second.PrivatePEM != "private A" || !second.CreatedAt.Equal(epoch) {
		t.Fatalf("InitActorKey kept %q then %q", first.PrivatePEM, second.PrivatePEM)
	}
}

func testFederation(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	a, b := newOrg("fed-a"), newOrg("fed-b")
	must(t, s.CreateOrg(ctx, a))
	must(t, s.CreateOrg(ctx, b))
	actor := &model.RemoteActor{ID: "https://social.example/users/eva", Inbox: "https://social.example/users/eva/inbox",
		SharedInbox: "https://social.example/inbox", KeyID: "https://social.example/users/eva#main-key", PublicKeyPEM: "pem", FetchedAt: epoch,
		Username: "eva", URL: "https://social.example/@eva"}
	must(t, s.PutRemoteActor(ctx, actor))
	actor.PublicKeyPEM = "rotated"
	must(t, s.PutRemoteActor(ctx, actor))
	if got, err := s.RemoteActor(ctx, actor.ID); err != nil || got.PublicKeyPEM != "rotated" || got.DeliveryInbox() != "https://social.example/inbox" ||
		got.Username != "eva" || got.URL != "https://social.example/@eva" {
		t.Fatalf("remote actor %+v %v", got, err)
	}
	if got, err := s.RemoteActorByKey(ctx, actor.KeyID); err != nil || got.ID != actor.ID {
		t.Fatalf("remote actor by key %+v %v", got, err)
	}
	if _, err := s.RemoteActorByAcct(ctx, ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("remote actor by empty acct: %v, want ErrNotFound", err)
	}
	mentioned := *actor
	mentioned.Acct = "eva@social.example"
	must(t, s.PutRemoteActor(ctx, &mentioned))
	must(t, s.PutRemoteActor(ctx, actor)) // a refetch without the address keeps it
	if got, err := s.RemoteActorByAcct(ctx, "eva@social.example"); err != nil || got.ID != actor.ID || got.Acct != "eva@social.example" {
		t.Fatalf("remote actor by acct %+v %v", got, err)
	}
	follow := func(org *model.Org, actorID, inbox string) {
		must(t, s.PutFollower(ctx, &model.Follower{OrgID: org.ID, ActorID: actorID, FollowID: actorID + "#follow", Inbox: inbox, CreatedAt: epoch}))
	}
	follow(a, actor.ID, "https://social.example/inbox")
	follow(a, actor.ID, "https://social.example/inbox") // a repeated Follow
	follow(a, "https://social.example/users/jan", "https://social.example/inbox")
	follow(a, "https://other.example/u/kim", "https://other.example/u/kim/inbox")
	follow(b, actor.ID, "https://social.example/inbox")
	if n, err := s.FollowerCount(ctx, a.ID); err != nil || n != 3 {
		t.Fatalf("follower count %d %v, want 3", n, err)
	}
	inboxes, err := s.FollowerInboxes(ctx, a.ID)
	must(t, err)
	if !slices.Equal(inboxes, []string{"https://other.example/u/kim/inbox", "https://social.example/inbox"}) {
		t.Fatalf("inboxes %v: want one per shared inbox", inboxes)
	}
	if ok, err := s.RemoveFollow(ctx, "https://other.example/u/kim", "https://other.example/u/kim#follow"); err != nil || !ok {
		t.Fatalf("RemoveFollow by id: %v %v", ok, err)
	}
	if ok, _ := s.RemoveFollow(ctx, "https://evil.example/u/x", actor.ID+"#follow"); ok {
		t.Fatal("another actor removed a follow")
	}
	follow(a, "https://other.example/u/kim", "https://other.example/u/kim/inbox")
	must(t, s.RemoveFollower(ctx, a.ID, "https://social.example/users/jan"))
	if err := s.RemoveFollower(ctx, a.ID, "https://social.example/users/jan"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("removing twice: %v", err)
	}
	// kim moves to a new account, which already follows b: the follow of a
	// moves, the doubled follow of b goes.
	oldKim, newKim := "https://other.example/u/kim", "https://new.example/u/kim"
	follow(b, oldKim, "https://other.example/u/kim/inbox")
	follow(b, newKim, "https://new.example/inbox")
	moved, err := s.MoveFollower(ctx, oldKim, newKim, "https://new.example/inbox", false)
	must(t, err)
	if moved != 1 {
		t.Fatalf("moved %d follows, want 1", moved)
	}
	for _, o := range []*model.Org{a, b} {
		inboxes, err := s.FollowerInboxes(ctx, o.ID)
		must(t, err)
		if !slices.Equal(inboxes, []string{"https://new.example/inbox", "https://social.example/inbox"}) {
			t.Fatalf("inboxes of %s after the move: %v", o.Handle, inboxes)
		}
	}
	if n, _ := s.FollowerCount(ctx, b.ID); n != 2 {
		t.Fatalf("%d followers of b after the move, want 2", n)
	}
	must(t, s.RemoveFollower(ctx, b.ID, newKim))

	n, err := s.ForgetActor(ctx, actor.ID)
	must(t, err)
	if n != 2 {
		t.Fatalf("forgot %d follows, want 2 (one per organisation)", n)
	}
	if _, err := s.RemoteActor(ctx, actor.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("forgotten actor: %v", err)
	}
	if n, _ := s.FollowerCount(ctx, b.ID); n != 0 {
		t.Fatalf("%d followers of b after forgetting", n)
	}

	for _, tc := range []struct {
		key  string
		kind string
		want bool
	}{{"k1", "like", true}, {"k1", "like", false}, {"k2", "like", true}, {"k3", "announce", true}} {
		added, err := s.AddReaction(ctx, tc.key, "post-1", tc.kind, epoch)
		must(t, err)
		if added != tc.want {
			t.Errorf("AddReaction(%s) = %v, want %v", tc.key, added, tc.want)
		}
	}
	if removed, _ := s.RemoveReaction(ctx, "k2"); !removed {
		t.Error("RemoveReaction of a present key")
	}
	if removed, _ := s.RemoveReaction(ctx, "k2"); removed {
		t.Error("RemoveReaction twice")
	}
	counts, err := s.ReactionCounts(ctx, "post-1")
	must(t, err)
	if counts["like"] != 1 || counts["announce"] != 1 {
		t.Fatalf("counts %v", counts)
	}
	reply := &model.Reply{ID: "https://social.example/notes/1", PostID: "post-1", ActorID: "https://social.example/users/jan",
		ContentHTML: "<p>Dank</p>", State: model.ReplyPending, Published: epoch, ReceivedAt: epoch}
	must(t, s.PutReply(ctx, reply))
	reply.ContentHTML = "<p>Dank je</p>"
	must(t, s.PutReply(ctx, reply))
	stolen := *reply
	stolen.ActorID, stolen.ContentHTML = "https://evil.example/u/x", "<p>overgenomen</p>"
	if err := s.PutReply(ctx, &stolen); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another author replacing a reply: %v", err)
	}
	replies, err := s.Replies(ctx, "post-1")
	must(t, err)
	if one, err := s.Reply(ctx, reply.ID); err != nil || one.ActorID != reply.ActorID {
		t.Fatalf("Reply: %+v %v", one, err)
	}
	if len(replies) != 1 || replies[0].ContentHTML != "<p>Dank je</p>" || replies[0].State != model.ReplyPending {
		t.Fatalf("replies %+v", replies)
	}
	if ok, _ := s.DeleteReply(ctx, reply.ID, stolen.ActorID); ok {
		t.Fatal("another author deleted a reply")
	}
	if _, err := s.ForgetActor(ctx, reply.ActorID); err != nil {
		t.Fatal(err)
	}
	if replies, _ := s.Replies(ctx, "post-1"); len(replies) != 0 {
		t.Fatalf("replies of a forgotten actor: %d", len(replies))
	}

	first, err := s.MarkSeen(ctx, "h1", epoch)
	must(t, err)
	again, err := s.MarkSeen(ctx, "h1", epoch)
	must(t, err)
	if !first || again {
		t.Fatalf("MarkSeen: %v then %v", first, again)
	}
	must(t, s.UnmarkSeen(ctx, "h1"))

	// A server failing three times in a row is paused; a success clears it.
	pauseAfter3 := func(failures int) time.Time {
		if failures < 3 {
			return time.Time{}
		}
		return epoch.Add(time.Duration(failures) * time.Hour)
	}
	for want := 1; want <= 4; want++ {
		n, err := s.DeliveryFailed(ctx, "down.example", epoch, pauseAfter3)
		must(t, err)
		if n != want {
			t.Fatalf("failure %d counted as %d", want, n)
		}
		failures, until, err := s.DeliveryHost(ctx, "down.example")
		must(t, err)
		if failures != want || want < 3 && !until.IsZero() || want >= 3 && !until.Equal(epoch.Add(time.Duration(want)*time.Hour)) {
			t.Fatalf("after %d failures paused until %v", want, until)
		}
	}
	if n, until, err := s.DeliveryHost(ctx, "up.example"); err != nil || n != 0 || !until.IsZero() {
		t.Fatalf("a server that never failed is paused until %v (%v)", until, err)
	}
	must(t, s.DeliverySucceeded(ctx, "down.example"))
	if _, until, _ := s.DeliveryHost(ctx, "down.example"); !until.IsZero() {
		t.Fatalf("paused until %v after a success", until)
	}
	if n, _ := s.DeliveryFailed(ctx, "down.example", epoch, pauseAfter3); n != 1 {
		t.Fatalf("failures start again at %d after a success, want 1", n)
	}
	if anew, err := s.MarkSeen(ctx, "h1", epoch); err != nil || !anew {
		t.Fatalf("MarkSeen after UnmarkSeen: %v %v, want true", anew, err)
	}
}
