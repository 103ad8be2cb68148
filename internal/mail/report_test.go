package mail

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseReport(t *testing.T) {
	for _, tc := range []struct {
		file string
		want *Report // nil: ErrNotReport
	}{
		// Token from X-Original-To; Message-ID from text/rfc822-headers.
		{"postfix-hard.eml", &Report{Kind: HardBounce, BounceToken: "s_01JQ9A", MessageID: "01JQ9A-post@plein.example", Status: "5.1.1"}},
		{"postfix-delayed.eml", &Report{Kind: SoftBounce, BounceToken: "s_01JQ9B", MessageID: "01JQ9B-digest@plein.example", Status: "4.4.1"}},
		// Token from Envelope-to and To; Message-ID from message/rfc822.
		{"exim-hard.eml", &Report{Kind: HardBounce, BounceToken: "s_01JQ9C", MessageID: "01JQ9C-post@plein.example", Status: "5.0.0"}},
		// Sent to the abuse address: the token is in Original-Mail-From.
		{"gmail-arf.eml", &Report{Kind: Complaint, BounceToken: "s_01JQ9D", MessageID: "01JQ9D-digest@plein.example"}},
		// No Original-Mail-From: the token is in the returned message's
		// Return-Path, which is base64 encoded.
		{"arf-base64.eml", &Report{Kind: Complaint, BounceToken: "s_01JQ9G", MessageID: "01JQ9G-confirm@plein.example"}},
		{"autoreply.eml", nil},
		{"delivered.eml", nil},
	} {
		raw, err := os.ReadFile(filepath.Join("testdata", "reports", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		// As a pipe from the MTA delivers it (LF) and as on the wire (CRLF).
		for _, variant := range []struct {
			name string
			data []byte
		}{
			{"LF", raw},
			{"CRLF", bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))},
		} {
			t.Run(tc.file+" "+variant.name, func(t *testing.T) {
				got, err := ParseReport(bytes.NewReader(variant.data))
				if tc.want == nil {
					if !errors.Is(err, ErrNotReport) {
						t.Fatalf("ParseReport = %+v, %v; want ErrNotReport", got, err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if *got != *tc.want {
					t.Errorf("ParseReport = %+v\nwant           %+v", got, tc.want)
				}
			})
		}
	}
}

func TestParseReportOfASentMessage(t *testing.T) {
	// A bounce that returns the whole message Compose made, token and all.
	raw, err := Compose(samples()["post.eml"], testFrom)
	if err != nil {
		t.Fatal(err)
	}
	bounce := "To: nieuws+b-s_01JQ9A@plein.example\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay.example\r\n\r\n" +
		"Final-Recipient: rfc822; jan@example.nl\r\nAction: failed\r\nStatus: 5.2.2 (mailbox full)\r\n\r\n" +
		"--b\r\nContent-Type: message/rfc822\r\n\r\n" + string(raw) + "\r\n--b--\r\n"
	got, err := ParseReport(strings.NewReader(bounce))
	if err != nil {
		t.Fatal(err)
	}
	want := Report{Kind: HardBounce, BounceToken: "s_01JQ9A", MessageID: "01JQ9A-post@plein.example", Status: "5.2.2"}
	if *got != want {
		t.Errorf("ParseReport = %+v, want %+v", got, want)
	}
}

func TestParseReportStatusFromDiagnostic(t *testing.T) {
	for _, tc := range []struct {
		fields string
		kind   ReportKind
		status string
	}{
		{"Action: failed\r\nDiagnostic-Code: smtp; 550 5.7.1 refused", HardBounce, "5.7.1"},
		{"Action: failed\r\nStatus: 4.2.2", SoftBounce, "4.2.2"},
		{"Action: failed", HardBounce, ""},
		{"Action: delayed\r\nStatus: 4.4.7", SoftBounce, "4.4.7"},
		{"Action: delayed\r\nStatus: 4.4.7\r\n\r\nFinal-Recipient: rfc822; b@example.nl\r\nAction: failed\r\nStatus: 5.1.1", HardBounce, "5.1.1"},
	} {
		bounce := "To: nieuws+b-t@plein.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n" +
			"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay.example\r\n\r\n" +
			"Final-Recipient: rfc822; a@example.nl\r\n" + tc.fields + "\r\n\r\n--b--\r\n"
		got, err := ParseReport(strings.NewReader(bounce))
		if err != nil {
			t.Fatalf("%q: %v", tc.fields, err)
		}
		if got.Kind != tc.kind || got.Status != tc.status || got.BounceToken != "t" {
			t.Errorf("%q: %+v", tc.fields, got)
		}
	}
}

// endless is a reader that never ends.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.read += int64(len(p))
	return len(p), nil
}

func TestParseReportSizeLimit(t *testing.T) {
	r := &endless{}
	if _, err := ParseReport(io.MultiReader(strings.NewReader("Subject: x\r\n\r\n"), r)); !errors.Is(err, ErrReportTooLarge) {
		t.Fatalf("ParseReport = %v, want ErrReportTooLarge", err)
	}
	if r.read > MaxReportSize+64<<10 {
		t.Errorf("read %d bytes of an endless report", r.read)
	}
	for _, bad := range []string{"", "not a message", "Content-Type: multipart/report; boundary=b\r\n\r\n--b\r\nnot closed"} {
		if _, err := ParseReport(strings.NewReader(bad)); !errors.Is(err, ErrNotReport) {
			t.Errorf("ParseReport(%q) = %v, want ErrNotReport", bad, err)
		}
	}
}
