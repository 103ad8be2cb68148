package retention

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"time"

	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/privacy"
	"plein/internal/store"
)

// Policies are the retention limits this configuration enforces, in the
// order the privacy register shows them.
func (s *Service) Policies() []privacy.Policy {
	r := s.cfg.Retention
	return []privacy.Policy{
		{Category: "access_log", MaxAge: r.AccessLog, Enabled: s.cfg.AccessLog},
		{Category: "visitor_estimate", MaxAge: config.VisitorSketchAge, Fixed: true, Enabled: true},
		{Category: "referrers", MaxAge: config.ReferrerDetailAge, Fixed: true, Enabled: true},
		{Category: "login_throttle", MaxAge: config.LoginThrottleAge, Fixed: true, Enabled: true},
		{Category: "followers", MaxAge: r.FailingFollowers, WhileRelationship: true, Enabled: true},
		{Category: "replies", MaxAge: r.Replies, WhileRelationship: true, Enabled: true},
		{Category: "reactions", MaxAge: r.Reactions, WhileRelationship: true, Enabled: true},
		{Category: "remote_actors", MaxAge: r.RemoteActors, Enabled: true},
		{Category: "seen_activities", MaxAge: r.SeenActivities, Enabled: true},
		{Category: "staff_accounts", WhileRelationship: true, Fixed: true, Enabled: true},
		{Category: "staff_sessions", MaxAge: sessionMax(s.cfg.Sessions), Idle: s.cfg.Sessions.Idle, Enabled: true},
		{Category: "audit_log", MaxAge: r.AuditLog, Enabled: true},
		{Category: "insights", MaxAge: r.Insights, Enabled: true},
		{Category: "uploads", MaxAge: r.Uploads, Enabled: true},
		{Category: "questions", MaxAge: r.Questions, Enabled: true},
		{Category: "mail_subscribers", MaxAge: config.SuspendedSubscriptionAge, WhileRelationship: true, Fixed: true, Enabled: true},
		{Category: "mail_unconfirmed", MaxAge: config.UnconfirmedSubscriptionAge, Fixed: true, Enabled: true},
		{Category: "mail_reservations", MaxAge: config.MailReservationAge, Fixed: true, Enabled: true},
		{Category: "mail_outbox", MaxAge: config.MailOutboxAge, Fixed: true, Enabled: true},
		{Category: "mail_suppression", MaxAge: config.MailSuppressionAge, Fixed: true, Enabled: true},
		{Category: "moderation", MaxAge: r.Moderation, Enabled: true},
	}
}

// Register builds the processing register of the organisation o, or of
// the whole installation when o is nil, from the running configuration,
// in lang ("nl" or "en").
func (s *Service) Register(ctx context.Context, lang string, o *model.Org) (privacy.Register, error) {
	orgs, err := s.st.ListOrgs(ctx)
	if err != nil {
		return privacy.Register{}, fmt.Errorf("retention: register: %w", err)
	}
	in := privacy.Input{Lang: lang, Installation: s.baseURL, Contact: s.cfg.PrivacyContact, Retention: s.Policies(),
		ReferrerThreshold: s.cfg.ReferrerThreshold, GeneratedAt: s.now().UTC()}
	if o != nil { // the organisation may keep questions for a time of its own
		set, err := s.st.InboxSettings(ctx, o.ID)
		if err != nil {
			return privacy.Register{}, fmt.Errorf("retention: register: %w", err)
		}
		for i, p := range in.Retention {
			if p.Category == "questions" && set.Retention > 0 {
				in.Retention[i].MaxAge = set.Retention
			}
		}
	}
	servers, pdsHosts := map[string]bool{}, map[string]bool{}
	for _, each := range orgs {
		if o != nil && each.ID != o.ID {
			continue
		}
		inboxes, err := s.st.FollowerInboxes(ctx, each.ID)
		if err != nil {
			return privacy.Register{}, fmt.Errorf("retention: register: %w", err)
		}
		for _, inbox := range inboxes {
			if u, err := url.Parse(inbox); err == nil {
				servers[u.Host] = true
			}
		}
		switch a, err := s.st.BlueskyAccount(ctx, each.ID); {
		case err == nil:
			if u, err := url.Parse(a.PDS); err == nil && u.Host != "" {
				pdsHosts[u.Host] = true
			}
		case !errors.Is(err, store.ErrNotFound):
			return privacy.Register{}, fmt.Errorf("retention: register: %w", err)
		}
		po := privacy.Org{Name: each.DisplayName, Handle: each.Handle}
		if len(each.Links) > 0 {
			po.URL = each.Links[0].URL // the organisation's website comes first
		}
		if o != nil {
			in.Org = &po
		}
		in.Orgs = append(in.Orgs, po)
	}
	in.Recipients.FollowerServers = len(servers)
	in.Recipients.Bluesky = slices.Sorted(maps.Keys(pdsHosts))
	if s.cfg.UsesS3() {
		in.Recipients.ObjectStore = s.cfg.S3.Endpoint
	}
	if s.cfg.Mail.Enabled() {
		in.Recipients.MailRelay = s.cfg.Mail.SMTPHost()
	}
	return privacy.Build(in), nil
}

// sessionMax is the configured absolute limit of a staff session.
func sessionMax(c config.Sessions) time.Duration {
	if c.Max == 0 {
		return config.DefaultSessionMax
	}
	return c.Max
}
