package storetest

import (
	"context"
	"maps"
	"testing"
	"time"

	"plein/internal/model"
)

// testImagesWithoutAlt checks the count of images without a description:
// per organisation, only on published posts, a blank description counting
// as none.
func testImagesWithoutAlt(t *testing.T, e Engine) {
	ctx := context.Background()
	s := open(t, e)
	o, other, clean := newOrg("almere"), newOrg("zwolle"), newOrg("urk")
	other.ID, clean.ID = model.NewID(epoch.Add(time.Second)), model.NewID(epoch.Add(2*time.Second))
	for _, org := range []*model.Org{o, other, clean} {
		must(t, s.CreateOrg(ctx, org))
	}
	if got, err := s.ImagesWithoutAlt(ctx); err != nil || len(got) != 0 {
		t.Fatalf("without posts: %v, %v; want none", got, err)
	}
	at := epoch
	post := func(orgID string, state model.PostState, alts ...string) {
		t.Helper()
		at = at.Add(time.Minute)
		p := newPost(orgID, state, at)
		for i, alt := range alts {
			img := &model.Media{ID: model.NewID(at.Add(time.Duration(i) * time.Millisecond)), OrgID: orgID, ContentType: "image/png", Width: 8, Height: 6,
				Variants: []model.MediaVariant{{Name: "large", Key: "x/" + p.ID + string(rune('a'+i)) + ".png", ContentType: "image/png", Width: 8, Height: 6, Size: 1}}, CreatedAt: at}
			must(t, s.CreateMedia(ctx, img))
			p.Attachments = append(p.Attachments, model.Attachment{MediaID: img.ID, Alt: alt})
		}
		must(t, s.CreatePost(ctx, p))
	}
	post(o.ID, model.StatePublished, "", "Een dijk", "  ")
	post(o.ID, model.StatePublished, "")
	post(o.ID, model.StateDraft, "", "")     // not public
	post(other.ID, model.StateScheduled, "") // not public yet
	post(other.ID, model.StatePublished, "", "Een brug")
	post(clean.ID, model.StatePublished, "Een sluis")
	got, err := s.ImagesWithoutAlt(ctx)
	want := map[string]int{o.ID: 3, other.ID: 1}
	if err != nil || !maps.Equal(got, want) {
		t.Errorf("ImagesWithoutAlt = %v, %v; want %v", got, err, want)
	}
}
