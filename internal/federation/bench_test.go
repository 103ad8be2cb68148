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
// publishing to the last delivery: loopback servers with 10 followers
// each (100 servers: 1,000 followers; 1,000 servers: 10,000 followers),
// one request per shared inbox, every request signed and verified.
// Run: go test ./internal/federation -run '^$' -bench FanOut -benchtime 3x
func BenchmarkFanOut(b *testing.B) {
	for _, e := range storetest.Engines() {
		for _, servers := range []int{100, 1000} {
			b.Run(fmt.Sprintf("%s/servers=%d", e.Name, servers), func(b *testing.B) { benchmarkFanOut(b, e, servers) })
		}
	}
}

func benchmarkFanOut(b *testing.B, e storetest.Engine, servers int) {
	const perServer = 10
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
	// The organisation's key is made once, before the first post.
	if _, _, err := srv.App.Federation.Key(ctx, o.ID); err != nil {
		b.Fatal(err)
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
	elapsed := time.Since(start)
	b.ReportMetric(float64(servers*b.N)/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/post")
}
