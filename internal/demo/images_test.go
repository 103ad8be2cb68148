package demo

import (
	"bytes"
	"image/png"
	"testing"
	"time"
)

// TestPictures checks each picture on its own; TestSeed checks that the
// post service accepts them.
func TestPictures(t *testing.T) {
	t.Parallel()
	for _, p := range []*picture{bins, roadMap, heat, dyke} {
		t.Run(p.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := p.encode(&buf); err != nil {
				t.Fatal(err)
			}
			m, err := png.Decode(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if b := m.Bounds(); b.Dx() != 1200 || b.Dy() != 800 {
				t.Errorf("size %v", b)
			}
			// A flat illustration has several colours, not one.
			colours := map[[4]uint32]bool{}
			for y := 0; y < 800; y += 20 {
				for x := 0; x < 1200; x += 20 {
					r, g, b, a := m.At(x, y).RGBA()
					colours[[4]uint32{r, g, b, a}] = true
				}
			}
			if len(colours) < 6 {
				t.Errorf("only %d colours", len(colours))
			}
			if len(p.alt) < 60 {
				t.Errorf("alt text %q is too short to describe the picture", p.alt)
			}
		})
	}
}

func TestPostTime(t *testing.T) {
	t.Parallel()
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 30, 9, 0, 0, 0, ams) // the day after the change to summer time
	tests := []struct {
		daysAgo int
		clock   string
		want    time.Time
	}{
		{3, "14:30", time.Date(2026, 3, 27, 14, 30, 0, 0, ams)},
		{1, "08:00", time.Date(2026, 3, 29, 8, 0, 0, 0, ams)},
		{0, "07:59", time.Date(2026, 3, 30, 7, 59, 0, 0, ams)},
		{0, "08:30", now.Add(-time.Hour)}, // never later than an hour ago
		{0, "18:00", now.Add(-time.Hour)},
	}
	for _, tt := range tests {
		if got := (demoPost{daysAgo: tt.daysAgo, clock: tt.clock}).time(now); !got.Equal(tt.want) {
			t.Errorf("%d days ago at %s: %v, want %v", tt.daysAgo, tt.clock, got, tt.want)
		}
	}
}
