// Package privacy builds Plein's processing register and privacy page from
// the facts of the running configuration: which processing happens, how long
// each category of personal data is kept, and who receives data. Because the
// text is generated from the configured values, changing a retention setting
// changes the register and the page with it.
//
// Build turns an Input into a Register; the Register renders itself as
// Markdown, JSON and an HTML fragment, in Dutch or English.
package privacy

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Input holds the facts a register is built from.
type Input struct {
	// Lang is "nl" or "en"; anything else gives English.
	Lang string
	// Installation identifies the installation, such as its base URL.
	Installation string
	// Contact is how to reach the installation's operator about personal
	// data (an e-mail address or URL). It may be empty.
	Contact string
	// Org selects the register of one organisation; nil gives the register
	// of the whole installation, listing every organisation in Orgs.
	Org *Org
	// Orgs lists every organisation, for the installation register.
	Orgs []Org
	// Retention is the configured retention, in the order to show.
	Retention []Policy
	// ReferrerThreshold is the number of visits a day below which a
	// referrer host is counted as "other"; 0 leaves the number unstated.
	ReferrerThreshold int
	// Recipients are the parties that receive data.
	Recipients Recipients
	// GeneratedAt is when the register is built.
	GeneratedAt time.Time
}

// Org is an organisation on the installation.
type Org struct {
	Name   string
	Handle string
	URL    string // the organisation's own website
	// Contact is an e-mail address or URL for exercising rights. When it
	// is empty the register points to the general contact on URL.
	Contact string
}

// Policy is the configured retention of one category of data.
type Policy struct {
	// Category is a category key, such as "replies".
	Category string
	// MaxAge is the configured maximum age. Zero together with
	// WhileRelationship means no limit beyond the relationship.
	MaxAge time.Duration
	// WhileRelationship: the data is kept while the person follows or
	// interacts, deleted at once on Undo, Delete or unsubscribe, and at the
	// latest MaxAge after the last activity.
	WhileRelationship bool
	// Fixed: the limit is set by the software and cannot be configured.
	Fixed bool
	// Enabled is false when this processing does not happen in this
	// configuration.
	Enabled bool
	// Idle is the idle limit of staff sessions; zero: the default.
	Idle time.Duration
}

// Recipients are the parties outside the installation that receive data.
type Recipients struct {
	// FollowerServers is the number of distinct Fediverse servers that
	// receive posts because someone there follows.
	FollowerServers int
	// MailRelay is the host of the mail relay; "" when no e-mail is sent.
	MailRelay string
	// ObjectStore is the host of the S3-compatible object store; "" when
	// media are stored on the installation's own disks.
	ObjectStore string
	// CDN is the host of a CDN or reverse proxy in front; "" when none is
	// declared.
	CDN string
	// Bluesky are the hosts of the AT Protocol servers (PDS) that receive
	// posts for organisations with a connected Bluesky account.
	Bluesky []string
}

// Register is a processing register: who is responsible, what is processed
// and how long it is kept, who receives data, the rights of the people
// concerned and what Plein does not do. Its slices are never nil, so its
// JSON form is stable.
type Register struct {
	// Lang is the language of the texts: "nl" or "en".
	Lang string `json:"lang"`
	// Scope is ScopeOrganisation or ScopeInstallation.
	Scope string `json:"scope"`
	// Installation identifies the installation.
	Installation string `json:"installation"`
	// Controller names the controller: the organisation, or a phrase
	// pointing to the organisations listed in Organisations.
	Controller string `json:"controller"`
	// Contact says how to exercise rights.
	Contact string `json:"contact"`
	// ContactAddress is the e-mail address or URL that Contact names, if
	// any.
	ContactAddress string `json:"contactAddress,omitempty"`
	// Organisations lists the controllers: the one organisation, or every
	// organisation of the installation.
	Organisations []Controller `json:"organisations"`
	// GeneratedAt is when the register was built, in UTC.
	GeneratedAt time.Time `json:"generatedAt"`
	// Activities are the processing activities, in the configured order.
	Activities []Activity `json:"activities"`
	// Recipients are the parties that receive data.
	Recipients []Recipient `json:"recipients"`
	// Rights are the rights of the people concerned.
	Rights []string `json:"rights"`
	// NoTracking lists what Plein does not do with visitors' data.
	NoTracking []string `json:"noTracking"`
}

// Controller is one organisation responsible for its processing.
type Controller struct {
	Name   string `json:"name"`
	Handle string `json:"handle,omitempty"`
	URL    string `json:"url,omitempty"`
	// Contact says how to exercise rights with this organisation.
	Contact string `json:"contact"`
	// ContactAddress is the e-mail address or URL that Contact names: the
	// organisation's contact, or else its website.
	ContactAddress string `json:"contactAddress,omitempty"`
}

// Activity is one processing activity: one category of data.
type Activity struct {
	// Category is the category key of the Policy.
	Category     string `json:"category"`
	Name         string `json:"name"`
	DataSubjects string `json:"dataSubjects"`
	Data         string `json:"data"`
	Purpose      string `json:"purpose"`
	LegalBasis   string `json:"legalBasis"`
	// Retention states how long the data is kept, in words.
	Retention string `json:"retention"`
	// Protection states what the software does to protect the data.
	Protection string `json:"protection"`
	// MaxAgeSeconds is the configured maximum age in seconds.
	MaxAgeSeconds     int64 `json:"maxAgeSeconds"`
	WhileRelationship bool  `json:"whileRelationship"`
	Enabled           bool  `json:"enabled"`
	Fixed             bool  `json:"fixed"`
}

// Register scopes.
const (
	// ScopeOrganisation is the register of one organisation.
	ScopeOrganisation = "organisation"
	// ScopeInstallation is the register of the whole installation.
	ScopeInstallation = "installation"
)

// Recipient kinds.
const (
	RecipientFediverse = "fediverse"
	RecipientMail      = "mail"
	RecipientMedia     = "media"
	RecipientCDN       = "cdn"
	RecipientBluesky   = "bluesky"
)

// Recipient is a party that receives data, or a statement that none does
// for its kind (no mail relay, media on the installation's own disks).
type Recipient struct {
	// Kind is one of the Recipient constants.
	Kind string `json:"kind"`
	// Host is the recipient's host; "" for the Fediverse and for a kind
	// that has no recipient.
	Host string `json:"host,omitempty"`
	// Count is the number of servers, for RecipientFediverse.
	Count int `json:"count"`
	// Description states the recipient and what it receives.
	Description string `json:"description"`
}

// Build builds the register that in describes.
func Build(in Input) Register {
	lang := normLang(in.Lang)
	r := Register{
		Lang:          lang,
		Installation:  in.Installation,
		Organisations: []Controller{},
		GeneratedAt:   in.GeneratedAt.UTC(),
		Activities:    make([]Activity, 0, len(in.Retention)),
		Rights:        localize(lang, rightsTexts),
		NoTracking:    localize(lang, noTrackingTexts),
	}
	if in.Org != nil {
		r.Scope = ScopeOrganisation
		c := controller(lang, *in.Org, in.Contact)
		r.Controller = c.Name
		r.Contact = c.Contact
		r.ContactAddress = c.ContactAddress
		r.Organisations = append(r.Organisations, c)
	} else {
		r.Scope = ScopeInstallation
		r.Controller = allOrgs.in(lang)
		r.Contact = eachOrgContact.in(lang)
		if addr := oneLine(in.Contact); addr != "" {
			r.Contact += " " + fill(operatorContact.in(lang), "{addr}", addr)
			r.ContactAddress = addr
		}
		for _, o := range in.Orgs {
			r.Organisations = append(r.Organisations, controller(lang, o, ""))
		}
	}
	for _, p := range in.Retention {
		r.Activities = append(r.Activities, activity(lang, p, in.ReferrerThreshold))
	}
	r.Recipients = recipients(lang, in.Recipients, in.Org == nil)
	return r
}

// JSON returns the register as indented JSON.
func (r Register) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("privacy: encode register: %w", err)
	}
	return append(b, '\n'), nil
}

// normLang returns "nl" for Dutch (any case, with or without a region) and
// "en" for anything else.
func normLang(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(lang)), "-")
	if base == "nl" {
		return "nl"
	}
	return "en"
}

// controller describes o as a controller. fallback is the operator's
// contact, used when o has neither a contact nor a website.
func controller(lang string, o Org, fallback string) Controller {
	c := Controller{Name: oneLine(o.Name), Handle: oneLine(o.Handle), URL: oneLine(o.URL)}
	switch contact := oneLine(o.Contact); {
	case contact != "":
		c.ContactAddress = contact
		c.Contact = fill(orgContact.in(lang), "{addr}", contact)
	case c.URL != "":
		c.ContactAddress = c.URL
		c.Contact = fill(orgGeneralContact.in(lang), "{addr}", c.URL)
	case oneLine(fallback) != "":
		c.ContactAddress = oneLine(fallback)
		c.Contact = fill(orgContact.in(lang), "{addr}", c.ContactAddress)
	default:
		c.Contact = orgNoContact.in(lang)
	}
	return c
}

// activity describes the processing that p bounds.
func activity(lang string, p Policy, referrerThreshold int) Activity {
	maxAge := max(p.MaxAge, 0)
	a := Activity{
		Category:          p.Category,
		MaxAgeSeconds:     int64(maxAge / time.Second),
		WhileRelationship: p.WhileRelationship,
		Enabled:           p.Enabled,
		Fixed:             p.Fixed,
	}
	c, known := categories[p.Category]
	if !known {
		c = unknownCategory(p.Category)
	}
	a.Name = c.name.in(lang)
	a.DataSubjects = c.subjects.in(lang)
	a.Data = c.data.in(lang)
	a.Purpose = c.purpose.in(lang)
	a.LegalBasis = c.basis.in(lang)
	a.Protection = c.protection.in(lang)

	threshold := fewVisits.in(lang)
	if referrerThreshold > 0 {
		threshold = fill(visitsBelow.in(lang), "{n}", strconv.Itoa(referrerThreshold))
	}
	idle := sessionIdle
	if p.Idle > 0 {
		idle = p.Idle
	}
	words := strings.NewReplacer(
		"{max}", durationWords(lang, maxAge),
		"{idle}", durationWords(lang, idle),
		"{threshold}", threshold,
	)
	var retention text
	switch {
	case !p.Enabled:
		retention = c.off
		if retention.en == "" {
			retention = notProcessed
		}
	case p.WhileRelationship && maxAge == 0:
		retention = c.whileNoLimit
		if retention.en == "" {
			retention = whileNoLimit
		}
	case p.WhileRelationship:
		retention = c.while
		if retention.en == "" {
			retention = whileLimit
		}
	case maxAge == 0:
		retention = noLimit
	default:
		retention = c.retention
	}
	a.Retention = words.Replace(retention.in(lang))
	if p.Enabled && p.Fixed {
		a.Retention += " " + fixedNote.in(lang)
	}
	return a
}

// recipients lists who receives data. installation selects the wording for
// the whole installation.
func recipients(lang string, rc Recipients, installation bool) []Recipient {
	n := max(rc.FollowerServers, 0)
	fed := fediverseOrg
	if installation {
		fed = fediverseInstallation
	}
	out := []Recipient{{
		Kind:        RecipientFediverse,
		Count:       n,
		Description: fill(fed.in(lang), "{servers}", countWords(lang, int64(n), "server", "servers", "server", "servers")),
	}}
	mail := Recipient{Kind: RecipientMail, Description: noMail.in(lang)}
	if h := oneLine(rc.MailRelay); h != "" {
		mail.Host = h
		mail.Description = fill(mailRelay.in(lang), "{host}", h)
	}
	media := Recipient{Kind: RecipientMedia, Description: ownDisks.in(lang)}
	if h := oneLine(rc.ObjectStore); h != "" {
		media.Host = h
		media.Description = fill(objectStore.in(lang), "{host}", h)
	}
	out = append(out, mail, media)
	if h := oneLine(rc.CDN); h != "" {
		out = append(out, Recipient{Kind: RecipientCDN, Host: h, Description: fill(cdn.in(lang), "{host}", h)})
	}
	for _, h := range rc.Bluesky {
		if h = oneLine(h); h != "" {
			out = append(out, Recipient{Kind: RecipientBluesky, Host: h, Description: fill(blueskyPDS.in(lang), "{host}", h)})
		}
	}
	return out
}

// fill replaces the placeholder key in s with value.
func fill(s, key, value string) string {
	return strings.ReplaceAll(s, key, value)
}

// oneLine trims s and turns line breaks and tabs into spaces, so that a
// value from the configuration cannot break the layout of a rendering.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// localize returns the texts in lang.
func localize(lang string, ts []text) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.in(lang)
	}
	return out
}
