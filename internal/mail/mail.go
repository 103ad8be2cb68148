// Package mail composes, signs and sends Plein's e-mail, and reads the
// delivery reports (bounces and complaints) that come back. It knows
// nothing of subscriptions or posts: other packages build a Message and
// hand it to a Sender.
package mail

import (
	"context"
	"errors"
	"time"
)

// Message is one e-mail to one recipient. It carries no tracking: no pixel,
// no rewritten link; the only per-recipient link is Unsubscribe.
type Message struct {
	// ID is the Message-ID without angle brackets. A message that is sent
	// again, because the relay's acceptance was lost, keeps its ID.
	ID string
	// FromName is the display name of the sender, such as the
	// organisation's name; the address is the relay's --mail-from.
	FromName string
	// To is the recipient's address.
	To string
	// ReturnPath is the envelope sender, to which bounces come back; it
	// identifies the subscription. Empty: the --mail-from address.
	ReturnPath string
	// Subject is the subject line, in plain text.
	Subject string
	// Lang is the message's language (Content-Language), such as "nl".
	Lang string
	// Date is the Date header; zero: the time of sending.
	Date time.Time
	// Text is the plain-text part; every message has one.
	Text string
	// HTML is the HTML part; empty: a text-only message. It loads nothing
	// from a server: images are Inline parts referred to as cid:.
	HTML string
	// Inline are the images the HTML part shows.
	Inline []Part
	// ListID is the List-Id header (RFC 2919), such as
	// "Gemeente Demo <demo.plein.example>"; empty: none.
	ListID string
	// Unsubscribe is the https address that ends the subscription with one
	// POST (RFC 8058); it becomes List-Unsubscribe and
	// List-Unsubscribe-Post. Empty: no List-Unsubscribe headers.
	Unsubscribe string
	// UnsubscribeMailto is an optional mailto: address also listed in
	// List-Unsubscribe.
	UnsubscribeMailto string
}

// Part is an image carried inside a message.
type Part struct {
	ContentID   string // without angle brackets; the HTML refers to it as cid:ContentID
	ContentType string // such as image/png
	Filename    string
	Data        []byte
}

// Sender hands messages to a mail relay.
type Sender interface {
	// Send returns nil once the relay has accepted m. It returns an error
	// wrapping ErrRejected when the relay refused it for good (a 5xx
	// reply), and any other error when sending it again may succeed.
	Send(ctx context.Context, m *Message) error
}

// ErrRejected marks a message the relay refused for good.
var ErrRejected = errors.New("mail: rejected by the relay")
