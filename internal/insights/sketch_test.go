package insights

import (
	"bytes"
	"errors"
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// splitmix64 returns a deterministic stream of well-mixed 64-bit values, so
// that estimates in these tests are the same on every run.
func splitmix64(seed uint64) func() uint64 {
	x := seed
	return func() uint64 {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
}

// sketchOf returns a sketch of n distinct values of the stream seeded with seed.
func sketchOf(seed uint64, n int) *Sketch {
	var s Sketch
	next := splitmix64(seed)
	for range n {
		s.Add(next())
	}
	return &s
}

func TestSketchEstimate(t *testing.T) {
	// With 4096 registers the standard error is 1.04/√4096 ≈ 1.6%, so 5% is
	// about 3σ. Below 2.5 × 4096 linear counting applies, which is nearly
	// exact for small counts (at 1000 its standard error is about 1.1%).
	tests := []struct {
		n      int
		absTol float64 // allowed |estimate − n| if not zero
		relTol float64 // otherwise allowed |estimate − n| / n
	}{
		{n: 0},
		{n: 1},
		{n: 10, absTol: 1},
		{n: 1000, relTol: 0.03},
		{n: 5000, relTol: 0.05},
		{n: 10_000, relTol: 0.05},
		{n: 20_000, relTol: 0.05},
		{n: 100_000, relTol: 0.05},
		{n: 1_000_000, relTol: 0.05},
	}
	for _, tt := range tests {
		for seed := uint64(1); seed <= 3; seed++ {
			got := float64(sketchOf(seed, tt.n).Estimate())
			diff := math.Abs(got - float64(tt.n))
			tol := tt.absTol
			if tt.relTol > 0 {
				tol = tt.relTol * float64(tt.n)
			}
			if diff > tol {
				t.Errorf("n=%d seed=%d: estimate %.0f, off by %.0f (%.2f%%), allowed %.0f", tt.n, seed, got, diff, 100*diff/max(1, float64(tt.n)), tol)
			}
		}
	}
}

func TestSketchSameHashCountsOnce(t *testing.T) {
	var s Sketch
	for range 10_000 {
		s.Add(0x0123456789abcdef)
	}
	if got := s.Estimate(); got != 1 {
		t.Errorf("estimate after adding one hash 10,000 times = %d, want 1", got)
	}
}

func TestSketchLargestRank(t *testing.T) {
	// Register 0 with all remaining bits zero takes the largest rank, which
	// must survive the six-bit stored form.
	var s Sketch
	s.Add(0)
	if got := s.register(0); got != maxRank {
		t.Fatalf("register 0 = %d, want %d", got, maxRank)
	}
	var back Sketch
	if err := back.UnmarshalBinary(s.marshal()); err != nil {
		t.Fatal(err)
	}
	if got := back.register(0); got != maxRank {
		t.Errorf("register 0 after round trip = %d, want %d", got, maxRank)
	}
}

func TestSketchMerge(t *testing.T) {
	// a holds stream 1's first 30,000 values, b its first 20,000 and stream
	// 2's first 20,000: the union has 50,000 distinct values.
	a := sketchOf(1, 30_000)
	b := sketchOf(1, 20_000)
	b.Merge(sketchOf(2, 20_000))

	ab := sketchOf(1, 30_000)
	ab.Merge(b)
	ba := sketchOf(1, 20_000)
	ba.Merge(sketchOf(2, 20_000))
	ba.Merge(a)
	if !bytes.Equal(ab.marshal(), ba.marshal()) {
		t.Error("a∪b and b∪a differ")
	}

	twice := sketchOf(1, 30_000)
	twice.Merge(b)
	twice.Merge(b)
	twice.Merge(twice)
	if !bytes.Equal(twice.marshal(), ab.marshal()) {
		t.Error("merging b twice (and a sketch into itself) differs from merging it once")
	}

	if got := float64(ab.Estimate()); math.Abs(got-50_000) > 0.05*50_000 {
		t.Errorf("estimate of the union = %.0f, want 50,000 ± 5%%", got)
	}

	// Merging is the same as adding directly.
	direct := sketchOf(1, 30_000)
	next := splitmix64(2)
	for range 20_000 {
		direct.Add(next())
	}
	if !bytes.Equal(direct.marshal(), ab.marshal()) {
		t.Error("a∪b differs from a sketch of the same values added directly")
	}
}

func TestSketchConcurrentAdd(t *testing.T) {
	// Four goroutines add overlapping ranges of the same stream; the result
	// must equal adding everything serially.
	const n = 20_000
	values := make([]uint64, n)
	next := splitmix64(7)
	for i := range values {
		values[i] = next()
	}
	var want, got Sketch
	for _, v := range values {
		want.Add(v)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g * n / 8; i < n; i++ {
				got.Add(values[i])
			}
			for i := range g * n / 8 {
				got.Add(values[i])
			}
		})
	}
	var other Sketch
	wg.Go(func() { other.Merge(&got) })
	wg.Wait()
	if !bytes.Equal(got.marshal(), want.marshal()) {
		t.Error("concurrent adds lost a register update")
	}
}

func TestSketchConcurrentAddSameWord(t *testing.T) {
	// Two goroutines set the two lowest registers, which share a word, at
	// the same moment, round after round. Were an update to overwrite its
	// neighbour, a register would be left at zero. Collisions in time are
	// rare, so this catches such a bug often rather than always.
	const rounds = 20_000
	var s Sketch
	var arrived atomic.Int64
	wait := func(n int64) {
		arrived.Add(1)
		for arrived.Load() < n {
			runtime.Gosched()
		}
	}
	var lost atomic.Int64
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Go(func() {
			for r := range int64(rounds) {
				wait(6*r + 2)
				s.Add(uint64(g)<<(64-Precision) | 1<<(64-Precision-1)) // rank 1
				wait(6*r + 4)
				if g == 0 {
					if s.register(0) != 1 || s.register(1) != 1 {
						lost.Add(1)
					}
					s.words[0].Store(0)
				}
				wait(6*r + 6)
			}
		})
	}
	wg.Wait()
	if n := lost.Load(); n > 0 {
		t.Errorf("%d of %d concurrent updates to one word were lost", n, rounds)
	}
}

func TestSketchMarshalRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 100_000} {
		s := sketchOf(3, n)
		data, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if len(data) != SketchSize {
			t.Errorf("n=%d: marshalled %d bytes, want %d", n, len(data), SketchSize)
		}
		var back Sketch
		back.Add(42) // replaced by UnmarshalBinary
		if err := back.UnmarshalBinary(data); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		for i := range registers {
			if back.register(i) != s.register(i) {
				t.Fatalf("n=%d: register %d = %d after round trip, want %d", n, i, back.register(i), s.register(i))
			}
		}
		if back.Estimate() != s.Estimate() {
			t.Errorf("n=%d: estimate %d after round trip, want %d", n, back.Estimate(), s.Estimate())
		}
	}
}

func TestSketchUnmarshalErrors(t *testing.T) {
	good := sketchOf(4, 5000).marshal()
	with := func(edit func([]byte) []byte) []byte {
		return edit(bytes.Clone(good))
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"nil", nil, "0 bytes"},
		{"one byte", []byte{sketchFormat}, "1 bytes"},
		{"version 0", with(func(b []byte) []byte { b[0] = 0; return b }), "format version 0"},
		{"version 2", with(func(b []byte) []byte { b[0] = 2; return b }), "format version 2"},
		{"precision 14", with(func(b []byte) []byte { b[1] = 14; return b }), "precision 14"},
		{"short", good[:SketchSize-1], "3073 bytes"},
		{"long", append(bytes.Clone(good), 0), "3075 bytes"},
		{"register too large", with(func(b []byte) []byte { b[2] = 0xff; return b }), "register 0 is 63"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sketchOf(5, 100)
			before := s.marshal()
			err := s.UnmarshalBinary(tt.data)
			if !errors.Is(err, ErrInvalidSketch) {
				t.Fatalf("error = %v, want ErrInvalidSketch", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
			if !bytes.Equal(s.marshal(), before) {
				t.Error("a rejected input changed the sketch")
			}
		})
	}
}

func BenchmarkSketchAdd(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		var s Sketch
		next := splitmix64(1)
		for b.Loop() {
			s.Add(next())
		}
	})
	b.Run("parallel", func(b *testing.B) {
		var s Sketch
		var seed uint64
		var mu sync.Mutex
		b.RunParallel(func(pb *testing.PB) {
			mu.Lock()
			seed++
			next := splitmix64(seed << 40)
			mu.Unlock()
			for pb.Next() {
				s.Add(next())
			}
		})
	})
}
