package cli

import (
	"strings"
	"testing"

	"plein/internal/store/storetest"
)

// TestSubscribersEnd ends one subscription on its subscriber's behalf,
// on both engines: it is gone from the list and from the export, an
// import does not bring it back, and the audit log tells it without the
// address.
func TestSubscribersEnd(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			in := newInst(t)
			if e.Name == "postgres" {
				in.db = e.NewDatabase(t)
			}
			in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
			file := "email,tag\nanna@example.org,afval\nbob@example.org,\n"
			consent := []string{"--consent", "Nieuwsbrief 2024", "--consent-date", "2024-06-01"}
			if r := in.run(file, append([]string{"subscribers", "import", "--org", "demo"}, append(consent, "-")...)...); r.code != 0 {
				t.Fatalf("import: %+v", r)
			}

			fails(t, in.run("", "subscribers", "end", "--org", "demo"), ExitUsage, "--email")
			fails(t, in.run("", "subscribers", "end", "--org", "demo", "--email", "geen adres"), ExitUsage, "not an e-mail address")
			if r := in.run("", "subscribers", "end", "--org", "demo", "--email", "carol@example.org"); r.code == 0 || !strings.Contains(r.stderr, "no subscription with this address") {
				t.Errorf("ending an address without subscription: %+v", r)
			}
			if out := in.ok("subscribers", "end", "--org", "demo", "--email", "Anna@example.org"); !strings.Contains(out, "ended the subscription") {
				t.Errorf("end: %q", out)
			}
			if list := in.ok("subscribers", "list", "--org", "demo"); strings.Contains(list, "anna@") || !strings.Contains(list, "bob@") {
				t.Errorf("list after ending:\n%s", list)
			}
			r := in.run(file, append([]string{"subscribers", "import", "--org", "demo"}, append(consent, "-")...)...)
			if r.code != 0 || !strings.Contains(r.stdout, "imported 0 subscribers of @demo; 1 were subscribed already; 1 left out") {
				t.Errorf("import after ending: %+v", r)
			}
			log := in.ok("org", "log", "--org", "demo")
			if !strings.Contains(log, "ended an e-mail subscription to #afval at the subscriber's request") || strings.Contains(log, "anna@") {
				t.Errorf("audit log:\n%s", log)
			}
		})
	}
}
