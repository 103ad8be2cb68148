package federation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// BenchmarkFanOut measures one post reaching every follower server, from
// publishing to the last delivery: 100 loopback servers with 10 followers
// each (1,000 followers, 100 shared inboxes), every request signed.
// Run: go test ./internal/federation -run '^$' -bench FanOut -benchtime 5x
func BenchmarkFanOut(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) { benchmarkFanOut(b, e) })
	}
}

func benchmarkFanOut(b *testing.B, e storetest.Engine) {
	const servers, perServer = 100, 10
	ctx := context.Background()
	srv := pleintest.NewServer(b, e)
	o := srv.Org(b, "almere")
	feds := make([]*pleintest.Fediverse, servers)
	for i := range feds {
		feds[i] = pleintest.NewFediverse(b)
		for j := range perServer {
			actorID := fmt.Sprintf("%s/users/u%d", feds[i].URL, j)
			if err := srv.App.Store.PutFollower(ctx, &model.Follower{OrgID: o.ID, ActorID: actorID,
				FollowID: actorID + "#follow", Inbox: feds[i].URL + "/inbox", CreatedAt: time.Now()}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		p, err := srv.App.Posts.Create(ctx, auth.Operator(), o.ID, post.Input{Text: fmt.Sprintf("Bericht %d", i)}, post.When{})
		if err != nil {
			b.Fatal(err)
		}
		noteID := srv.URL + "/posts/" + p.ID
		for _, f := range feds {
			f.WaitFor(b, 2*time.Minute, func(r pleintest.Received) bool {
				return r.Activity != nil && r.Activity.Type == "Create" && r.Activity.Object.ID == noteID
			})
		}
	}
	b.ReportMetric(float64(servers*b.N)/time.Since(start).Seconds(), "deliveries/s")
}
