//go:build linux

package main

import (
	"bufio"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

func TestParseOptions(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr bool
	}{
		{"defaults", nil, false},
		{"engines and keys", []string{"-engines", "sqlite", "-dkim", "rsa,ed25519"}, false},
		{"unknown engine", []string{"-engines", "mysql"}, true},
		{"unknown key set", []string{"-dkim", "dsa"}, true},
		{"setting", []string{"-env", "PLEIN_MAIL_RATE=5"}, false},
		{"not a Plein setting", []string{"-env", "HOME=/"}, true},
		{"profile without in-process", []string{"-cpuprofile", "cpu.out"}, true},
		{"in-process with another binary", []string{"-in-process", "-vs", "plein-old"}, true},
		{"no subscribers", []string{"-subscribers", "0"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseOptions(tt.args, io.Discard)
			if (err != nil) != tt.wantErr {
				t.Errorf("parseOptions(%q) error %v, want error %v", tt.args, err, tt.wantErr)
			}
		})
	}
}

func TestParseHWM(t *testing.T) {
	status := "Name:\tplein\nVmPeak:\t 1816612 kB\nVmHWM:\t   56320 kB\nVmRSS:\t   40000 kB\n"
	got, err := parseHWM(strings.NewReader(status))
	if err != nil || got != 56320<<10 {
		t.Errorf("parseHWM = %d, %v; want %d", got, err, 56320<<10)
	}
	if _, err := parseHWM(strings.NewReader("Name:\tplein\n")); err == nil {
		t.Error("parseHWM of a status without VmHWM: no error")
	}
}

func TestParseStatCPU(t *testing.T) {
	// pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
	stat := "4242 (plein serve) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 12 0"
	got, err := parseStatCPU(stat)
	if err != nil || got != 3*time.Second {
		t.Errorf("parseStatCPU = %v, %v; want 3s", got, err)
	}
	if _, err := parseStatCPU("4242 plein"); err == nil {
		t.Error("parseStatCPU of a damaged line: no error")
	}
}

func TestMessageID(t *testing.T) {
	tests := []struct {
		name, msg, want string
		wantErr         bool
	}{
		{"found", "From: a@b.example\r\nMessage-ID: <x1@plein.example>\r\n\r\nbody\r\n", "x1@plein.example", false},
		{"any case", "message-id: <x2@plein.example>\r\n\r\nbody", "x2@plein.example", false},
		{"in the body only", "From: a@b.example\r\n\r\nMessage-ID: <x3@plein.example>\r\n", "", true},
		{"no end of header", "Message-ID: <x4@plein.example>\r\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := messageID(bufio.NewReader(strings.NewReader(tt.msg)))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("messageID = %q, %v; want %q, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestSinkCounts sends the sink three messages over SMTP, one of them a
// repeat, and reads its tally and its kept samples.
func TestSinkCounts(t *testing.T) {
	sk, err := startSink(2)
	if err != nil {
		t.Fatal(err)
	}
	defer sk.close()
	c, err := smtp.Dial(sk.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, m := range []struct{ to, id string }{
		{"lezer1@bench.example", "m1@plein.example"},
		{"lezer2@bench.example", "m2@plein.example"},
		{"lezer1@bench.example", "m1@plein.example"},
	} {
		msg := "To: " + m.to + "\r\nMessage-ID: <" + m.id + ">\r\nSubject: test\r\n\r\nHallo.\r\n"
		if err := c.SendMail("nieuws@bench.example", []string{m.to}, strings.NewReader(msg)); err != nil {
			t.Fatalf("sending to %s: %v", m.to, err)
		}
	}
	got := sk.tally()
	if got.accepted != 3 || got.recipients != 2 || got.ids != 2 || got.first.IsZero() || got.last.Before(got.first) {
		t.Errorf("tally = %+v, want 3 accepted, 2 recipients, 2 Message-IDs", got)
	}
	sk.mu.Lock()
	samples := len(sk.samples)
	sk.mu.Unlock()
	if samples != 2 {
		t.Errorf("%d samples kept, want 2 (the first and the third message)", samples)
	}
	sk.reset()
	if got := sk.tally(); got.accepted != 0 || got.recipients != 0 {
		t.Errorf("after reset: %+v", got)
	}
}
