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
	// BounceToken identifies what the message was sent for (such as a
	// subscription) in the envelope sender, so that a bounce or complaint
	// coming back can be traced to it (see Report). It holds only
	// letters, digits, '-' and '_'. Empty: the --mail-from address.
	BounceToken string
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

// ReportKind is what a delivery report says happened to a message.
type ReportKind int

// The kinds of delivery report.
const (
	SoftBounce ReportKind = iota + 1 // delivery failed for now (4.x.x)
	HardBounce                       // delivery failed for good (5.x.x)
	Complaint                        // the recipient marked the message as spam (ARF)
)

// Report is what Plein reads from a bounce (a delivery status
// notification, RFC 3464) or a complaint (an abuse report, RFC 5965).
type Report struct {
	Kind ReportKind
	// BounceToken is the Message's BounceToken, read back from the
	// address the report was sent to or from the returned headers; empty
	// when the report names none.
	BounceToken string
	// MessageID is the returned message's Message-ID, when the report
	// carries it.
	MessageID string
	// Status is the enhanced status code of a bounce, such as "5.1.1".
	Status string
}
