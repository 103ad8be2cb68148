package config

import "time"

// Fixed retention of e-mail subscriptions; the privacy page states them.
const (
	// UnconfirmedSubscriptionAge: an address not confirmed within this
	// time after it was entered is erased.
	UnconfirmedSubscriptionAge = 48 * time.Hour
	// SuspendedSubscriptionAge: a subscription suspended because mail to
	// it bounced is erased this long after.
	SuspendedSubscriptionAge = 30 * Day
	// MailReservationAge: the keyed hash of an address that asked to
	// subscribe is kept this long, so that it gets at most one
	// confirmation mail in that time.
	MailReservationAge = time.Hour
	// MailOutboxAge: the record of each message to a subscriber (which
	// subscription, which post, whether the relay accepted it) is kept
	// this long, for sending each message once while jobs retry.
	MailOutboxAge = 14 * Day
	// MailSuppressionAge: after a subscription ended, the keyed hash of
	// its address stays on the suppression list this long, so that an
	// import does not bring it back and a complaint is not followed by
	// more mail.
	MailSuppressionAge = 730 * Day
)
