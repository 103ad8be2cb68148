// Package subscription lets citizens follow an organisation by e-mail,
// without being tracked: subscribing with double opt-in, changing and
// ending a subscription from a link in every mail (and with one click, RFC
// 8058), sending each post or a daily or weekly digest through the durable
// job queue exactly once per subscriber, handling bounces and complaints,
// and the staff's import, export, corrections and test mails.
//
// Addresses are personal data. They are found by a keyed hash, used only
// to send what was asked for, never written to a log, and erased when a
// subscription ends; the suppression list keeps only the hash.
package subscription

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/i18n"
	"plein/internal/insights"
	"plein/internal/keyring"
	"plein/internal/mail"
	"plein/internal/markup"
	"plein/internal/model"
	"plein/internal/store"
)

// Limits and periods.
const (
	// MaxAddressLength is the longest address accepted (RFC 5321 path).
	MaxAddressLength = 254
	// ConfirmWithin is how long an address waits for confirmation before
	// it is erased.
	ConfirmWithin = config.UnconfirmedSubscriptionAge
	// NoticeEvery is how often at most one address gets a confirmation
	// or notice mail, whatever the subscribe form is asked.
	NoticeEvery = config.MailReservationAge
	// SuspendedKept is how long a subscription suspended by bounces is
	// kept before it is erased.
	SuspendedKept = config.SuspendedSubscriptionAge
	// OutboxKept is how long the record of each message to a subscriber
	// is kept, which makes sending exactly-once while jobs retry.
	OutboxKept = config.MailOutboxAge
	// SoftBouncesToSuspend is how many temporary failures in a row
	// suspend a subscription.
	SoftBouncesToSuspend = 5
)

// Suppression reasons.
const (
	ReasonUnsubscribed = "unsubscribed"
	ReasonComplaint    = "complaint"
)

// Errors of the citizen's actions. The web shows each in both languages;
// none says whether an address is subscribed.
var (
	// ErrInvalidAddress: the address is not one mail can be sent to.
	ErrInvalidAddress = errors.New("subscription: not a valid e-mail address")
	// ErrInvalidTag: the topic is not one hashtag.
	ErrInvalidTag = errors.New("subscription: not a hashtag")
	// ErrInvalidFrequency: the frequency is not one offered.
	ErrInvalidFrequency = errors.New("subscription: not a frequency on offer")
	// ErrInvalidToken: the link is damaged, or was never made here.
	ErrInvalidToken = errors.New("subscription: invalid link")
	// ErrEnded: the link was made here, but its subscription is gone
	// (never confirmed, ended, or erased).
	ErrEnded = errors.New("subscription: no such subscription")
	// ErrUnavailable: no mail relay is configured.
	ErrUnavailable = errors.New("subscription: no mail relay configured")
)

// Config is what a Service needs.
type Config struct {
	Store store.Store
	Auth  *auth.Service
	// Sender hands messages to the mail relay. Nil: this installation
	// sends no mail; citizens cannot subscribe, and jobs that would send
	// mail do nothing.
	Sender  mail.Sender
	BaseURL string // public URL without trailing slash
	Now     func() time.Time
	Logger  *slog.Logger
}

// Service runs e-mail subscriptions.
type Service struct {
	st      store.Store
	auth    *auth.Service
	sender  mail.Sender
	baseURL string
	host    string // of baseURL, without port: the domain of Message-IDs and List-Ids
	now     func() time.Time
	logger  *slog.Logger

	secret *keyring.Secret // of keyed hashes and links

	// batchSize, firstBatches and stepBatches divide a sending among jobs:
	// BatchSize, FirstBatches and StepBatches, smaller in tests.
	batchSize, firstBatches, stepBatches int
}

// New returns a Service.
func New(c Config) *Service {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	s := &Service{st: c.Store, auth: c.Auth, sender: c.Sender, baseURL: strings.TrimSuffix(c.BaseURL, "/"), now: c.Now, logger: c.Logger,
		secret: keyring.New(c.Store, settingKey), batchSize: BatchSize, firstBatches: FirstBatches, stepBatches: StepBatches}
	s.host = "localhost"
	if u, err := url.Parse(s.baseURL); err == nil && u.Hostname() != "" {
		s.host = u.Hostname()
	}
	return s
}

// Enabled reports whether this installation sends mail, so that citizens
// can subscribe.
func (s *Service) Enabled() bool { return s != nil && s.sender != nil }

// settingKey stores the installation's secret for keyed hashes and links.
const settingKey = "subscription_key"

// key returns the installation's secret, made on first use.
func (s *Service) key(ctx context.Context) ([]byte, error) { return s.secret.Bytes(ctx) }

func (s *Service) mac(ctx context.Context, purpose, value string) ([]byte, error) {
	k, err := s.key(ctx)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, k)
	m.Write([]byte(purpose + "\x00" + value))
	return m.Sum(nil), nil
}

// AddressHash returns the keyed hash by which an address is found and
// suppressed: HMAC-SHA256 of the address in lower case.
func (s *Service) AddressHash(ctx context.Context, address string) (string, error) {
	m, err := s.mac(ctx, "address", strings.ToLower(address))
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(m), nil
}

// Purposes of the links made for a subscription; a link made for one
// purpose does not work for another.
const (
	purposeConfirm = "confirm"
	purposeManage  = "manage"
	purposeBounce  = "bounce"
)

// tokenMACLength is how many bytes of the MAC a link carries: 128 bits.
const tokenMACLength = 16

// token returns the link token of subscription id for purpose: the id
// followed by a MAC of it, so that nothing needs storing and the address
// is not in it.
func (s *Service) token(ctx context.Context, purpose, id string) (string, error) {
	m, err := s.mac(ctx, purpose, id)
	if err != nil {
		return "", err
	}
	return id + base64.RawURLEncoding.EncodeToString(m[:tokenMACLength]), nil
}

// parseToken returns the subscription id of a token made for purpose.
func (s *Service) parseToken(ctx context.Context, purpose, token string) (string, error) {
	if len(token) != 26+base64.RawURLEncoding.EncodedLen(tokenMACLength) || !model.ValidID(token[:26]) {
		return "", ErrInvalidToken
	}
	id := token[:26]
	got, err := base64.RawURLEncoding.DecodeString(token[26:])
	if err != nil {
		return "", ErrInvalidToken
	}
	want, err := s.mac(ctx, purpose, id)
	if err != nil {
		return "", err
	}
	if !hmac.Equal(got, want[:tokenMACLength]) {
		return "", ErrInvalidToken
	}
	return id, nil
}

// ParseAddress checks an address typed into a form or found in an import:
// a bare address (no display name) of at most MaxAddressLength characters
// with a domain, and returns it trimmed.
func ParseAddress(raw string) (string, error) {
	addr := strings.TrimSpace(raw)
	if addr == "" || len(addr) > MaxAddressLength {
		return "", ErrInvalidAddress
	}
	a, err := netmail.ParseAddress(addr)
	if err != nil || a.Name != "" || a.Address != addr {
		return "", ErrInvalidAddress
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 1 || !strings.Contains(addr[at+1:], ".") || strings.ContainsAny(addr, "\"\\ ") {
		return "", ErrInvalidAddress
	}
	return addr, nil
}

// ParseTag checks a topic: empty, or one hashtag with or without '#'. It
// returns it in lower case without '#'.
func ParseTag(raw string) (string, error) {
	tag := strings.TrimPrefix(strings.TrimSpace(raw), "#")
	if tag == "" {
		return "", nil
	}
	if _, tags := markup.Tags("#" + tag); len(tags) != 1 || !strings.EqualFold(tags[0], tag) {
		return "", ErrInvalidTag
	}
	return strings.ToLower(tag), nil
}

// ParseFrequency checks a frequency; empty means each post at once.
func ParseFrequency(raw string) (model.Frequency, error) {
	if raw == "" {
		return model.FrequencyNow, nil
	}
	f := model.Frequency(raw)
	if !slices.Contains(model.Frequencies, f) {
		return "", ErrInvalidFrequency
	}
	return f, nil
}

// Request is what the subscribe form asks.
type Request struct {
	Email     string
	Frequency string // "now", "daily" or "weekly"; empty: now
	Tag       string // a hashtag, or empty for every post
	Lang      string // language of the page the form was on
}

// Subscribe handles the subscribe form of organisation o. A new address
// gets a pending subscription and a mail to confirm it; an address
// already subscribed gets a mail saying so, with the link to change or
// end its subscription. Either mail goes at most once per NoticeEvery per
// address. Whatever the address, the answer is the same: nil, unless the
// input is invalid (ErrInvalidAddress, ErrInvalidTag, ErrInvalidFrequency).
func (s *Service) Subscribe(ctx context.Context, o *model.Org, r Request) error {
	if !s.Enabled() {
		return ErrUnavailable
	}
	addr, err := ParseAddress(r.Email)
	if err != nil {
		return err
	}
	freq, err := ParseFrequency(r.Frequency)
	if err != nil {
		return err
	}
	tag, err := ParseTag(r.Tag)
	if err != nil {
		return err
	}
	hash, err := s.AddressHash(ctx, addr)
	if err != nil {
		return err
	}
	lang := i18n.Pick(r.Lang, o.Language)
	now := s.now().UTC()
	subscribe := func(tx store.Tx) error {
		reason, err := tx.Suppression(ctx, o.ID, hash)
		switch {
		case err == nil && reason == ReasonComplaint:
			return nil // who marked our mail as spam gets no more of it
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
		sub, err := tx.SubscriptionByEmail(ctx, o.ID, hash)
		switch {
		case errors.Is(err, store.ErrNotFound):
			sub = nil
		case err != nil:
			return err
		}
		if sub != nil && sub.State == model.SubscriptionSuspended {
			// Subscribing again after bounces starts afresh, with a new
			// confirmation period.
			if err := tx.DeleteSubscription(ctx, sub.ID); err != nil {
				return err
			}
			sub = nil
		}
		switch {
		case sub == nil:
			sub = &model.Subscription{ID: model.NewID(now), OrgID: o.ID, Tag: tag, Email: addr, EmailHash: hash,
				Frequency: freq, Lang: lang, State: model.SubscriptionPending, CreatedAt: now}
			if err := tx.CreateSubscription(ctx, sub); err != nil {
				return err
			}
		case sub.State == model.SubscriptionPending:
			sub.Tag, sub.Frequency, sub.Lang = tag, freq, lang
			if err := tx.UpdateSubscription(ctx, sub); err != nil {
				return err
			}
		}
		ok, err := tx.ReserveMail(ctx, hash, now, now.Add(NoticeEvery))
		if err != nil || !ok {
			return err
		}
		return tx.EnqueueJob(ctx, NoticeArgs{SubscriptionID: sub.ID, At: now}, nil)
	}
	err = s.st.InTx(ctx, subscribe)
	if errors.Is(err, store.ErrAlreadyExists) {
		// The same address was subscribed at this very moment by another
		// request: this one finds it now.
		err = s.st.InTx(ctx, subscribe)
	}
	if err != nil {
		return fmt.Errorf("subscription: subscribe: %w", err)
	}
	return nil
}

// View is a subscription as its pages show it. It never holds the address.
type View struct {
	Org       *model.Org
	Tag       string
	Frequency model.Frequency
	State     model.SubscriptionState
	// Token is the link token that showed the page, for its forms.
	Token string
}

func (s *Service) view(ctx context.Context, tx store.Queries, sub *model.Subscription, token string) (*View, error) {
	o, err := tx.OrgByID(ctx, sub.OrgID)
	if err != nil {
		return nil, err
	}
	return &View{Org: o, Tag: sub.Tag, Frequency: sub.Frequency, State: sub.State, Token: token}, nil
}

// subscriptionOf returns the subscription a token for purpose names:
// ErrInvalidToken for a token not made here, ErrEnded for one whose
// subscription is gone.
func (s *Service) subscriptionOf(ctx context.Context, q store.Queries, purpose, token string) (*model.Subscription, error) {
	id, err := s.parseToken(ctx, purpose, token)
	if err != nil {
		return nil, err
	}
	sub, err := q.SubscriptionByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrEnded
	}
	return sub, err
}

// ToConfirm returns the subscription a confirmation link names, without
// confirming it: a link opened (by a person, or by a program checking
// links) only shows the button that confirms.
func (s *Service) ToConfirm(ctx context.Context, token string) (*View, error) {
	sub, err := s.subscriptionOf(ctx, s.st, purposeConfirm, token)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, s.st, sub, token)
}

// Confirm confirms the subscription a confirmation link names, once the
// subscriber pressed the button: it becomes active and its address comes
// off the suppression list. Confirming again changes nothing. The view's
// Token is the subscription's manage token.
func (s *Service) Confirm(ctx context.Context, token string) (*View, error) {
	var v *View
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		sub, err := s.subscriptionOf(ctx, tx, purposeConfirm, token)
		if err != nil {
			return err
		}
		if sub.State != model.SubscriptionActive {
			now := s.now().UTC()
			sub.State, sub.ConfirmedAt, sub.DigestedAt = model.SubscriptionActive, now, now
			sub.SoftBounces, sub.SuspendedAt = 0, time.Time{}
			if err := tx.UpdateSubscription(ctx, sub); err != nil {
				return err
			}
			if err := tx.DeleteSuppression(ctx, sub.OrgID, sub.EmailHash); err != nil {
				return err
			}
			if err := count(ctx, tx, sub.OrgID, "", insights.MetricSubscribersGained, now); err != nil {
				return err
			}
		}
		manage, err := s.token(ctx, purposeManage, sub.ID)
		if err != nil {
			return err
		}
		v, err = s.view(ctx, tx, sub, manage)
		return err
	})
	if err != nil {
		return nil, wrapCitizen("confirm", err)
	}
	return v, nil
}

// Manage returns the subscription a manage link names.
func (s *Service) Manage(ctx context.Context, token string) (*View, error) {
	sub, err := s.subscriptionOf(ctx, s.st, purposeManage, token)
	if err != nil {
		return nil, wrapCitizen("manage", err)
	}
	return s.view(ctx, s.st, sub, token)
}

// Change sets the frequency and topic of the subscription a manage link
// names. A subscriber moving to digests gets, in the first one, only posts
// published after the change.
func (s *Service) Change(ctx context.Context, token, frequency, tag string) (*View, error) {
	freq, err := ParseFrequency(frequency)
	if err != nil {
		return nil, err
	}
	t, err := ParseTag(tag)
	if err != nil {
		return nil, err
	}
	var v *View
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		sub, err := s.subscriptionOf(ctx, tx, purposeManage, token)
		if err != nil {
			return err
		}
		if sub.Frequency == model.FrequencyNow && freq != model.FrequencyNow {
			sub.DigestedAt = s.now().UTC()
		}
		sub.Frequency, sub.Tag = freq, t
		if err := tx.UpdateSubscription(ctx, sub); err != nil {
			return err
		}
		v, err = s.view(ctx, tx, sub, token)
		return err
	})
	if err != nil {
		return nil, wrapCitizen("change", err)
	}
	return v, nil
}

// Unsubscribe ends the subscription a manage link names: the subscription
// and its address are erased, and only the keyed hash of the address
// stays, on the suppression list. A subscription that is gone already is
// not an error; the view then has no organisation.
func (s *Service) Unsubscribe(ctx context.Context, token string) (*View, error) {
	v := &View{Token: token}
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		sub, err := s.subscriptionOf(ctx, tx, purposeManage, token)
		if errors.Is(err, ErrEnded) {
			return nil
		}
		if err != nil {
			return err
		}
		if v, err = s.view(ctx, tx, sub, token); err != nil {
			return err
		}
		return s.end(ctx, tx, sub, ReasonUnsubscribed)
	})
	if err != nil {
		return nil, wrapCitizen("unsubscribe", err)
	}
	return v, nil
}

// end erases a subscription and suppresses its address for reason, in tx.
func (s *Service) end(ctx context.Context, tx store.Tx, sub *model.Subscription, reason string) error {
	now := s.now().UTC()
	if err := tx.DeleteSubscription(ctx, sub.ID); err != nil {
		return err
	}
	if err := tx.PutSuppression(ctx, sub.OrgID, sub.EmailHash, reason, now); err != nil {
		return err
	}
	if sub.State == model.SubscriptionActive {
		return count(ctx, tx, sub.OrgID, "", insights.MetricSubscribersLost, now)
	}
	return nil
}

// count adds one to an insight metric of the day of at, in tx.
func count(ctx context.Context, tx store.Tx, orgID, postID, metric string, at time.Time) error {
	return tx.AddInsightCounts(ctx, []model.InsightCount{{OrgID: orgID, PostID: postID, Day: at.UTC().Format(model.DayFormat), Metric: metric, Value: 1}})
}

// tally adds up insight counts that differ only in their value, so that
// many events are stored as one count each.
type tally map[model.InsightCount]int64

// list returns the counts, each with its sum as its value.
func (t tally) list() []model.InsightCount {
	out := make([]model.InsightCount, 0, len(t))
	for c, n := range t {
		c.Value = n
		out = append(out, c)
	}
	return out
}

// wrapCitizen adds context to an error of a citizen's action, keeping
// the sentinels the web tells apart.
func wrapCitizen(action string, err error) error {
	if errors.Is(err, ErrInvalidToken) || errors.Is(err, ErrEnded) {
		return err
	}
	return fmt.Errorf("subscription: %s: %w", action, err)
}
