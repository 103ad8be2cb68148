package insights

import (
	"fmt"
	"testing"
	"time"
)

var (
	day1 = time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)
	day2 = day1.AddDate(0, 0, 1)
)

func TestDayNumber(t *testing.T) {
	paris := time.FixedZone("UTC+1", 60*60)
	tests := []struct {
		t    time.Time
		want int64
	}{
		{time.Unix(0, 0), 0},
		{time.Unix(86399, 999_999_999), 0},
		{time.Unix(86400, 0), 1},
		{time.Unix(-1, 0), -1},
		{time.Unix(-86400, 0), -1},
		{time.Unix(-86401, 0), -2},
		{day1, 20526},
		{day1.Add(24*time.Hour - time.Nanosecond), 20526},
		// 00:30 in UTC+1 is still the previous day in UTC.
		{time.Date(2026, 3, 15, 0, 30, 0, 0, paris), 20526},
	}
	for _, tt := range tests {
		if got := dayNumber(tt.t); got != tt.want {
			t.Errorf("dayNumber(%v) = %d, want %d", tt.t, got, tt.want)
		}
		if start := dayStart(tt.want); dayNumber(start) != tt.want || start.Hour() != 0 || start.Location() != time.UTC {
			t.Errorf("dayStart(%d) = %v, not the UTC midnight of that day", tt.want, start)
		}
	}
}

func TestVisitorHashWithinDay(t *testing.T) {
	var s Salt
	h := s.VisitorHash(day1.Add(time.Hour), "192.0.2.1", "Firefox", "org1")
	if again := s.VisitorHash(day1.Add(23*time.Hour), "192.0.2.1", "Firefox", "org1"); again != h {
		t.Error("the same visitor hashes differently later the same day")
	}
	others := []struct{ ip, ua, org string }{
		{"192.0.2.2", "Firefox", "org1"},
		{"192.0.2.1", "Chrome", "org1"},
		{"192.0.2.1", "Firefox", "org2"},
		// Field boundaries count: moving a byte from one field to the next
		// is another visitor.
		{"192.0.2.1F", "irefox", "org1"},
		{"192.0.2.1", "Firefoxo", "rg1"},
	}
	for _, o := range others {
		if s.VisitorHash(day1, o.ip, o.ua, o.org) == h {
			t.Errorf("%+v hashes like (192.0.2.1, Firefox, org1)", o)
		}
	}
}

func TestVisitorHashChangesEveryDay(t *testing.T) {
	var s Salt
	const n = 20
	first := make([]uint64, n)
	for i := range n {
		first[i] = s.VisitorHash(day1, fmt.Sprintf("198.51.100.%d", i), "UA", "org")
	}
	for i := range n {
		ip := fmt.Sprintf("198.51.100.%d", i)
		second := s.VisitorHash(day2, ip, "UA", "org")
		if second == first[i] {
			t.Errorf("visitor %d hashes the same on two days", i)
		}
		// Day 1's seed is gone: asking for day 1 now uses day 2's seed and
		// cannot reproduce day 1's hash.
		late := s.VisitorHash(day1, ip, "UA", "org")
		if late == first[i] {
			t.Errorf("visitor %d: day 1's hash is still reproducible on day 2", i)
		}
		if late != second {
			t.Errorf("visitor %d: a late day-1 hash does not use day 2's seed", i)
		}
	}
	// A fresh Salt (a restart) cannot reproduce today's hashes either.
	var restarted Salt
	if restarted.VisitorHash(day1, "198.51.100.0", "UA", "org") == first[0] {
		t.Error("a new Salt reproduces another's hash")
	}
}

func TestVisitorHashDoesNotAllocate(t *testing.T) {
	var s Salt
	ip, ua, org := "203.0.113.9", "Mozilla/5.0 (X11; Linux x86_64)", "01JABCDEFGHJKMNPQRSTVWXYZ0"
	allocs := testing.AllocsPerRun(100, func() {
		s.VisitorHash(day1, ip, ua, org)
	})
	if allocs != 0 {
		t.Errorf("VisitorHash allocates %.1f times per call, want 0", allocs)
	}
}

func BenchmarkVisitorHash(b *testing.B) {
	var s Salt
	now := time.Now()
	for b.Loop() {
		s.VisitorHash(now, "203.0.113.9", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "01JABCDEFGHJKMNPQRSTVWXYZ0")
	}
}
