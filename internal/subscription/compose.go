package subscription

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"

	"plein/internal/i18n"
	"plein/internal/mail"
	"plein/internal/markup"
	"plein/internal/model"
)

//go:embed templates
var templates embed.FS

var (
	htmlMail = htmltemplate.Must(htmltemplate.ParseFS(templates, "templates/mail.html"))
	textMail = texttemplate.Must(texttemplate.ParseFS(templates, "templates/mail.txt"))
)

// letter is the content of one mail, rendered as its text and HTML parts.
// Nothing in it loads anything: no image, no style sheet, and every link
// is the plain address it names.
type letter struct {
	Lang, Subject string
	Intro         []string
	Action        *link // the one link a notice is about
	Posts         []letterPost
	After         []string
	// Why says why the subscriber gets the mail; empty for mail that is
	// not to a subscriber (a test).
	Why, NoTracking string
	ManageURL       string

	CWLabel, ImageLabel, ReadLabel, ManageLabel string
}

type link struct{ URL, Label string }

type letterPost struct {
	Lang    string
	Heading string // a digest's date of the post
	Summary string // content warning
	Text    string // Markdown source, for the text part
	HTML    htmltemplate.HTML
	Images  []string // alt texts
	URL     string
}

func newLetter(lang, subject string) *letter {
	return &letter{Lang: lang, Subject: subject, CWLabel: i18n.T(lang, "mail.cw"), ImageLabel: i18n.T(lang, "mail.image"),
		ReadLabel: i18n.T(lang, "mail.read"), ManageLabel: i18n.T(lang, "mail.manage"), NoTracking: i18n.T(lang, "mail.notracking")}
}

// render makes the message of l from o to the address to.
func (l *letter) render(o *model.Org, to string) (*mail.Message, error) {
	var text, html bytes.Buffer
	if err := textMail.Execute(&text, l); err != nil {
		return nil, fmt.Errorf("subscription: text part: %w", err)
	}
	if err := htmlMail.Execute(&html, l); err != nil {
		return nil, fmt.Errorf("subscription: HTML part: %w", err)
	}
	return &mail.Message{FromName: o.DisplayName, To: to, Subject: l.Subject, Lang: l.Lang,
		Text: text.String(), HTML: html.String()}, nil
}

// postURL is the public address of a post.
func (s *Service) postURL(o *model.Org, p *model.Post) string {
	return s.baseURL + "/@" + o.Handle + "/" + p.ID
}

// letterPost renders a post for a mail in lang; heading is set in a
// digest.
func (s *Service) letterPost(o *model.Org, p *model.Post, lang, heading string) (letterPost, error) {
	links := markup.Links{Hashtag: func(tag string) string {
		return s.baseURL + "/@" + o.Handle + "/tags/" + url.PathEscape(strings.ToLower(tag))
	}}
	html, err := markup.HTMLWith(p.Text, links)
	if err != nil {
		return letterPost{}, err
	}
	lp := letterPost{Lang: p.Language, Heading: heading, Summary: p.Summary, Text: p.Text, HTML: html, URL: s.postURL(o, p)}
	for _, a := range p.Shown() {
		lp.Images = append(lp.Images, a.Alt)
	}
	return lp, nil
}

// subject is the subject line of a post: its content warning when it has
// one (so that an inbox shows no more than the page does), else its
// first line.
func subject(p *model.Post) string {
	if p.Summary != "" {
		return p.Summary
	}
	return markup.Title(p.Text, 80)
}

// MessageID returns a new Message-ID at this installation's domain.
func (s *Service) messageID(now time.Time) string {
	return model.NewID(now) + "@" + s.host
}

// addressed completes a message to a subscriber: the headers that tie it
// to the subscription, for one-click unsubscribing and for bounces.
func (s *Service) addressed(ctx context.Context, m *mail.Message, o *model.Org, sub *model.Subscription, withList bool) error {
	bounce, err := s.token(ctx, purposeBounce, sub.ID)
	if err != nil {
		return err
	}
	m.BounceToken = bounce
	if withList {
		manage, err := s.token(ctx, purposeManage, sub.ID)
		if err != nil {
			return err
		}
		m.ListID = o.DisplayName + " <" + o.Handle + "." + s.host + ">"
		m.Unsubscribe = s.baseURL + "/mail/unsubscribe?t=" + manage
	}
	return nil
}

// subscriberLetter is a letter to a subscriber, with the footer that says
// why and the link to change or end the subscription.
func (s *Service) subscriberLetter(ctx context.Context, o *model.Org, sub *model.Subscription, subject string) (*letter, error) {
	l := newLetter(sub.Lang, subject)
	if sub.Tag != "" {
		l.Why = i18n.T(sub.Lang, "mail.why.tag", o.DisplayName, sub.Tag)
	} else {
		l.Why = i18n.T(sub.Lang, "mail.why", o.DisplayName)
	}
	manage, err := s.token(ctx, purposeManage, sub.ID)
	if err != nil {
		return nil, err
	}
	l.ManageURL = s.manageURL(manage, sub.Lang)
	return l, nil
}

// manageURL is the page where a subscriber changes or ends a subscription.
func (s *Service) manageURL(token, lang string) string {
	return s.baseURL + "/mail/manage?t=" + token + "&lang=" + lang
}

// postMessage is the mail carrying one post, or its correction, with
// subj, its subject line, and lp, the post rendered in the subscriber's
// language.
func (s *Service) postMessage(ctx context.Context, o *model.Org, sub *model.Subscription, subj string, lp letterPost, correction bool) (*mail.Message, error) {
	if correction {
		subj = i18n.T(sub.Lang, "mail.correction.subject", subj)
	}
	l, err := s.subscriberLetter(ctx, o, sub, subj)
	if err != nil {
		return nil, err
	}
	if correction {
		l.Intro = []string{i18n.T(sub.Lang, "mail.correction.intro")}
	}
	l.Posts = []letterPost{lp}
	m, err := l.render(o, sub.Email)
	if err != nil {
		return nil, err
	}
	return m, s.addressed(ctx, m, o, sub, true)
}

// digestMessage is the daily or weekly digest of posts, oldest first,
// rendered in the subscriber's language with their dates as headings, for
// the period that ended at until.
func (s *Service) digestMessage(ctx context.Context, o *model.Org, sub *model.Subscription, posts []letterPost, until time.Time) (*mail.Message, error) {
	key := "mail.daily.subject"
	if sub.Frequency == model.FrequencyWeekly {
		key = "mail.weekly.subject"
	}
	l, err := s.subscriberLetter(ctx, o, sub, i18n.T(sub.Lang, key, o.DisplayName, i18n.Date(sub.Lang, until.In(o.Location()))))
	if err != nil {
		return nil, err
	}
	l.Intro = []string{i18n.T(sub.Lang, "mail.digest.intro", o.DisplayName)}
	l.Posts = posts
	m, err := l.render(o, sub.Email)
	if err != nil {
		return nil, err
	}
	return m, s.addressed(ctx, m, o, sub, true)
}

// confirmMessage asks to confirm a new subscription. It carries nothing the
// visitor typed but the address it goes to: not the topic, not the
// frequency, so that the form cannot send words of a stranger's choosing.
func (s *Service) confirmMessage(ctx context.Context, o *model.Org, sub *model.Subscription) (*mail.Message, error) {
	token, err := s.token(ctx, purposeConfirm, sub.ID)
	if err != nil {
		return nil, err
	}
	l := newLetter(sub.Lang, i18n.T(sub.Lang, "mail.confirm.subject", o.DisplayName))
	l.Intro = []string{i18n.T(sub.Lang, "mail.confirm.body", o.DisplayName)}
	l.Action = &link{URL: s.baseURL + "/mail/confirm?t=" + token + "&lang=" + sub.Lang, Label: i18n.T(sub.Lang, "mail.confirm.link")}
	l.After = []string{i18n.T(sub.Lang, "mail.confirm.ignore")}
	m, err := l.render(o, sub.Email)
	if err != nil {
		return nil, err
	}
	return m, s.addressed(ctx, m, o, sub, false)
}

// alreadyMessage tells an address that asked to subscribe again that it
// is subscribed, with the link to change or end that.
func (s *Service) alreadyMessage(ctx context.Context, o *model.Org, sub *model.Subscription) (*mail.Message, error) {
	l, err := s.subscriberLetter(ctx, o, sub, i18n.T(sub.Lang, "mail.already.subject", o.DisplayName))
	if err != nil {
		return nil, err
	}
	l.Intro = []string{i18n.T(sub.Lang, "mail.already.body", o.DisplayName)}
	l.Action = &link{URL: l.ManageURL, Label: l.ManageLabel}
	m, err := l.render(o, sub.Email)
	if err != nil {
		return nil, err
	}
	return m, s.addressed(ctx, m, o, sub, true)
}
