package privacy

import (
	"testing"
	"time"
)

func TestDurationWords(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		d      time.Duration
		nl, en string
	}{
		{time.Hour, "1 uur", "1 hour"},
		{8 * time.Hour, "8 uur", "8 hours"},
		{24 * time.Hour, "1 dag", "1 day"},
		{2 * day, "2 dagen", "2 days"},
		{7 * day, "7 dagen", "7 days"},
		{365 * day, "365 dagen", "365 days"},
		{36 * time.Hour, "36 uur", "36 hours"},
		{15 * time.Minute, "15 minuten", "15 minutes"},
		{time.Minute, "1 minuut", "1 minute"},
		{90 * time.Minute, "90 minuten", "90 minutes"},
		{time.Second, "1 seconde", "1 second"},
		{1500 * time.Millisecond, "2 seconden", "2 seconds"}, // rounded up, never shorter
		{day + time.Second, "86401 seconden", "86401 seconds"},
		{0, "0 seconden", "0 seconds"},
	}
	for _, tt := range tests {
		if got := durationWords("nl", tt.d); got != tt.nl {
			t.Errorf("durationWords(nl, %v) = %q, want %q", tt.d, got, tt.nl)
		}
		if got := durationWords("en", tt.d); got != tt.en {
			t.Errorf("durationWords(en, %v) = %q, want %q", tt.d, got, tt.en)
		}
	}
}
