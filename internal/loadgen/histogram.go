package loadgen

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// The histogram is log-linear, in the manner of HdrHistogram: values below
// 2^(subBits+1) ns have a bucket each, and every power of two above is split
// into 2^subBits equal buckets, so a bucket's width is at most 1/128 of its
// lower bound (under 0.8 %; reporting the middle of a bucket halves that).
const (
	subBits    = 7
	subCount   = 1 << subBits
	maxShift   = 36 - (subBits + 1) // values are clamped below 2^36 ns (about 68.7 s)
	maxValue   = 1<<36 - 1
	numBuckets = (maxShift+1)<<subBits + subCount
)

// histogram records durations in nanoseconds in fixed buckets. Recording is
// lock-free and safe from many goroutines; memory is constant (about 32 KiB).
type histogram struct {
	counts [numBuckets]atomic.Int64
	total  atomic.Int64
	max    atomic.Int64
}

// bucketOf returns the bucket index of v nanoseconds.
func bucketOf(v int64) int {
	if v < 0 {
		v = 0
	}
	if v > maxValue {
		v = maxValue
	}
	shift := max(bits.Len64(uint64(v))-(subBits+1), 0)
	return shift<<subBits + int(v>>shift)
}

// bucketRange returns the lowest value of bucket i and the bucket's width.
func bucketRange(i int) (low, width int64) {
	if i < 2*subCount {
		return int64(i), 1
	}
	shift := i>>subBits - 1
	mantissa := int64(i - shift<<subBits)
	return mantissa << shift, 1 << shift
}

// record adds one duration.
func (h *histogram) record(d time.Duration) {
	v := int64(d)
	if v < 0 {
		v = 0
	}
	h.counts[bucketOf(v)].Add(1)
	h.total.Add(1)
	for {
		m := h.max.Load()
		if v <= m || h.max.CompareAndSwap(m, v) {
			return
		}
	}
}

// count returns the number of recorded values.
func (h *histogram) count() int64 { return h.total.Load() }

// quantile returns the value at quantile q (0 < q ≤ 1) by nearest rank: the
// middle of the bucket holding the ceil(q·n)-th smallest value, never above
// the largest value recorded (which it returns for the last rank and for
// values beyond the bucket range). It returns 0 for an empty histogram. It must
// not run while values are still being recorded.
func (h *histogram) quantile(q float64) time.Duration {
	n := h.total.Load()
	if n == 0 {
		return 0
	}
	rank := max(int64(math.Ceil(q*float64(n))), 1)
	maxV := h.max.Load()
	if rank >= n {
		return time.Duration(maxV)
	}
	var seen int64
	for i := range h.counts {
		seen += h.counts[i].Load()
		if seen >= rank && i < numBuckets-1 {
			low, width := bucketRange(i)
			return time.Duration(min(low+(width-1)/2, maxV))
		}
	}
	return time.Duration(maxV)
}

// percentiles summarises the histogram.
func (h *histogram) percentiles() Percentiles {
	return Percentiles{
		P50:  h.quantile(0.50),
		P90:  h.quantile(0.90),
		P99:  h.quantile(0.99),
		P999: h.quantile(0.999),
		Max:  time.Duration(h.max.Load()),
	}
}
