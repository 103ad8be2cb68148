package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Day is 24 hours, the unit in which retention is set.
const Day = 24 * time.Hour

// MaxVisitorDataAge is the longest Plein keeps anything about visitors of
// public pages. No setting can raise it.
const MaxVisitorDataAge = 7 * Day

// Retention is how long Plein keeps each category of personal data it
// holds; a periodic job deletes what is older. Data of people who chose to
// interact (followers, repliers) is kept while the relationship exists and
// removed at once when they undo or delete it; these limits bound what is
// left behind.
type Retention struct {
	// AccessLog is how long access log files are kept, when access logging
	// is on. At most MaxVisitorDataAge.
	AccessLog time.Duration
	// FailingFollowers: a follower whose server has failed every delivery
	// for this long is removed.
	FailingFollowers time.Duration
	// Replies is how long a reply from the Fediverse is kept after it
	// arrived.
	Replies time.Duration
	// Reactions is how long the keyed hash of a like or boost is kept;
	// then it is folded into the post's counts.
	Reactions time.Duration
	// RemoteActors is how long a cached remote actor and its key are kept
	// after they were last fetched.
	RemoteActors time.Duration
	// SeenActivities is how long the hash of a received activity's id is
	// kept, to process repeated deliveries once.
	SeenActivities time.Duration
	// AuditLog is how long entries of the staff audit log are kept.
	AuditLog time.Duration
	// Insights is how long the aggregate daily counts are kept.
	Insights time.Duration
	// Uploads is how long an image uploaded but never attached to a post
	// is kept.
	Uploads time.Duration
	// Questions is how long a citizen's question from the contact form is
	// kept after it arrived (the selection list keeps a general request
	// for information one year).
	Questions time.Duration
}

// Fixed retention that no setting changes; the privacy page states them.
const (
	// VisitorSketchAge: the unique-visitor sketch of a day is deleted this
	// long after the day began, keeping only the day's estimate.
	VisitorSketchAge = 2 * Day
	// ReferrerDetailAge: referrer hosts with fewer visits than the
	// threshold are folded into "other" this long after the day began.
	ReferrerDetailAge = 2 * Day
	// LoginThrottleAge is how long a count of failed log-ins lasts from its
	// first failure; the retention sweep deletes it after.
	LoginThrottleAge = 15 * time.Minute
	// SessionIdle and SessionMaxAge bound a staff session.
	SessionIdle   = 8 * time.Hour
	SessionMaxAge = 7 * Day
)

// DefaultRetention returns the retention of a fresh installation.
func DefaultRetention() Retention {
	return Retention{
		AccessLog:        MaxVisitorDataAge,
		FailingFollowers: 30 * Day,
		Replies:          365 * Day,
		Reactions:        365 * Day,
		RemoteActors:     30 * Day,
		SeenActivities:   7 * Day,
		AuditLog:         730 * Day,
		Insights:         730 * Day,
		Uploads:          1 * Day,
		Questions:        365 * Day,
	}
}

// RetentionSetting is one configurable retention, for flags and the
// privacy register.
type RetentionSetting struct {
	Name  string         // flag suffix: --retain-<Name>
	Usage string         // what the setting bounds
	Value *time.Duration // the field of a Retention
}

// Settings lists every configurable retention of r, in a stable order.
func (r *Retention) Settings() []RetentionSetting {
	return []RetentionSetting{
		{"access-log", "access log files, when access logging is on (at most 7 days)", &r.AccessLog},
		{"failing-followers", "followers whose server failed every delivery", &r.FailingFollowers},
		{"replies", "replies from the Fediverse, after they arrived", &r.Replies},
		{"reactions", "keyed hashes of likes and boosts, then folded into counts", &r.Reactions},
		{"remote-actors", "cached remote actors and keys, after they were last fetched", &r.RemoteActors},
		{"seen-activities", "hashes of received activity ids", &r.SeenActivities},
		{"audit-log", "the staff audit log", &r.AuditLog},
		{"insights", "aggregate daily insight counts", &r.Insights},
		{"uploads", "images uploaded but never attached to a post", &r.Uploads},
		{"questions", "citizens' questions from the contact form, after they arrived", &r.Questions},
	}
}

// Validate checks that every limit is at least an hour and that visitor
// data is kept at most MaxVisitorDataAge.
func (r Retention) Validate() error {
	for _, s := range r.Settings() {
		if *s.Value < time.Hour {
			return fmt.Errorf("--retain-%s must be at least 1h, not %s", s.Name, FormatAge(*s.Value))
		}
	}
	if r.AccessLog > MaxVisitorDataAge {
		return fmt.Errorf("--retain-access-log is %s; data about visitors is kept at most 7d", FormatAge(r.AccessLog))
	}
	return nil
}

// ParseAge parses a retention such as "30d", "12h" or "90m".
func ParseAge(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 || days > 100*365 {
			return 0, fmt.Errorf("%q is not a number of days such as 30d", s)
		}
		return time.Duration(days) * Day, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not an age such as 30d or 12h", s)
	}
	return d, nil
}

// FormatAge writes d as ParseAge reads it: whole days as "30d".
func FormatAge(d time.Duration) string {
	if d > 0 && d%Day == 0 {
		return strconv.FormatInt(int64(d/Day), 10) + "d"
	}
	return d.String()
}
