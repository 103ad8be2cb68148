package staff

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"plein/internal/analytics"
	"plein/internal/auth"
	"plein/internal/chart"
	"plein/internal/i18n"
	"plein/internal/insights"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/post"
)

// insightsData is the insights screen.
type insightsData struct {
	Days      int
	Periods   []periodLink
	CSVURL    string
	Charts    []chartView
	TopPosts  []topPostView
	Referrers []referrerView
}

type periodLink struct {
	Days    int
	URL     string
	Current bool
}

type chartView struct {
	ID, Title string
	Total     int64
	SVG       template.HTML
	Table     template.HTML
}

type topPostView struct {
	Title, URL                           string
	Views, Likes, Boosts, Replies, Mails int64
}

type referrerView struct {
	Host   string
	Visits int64
}

// insightsPeriod reads ?days=, 7 by default.
func insightsPeriod(r *http.Request) int {
	if d, err := strconv.Atoi(r.URL.Query().Get("days")); err == nil {
		return d
	}
	return analytics.Periods[0]
}

func (s *App) insightsReport(w http.ResponseWriter, r *http.Request, sr *staffRequest) (*analytics.Report, bool) {
	if s.analytics == nil {
		s.staffError(w, r, sr, http.StatusNotFound, i18n.T(sr.lang, "notfound.title"))
		return nil, false
	}
	rep, err := s.analytics.Report(r.Context(), sr.actor(), sr.org.ID, insightsPeriod(r))
	var fe *model.FieldError
	switch {
	case errors.Is(err, model.ErrForbidden):
		s.staffForbidden(w, r, sr)
		return nil, false
	case errors.As(err, &fe):
		s.staffError(w, r, sr, http.StatusBadRequest, fieldMessage(fe, sr.lang))
		return nil, false
	case err != nil:
		s.staffFailure(w, r, sr, err)
		return nil, false
	}
	return rep, true
}

func (s *App) showInsights(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	rep, ok := s.insightsReport(w, r, sr)
	if !ok {
		return
	}
	lang := sr.lang
	base := "/staff/orgs/" + sr.org.Handle + "/insights"
	d := &insightsData{Days: len(rep.Days), CSVURL: base + ".csv?days=" + strconv.Itoa(len(rep.Days))}
	for _, p := range analytics.Periods {
		d.Periods = append(d.Periods, periodLink{Days: p, URL: base + "?days=" + strconv.Itoa(p), Current: p == len(rep.Days)})
	}
	feeds := make([]int64, len(rep.Days))
	for _, m := range []string{insights.MetricFeedAtom, insights.MetricFeedRSS, insights.MetricFeedJSON, insights.MetricFeedOutbox} {
		for i, v := range rep.Series[m] {
			feeds[i] += v
		}
	}
	charts := []struct {
		key    string
		values []int64
		line   bool
	}{
		{"visitors", rep.Visitors, true},
		{"views", rep.Series[insights.MetricViews], false},
		{"feeds", feeds, false},
		{insights.MetricFollowersGained, rep.Series[insights.MetricFollowersGained], false},
		{insights.MetricFollowersLost, rep.Series[insights.MetricFollowersLost], false},
		{insights.MetricLikes, rep.Series[insights.MetricLikes], false},
		{insights.MetricBoosts, rep.Series[insights.MetricBoosts], false},
		{insights.MetricReplies, rep.Series[insights.MetricReplies], false},
		{insights.MetricDeliveries, rep.Series[insights.MetricDeliveries], false},
		{"subscribers", rep.Subscribers, true},
		{insights.MetricSubscribersGained, rep.Series[insights.MetricSubscribersGained], false},
		{insights.MetricSubscribersLost, rep.Series[insights.MetricSubscribersLost], false},
		{insights.MetricMailsSent, rep.Series[insights.MetricMailsSent], false},
	}
	summary := func(st chart.Stats) string {
		return i18n.T(lang, "insights.summary", st.Count, st.Total, st.Max, st.MaxLabel)
	}
	for _, c := range charts {
		series := chart.Series{Title: i18n.T(lang, "insights."+c.key), LabelTitle: i18n.T(lang, "insights.day")}
		var total int64
		for i, day := range rep.Days {
			series.Points = append(series.Points, chart.Point{Label: day, Value: c.values[i]})
			total += c.values[i]
		}
		opts := chart.Options{ID: c.key, Summary: summary, NoData: i18n.T(lang, "insights.nodata")}
		v := chartView{ID: c.key, Title: series.Title, Total: total, Table: chart.Table(series, series.Title)}
		if c.line {
			v.SVG = chart.Line(series, opts)
		} else {
			v.SVG = chart.Bars(series, opts)
		}
		d.Charts = append(d.Charts, v)
	}
	for _, tp := range rep.TopPosts {
		v := topPostView{Title: tp.PostID, Views: tp.Views, Likes: tp.Likes, Boosts: tp.Boosts, Replies: tp.Replies, Mails: tp.MailsSent}
		if p, err := s.posts.Get(r.Context(), tp.PostID); err == nil {
			v.Title, v.URL = markup.Title(p.Text, 80), "/@"+sr.org.Handle+"/"+p.ID
		} else if !errors.Is(err, post.ErrNotFound) {
			s.staffFailure(w, r, sr, err)
			return
		}
		d.TopPosts = append(d.TopPosts, v)
	}
	for _, ref := range rep.Referrers {
		host := ref.Host
		if host == insights.OtherReferrers {
			host = i18n.T(lang, "insights.other", s.referrerThreshold)
		}
		d.Referrers = append(d.Referrers, referrerView{Host: host, Visits: ref.Visits})
	}
	v := s.view(sr, i18n.T(lang, "staff.insights")+" – "+sr.org.DisplayName, "insights")
	v.Data = d
	s.renderStaff(w, http.StatusOK, "staff_insights.html", v)
}

func (s *App) showInsightsCSV(w http.ResponseWriter, r *http.Request, sr *staffRequest) {
	rep, ok := s.insightsReport(w, r, sr)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="insights-`+sr.org.Handle+`-`+rep.Days[0]+`-`+rep.Days[len(rep.Days)-1]+`.csv"`)
	if err := rep.WriteCSV(w); err != nil {
		s.logger.Error("web: insights csv", "err", err)
	}
}

// canReadInsights reports whether the screen is offered in the menu.
func (sr *staffRequest) canReadInsights() bool { return sr.can(auth.PermInsights) }
