package demo

import (
	"testing"

	"plein/internal/sensitive"
)

// TestDemoPostsHoldNoSensitiveNumbers runs the sensitive-data detector over
// the demo's posts, ordinary text of a municipality with dates, times,
// amounts and addresses: it must find nothing, in either mode.
func TestDemoPostsHoldNoSensitiveNumbers(t *testing.T) {
	for i, p := range demoPosts {
		for _, text := range []string{p.text, p.summary, p.edit} {
			for _, mode := range []sensitive.Mode{sensitive.Publication, sensitive.Message} {
				if found := sensitive.Scan(text, mode); len(found) != 0 {
					t.Errorf("demo post %d, mode %d: %v in %q", i, mode, found, text)
				}
			}
		}
	}
}
