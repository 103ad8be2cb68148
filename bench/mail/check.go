//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"strings"

	"github.com/emersion/go-msgauth/dkim"

	pmail "plein/internal/mail"
)

// checkSamples checks the messages the sink kept whole: each carries a
// valid DKIM signature for every key in keyFile (verified by go-msgauth,
// not by Plein's code), is addressed to the recipient it was sent to, and
// offers one-click unsubscribing.
func checkSamples(sk *sink, keyFile string) error {
	text, err := os.ReadFile(keyFile)
	if err != nil {
		return err
	}
	keys, err := pmail.DecodeDKIMKeys(text)
	if err != nil {
		return err
	}
	records := map[string]string{}
	domain := mailFrom[strings.LastIndexByte(mailFrom, '@')+1:]
	for _, k := range keys {
		v, err := pmail.DKIMRecord(k.Public())
		if err != nil {
			return err
		}
		// The selectors plein serve gives a key file's keys by default.
		selector := "plein"
		if strings.Contains(v, "k=ed25519") {
			selector = "plein-ed"
		}
		records[selector+"._domainkey."+domain] = v
	}
	sk.mu.Lock()
	samples := sk.samples
	sk.mu.Unlock()
	if len(samples) == 0 {
		return errors.New("the sink kept no message to check")
	}
	for _, s := range samples {
		if err := checkMessage(s, records); err != nil {
			return fmt.Errorf("the message to %s: %w", s.rcpt, err)
		}
	}
	return nil
}

// checkMessage checks one kept message against the DKIM records.
func checkMessage(s sample, records map[string]string) error {
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(s.raw), &dkim.VerifyOptions{
		LookupTXT: func(name string) ([]string, error) {
			if v, ok := records[name]; ok {
				return []string{v}, nil
			}
			return nil, fmt.Errorf("no TXT record %s", name)
		},
	})
	if err != nil {
		return fmt.Errorf("DKIM: %w", err)
	}
	if len(vs) != len(records) {
		return fmt.Errorf("%d DKIM signatures, not %d", len(vs), len(records))
	}
	for _, v := range vs {
		if v.Err != nil {
			return fmt.Errorf("DKIM signature of %s: %w", v.Domain, v.Err)
		}
	}
	m, err := mail.ReadMessage(bytes.NewReader(s.raw))
	if err != nil {
		return err
	}
	to, err := mail.ParseAddress(m.Header.Get("To"))
	if err != nil || !strings.EqualFold(to.Address, s.rcpt) {
		return fmt.Errorf("the To header %q is not the recipient", m.Header.Get("To"))
	}
	if m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || m.Header.Get("List-Unsubscribe") == "" {
		return errors.New("no one-click List-Unsubscribe")
	}
	return nil
}
