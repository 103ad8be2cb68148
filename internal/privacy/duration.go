package privacy

import (
	"strconv"
	"time"
)

// unit is a unit in which a retention is written.
type unit struct {
	size                         time.Duration
	nlOne, nlMany, enOne, enMany string
}

// units run from the largest to the smallest. Weeks and years are left out
// on purpose: "365 days" is what the configuration says.
var units = []unit{
	{24 * time.Hour, "dag", "dagen", "day", "days"},
	{time.Hour, "uur", "uur", "hour", "hours"},
	{time.Minute, "minuut", "minuten", "minute", "minutes"},
	{time.Second, "seconde", "seconden", "second", "seconds"},
}

// durationWords writes d in words in lang, in the largest unit that holds it
// exactly: "7 dagen", "365 days", "8 uur", "90 minutes". A fraction of a
// second is rounded up, so the words never promise a shorter time than d.
func durationWords(lang string, d time.Duration) string {
	if d <= 0 {
		return countWords(lang, 0, "seconde", "seconden", "second", "seconds")
	}
	secs := int64(d / time.Second)
	if d%time.Second != 0 {
		secs++
	}
	for _, u := range units {
		if size := int64(u.size / time.Second); secs%size == 0 {
			return countWords(lang, secs/size, u.nlOne, u.nlMany, u.enOne, u.enMany)
		}
	}
	// Unreachable: every whole number of seconds matches the last unit.
	return d.String()
}

// countWords writes n with the singular or plural noun of lang.
func countWords(lang string, n int64, nlOne, nlMany, enOne, enMany string) string {
	one, many := enOne, enMany
	if lang == "nl" {
		one, many = nlOne, nlMany
	}
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}

// DurationWords writes a retention such as "1 jaar" or "30 days" in lang,
// as the register does.
func DurationWords(lang string, d time.Duration) string { return durationWords(lang, d) }
