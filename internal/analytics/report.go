package analytics

import (
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"plein/internal/auth"
	"plein/internal/i18n"
	"plein/internal/insights"
	"plein/internal/model"
)

// Periods an analyst can choose, in days.
var Periods = []int{7, 30, 90}

// Metrics of a report, in the order they are shown.
var Metrics = []string{
	insights.MetricViews,
	insights.MetricFeedAtom, insights.MetricFeedRSS, insights.MetricFeedJSON, insights.MetricFeedOutbox,
	insights.MetricFollowersGained, insights.MetricFollowersLost,
	insights.MetricLikes, insights.MetricBoosts, insights.MetricReplies,
	insights.MetricDeliveries, insights.MetricDeliveryFailures,
	insights.MetricSubscribersGained, insights.MetricSubscribersLost, insights.MetricMailsSent, insights.MetricMailFailures,
}

// Report is an organisation's insights over a period of whole days,
// ending today (UTC).
type Report struct {
	OrgID string
	Days  []string // YYYY-MM-DD, oldest first
	// Series holds one value per day of Days for each of Metrics, summed
	// over the organisation's pages and posts.
	Series map[string][]int64
	// Visitors is the estimate of distinct visitors per day. Estimates of
	// different days do not add up to distinct visitors of the period:
	// the same person is not recognisable from one day to the next.
	Visitors []int64
	// Subscribers is the number of active e-mail subscribers at the end
	// of each day: today's count, and for each earlier day that count less
	// the subscribers gained and plus those lost after it.
	Subscribers []int64
	Totals      map[string]int64
	TopPosts    []PostInsight
	// Referrers lists the hosts that sent visitors, most first; hosts with
	// fewer visits than the threshold over the period are in "other".
	Referrers []model.ReferrerCount
}

// PostInsight is what one post drew over the period.
type PostInsight struct {
	PostID                        string
	Views, Likes, Boosts, Replies int64
	// MailsSent is how often subscribers got the post by e-mail, on its
	// own or in a digest; opening and clicking are not measured.
	MailsSent int64
}

// TopPostsShown is how many posts a report lists.
const TopPostsShown = 10

// Report returns an organisation's insights over the last days days, for
// an actor allowed to read them (analysts and administrators).
func (s *Service) Report(ctx context.Context, actor auth.Actor, orgID string, days int) (*Report, error) {
	if err := s.auth.Require(ctx, actor, orgID, auth.PermInsights); err != nil {
		return nil, err
	}
	if !slices.Contains(Periods, days) {
		return nil, model.Invalid("days", i18n.M(i18n.ErrPeriodNotOffer, days))
	}
	today := s.now().UTC().Truncate(24 * time.Hour)
	r := &Report{OrgID: orgID, Series: map[string][]int64{}, Totals: map[string]int64{}}
	index := map[string]int{}
	for i := days - 1; i >= 0; i-- {
		d := today.AddDate(0, 0, -i).Format(model.DayFormat)
		index[d] = len(r.Days)
		r.Days = append(r.Days, d)
	}
	from, to := r.Days[0], r.Days[len(r.Days)-1]
	for _, m := range Metrics {
		r.Series[m] = make([]int64, days)
	}
	r.Visitors = make([]int64, days)

	counts, err := s.st.InsightCounts(ctx, orgID, from, to)
	if err != nil {
		return nil, fmt.Errorf("analytics: %w", err)
	}
	posts := map[string]*PostInsight{}
	for _, c := range counts {
		if series, ok := r.Series[c.Metric]; ok {
			series[index[c.Day]] += c.Value
			r.Totals[c.Metric] += c.Value
		}
		if c.PostID == "" {
			continue
		}
		p := posts[c.PostID]
		if p == nil {
			p = &PostInsight{PostID: c.PostID}
			posts[c.PostID] = p
		}
		switch c.Metric {
		case insights.MetricViews:
			p.Views += c.Value
		case insights.MetricLikes:
			p.Likes += c.Value
		case insights.MetricBoosts:
			p.Boosts += c.Value
		case insights.MetricReplies:
			p.Replies += c.Value
		case insights.MetricMailsSent:
			p.MailsSent += c.Value
		}
	}
	for _, p := range posts {
		r.TopPosts = append(r.TopPosts, *p)
	}
	slices.SortFunc(r.TopPosts, func(a, b PostInsight) int {
		return cmp.Or(cmp.Compare(b.Views+b.Likes+b.Boosts+b.Replies, a.Views+a.Likes+a.Boosts+a.Replies), cmp.Compare(a.PostID, b.PostID))
	})
	r.TopPosts = r.TopPosts[:min(len(r.TopPosts), TopPostsShown)]

	visitors, err := s.st.VisitorEstimates(ctx, orgID, from, to)
	if err != nil {
		return nil, fmt.Errorf("analytics: %w", err)
	}
	for _, v := range visitors {
		r.Visitors[index[v.Day]] = v.Estimate
	}

	subs, err := s.st.SubscriptionCounts(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("analytics: %w", err)
	}
	r.Subscribers = make([]int64, days)
	n := int64(subs[model.SubscriptionActive])
	for i := days - 1; i >= 0; i-- {
		r.Subscribers[i] = max(n, 0)
		n += r.Series[insights.MetricSubscribersLost][i] - r.Series[insights.MetricSubscribersGained][i]
	}

	refs, err := s.st.Referrers(ctx, orgID, from, to)
	if err != nil {
		return nil, fmt.Errorf("analytics: %w", err)
	}
	r.Referrers = foldReferrers(refs, s.threshold)
	return r, nil
}

// foldReferrers sums visits per host over the period and counts hosts
// with fewer than threshold visits as insights.OtherReferrers.
func foldReferrers(refs []model.ReferrerCount, threshold int) []model.ReferrerCount {
	sums := map[string]int64{}
	for _, r := range refs {
		sums[r.Host] += r.Visits
	}
	var out []model.ReferrerCount
	var other int64
	for host, n := range sums {
		if host == insights.OtherReferrers || n < int64(threshold) {
			other += n
			continue
		}
		out = append(out, model.ReferrerCount{Host: host, Visits: n})
	}
	slices.SortFunc(out, func(a, b model.ReferrerCount) int {
		return cmp.Or(cmp.Compare(b.Visits, a.Visits), cmp.Compare(a.Host, b.Host))
	})
	if other > 0 {
		out = append(out, model.ReferrerCount{Host: insights.OtherReferrers, Visits: other})
	}
	return out
}

// WriteCSV writes the report's daily series as CSV: a header row, then one
// row per day with the estimate of visitors and every metric.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	header := append(append([]string{"day", "visitors"}, Metrics...), "subscribers")
	if err := cw.Write(header); err != nil {
		return err
	}
	for i, d := range r.Days {
		row := []string{d, strconv.FormatInt(r.Visitors[i], 10)}
		for _, m := range Metrics {
			row = append(row, strconv.FormatInt(r.Series[m][i], 10))
		}
		row = append(row, strconv.FormatInt(r.Subscribers[i], 10))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
