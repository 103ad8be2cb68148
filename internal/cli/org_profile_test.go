package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOrgUpdateLogAndRemoveMember(t *testing.T) {
	data := []string{"--data", newInst(t).data}
	run := func(want int, args ...string) (string, string) {
		t.Helper()
		var out, errOut strings.Builder
		code := Main(t.Context(), append(args, data...), strings.NewReader(""), &out, &errOut)
		if code != want {
			t.Fatalf("plein %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out.String(), errOut.String())
		}
		return out.String(), errOut.String()
	}
	run(0, "org", "create", "--handle", "ede", "--name", "Gemeente Ede")
	run(0, "user", "create", "--email", "eva@ede.nl")
	run(0, "user", "add-to-org", "--email", "eva@ede.nl", "--org", "ede", "--role", "editor")

	run(0, "org", "update", "--org", "ede", "--description", "Nieuws uit Ede", "--link", "Website=https://www.ede.nl",
		"--also-known-as", "https://mastodon.example/users/ede")
	_, errOut := run(1, "org", "update", "--org", "ede", "--also-known-as", "ede@mastodon.example")
	if !strings.HasPrefix(errOut, "plein: aka:") {
		t.Errorf("bad also-known-as: %q", errOut)
	}
	out, _ := run(0, "org", "list")
	if !strings.Contains(out, "Gemeente Ede") {
		t.Fatalf("name changed although not given: %s", out)
	}
	_, errOut = run(1, "org", "update", "--org", "ede", "--timezone", "Mars/Olympus")
	if !strings.HasPrefix(errOut, "plein: timezone:") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("bad time zone: %q", errOut)
	}
	run(2, "org", "update", "--org", "ede", "--avatar", "x.png", "--no-avatar")

	run(0, "user", "remove-from-org", "--email", "eva@ede.nl", "--org", "ede")
	_, errOut = run(1, "user", "remove-from-org", "--email", "eva@ede.nl", "--org", "ede")
	if !strings.Contains(errOut, "not a member") {
		t.Errorf("removing twice: %q", errOut)
	}
	out, _ = run(0, "org", "log", "--org", "ede")
	for _, action := range []string{"org.create", "member.set-role", "org.profile", "member.remove"} {
		if !strings.Contains(out, action) {
			t.Errorf("organisation log lacks %s:\n%s", action, out)
		}
	}
	// Each entry is also a sentence.
	for _, sentence := range []string{"The operator on the command line gave eva@ede.nl the role of editor.",
		"The operator on the command line removed eva@ede.nl from the organisation.",
		"The operator on the command line changed the profile of Gemeente Ede (@ede)."} {
		if !strings.Contains(out, sentence) {
			t.Errorf("organisation log lacks %q:\n%s", sentence, out)
		}
	}
	out, _ = run(0, "org", "log")
	if !strings.Contains(out, "user.create") || strings.Contains(out, "org.profile") ||
		!strings.Contains(out, "The operator on the command line created the account of eva@ede.nl.") {
		t.Errorf("installation log:\n%s", out)
	}
}

func TestOrgHeader(t *testing.T) {
	t.Parallel()
	in := newInst(t)
	in.ok("org", "create", "--handle", "ede", "--name", "Gemeente Ede")
	photo, notImage := writePNG(t, "heide.png"), filepath.Join(t.TempDir(), "brief.pdf")
	if err := os.WriteFile(notImage, []byte("%PDF-1.7"), 0o600); err != nil {
		t.Fatal(err)
	}
	header := func() (id, alt string) {
		t.Helper()
		app := in.openApp()
		o, err := app.Orgs.ByHandle(context.Background(), "ede")
		if err != nil {
			t.Fatal(err)
		}
		if o.HeaderID != "" {
			if m, err := app.Orgs.Header(context.Background(), o); err != nil || m == nil {
				t.Fatalf("header media of %s: %v %v", o.HeaderID, m, err)
			}
		}
		return o.HeaderID, o.HeaderAlt
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"without alt text", []string{"--header", photo}, "header_alt: " + photo + " has no --header-alt: describe the image"},
		{"blank alt text", []string{"--header", photo, "--header-alt", "  "}, "header_alt: heide.png has no alt text"},
		{"not an image", []string{"--header", notImage, "--header-alt", "Een brief"}, "header: brief.pdf is not an image Plein can read"},
		{"missing file", []string{"--header", photo + ".weg", "--header-alt", "Heide"}, "--header: open "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fails(t, in.run("", append([]string{"org", "update", "--org", "ede"}, tc.args...)...), ExitFailure, tc.want)
			if id, _ := header(); id != "" {
				t.Errorf("header %s after the refusal", id)
			}
		})
	}

	in.ok("org", "update", "--org", "ede", "--header", photo, "--header-alt", "Paarse heide op de Ginkelse Heide")
	first, alt := header()
	if first == "" || alt != "Paarse heide op de Ginkelse Heide" {
		t.Fatalf("header %q (%q) after --header", first, alt)
	}
	in.ok("org", "update", "--org", "ede", "--header", photo, "--header-alt", "Het gemeentehuis van Ede")
	second, alt := header()
	if second == "" || second == first || alt != "Het gemeentehuis van Ede" {
		t.Fatalf("header %q (%q) after replacing %q", second, alt, first)
	}
	in.ok("org", "update", "--org", "ede", "--no-header")
	if id, alt := header(); id != "" || alt != "" {
		t.Fatalf("header %q (%q) after --no-header", id, alt)
	}
	out := in.ok("org", "log", "--org", "ede")
	for _, want := range []string{"org.header.set", "Het gemeentehuis van Ede", "org.header.remove"} {
		if !strings.Contains(out, want) {
			t.Errorf("organisation log lacks %q:\n%s", want, out)
		}
	}
}
