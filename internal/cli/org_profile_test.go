package cli

import (
	"strings"
	"testing"
)

func TestOrgUpdateLogAndRemoveMember(t *testing.T) {
	data := []string{"--data", t.TempDir()}
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
	out, _ = run(0, "org", "log")
	if !strings.Contains(out, "user.create") || strings.Contains(out, "org.profile") {
		t.Errorf("installation log:\n%s", out)
	}
}
