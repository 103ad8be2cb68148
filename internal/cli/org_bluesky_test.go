package cli

import (
	"strings"
	"testing"

	"plein/internal/pleintest"
)

// TestOrgBluesky connects an organisation to an account on a real PDS on
// the command line: the app password comes from the environment only, a
// refused one is said in English and Dutch and stores nothing, the
// connection is shown without its password, the edit policy changes, and
// --disconnect forgets it.
func TestOrgBluesky(t *testing.T) {
	pds := pleintest.StartPDS(t)
	did, handle := pds.CreateAccount(t, "demo", "hunter2-account")
	appPassword := pds.CreateAppPassword(t, did, "hunter2-account", "Plein")
	t.Setenv("PLEIN_TEST_BLUESKY_APP", appPassword)
	t.Setenv("PLEIN_TEST_BLUESKY_WRONG", "wrong-password-123")
	in := newInst(t)
	in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
	connect := []string{"org", "bluesky", "--org", "demo", "--pds", pds.URL, "--bluesky-handle", handle, "--allow-private-networks"}

	fails(t, in.run("", "org", "bluesky", "--org", "demo", "--pds", pds.URL), ExitUsage, "--bluesky-handle")
	fails(t, in.run("", append(connect, "--app-password-env", "PLEIN_TEST_BLUESKY_UNSET")...), ExitUsage, "PLEIN_TEST_BLUESKY_UNSET")
	fails(t, in.run("", append(connect, "--app-password-env", "PLEIN_TEST_BLUESKY_WRONG")...), ExitFailure,
		"--app-password-env: the PDS refused this handle and app password; nothing was saved / de PDS weigerde")
	fails(t, in.run("", "org", "bluesky", "--org", "demo", "--pds", pds.URL, "--bluesky-handle", handle, "--app-password-env", "PLEIN_TEST_BLUESKY_APP"),
		ExitFailure, "--pds:")
	if out := in.ok("org", "bluesky", "--org", "demo"); !strings.Contains(out, "@demo has no Bluesky account connected") {
		t.Errorf("after refusals: %s", out)
	}
	out := in.ok(append(connect, "--app-password-env", "PLEIN_TEST_BLUESKY_APP")...)
	if !strings.Contains(out, "connected @demo to the Bluesky account "+handle+" ("+did+")") || !strings.Contains(out, "edits: reply") {
		t.Errorf("connect: %s", out)
	}
	fails(t, in.run("", "org", "bluesky", "--org", "demo", "--edit-policy", "rewrite"), ExitFailure, "choose ‘reply’")
	in.ok("org", "bluesky", "--org", "demo", "--edit-policy", "republish")
	out = in.ok("org", "bluesky", "--org", "demo")
	if !strings.Contains(out, "posts to the Bluesky account "+handle) || !strings.Contains(out, "edits: republish") || strings.Contains(out, appPassword) {
		t.Errorf("show: %s", out)
	}
	if log := in.ok("org", "log", "--org", "demo"); !strings.Contains(log, "connected the Bluesky account "+handle) {
		t.Errorf("audit log: %s", log)
	}
	fails(t, in.run("", "org", "bluesky", "--org", "demo", "--disconnect", "--edit-policy", "reply"), ExitUsage, "give --disconnect alone")
	if out := in.ok("org", "bluesky", "--org", "demo", "--disconnect"); !strings.Contains(out, "disconnected @demo from Bluesky") {
		t.Errorf("disconnect: %s", out)
	}
	fails(t, in.run("", "org", "bluesky", "--org", "demo", "--disconnect"), ExitFailure, "no Bluesky account connected")
}
