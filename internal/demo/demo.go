// Package demo fills an empty installation with a demonstration: the
// municipality "Gemeente Demodorp", two staff accounts and about twenty
// posts of the past weeks, some with images, one pinned and one edited, so
// that every public surface has something to show.
package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"plein/internal/auth"
	"plein/internal/library"
	"plein/internal/media"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/post"
	"plein/internal/store"
)

// The demo's organisation and accounts.
const (
	OrgHandle   = "demo"
	AdminEmail  = "admin@demo.invalid"
	EditorEmail = "redactie@demo.invalid"
)

// Services is what Seed works with. Store and Media are needed to write
// the posts through a post service whose clock reads the past, so that
// they are dated over the last weeks as real posts would be.
type Services struct {
	Store store.Store
	Media media.Store
	Auth  *auth.Service
	Orgs  *org.Service
	Now   func() time.Time // nil: time.Now
}

// Login is a staff account Seed created, with its password, to print once.
type Login struct {
	Email    string
	Password string
	Role     string // what the account may do, in words
}

// Result reports what Seed did.
type Result struct {
	Created bool       // false: the installation had an organisation, nothing changed
	Org     *model.Org // the demo organisation, when created
	Logins  []Login
	Posts   int // number of posts written
}

// Seed creates the demo on an installation without any organisation; on one
// that has an organisation it changes nothing and returns a Result with
// Created false. It is not atomic: if it fails halfway, what was made stays,
// and a later Seed adds nothing.
func Seed(ctx context.Context, s Services) (*Result, error) {
	orgs, err := s.Orgs.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if len(orgs) > 0 {
		return &Result{}, nil
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	operator := auth.Operator()
	o, err := s.Orgs.Create(ctx, operator, OrgHandle, org.Profile{
		DisplayName: "Gemeente Demodorp",
		Description: "Nieuws en berichten van Gemeente Demodorp: afval, wegwerkzaamheden, de gemeenteraad, " +
			"veiligheid en alles wat u verder in onze gemeente moet weten. Dit is een demonstratie: " +
			"Gemeente Demodorp bestaat niet.",
		Language: "nl",
		TimeZone: "Europe/Amsterdam",
		Links: []model.Link{
			{Label: "Website", URL: "https://www.demodorp.example/"},
			{Label: "Contact en openingstijden", URL: "https://www.demodorp.example/contact"},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("demo: organisation: %w", err)
	}
	res := &Result{Created: true, Org: o}
	if o, err = setImages(ctx, s, o); err != nil {
		return nil, err
	}
	res.Org = o
	_, adminPW, err := s.Auth.CreateUser(ctx, operator, auth.NewUser{Email: AdminEmail, Name: "Beheerder Demodorp", IsAdmin: true,
		KeepPassword: true})
	if err != nil {
		return nil, fmt.Errorf("demo: administrator: %w", err)
	}
	res.Logins = append(res.Logins, Login{Email: AdminEmail, Password: adminPW, Role: "instance administrator"})
	_, editorPW, err := s.Auth.CreateUser(ctx, operator, auth.NewUser{Email: EditorEmail, Name: "Redactie Gemeente Demodorp",
		KeepPassword: true})
	if err != nil {
		return nil, fmt.Errorf("demo: editor: %w", err)
	}
	if err := s.Auth.AddToOrg(ctx, operator, o.ID, EditorEmail, model.RoleEditor); err != nil {
		return nil, fmt.Errorf("demo: editor: %w", err)
	}
	res.Logins = append(res.Logins, Login{Email: EditorEmail, Password: editorPW, Role: "editor of @" + OrgHandle})
	editor, err := s.Auth.ActorFor(ctx, EditorEmail)
	if err != nil {
		return nil, fmt.Errorf("demo: editor: %w", err)
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if res.Posts, err = writePosts(ctx, s, editor, o, now().In(loc)); err != nil {
		return nil, err
	}
	return res, nil
}

// setImages gives the demo organisation its logo and header image.
func setImages(ctx context.Context, s Services, o *model.Org) (*model.Org, error) {
	var b bytes.Buffer
	if err := logo.encode(&b); err != nil {
		return nil, fmt.Errorf("demo: logo: %w", err)
	}
	o, err := s.Orgs.SetAvatar(ctx, auth.Operator(), o.ID, logo.name, &b)
	if err != nil {
		return nil, fmt.Errorf("demo: logo: %w", err)
	}
	b.Reset()
	if err := banner.encode(&b); err != nil {
		return nil, fmt.Errorf("demo: header image: %w", err)
	}
	if o, err = s.Orgs.SetHeader(ctx, auth.Operator(), o.ID, banner.name, &b, banner.alt); err != nil {
		return nil, fmt.Errorf("demo: header image: %w", err)
	}
	return o, nil
}

// clock is a settable clock for the post service that writes the posts.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// writePosts writes every demo post at its time before now and returns
// how many it wrote.
func writePosts(ctx context.Context, s Services, editor auth.Actor, o *model.Org, now time.Time) (int, error) {
	c := &clock{}
	posts := post.NewService(s.Store, s.Auth, library.New(s.Media), c.now)
	last := time.Time{}
	for i, d := range demoPosts {
		at := d.time(now)
		if !at.After(last) { // keep the order of the list even near now
			at = last.Add(time.Minute)
		}
		last = at
		c.t = at
		in := post.Input{Text: d.text, Summary: d.summary, Language: d.lang}
		if d.image != nil {
			var buf bytes.Buffer
			if err := d.image.encode(&buf); err != nil {
				return i, fmt.Errorf("demo: image of post %d: %w", i+1, err)
			}
			in.Images = []post.ImageInput{{Upload: &buf, Name: d.image.name, Alt: d.image.alt}}
		}
		p, err := posts.Create(ctx, editor, o.ID, in, post.When{})
		if err != nil {
			return i, fmt.Errorf("demo: post %d: %w", i+1, err)
		}
		if d.pinned {
			if _, err := posts.Pin(ctx, editor, p.ID, true); err != nil {
				return i, fmt.Errorf("demo: pin post %d: %w", i+1, err)
			}
		}
		if d.edit != "" {
			// The edit comes a few hours later, or just before now.
			c.t = at.Add(3 * time.Hour)
			if limit := now.Add(-time.Minute); c.t.After(limit) {
				c.t = limit
			}
			in.Text = d.edit
			in.Images = nil
			for _, a := range p.Attachments {
				in.Images = append(in.Images, post.ImageInput{MediaID: a.MediaID, Alt: a.Alt})
			}
			if _, err := posts.Edit(ctx, editor, p.ID, in); err != nil {
				return i, fmt.Errorf("demo: edit post %d: %w", i+1, err)
			}
		}
	}
	return len(demoPosts), nil
}

// demoPost is one post of the demo.
type demoPost struct {
	daysAgo int
	clock   string // local time of day, "15:04"
	lang    string // empty: the organisation's
	summary string // content warning
	text    string
	image   *picture
	pinned  bool
	edit    string // text after one edit, when edited
}

// time returns when the post was published: daysAgo days before now at its
// local time of day, but never later than an hour before now.
func (d demoPost) time(now time.Time) time.Time {
	tod, err := time.Parse("15:04", d.clock)
	if err != nil {
		panic("demo: bad time of day " + d.clock) // the list is constant
	}
	y, m, day := now.AddDate(0, 0, -d.daysAgo).Date()
	t := time.Date(y, m, day, tod.Hour(), tod.Minute(), 0, 0, now.Location())
	if latest := now.Add(-time.Hour); t.After(latest) {
		t = latest
	}
	return t
}
