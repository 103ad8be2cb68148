package federation

import (
	"testing"
	"time"
)

func TestPauseUntil(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		failures int
		want     time.Duration // 0: not paused
	}{
		{1, 0},
		{PauseAfterFailures - 1, 0},
		{PauseAfterFailures, MinPause},
		{PauseAfterFailures + 1, 2 * MinPause},
		{PauseAfterFailures + 3, 8 * MinPause},
		{PauseAfterFailures + 50, MaxPause},
	}
	for _, tt := range tests {
		got := pauseUntil(now)(tt.failures)
		if tt.want == 0 && !got.IsZero() || tt.want != 0 && !got.Equal(now.Add(tt.want)) {
			t.Errorf("%d failures: paused until %v, want %v later", tt.failures, got, tt.want)
		}
	}
}
