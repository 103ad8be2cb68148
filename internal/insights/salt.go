package insights

import (
	"encoding/binary"
	"hash/maphash"
	"sync/atomic"
	"time"
)

// Salt hashes visitors with a secret that changes every UTC day and exists
// only in this process's memory: a maphash seed, which cannot be exported,
// so the same visitor cannot be linked from one day to the next, nor after
// a restart. The zero Salt is ready to use and safe for concurrent use.
type Salt struct {
	cur atomic.Pointer[daySeed]
}

// daySeed is the seed of one UTC day.
type daySeed struct {
	day  int64 // days since 1970-01-01 UTC
	seed maphash.Seed
}

// VisitorHash returns the salted hash of a visitor of the organisation orgID
// during the UTC day that contains day. ip is the client address without a
// port. The first call for a later day replaces the seed, and the previous
// day's seed is gone: a call for an earlier day than the newest one seen
// uses the newest seed.
func (s *Salt) VisitorHash(day time.Time, ip, userAgent, orgID string) uint64 {
	var h maphash.Hash
	h.SetSeed(s.seed(dayNumber(day)))
	// Length prefixes keep the fields apart: ("a", "bc") ≠ ("ab", "c").
	var n [8]byte
	for _, field := range [...]string{ip, userAgent, orgID} {
		binary.LittleEndian.PutUint64(n[:], uint64(len(field)))
		h.Write(n[:])
		h.WriteString(field)
	}
	return h.Sum64()
}

// seed returns the seed for day, making a fresh one when day is newer than
// the current one.
func (s *Salt) seed(day int64) maphash.Seed {
	for {
		cur := s.cur.Load()
		if cur != nil && cur.day >= day {
			return cur.seed
		}
		next := &daySeed{day: day, seed: maphash.MakeSeed()}
		if s.cur.CompareAndSwap(cur, next) {
			return next.seed
		}
	}
}

// dayNumber returns the number of whole UTC days from 1970-01-01 to t.
func dayNumber(t time.Time) int64 {
	const secondsPerDay = 24 * 60 * 60
	sec := t.Unix()
	d := sec / secondsPerDay
	if sec%secondsPerDay < 0 {
		d--
	}
	return d
}

// dayStart returns the UTC midnight that starts day number d.
func dayStart(d int64) time.Time {
	return time.Unix(d*24*60*60, 0).UTC()
}
