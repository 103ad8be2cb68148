package mail

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strings"
)

// MaxReportSize is the largest report ParseReport reads: a bounce that
// returns a whole message with its images stays well within it.
const MaxReportSize = 10 << 20

// ErrNotReport marks a message that is not a bounce or complaint that
// ParseReport understands: a vacation reply, a notice of successful
// delivery, a bounce that is not a multipart/report.
var ErrNotReport = errors.New("mail: not a delivery report")

// ErrReportTooLarge marks input larger than MaxReportSize.
var ErrReportTooLarge = fmt.Errorf("mail: report larger than %d bytes", MaxReportSize)

// maxStatusGroups bounds the recipient groups read from one delivery
// status.
const maxStatusGroups = 100

// ParseReport reads a delivery report: a delivery status notification
// (RFC 3464: multipart/report; report-type=delivery-status) or an abuse
// report (RFC 5965: report-type=feedback-report).
//
// A recipient whose Action is failed with a 5.x.x Status is a HardBounce;
// failed with 4.x.x, or delayed, a SoftBounce; an abuse or fraud report a
// Complaint. The BounceToken is read from the address the report was sent
// to, which is the original message's envelope sender (X-Original-To,
// Delivered-To, Envelope-To, To), else from the report's
// Original-Mail-From, else from the returned message's Return-Path. The
// MessageID is the returned message's or headers' Message-ID.
//
// A message that is no such report returns an error wrapping ErrNotReport;
// input larger than MaxReportSize one wrapping ErrReportTooLarge.
func ParseReport(r io.Reader) (*Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxReportSize+1))
	if err != nil {
		return nil, fmt.Errorf("mail: read report: %w", err)
	}
	if len(data) > MaxReportSize {
		return nil, ErrReportTooLarge
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotReport, err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/report" || params["boundary"] == "" {
		return nil, fmt.Errorf("%w: the message is not a multipart/report", ErrNotReport)
	}

	var (
		rep          Report
		isDSN, isARF bool
		returned     textproto.MIMEHeader
		mailFrom     string // Original-Mail-From of an abuse report
	)
	parts := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotReport, err)
		}
		partType, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		body := decodePart(p)
		switch partType {
		case "message/delivery-status", "message/global-delivery-status":
			isDSN = true
			if err := readDeliveryStatus(body, &rep); err != nil {
				return nil, err
			}
		case "message/feedback-report":
			isARF = true
			h, err := readFields(body)
			if err != nil {
				return nil, fmt.Errorf("%w: feedback report: %w", ErrNotReport, err)
			}
			switch strings.ToLower(strings.TrimSpace(h.Get("Feedback-Type"))) {
			case "abuse", "fraud":
				rep.Kind = Complaint
			}
			mailFrom = h.Get("Original-Mail-From")
		case "text/rfc822-headers", "message/rfc822", "message/global", "message/global-headers":
			if h, err := readFields(body); err == nil {
				returned = h
			}
		}
	}
	switch {
	case isARF && rep.Kind != Complaint:
		return nil, fmt.Errorf("%w: a feedback report that is not about abuse", ErrNotReport)
	case isDSN && rep.Kind == 0:
		return nil, fmt.Errorf("%w: a delivery status without a failed or delayed recipient", ErrNotReport)
	case !isDSN && !isARF:
		return nil, fmt.Errorf("%w: no delivery status or feedback report part", ErrNotReport)
	}
	if isARF {
		rep.Status = ""
	}

	var candidates []string
	for _, name := range []string{"X-Original-To", "Delivered-To", "Envelope-To", "To"} {
		for _, v := range msg.Header[textproto.CanonicalMIMEHeaderKey(name)] {
			candidates = append(candidates, addressesIn(v)...)
		}
	}
	candidates = append(candidates, addressesIn(mailFrom)...)
	if returned != nil {
		candidates = append(candidates, addressesIn(returned.Get("Return-Path"))...)
		rep.MessageID = strings.Trim(strings.TrimSpace(returned.Get("Message-Id")), "<>")
	}
	for _, a := range candidates {
		if t := BounceTokenOf(a); t != "" {
			rep.BounceToken = t
			break
		}
	}
	return &rep, nil
}

// readDeliveryStatus reads the fields of a message/delivery-status part:
// one group for the message, then one per recipient, and sets rep's Kind
// and Status from the worst recipient.
func readDeliveryStatus(body io.Reader, rep *Report) error {
	tp := textproto.NewReader(bufio.NewReader(body))
	for range maxStatusGroups {
		h, err := tp.ReadMIMEHeader()
		if len(h) > 0 {
			kind, status := recipientOutcome(h)
			if kind == HardBounce && rep.Kind != HardBounce || kind == SoftBounce && rep.Kind == 0 {
				rep.Kind, rep.Status = kind, status
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: delivery status: %w", ErrNotReport, err)
		}
	}
	return nil
}

// recipientOutcome returns what one recipient group of a delivery status
// says: a bounce and its status, or 0.
func recipientOutcome(h textproto.MIMEHeader) (ReportKind, string) {
	action := strings.ToLower(strings.TrimSpace(h.Get("Action")))
	status := statusCode(h.Get("Status"))
	if status == "" {
		// "smtp; 550 5.1.1 <…>: Recipient address rejected"
		_, diag, _ := strings.Cut(h.Get("Diagnostic-Code"), ";")
		for _, w := range strings.Fields(diag) {
			if status = statusCode(w); status != "" {
				break
			}
		}
	}
	switch action {
	case "failed":
		if strings.HasPrefix(status, "4.") {
			return SoftBounce, status
		}
		return HardBounce, status
	case "delayed":
		return SoftBounce, status
	}
	return 0, ""
}

// statusCode returns the enhanced status code at the start of s, such as
// "5.1.1", or "" when s does not start with one.
func statusCode(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	parts := strings.Split(f[0], ".")
	if len(parts) != 3 || (parts[0] != "2" && parts[0] != "4" && parts[0] != "5") {
		return ""
	}
	for _, p := range parts[1:] {
		if p == "" || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return ""
		}
	}
	return f[0]
}

// decodePart returns the body of p, decoded from base64 when it is encoded
// so (NextPart decodes quoted-printable itself).
func decodePart(p *multipart.Part) io.Reader {
	if strings.EqualFold(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding")), "base64") {
		return base64.NewDecoder(base64.StdEncoding, p)
	}
	return p
}

// readFields reads header fields up to an empty line or the end, as in a
// delivery status group, a feedback report or returned headers.
func readFields(r io.Reader) (textproto.MIMEHeader, error) {
	h, err := textproto.NewReader(bufio.NewReader(r)).ReadMIMEHeader()
	if errors.Is(err, io.EOF) && len(h) > 0 {
		err = nil
	}
	return h, err
}

// addressesIn returns the addresses in a header value such as a To, a
// Return-Path or a "rfc822; a@b" address field.
func addressesIn(v string) []string {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if typ, rest, ok := strings.Cut(v, ";"); ok && !strings.ContainsAny(typ, "<@\"") {
		v = strings.TrimSpace(rest)
	}
	if list, err := mail.ParseAddressList(v); err == nil {
		out := make([]string, len(list))
		for i, a := range list {
			out[i] = a.Address
		}
		return out
	}
	return []string{strings.Trim(v, "<> ")}
}
