package post

import (
	"regexp"
	"slices"

	"plein/internal/model"
)

// IsCorrection reports whether the edit in of the published post p is a
// correction of typing errors that an organisation requiring approval
// lets pass without it: its text differs from p's by at most distance
// characters (insertions, deletions and substitutions, the Levenshtein
// distance), and it changes no link, hashtag, mention or number, no image
// or alt text, neither the content warning nor the language. A distance of
// 0 lets no edit pass.
func IsCorrection(p *model.Post, in Input, distance int) bool {
	if distance <= 0 || in.Summary != p.Summary || in.Language != p.Language || len(in.Images) != len(p.Attachments) {
		return false
	}
	for i, img := range in.Images {
		if img.MediaID == "" || img.MediaID != p.Attachments[i].MediaID || img.Alt != p.Attachments[i].Alt {
			return false
		}
	}
	if !slices.Equal(guarded(p.Text), guarded(in.Text)) {
		return false
	}
	return withinDistance([]rune(p.Text), []rune(in.Text), distance)
}

// guardedToken matches what a correction may not change: links, hashtags,
// mentions (@name and @name@host) and numbers.
var guardedToken = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s)\]>]+|[#@][\p{L}\p{N}_][\p{L}\p{N}_.@-]*|\p{N}+`)

// guarded returns the links, hashtags, mentions and numbers of text, in
// order.
func guarded(text string) []string {
	return guardedToken.FindAllString(text, -1)
}

// withinDistance reports whether the Levenshtein distance between a and b
// is at most k, in time proportional to their length times k: only the
// band of cells within k of the diagonal can hold a distance of k or less.
func withinDistance(a, b []rune, k int) bool {
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	n, m := len(a), len(b)
	if n-m > k || m-n > k {
		return false
	}
	if n == 0 || m == 0 {
		return true // the lengths differ by at most k
	}
	far := k + 1
	prev, cur := make([]int, m+1), make([]int, m+1)
	// at reads row (of index i) at column j, as far outside the band.
	at := func(row []int, i, j int) int {
		if j < 0 || j > m || j < i-k || j > i+k {
			return far
		}
		return row[j]
	}
	for j := 0; j <= min(m, k); j++ {
		prev[j] = j
	}
	for i := 1; i <= n; i++ {
		best := far
		for j := max(0, i-k); j <= min(m, i+k); j++ {
			v := far
			if j == 0 {
				v = i
			} else {
				cost := 1
				if a[i-1] == b[j-1] {
					cost = 0
				}
				v = min(at(prev, i-1, j-1)+cost, at(prev, i-1, j)+1, at(cur, i, j-1)+1, far)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[m] <= k
}
