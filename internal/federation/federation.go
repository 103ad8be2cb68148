// Package federation makes Plein's organisations ActivityPub actors: their
// discovery (WebFinger, host-meta, NodeInfo), actor documents with signing
// keys, and their posts as Notes in an outbox. It builds documents from the
// domain services; the web package serves them.
package federation

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"plein/internal/activity"
	"plein/internal/httpsig"
	"plein/internal/insights"
	"plein/internal/keyring"
	"plein/internal/markup"
	"plein/internal/metrics"
	"plein/internal/model"
	"plein/internal/moderation"
	"plein/internal/org"
	"plein/internal/post"
	"plein/internal/safefetch"
	"plein/internal/store"
)

// OutboxPageSize is the number of activities on one outbox page.
const OutboxPageSize = 20

// ErrNotFound means the resource names nothing Plein serves.
var ErrNotFound = errors.New("federation: not found")

// Service builds Plein's ActivityPub documents.
type Service struct {
	// NodeInfoCounts lets NodeInfo tell how many organisations there are;
	// set it before serving.
	NodeInfoCounts bool
	// Insights counts follows, reactions, replies and deliveries; nil
	// counts nothing. Set it before serving.
	Insights *insights.Recorder
	// Metrics counts delivery outcomes; nil counts nothing.
	Metrics *metrics.Metrics
	// Moderation keeps blocks and shows approved replies; nil: nothing is
	// blocked and no reply is shown. Set it before serving.
	Moderation *moderation.Service
	// DirectMessages takes direct messages to organisations into their
	// inbox of questions; nil: they are dropped. Set it before serving.
	DirectMessages DirectMessages
	// Readers reports whether the node is serving public pages right now;
	// signing then keeps to half the cores. Nil: signing may use them all.
	Readers func() bool

	st      store.Store
	keys    store.Keys
	client  *safefetch.Client
	orgs    *org.Service
	posts   *post.Service
	baseURL string // https://plein.example, no trailing slash
	host    string // plein.example, with the port when the base URL has one
	// instanceName is the instance actor's preferredUsername: the host
	// name without the port, as Mastodon names its instance actor.
	instanceName string
	version      string
	now          func() time.Time

	mu             sync.Mutex
	signingKeys    map[string]signingKey // by owner: keys never change once stored
	keyLoads       singleflight.Group
	reactionSecret *keyring.Secret // of the reaction hashes
}

// signingKey is an actor's key pair, decoded once.
type signingKey struct {
	private   *rsa.PrivateKey
	publicPEM string
}

// NewService returns a Service for the installation at baseURL; client is
// the only way it reaches other servers.
func NewService(st store.Store, orgs *org.Service, posts *post.Service, client *safefetch.Client, baseURL, version string, now func() time.Time) (*Service, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("federation: base URL %q has no host", baseURL)
	}
	return &Service{st: st, keys: st, client: client, orgs: orgs, posts: posts, baseURL: strings.TrimSuffix(baseURL, "/"),
		host: u.Host, instanceName: usernameOf(u.Hostname()), version: version, now: now,
		signingKeys: map[string]signingKey{}, reactionSecret: keyring.New(st, settingReactionKey)}, nil
}

// usernameOf makes a host name a username other servers accept (Mastodon
// and GoToSocial allow letters, digits, '_', '.' and '-'): any other
// character, such as the colons of an IPv6 address, becomes '-'.
func usernameOf(hostname string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			return r
		}
		return '-'
	}, hostname)
}

// Addresses of the documents; ids never contain a handle.

// ActorID is the permanent id of an organisation's actor.
func (s *Service) ActorID(orgID string) string { return s.baseURL + "/orgs/" + orgID }

// NoteID is the permanent id of a post's Note.
func (s *Service) NoteID(postID string) string { return s.baseURL + "/posts/" + postID }

// InstanceActorID is the id of the installation's own actor.
func (s *Service) InstanceActorID() string { return s.baseURL + "/actor" }

// InstanceActorAcct is the acct: address of the instance actor,
// acct:host@host (the second host with the port when the base URL has one),
// which WebFinger answers.
func (s *Service) InstanceActorAcct() string { return "acct:" + s.instanceName + "@" + s.host }

// SharedInbox is the inbox of the whole installation.
func (s *Service) SharedInbox() string { return s.baseURL + "/inbox" }

// Key returns the signing key of an actor (an organisation id or
// model.InstanceActorID), making one the first time it is asked for. A key
// is read and decoded once per process: every delivery signs with it.
func (s *Service) Key(ctx context.Context, ownerID string) (*rsa.PrivateKey, string, error) {
	s.mu.Lock()
	sk, ok := s.signingKeys[ownerID]
	s.mu.Unlock()
	if ok {
		return sk.private, sk.publicPEM, nil
	}
	// The first deliveries of a fan-out all ask at once: one loads or
	// makes the key, the others wait for it.
	v, err, _ := s.keyLoads.Do(ownerID, func() (any, error) {
		priv, pub, err := s.loadKey(context.WithoutCancel(ctx), ownerID)
		return signingKey{private: priv, publicPEM: pub}, err
	})
	if err != nil {
		return nil, "", err
	}
	sk = v.(signingKey)
	return sk.private, sk.publicPEM, nil
}

// loadKey reads an actor's key, or makes and stores one, and keeps it.
func (s *Service) loadKey(ctx context.Context, ownerID string) (*rsa.PrivateKey, string, error) {
	k, err := s.keys.ActorKey(ctx, ownerID)
	if errors.Is(err, store.ErrNotFound) {
		priv, gerr := httpsig.GenerateKey()
		if gerr != nil {
			return nil, "", fmt.Errorf("federation: key: %w", gerr)
		}
		privPEM, perr := httpsig.EncodePrivateKey(priv)
		if perr != nil {
			return nil, "", fmt.Errorf("federation: key: %w", perr)
		}
		pubPEM, perr := httpsig.EncodePublicKey(&priv.PublicKey)
		if perr != nil {
			return nil, "", fmt.Errorf("federation: key: %w", perr)
		}
		// Another node may have made one meanwhile: the stored key wins.
		k, err = s.keys.InitActorKey(ctx, &model.ActorKey{OwnerID: ownerID, PrivatePEM: privPEM, PublicPEM: pubPEM, CreatedAt: s.now().UTC()})
	}
	if err != nil {
		return nil, "", fmt.Errorf("federation: key: %w", err)
	}
	priv, err := httpsig.DecodePrivateKey(k.PrivatePEM)
	if err != nil {
		return nil, "", fmt.Errorf("federation: key of %s: %w", ownerID, err)
	}
	s.mu.Lock()
	s.signingKeys[ownerID] = signingKey{private: priv, publicPEM: k.PublicPEM}
	s.mu.Unlock()
	return priv, k.PublicPEM, nil
}

// Actor returns the actor document of an organisation.
func (s *Service) Actor(ctx context.Context, o *model.Org) (*activity.Actor, error) {
	_, pub, err := s.Key(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	id := s.ActorID(o.ID)
	summary, err := markup.HTML(o.Description)
	if err != nil {
		return nil, fmt.Errorf("federation: summary: %w", err)
	}
	a := &activity.Actor{
		Context:           activity.DefaultContext(),
		ID:                id,
		Type:              activity.TypeOrganization,
		PreferredUsername: o.Handle,
		Name:              o.DisplayName,
		Summary:           string(summary),
		URL:               s.baseURL + "/@" + o.Handle,
		Inbox:             id + "/inbox",
		Outbox:            id + "/outbox",
		Followers:         id + "/followers",
		Following:         id + "/following",
		Featured:          id + "/featured",
		Endpoints:         &activity.Endpoints{SharedInbox: s.SharedInbox()},
		PublicKey:         activity.PublicKey{ID: id + "#main-key", Owner: id, PublicKeyPem: pub},
		AlsoKnownAs:       o.AlsoKnownAs,
		MovedTo:           o.MovedTo,
		Discoverable:      true,
		Indexable:         true,
		Published:         activity.Time{Time: o.CreatedAt},
	}
	for _, l := range o.Links {
		a.Attachment = append(a.Attachment, activity.PropertyValue{Type: "PropertyValue", Name: l.Label,
			Value: `<a href="` + template.HTMLEscapeString(l.URL) + `" rel="me nofollow noopener noreferrer" target="_blank">` +
				template.HTMLEscapeString(l.URL) + `</a>`})
	}
	if m, err := s.orgs.Avatar(ctx, o); err != nil {
		return nil, err
	} else if m != nil {
		v := m.Variant("medium")
		a.Icon = &activity.Image{Type: activity.TypeImage, MediaType: v.ContentType, URL: s.baseURL + "/media/" + v.Key}
	}
	// The header image, shown as the banner of the profile, as Mastodon
	// does; its alt text is the image's name.
	if m, err := s.orgs.Header(ctx, o); err != nil {
		return nil, err
	} else if m != nil {
		v := m.Variant("large")
		a.Image = &activity.Image{Type: activity.TypeImage, MediaType: v.ContentType, URL: s.baseURL + "/media/" + v.Key, Name: o.HeaderAlt}
	}
	return a, nil
}

// InstanceActor returns the installation's own actor, which signs requests
// made on behalf of the installation.
func (s *Service) InstanceActor(ctx context.Context) (*activity.Actor, error) {
	_, pub, err := s.Key(ctx, model.InstanceActorID)
	if err != nil {
		return nil, err
	}
	id := s.InstanceActorID()
	return &activity.Actor{
		Context:                   activity.DefaultContext(),
		ID:                        id,
		Type:                      activity.TypeApplication,
		PreferredUsername:         s.instanceName,
		Name:                      "Plein " + s.host,
		URL:                       s.baseURL + "/",
		Inbox:                     id + "/inbox",
		Outbox:                    id + "/outbox",
		Endpoints:                 &activity.Endpoints{SharedInbox: s.SharedInbox()},
		PublicKey:                 activity.PublicKey{ID: id + "#main-key", Owner: id, PublicKeyPem: pub},
		ManuallyApprovesFollowers: true,
	}, nil
}

// InstanceOutbox returns the instance actor's outbox, which is always
// empty: the instance actor publishes nothing.
func (s *Service) InstanceOutbox() *activity.OrderedCollection {
	return emptyCollection(s.InstanceActorID() + "/outbox")
}

// Following returns the collection of the actors an organisation follows,
// which is always empty: organisations follow no one.
func (s *Service) Following(o *model.Org) *activity.OrderedCollection {
	return emptyCollection(s.ActorID(o.ID) + "/following")
}

func emptyCollection(id string) *activity.OrderedCollection {
	return &activity.OrderedCollection{Context: activity.DefaultContext(), ID: id, Type: activity.TypeOrderedCollection}
}

// WebFinger answers a WebFinger query for resource: acct:handle@host, the
// actor's id, or the organisation's page; or the instance actor's
// acct:host@host or id. A former handle answers with the organisation's
// current one.
func (s *Service) WebFinger(ctx context.Context, resource string) (*activity.JRD, error) {
	if r := strings.TrimSpace(resource); r == s.InstanceActorID() || strings.EqualFold(r, s.InstanceActorAcct()) {
		id := s.InstanceActorID()
		return &activity.JRD{
			Subject: s.InstanceActorAcct(),
			Aliases: []string{id},
			Links:   []activity.JRDLink{{Rel: activity.RelSelf, Type: activity.ContentType, Href: id}},
		}, nil
	}
	o, err := s.resolveResource(ctx, resource)
	if err != nil {
		return nil, err
	}
	id := s.ActorID(o.ID)
	page := s.baseURL + "/@" + o.Handle
	return &activity.JRD{
		Subject: "acct:" + o.Handle + "@" + s.host,
		Aliases: []string{id, page},
		Links: []activity.JRDLink{
			{Rel: activity.RelSelf, Type: activity.ContentType, Href: id},
			{Rel: activity.RelProfilePage, Type: "text/html", Href: page},
		},
	}, nil
}

func (s *Service) resolveResource(ctx context.Context, resource string) (*model.Org, error) {
	resource = strings.TrimSpace(resource)
	var handle string
	switch {
	case strings.HasPrefix(resource, "acct:"):
		user, host, ok := strings.Cut(strings.TrimPrefix(resource, "acct:"), "@")
		if !ok || !strings.EqualFold(host, s.host) {
			return nil, ErrNotFound
		}
		handle = strings.TrimPrefix(user, "@")
	case strings.HasPrefix(resource, s.baseURL+"/orgs/"):
		o, err := s.orgs.ByID(ctx, strings.TrimPrefix(resource, s.baseURL+"/orgs/"))
		if errors.Is(err, org.ErrUnknownHandle) {
			return nil, ErrNotFound
		}
		return o, err
	case strings.HasPrefix(resource, s.baseURL+"/@"):
		handle = strings.TrimPrefix(resource, s.baseURL+"/@")
	default:
		return nil, ErrNotFound
	}
	o, _, err := s.orgs.Resolve(ctx, handle)
	if errors.Is(err, org.ErrUnknownHandle) {
		return nil, ErrNotFound
	}
	return o, err
}

// NodeInfo returns the NodeInfo 2.1 document: software and protocol, and
// the number of organisations only when NodeInfoCounts is set. Its V20
// method gives the NodeInfo 2.0 document.
func (s *Service) NodeInfo(ctx context.Context) (*activity.NodeInfo, error) {
	var users activity.NodeInfoUsers
	if s.NodeInfoCounts {
		orgs, err := s.orgs.List(ctx)
		if err != nil {
			return nil, err
		}
		users = activity.NodeInfoUsers{Total: len(orgs), ActiveMonth: len(orgs), ActiveHalfyear: len(orgs)}
	}
	n := activity.NewNodeInfo(activity.NodeInfoSoftware{Name: "plein", Version: s.version}, activity.NodeInfoUsage{Users: users})
	return &n, nil
}

// Note returns the Note of a published post.
func (s *Service) Note(ctx context.Context, o *model.Org, p *model.Post) (*activity.Note, error) {
	ms, err := s.posts.Media(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.note(ctx, o, p, ms)
}

func (s *Service) note(ctx context.Context, o *model.Org, p *model.Post, ms map[string]*model.Media) (*activity.Note, error) {
	html, err := markup.HTMLWith(p.Text, s.Links(o))
	if err != nil {
		return nil, fmt.Errorf("federation: note %s: %w", p.ID, err)
	}
	tags, mentioned, err := s.tags(ctx, o, p)
	if err != nil {
		return nil, err
	}
	if p.Mention != "" && !mentionsAuthor(p, mentioned) {
		// An answer names the citizen it answers first, as Mastodon does.
		html = markup.PrependMention(html, markup.MentionHTML(mentionHref(p), mentionUser(p)))
	}
	actor := s.ActorID(o.ID)
	n := &activity.Note{
		Context:      activity.DefaultContext(),
		ID:           s.NoteID(p.ID),
		Type:         activity.TypeNote,
		Summary:      template.HTMLEscapeString(p.Summary), // text in Plein, HTML in ActivityStreams
		Published:    activity.Time{Time: p.PublishAt},
		URL:          s.baseURL + "/@" + o.Handle + "/" + p.ID,
		AttributedTo: actor,
		To:           []string{activity.Public},
		Cc:           []string{actor + "/followers"},
		Sensitive:    p.Summary != "",
		Content:      string(html),
		ContentMap:   map[string]string{p.Language: string(html)},
		Tag:          tags,
		Replies:      s.RepliesID(p.ID),
	}
	n.Cc = append(n.Cc, mentioned...)
	if p.Edited() {
		n.Updated = activity.Time{Time: p.UpdatedAt}
	}
	if p.Mention != "" { // an answer to a citizen's reply
		n.InReplyTo = p.InReplyTo
		if !slices.Contains(mentioned, p.Mention) {
			n.Cc = append(n.Cc, p.Mention)
			n.Tag = append(n.Tag, activity.Tag{Type: activity.TypeMention, Href: p.Mention, Name: answeredName(p)})
		}
	}
	for _, a := range p.Shown() {
		m, ok := ms[a.MediaID]
		if !ok {
			continue
		}
		v := m.Variant("large")
		n.Attachment = append(n.Attachment, activity.Document{Type: activity.TypeDocument, MediaType: v.ContentType,
			URL: s.baseURL + "/media/" + v.Key, Name: a.Alt, Width: v.Width, Height: v.Height})
	}
	return n, nil
}

// count adds n to an insight metric when counting is on.
func (s *Service) count(orgID, postID, metric string, n int64) {
	if s.Insights != nil && orgID != "" {
		s.Insights.Add(orgID, postID, metric, n)
	}
}

// Create returns the Create activity that published a post, at its own
// id (the Note's id + "/activity").
func (s *Service) Create(ctx context.Context, o *model.Org, p *model.Post) (*activity.Activity, error) {
	n, err := s.Note(ctx, o, p)
	if err != nil {
		return nil, err
	}
	return activity.NewCreate(n.ID+"/activity", *n), nil
}

// Outbox returns an organisation's outbox: the collection, or with page
// set one page of Create activities, newest first, starting after the post
// before (empty: the newest).
func (s *Service) Outbox(ctx context.Context, o *model.Org, page bool, before string) (any, error) {
	id := s.ActorID(o.ID) + "/outbox"
	if !page {
		all, err := s.posts.List(ctx, o.ID, model.StatePublished)
		if err != nil {
			return nil, err
		}
		return &activity.OrderedCollection{Context: activity.DefaultContext(), ID: id, Type: "OrderedCollection",
			TotalItems: len(all), First: id + "?page=true"}, nil
	}
	tl, err := s.posts.PublicTimeline(ctx, o.ID, before, OutboxPageSize)
	if errors.Is(err, post.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	posts := tl.Posts
	if before == "" {
		posts = mergeNewestFirst(tl.Pinned, tl.Posts)
	}
	ms, err := s.posts.Media(ctx, posts...)
	if err != nil {
		return nil, err
	}
	pageID := id + "?page=true"
	if before != "" {
		pageID += "&before=" + before
	}
	p := &activity.OrderedCollectionPage{Context: activity.DefaultContext(), ID: pageID, Type: "OrderedCollectionPage",
		PartOf: id, OrderedItems: []any{}}
	if tl.Next != "" {
		p.Next = id + "?page=true&before=" + tl.Next
	}
	for _, pp := range posts {
		n, err := s.note(ctx, o, pp, ms)
		if err != nil {
			return nil, err
		}
		p.OrderedItems = append(p.OrderedItems, activity.NewCreate(n.ID+"/activity", *n))
	}
	return p, nil
}

// mergeNewestFirst merges pinned posts into the first page by date.
func mergeNewestFirst(pinned, posts []*model.Post) []*model.Post {
	out := make([]*model.Post, 0, len(pinned)+len(posts))
	i, j := 0, 0
	for i < len(pinned) || j < len(posts) {
		if j >= len(posts) || i < len(pinned) && pinned[i].PublishAt.After(posts[j].PublishAt) {
			out = append(out, pinned[i])
			i++
		} else {
			out = append(out, posts[j])
			j++
		}
	}
	return out
}

// Featured returns the collection of an organisation's pinned posts.
func (s *Service) Featured(ctx context.Context, o *model.Org) (any, error) {
	tl, err := s.posts.PublicTimeline(ctx, o.ID, "", 1)
	if err != nil {
		return nil, err
	}
	ms, err := s.posts.Media(ctx, tl.Pinned...)
	if err != nil {
		return nil, err
	}
	items := []any{}
	for _, p := range tl.Pinned {
		n, err := s.note(ctx, o, p, ms)
		if err != nil {
			return nil, err
		}
		n.Context = nil
		items = append(items, n)
	}
	return &featured{Context: activity.DefaultContext(), ID: s.ActorID(o.ID) + "/featured", Type: "OrderedCollection",
		TotalItems: len(items), OrderedItems: items}, nil
}

// featured is an OrderedCollection with its items inline, as Mastodon
// expects for pinned posts.
type featured struct {
	Context      any    `json:"@context,omitempty"`
	ID           string `json:"id"`
	Type         string `json:"type"`
	TotalItems   int    `json:"totalItems"`
	OrderedItems []any  `json:"orderedItems"`
}

// Followers returns an organisation's followers collection: its size only,
// never who follows.
func (s *Service) Followers(ctx context.Context, o *model.Org) (*activity.OrderedCollection, error) {
	n, err := s.st.FollowerCount(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	return &activity.OrderedCollection{Context: activity.DefaultContext(), ID: s.ActorID(o.ID) + "/followers",
		Type: "OrderedCollection", TotalItems: n}, nil
}

// answeredName is how an answer's Mention tag names the citizen it
// answers: @username@host when the actor's preferred username is known, else
// as mentionName does.
func answeredName(p *model.Post) string {
	u, err := url.Parse(p.Mention)
	if p.MentionUsername == "" || err != nil || u.Host == "" {
		return mentionName(p.Mention)
	}
	return "@" + p.MentionUsername + "@" + u.Host
}

// mentionUser is the user name an answer shows for the citizen it answers:
// the actor's preferred username, else the name in its id.
func mentionUser(p *model.Post) string {
	if p.MentionUsername != "" {
		return p.MentionUsername
	}
	user, _, _ := strings.Cut(strings.TrimPrefix(mentionName(p.Mention), "@"), "@")
	return user
}

// mentionHref is where an answer's mention of the citizen links to: the
// actor's url, else its id.
func mentionHref(p *model.Post) string {
	if p.MentionURL != "" {
		return p.MentionURL
	}
	return p.Mention
}

// mentionsAuthor reports whether the text of an answer already mentions the
// citizen it answers: as an actor the text's mentions resolved to, or as
// @user@host with the name the Mention tag gives.
func mentionsAuthor(p *model.Post, mentioned []string) bool {
	if slices.Contains(mentioned, p.Mention) {
		return true
	}
	name := answeredName(p)
	ms, _ := markup.Tags(p.Text)
	for _, m := range ms {
		if strings.EqualFold(m.String(), name) {
			return true
		}
	}
	return false
}

// mentionName is how a mentioned actor is named in a Mention tag:
// @user@host when its id has the common /users/name or /@name form, else
// its id.
func mentionName(actorID string) string {
	u, err := url.Parse(actorID)
	if err != nil || u.Host == "" {
		return actorID
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	name := strings.TrimPrefix(segs[len(segs)-1], "@")
	if name == "" {
		return actorID
	}
	return "@" + name + "@" + u.Host
}
