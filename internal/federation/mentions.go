package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"plein/internal/activity"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/store"
)

// Links says where an organisation's hashtags link to: its tag pages on
// this installation.
func (s *Service) Links(o *model.Org) markup.Links {
	return markup.Links{Hashtag: func(tag string) string { return s.TagURL(o, tag) }}
}

// TagURL is the page of an organisation's posts with a hashtag.
func (s *Service) TagURL(o *model.Org, tag string) string {
	return s.baseURL + "/@" + o.Handle + "/tags/" + url.PathEscape(strings.ToLower(tag))
}

// acct is how a mention is stored: user@host in lower case.
func acct(m markup.Mention) string { return strings.ToLower(m.User + "@" + m.Host) }

// ResolveMention finds the actor a post names as @user@host through
// WebFinger on its server, fetches it and keeps it with that address, so
// that the post's Note can tag it and the post reaches its inbox.
func (s *Service) ResolveMention(ctx context.Context, m markup.Mention) (*model.RemoteActor, error) {
	resource := "acct:" + acct(m)
	q := "/.well-known/webfinger?resource=" + url.QueryEscape(resource)
	body, err := s.getJRD(ctx, "https://"+m.Host+q)
	if err != nil && s.client.PrivateNetworksAllowed() {
		// Servers inside a government network may speak plain http.
		body, err = s.getJRD(ctx, "http://"+m.Host+q)
	}
	if err != nil {
		return nil, fmt.Errorf("federation: webfinger %s: %w", resource, err)
	}
	var jrd activity.JRD
	if err := json.Unmarshal(body, &jrd); err != nil {
		return nil, fmt.Errorf("federation: webfinger %s: %w", resource, err)
	}
	var actorURL string
	for _, l := range jrd.Links {
		if l.Rel == "self" && (l.Type == activity.ContentType || strings.HasPrefix(l.Type, "application/ld+json")) {
			actorURL = l.Href
			break
		}
	}
	if actorURL == "" {
		return nil, fmt.Errorf("federation: webfinger %s: no ActivityPub actor", resource)
	}
	a, err := s.FetchActor(ctx, actorURL)
	if err != nil {
		return nil, err
	}
	a.Acct = acct(m)
	if err := s.st.PutRemoteActor(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) getJRD(ctx context.Context, u string) ([]byte, error) {
	body, _, err := s.client.Get(ctx, u, []string{"application/jrd+json", "application/json"}, nil)
	return body, err
}

// resolveMentions resolves the mentions in a post's text that are not yet
// known and returns the delivery inboxes of all of them. A mention that
// cannot be resolved is left as a link to the profile and logged as a
// count, never stopping the post.
func (s *Service) resolveMentions(ctx context.Context, p *model.Post) []string {
	mentions, _ := markup.Tags(p.Text)
	var inboxes []string
	failed := 0
	for _, m := range mentions {
		a, err := s.st.RemoteActorByAcct(ctx, acct(m))
		if errors.Is(err, store.ErrNotFound) {
			a, err = s.ResolveMention(ctx, m)
		}
		if err != nil {
			failed++
			continue
		}
		inboxes = append(inboxes, a.DeliveryInbox())
	}
	if failed > 0 {
		slog.WarnContext(ctx, "federation: mentions not resolved", "post", p.ID, "count", failed)
	}
	return inboxes
}

// tags returns the Mention and Hashtag tags of a post: every hashtag, and
// every mention whose actor is known.
func (s *Service) tags(ctx context.Context, o *model.Org, p *model.Post) ([]activity.Tag, []string, error) {
	mentions, hashtags := markup.Tags(p.Text)
	var tags []activity.Tag
	var actors []string
	for _, m := range mentions {
		a, err := s.st.RemoteActorByAcct(ctx, acct(m))
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		tags = append(tags, activity.Tag{Type: activity.TypeMention, Href: a.ID, Name: m.String()})
		actors = append(actors, a.ID)
	}
	for _, h := range hashtags {
		tags = append(tags, activity.Tag{Type: activity.TypeHashtag, Href: s.TagURL(o, h), Name: "#" + strings.ToLower(h)})
	}
	return tags, actors, nil
}
