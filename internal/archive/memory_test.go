package archive_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"plein/internal/archive"
	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/store"
	"plein/internal/store/storetest"
)

// seedPosts stores an organisation with n published posts, each with two
// versions, straight through the store.
func seedPosts(t *testing.T, st store.Store, n int) *model.Org {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	o := &model.Org{ID: model.NewID(at), Handle: fmt.Sprintf("bulk%d", n), DisplayName: "Gemeente Bulk", Language: "nl",
		TimeZone: "Europe/Amsterdam", CreatedAt: at, UpdatedAt: at}
	err := st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		for i := range n {
			when := at.Add(time.Duration(i) * time.Minute)
			text := fmt.Sprintf("Bericht %d over de **gemeenteraad** en #afval, met wat meer tekst zodat het op een echt bericht lijkt.", i)
			p := &model.Post{ID: model.NewID(when), OrgID: o.ID, State: model.StatePublished, Text: text, Language: "nl",
				PublishAt: when, CreatedAt: when, UpdatedAt: when.Add(time.Minute), Revisions: 2}
			if err := tx.CreatePost(ctx, p); err != nil {
				return err
			}
			for r := 1; r <= 2; r++ {
				if err := tx.AddRevision(ctx, &model.Revision{PostID: p.ID, Number: r, Text: text, Language: "nl", Editor: "Redactie",
					CreatedAt: when.Add(time.Duration(r-1) * time.Minute)}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seeding %d posts: %v", n, err)
	}
	return o
}

// peakHeap runs fn while sampling the bytes of live heap objects and
// returns the highest sample.
func peakHeap(t *testing.T, fn func()) uint64 {
	t.Helper()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	var peak uint64
	var mu sync.Mutex
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			v := read()
			mu.Lock()
			peak = max(peak, v)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return max(peak, read())
}

// TestExportMemoryConstant exports organisations of 1,000 and 10,000
// posts and checks that the larger export's peak heap is at most 1.5
// times the smaller one's: the export streams, it does not hold the posts.
func TestExportMemoryConstant(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 11,000 posts")
	}
	if raceDetector {
		// It measures memory, which the race detector's shadow memory
		// distorts, and takes minutes under it; make test runs it once
		// more without the race detector.
		t.Skip("runs without the race detector (make test does)")
	}
	// A low GC target keeps the heap close to what is live, so that the
	// samples measure what the export holds, not when the collector ran.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	e := storetest.Engines()[0]
	st := e.Open(t, e.NewDatabase(t), nil)
	ms, err := media.NewLocalStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := archive.New(archive.Deps{Store: st, Media: ms, BaseURL: "https://plein.example"})
	ctx := context.Background()
	peaks := map[int]uint64{}
	for _, n := range []int{1000, 10000} {
		o := seedPosts(t, st, n)
		start := time.Now()
		var m *archive.Manifest
		var w countWriter
		peaks[n] = peakHeap(t, func() {
			if m, err = a.Export(ctx, o.ID, &w, archive.Options{}); err != nil {
				t.Fatalf("export of %d posts: %v", n, err)
			}
		})
		if m.Posts != n || m.Revisions != 2*n {
			t.Fatalf("export of %d posts wrote %d posts, %d versions", n, m.Posts, m.Revisions)
		}
		t.Logf("%d posts: %d bytes of archive in %v, peak heap %.1f MiB", n, w.n, time.Since(start).Round(time.Millisecond), float64(peaks[n])/(1<<20))
	}
	if limit := peaks[1000] * 3 / 2; peaks[10000] > limit {
		t.Errorf("peak heap at 10,000 posts %.1f MiB > 1.5 × %.1f MiB at 1,000 posts: the export holds what it should stream",
			float64(peaks[10000])/(1<<20), float64(peaks[1000])/(1<<20))
	}
}

// countWriter counts what is written to it and keeps none of it.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countWriter)(nil)
