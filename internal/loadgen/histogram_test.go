package loadgen

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestBucketsCoverValuesWithinOnePercent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	values := []int64{0, 1, 2, 127, 128, 255, 256, 257, 511, 512, 1000, 10_000, 1 << 20, maxValue - 1, maxValue}
	for range 100_000 {
		values = append(values, int64(math.Exp(rng.Float64()*math.Log(maxValue))))
	}
	for _, v := range values {
		i := bucketOf(v)
		if i < 0 || i >= numBuckets {
			t.Fatalf("bucketOf(%d) = %d, outside [0, %d)", v, i, numBuckets)
		}
		low, width := bucketRange(i)
		if v < low || v >= low+width {
			t.Fatalf("value %d in bucket %d covering [%d, %d)", v, i, low, low+width)
		}
		if v >= 2*subCount && float64(width)/float64(low) > 1.0/subCount {
			t.Fatalf("bucket %d of %d is %d wide from %d: coarser than 1/%d", i, v, width, low, subCount)
		}
	}
	if got := bucketOf(maxValue + 1000); got != numBuckets-1 {
		t.Errorf("a value above the range goes to bucket %d, want the last, %d", got, numBuckets-1)
	}
	// Consecutive buckets tile the range without gaps or overlaps.
	for i := 1; i < numBuckets; i++ {
		prevLow, prevWidth := bucketRange(i - 1)
		if low, _ := bucketRange(i); low != prevLow+prevWidth {
			t.Fatalf("bucket %d starts at %d, bucket %d ends at %d", i, low, i-1, prevLow+prevWidth)
		}
	}
}

func TestHistogramPercentilesMatchExactValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 100_000
	tests := []struct {
		name string
		gen  func() time.Duration
	}{
		{"constant 5ms", func() time.Duration { return 5 * time.Millisecond }},
		{"uniform to 1s", func() time.Duration { return time.Duration(rng.Int64N(int64(time.Second))) }},
		{"log-uniform 10µs to 60s", func() time.Duration {
			lo, hi := math.Log(float64(10*time.Microsecond)), math.Log(float64(60*time.Second))
			return time.Duration(math.Exp(lo + rng.Float64()*(hi-lo)))
		}},
		{"exponential mean 2ms", func() time.Duration { return time.Duration(rng.ExpFloat64() * float64(2*time.Millisecond)) }},
		{"bimodal 1ms and 200ms", func() time.Duration {
			if rng.IntN(10) == 0 {
				return 200*time.Millisecond + time.Duration(rng.Int64N(int64(50*time.Millisecond)))
			}
			return time.Millisecond + time.Duration(rng.Int64N(int64(time.Millisecond)))
		}},
		{"below 256ns", func() time.Duration { return time.Duration(rng.Int64N(256)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h histogram
			values := make([]time.Duration, n)
			for i := range values {
				values[i] = tt.gen()
				h.record(values[i])
			}
			slices.Sort(values)
			if h.count() != n {
				t.Fatalf("count = %d, want %d", h.count(), n)
			}
			for _, q := range []float64{0.5, 0.9, 0.99, 0.999, 1} {
				exact := values[int(math.Ceil(q*n))-1]
				got := h.quantile(q)
				if diff := math.Abs(float64(got - exact)); diff > 0.01*float64(exact) {
					t.Errorf("quantile %v = %v, exact %v (off by %.2f%%)", q, got, exact, 100*diff/float64(exact))
				}
			}
			p := h.percentiles()
			if p.Max != values[n-1] {
				t.Errorf("Max = %v, want %v", p.Max, values[n-1])
			}
			if !(p.P50 <= p.P90 && p.P90 <= p.P99 && p.P99 <= p.P999 && p.P999 <= p.Max) {
				t.Errorf("percentiles out of order: %+v", p)
			}
		})
	}
}

func TestHistogramEdges(t *testing.T) {
	var h histogram
	if got := h.percentiles(); got != (Percentiles{}) {
		t.Errorf("empty histogram percentiles = %+v, want zeros", got)
	}
	h.record(-time.Second) // a clock step backwards counts as zero
	h.record(100 * time.Second)
	if got := h.quantile(0.5); got != 0 {
		t.Errorf("median of {0, 100s} = %v, want 0", got)
	}
	if got := h.quantile(1); got != 100*time.Second {
		t.Errorf("maximum beyond the bucket range = %v, want exactly 100s", got)
	}
}

func TestHistogramConcurrentRecording(t *testing.T) {
	var h histogram
	var wg sync.WaitGroup
	const goroutines, each = 8, 5000
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				h.record(time.Duration(g*each+i) * time.Microsecond)
			}
		})
	}
	wg.Wait()
	if h.count() != goroutines*each {
		t.Errorf("count = %d, want %d", h.count(), goroutines*each)
	}
	if want := time.Duration(goroutines*each-1) * time.Microsecond; h.percentiles().Max != want {
		t.Errorf("Max = %v, want %v", h.percentiles().Max, want)
	}
	if got, want := h.quantile(0.5), 20*time.Millisecond; math.Abs(float64(got-want)) > 0.01*float64(want) {
		t.Errorf("median = %v, want about %v", got, want)
	}
}
