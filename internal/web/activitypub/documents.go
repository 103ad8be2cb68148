// Package activitypub serves Plein's ActivityPub endpoints: WebFinger,
// host-meta and NodeInfo discovery, the instance actor, the inboxes, and the
// documents of organisations and posts (actors, collections, notes), which
// are cached like public pages.
package activitypub

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"plein/internal/activity"
	"plein/internal/federation"
	"plein/internal/insights"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/post"
	"plein/internal/web/pagecache"
)

// ContentType is the media type of every ActivityPub document.
const ContentType = activity.ContentType + "; charset=utf-8"

// Endpoints serves the ActivityPub side of Plein.
type Endpoints struct {
	federation *federation.Service
	orgs       *org.Service
	posts      *post.Service
	baseURL    string
	logger     *slog.Logger
}

// New returns the ActivityPub endpoints of an installation at baseURL
// (without a trailing slash).
func New(f *federation.Service, orgs *org.Service, posts *post.Service, baseURL string, logger *slog.Logger) *Endpoints {
	return &Endpoints{federation: f, orgs: orgs, posts: posts, baseURL: strings.TrimSuffix(baseURL, "/"), logger: logger}
}

// document encodes an ActivityPub document; federation.ErrNotFound becomes
// a 404.
func document(doc any, err error) (*pagecache.Response, error) {
	if errors.Is(err, federation.ErrNotFound) {
		return notFound(), nil
	}
	if err != nil {
		return nil, err
	}
	b, err := activity.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return pagecache.NewResponse(http.StatusOK, ContentType, b), nil
}

func notFound() *pagecache.Response {
	return pagecache.NewResponse(http.StatusNotFound, ContentType, []byte(`{"error":"not found"}`))
}

// orgByHandle resolves the {handle} of req: the organisation, or the
// response to send instead (404, or a redirect from a former handle or
// another spelling to the current one).
func (e *Endpoints) orgByHandle(ctx context.Context, req pagecache.Request, rest string) (*model.Org, *pagecache.Response, error) {
	handle := req.PathValue("handle")
	o, former, err := e.orgs.Resolve(ctx, handle)
	if errors.Is(err, org.ErrUnknownHandle) {
		return nil, notFound(), nil
	}
	if err != nil {
		return nil, nil, err
	}
	if former || handle != o.Handle {
		return nil, pagecache.Redirect(http.StatusMovedPermanently, "/@"+o.Handle+rest), nil
	}
	return o, nil, nil
}

// orgByID resolves the {id} of req.
func (e *Endpoints) orgByID(ctx context.Context, req pagecache.Request) (*model.Org, error) {
	id := req.PathValue("id")
	if !model.ValidID(id) {
		return nil, federation.ErrNotFound
	}
	o, err := e.orgs.ByID(ctx, id)
	if errors.Is(err, org.ErrUnknownHandle) {
		return nil, federation.ErrNotFound
	}
	return o, err
}

// Actor renders the actor of the organisation at /@{handle}.
func (e *Endpoints) Actor(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	o, resp, err := e.orgByHandle(ctx, req, "")
	if o == nil {
		return resp, err
	}
	return document(e.federation.Actor(ctx, o))
}

// ActorByID renders the actor at its permanent address /orgs/{id}.
func (e *Endpoints) ActorByID(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	o, err := e.orgByID(ctx, req)
	if err != nil {
		return document(nil, err)
	}
	return document(e.federation.Actor(ctx, o))
}

// Outbox renders /orgs/{id}/outbox, or one page of it; a fetch counts as a
// feed fetch in insights.
func (e *Endpoints) Outbox(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	o, err := e.orgByID(ctx, req)
	if err != nil {
		return document(nil, err)
	}
	resp, err := document(e.federation.Outbox(ctx, o, req.Page, req.Before))
	if err == nil && resp.Status() == http.StatusOK {
		resp.Counted = pagecache.Counted{OrgID: o.ID, Feed: true, Kind: insights.FeedOutbox}
	}
	return resp, err
}

// Followers renders /orgs/{id}/followers: the number of followers only.
func (e *Endpoints) Followers(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	o, err := e.orgByID(ctx, req)
	if err != nil {
		return document(nil, err)
	}
	return document(e.federation.Followers(ctx, o))
}

// Following renders /orgs/{id}/following: always empty, as organisations
// follow no one.
func (e *Endpoints) Following(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	o, err := e.orgByID(ctx, req)
	if err != nil {
		return document(nil, err)
	}
	return document(e.federation.Following(o), nil)
}

// InstanceOutbox renders /actor/outbox, the instance actor's outbox: always
// empty.
func (e *Endpoints) InstanceOutbox(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	return document(e.federation.InstanceOutbox(), nil)
}

// Featured renders /orgs/{id}/featured: the pinned posts.
func (e *Endpoints) Featured(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	o, err := e.orgByID(ctx, req)
	if err != nil {
		return document(nil, err)
	}
	return document(e.federation.Featured(ctx, o))
}

// Note renders the Note of the post at /@{handle}/{post}.
func (e *Endpoints) Note(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	id := req.PathValue("post")
	o, resp, err := e.orgByHandle(ctx, req, "/"+id)
	if o == nil {
		return resp, err
	}
	p, resp, err := e.post(ctx, id)
	if p == nil {
		return resp, err
	}
	if p.OrgID != o.ID {
		return notFound(), nil
	}
	return document(e.federation.Note(ctx, o, p))
}

// Replies renders the collection of the replies shown under a post, at
// /posts/{id}/replies.
func (e *Endpoints) Replies(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	p, resp, err := e.post(ctx, req.PathValue("id"))
	if p == nil {
		return resp, err
	}
	return document(e.federation.RepliesCollection(ctx, p))
}

// NoteByID renders the Note at the post's permanent address /posts/{id}.
func (e *Endpoints) NoteByID(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	return e.noteByID(ctx, req.PathValue("id"), false)
}

// Create renders the Create activity of a post at /posts/{id}/activity.
func (e *Endpoints) Create(ctx context.Context, req pagecache.Request) (*pagecache.Response, error) {
	return e.noteByID(ctx, req.PathValue("id"), true)
}

func (e *Endpoints) noteByID(ctx context.Context, id string, create bool) (*pagecache.Response, error) {
	p, resp, err := e.post(ctx, id)
	if p == nil {
		return resp, err
	}
	o, err := e.orgs.ByID(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	if create {
		return document(e.federation.Create(ctx, o, p))
	}
	return document(e.federation.Note(ctx, o, p))
}

// post returns a public post, or the response to send instead: 404 for
// drafts, scheduled and unknown posts, 410 with a Tombstone for a deleted
// one.
func (e *Endpoints) post(ctx context.Context, id string) (*model.Post, *pagecache.Response, error) {
	if !model.ValidID(id) {
		return nil, notFound(), nil
	}
	p, err := e.posts.Get(ctx, id)
	if errors.Is(err, post.ErrNotFound) || err == nil && !p.Public() && p.State != model.StateDeleted {
		return nil, notFound(), nil
	}
	if err != nil {
		return nil, nil, err
	}
	if p.State == model.StateDeleted {
		b, err := activity.Marshal(activity.Tombstone{ID: e.federation.NoteID(p.ID), Type: activity.TypeTombstone})
		if err != nil {
			return nil, nil, err
		}
		return nil, pagecache.NewResponse(http.StatusGone, ContentType, b), nil
	}
	return p, nil, nil
}
