package server_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"plein/internal/config"
	"plein/internal/mail"
	"plein/internal/server"
	"plein/internal/store/storetest"
)

// records returns the DKIM records of s as "name value" lines.
func records(s *mail.DKIMSigner) []string {
	var out []string
	for _, r := range s.Records() {
		out = append(out, r.Name+" "+r.Value)
	}
	return out
}

func mailConfig() config.Mail {
	m := config.DefaultMail()
	m.SMTPAddr, m.From = "127.0.0.1:2525", "nieuws@gemeente.example"
	return m
}

// TestDKIMKeysMadeOnceAndKept opens an installation twice, as two nodes
// or two starts do, on each engine: the keys made the first time are the
// keys every later opening signs with, also when two ask at once.
func TestDKIMKeysMadeOnceAndKept(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.DataDir = t.TempDir()
			if engine == "postgres" {
				cfg.Database = storetest.NewPostgresDatabase(t)
			}
			open := func(c config.Config) *server.App {
				app, err := server.Open(context.Background(), c, server.Options{Logger: slog.New(slog.DiscardHandler), Create: true})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { app.Close() })
				return app
			}
			// Without a relay no key is made.
			plain := open(cfg)
			if plain.Mail != nil || plain.DKIM != nil {
				t.Fatal("a relay without --smtp-addr")
			}
			// Two nodes ask for the keys at the same moment.
			var wg sync.WaitGroup
			got := make([][]string, 2)
			for i := range got {
				wg.Go(func() {
					s, err := server.DKIMSigner(context.Background(), plain.Store, mailConfig())
					if err != nil {
						t.Error(err)
						return
					}
					got[i] = records(s)
				})
			}
			wg.Wait()
			if len(got[0]) != 2 || !slices.Equal(got[0], got[1]) {
				t.Fatalf("two nodes got different keys:\n%v\n%v", got[0], got[1])
			}
			if !strings.HasPrefix(got[0][0], "plein._domainkey.gemeente.example v=DKIM1; k=rsa; ") ||
				!strings.HasPrefix(got[0][1], "plein-ed._domainkey.gemeente.example v=DKIM1; k=ed25519; ") {
				t.Errorf("records %v", got[0])
			}
			// A later start with a relay signs with the same keys, under
			// the selector it is given.
			cfg.Mail = mailConfig()
			app := open(cfg)
			if app.Mail == nil || !slices.Equal(records(app.DKIM), got[0]) {
				t.Errorf("after a restart: %v, want %v", records(app.DKIM), got[0])
			}
			cfg.Mail.DKIMSelector = "mei2026"
			s, err := server.DKIMSigner(context.Background(), app.Store, cfg.Mail)
			if err != nil {
				t.Fatal(err)
			}
			if r := records(s); !strings.HasPrefix(r[0], "mei2026._domainkey.") || !strings.HasPrefix(r[1], "mei2026-ed._domainkey.") ||
				strings.SplitN(r[0], " ", 2)[1] != strings.SplitN(got[0][0], " ", 2)[1] {
				t.Errorf("with another selector: %v", r)
			}
		})
	}
}

func TestDKIMKeyFile(t *testing.T) {
	rsaKey, edKey, err := mail.GenerateDKIMKeys()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, keys ...crypto.Signer) string {
		var text string
		for _, k := range keys {
			pemText, err := mail.EncodeDKIMKey(k)
			if err != nil {
				t.Fatal(err)
			}
			text += pemText
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	m := mailConfig()
	m.DKIMKeyFile = write("both.pem", edKey, rsaKey)
	// A key file needs no database.
	s, err := server.DKIMSigner(context.Background(), nil, m)
	if err != nil {
		t.Fatal(err)
	}
	rsaRecord, _ := mail.DKIMRecord(rsaKey.Public())
	edRecord, _ := mail.DKIMRecord(edKey.Public())
	want := []string{"plein-ed._domainkey.gemeente.example " + edRecord, "plein._domainkey.gemeente.example " + rsaRecord}
	if got := records(s); !slices.Equal(got, want) {
		t.Errorf("records %v, want %v", got, want)
	}
	m.DKIMKeyFile = write("rsa.pem", rsaKey)
	if s, err := server.DKIMSigner(context.Background(), nil, m); err != nil || len(s.Records()) != 1 {
		t.Errorf("one RSA key: %v", err)
	}

	t.Setenv("GODEBUG", "rsa1024min=0")
	small, err := rsa.GenerateKey(rand.Reader, 512)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.pem"), "cannot be read: no such file or directory"},
		{write("empty.pem"), "must hold an RSA or Ed25519 private key"},
		{write("two.pem", rsaKey, rsaKey), "holds 2 RSA and 0 Ed25519 keys"},
		{write("small.pem", small), "an RSA key of 512 bits"},
	} {
		m.DKIMKeyFile = tc.path
		_, err := server.DKIMSigner(context.Background(), nil, m)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "--dkim-key "+tc.path) {
			t.Errorf("%s: %v, want %q", filepath.Base(tc.path), err, tc.want)
		}
	}
}
