package cli

import (
	"regexp"
	"strings"
	"testing"

	"plein/internal/pleintest"
	"plein/internal/store/storetest"
)

// TestOrgMove moves an organisation out from the command line, beside a
// running server (whose instance actor the strict test Fediverse resolves
// before it answers a fetch): refused until the new account names it as an
// earlier account, then done, after which posting is refused with the new
// account named.
func TestOrgMove(t *testing.T) {
	srv := pleintest.NewServer(t, storetest.Engines()[0])
	srv.Org(t, "ede")
	in := &inst{t: t, data: srv.Dir}
	out := in.ok("org", "move-in", "--org", "ede")
	if !strings.Contains(out, "earlier accounts: none") || !strings.Contains(out, "no Move to this organisation has arrived yet") {
		t.Fatalf("move-in before anything: %s", out)
	}
	m := regexp.MustCompile(`\((https?://[^)]+/orgs/[^)]+)\)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("move-in does not give the actor id: %s", out)
	}
	actorID := m[1]
	fed := pleintest.NewFediverse(t)
	target := fed.NewActor(t, "ede")

	fails(t, in.run("", "org", "move", "--org", "ede"), ExitUsage, "--to")
	fails(t, in.run("", "org", "move", "--org", "ede", "--to", "niets"), ExitFailure, "is not a Fediverse account")
	fails(t, in.run("", "org", "move", "--org", "ede", "--to", target.ID, "--allow-private-networks"), ExitFailure,
		"does not list this organisation as an earlier account")
	in.ok("post", "create", "--org", "ede", "--text", "Nog hier.")

	target.SetAlsoKnownAs(t, actorID)
	out = in.ok("org", "move", "--org", "ede", "--to", "@ede@"+fed.Host, "--allow-private-networks")
	if !strings.Contains(out, "@ede moved to "+target.ID) {
		t.Fatalf("move: %s", out)
	}
	fails(t, in.run("", "post", "create", "--org", "ede", "--text", "Nog een bericht."), ExitFailure,
		"this organisation moved to "+target.ID+" and no longer publishes here")
	if out := in.ok("org", "log", "--org", "ede"); !strings.Contains(out, target.ID) {
		t.Fatalf("the audit log does not name the move: %s", out)
	}
}
