package cli

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"plein/internal/model"
	"plein/internal/store/storetest"
)

// TestSubscribers imports subscribers with their stated consent, lists and
// exports them, on both engines.
func TestSubscribers(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			in := newInst(t)
			if e.Name == "postgres" {
				in.db = e.NewDatabase(t)
			}
			in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
			if out := in.ok("subscribers", "list", "--org", "demo"); !strings.Contains(out, "no e-mail subscribers") {
				t.Errorf("empty list: %q", out)
			}

			file := "email,frequency,tag,extra\nanna@example.org,daily,,x\nnot an address,,,\nbob@example.org,weekly,#Afval,\nANNA@example.org,now,,\n"
			fails(t, in.run(file, "subscribers", "import", "--org", "demo"), ExitUsage, "no consent column")
			fails(t, in.run(file, "subscribers", "import", "--org", "demo", "--consent", "x"), ExitUsage, "go together")
			out := in.run(file, "subscribers", "import", "--org", "demo", "--consent", "Nieuwsbrief via www.example.org, dubbele opt-in", "--consent-date", "2024-06-01")
			if out.code != 0 || !strings.Contains(out.stdout, "imported 2 subscribers of @demo; 1 were subscribed already; 0 left out") ||
				!strings.Contains(out.stdout, "left out 1 rows") || !strings.Contains(out.stdout, "lines 3") {
				t.Fatalf("import: %+v", out)
			}

			app := in.openApp()
			ctx := context.Background()
			o, err := app.Orgs.ByHandle(ctx, "demo")
			if err != nil {
				t.Fatal(err)
			}
			hash, _ := app.Subscriptions.AddressHash(ctx, "dave@example.org")
			if err := app.Store.PutSuppression(ctx, o.ID, hash, "unsubscribed", time.Now()); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "subscribers.csv")
			if err := os.WriteFile(path, []byte("Email,Consent,Consent_at\ncarol@example.org,Nieuwsbrief 2023,2023-03-01\ndave@example.org,Nieuwsbrief 2023,2023-03-01\neve@example.org,,\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if out := in.ok("subscribers", "import", "--org", "demo", path); !strings.Contains(out, "imported 1 subscribers of @demo; 0 were subscribed already; 1 left out") || !strings.Contains(out, "lines 4") {
				t.Errorf("import of a file with consent per row: %q", out)
			}

			list := in.ok("subscribers", "list", "--org", "demo")
			for _, want := range []string{"anna@example.org   active", "bob@example.org", "#afval", "weekly", "carol@example.org"} {
				if !strings.Contains(list, want) {
					t.Errorf("list lacks %q:\n%s", want, list)
				}
			}
			if strings.Contains(list, "dave@") || strings.Contains(list, "eve@") {
				t.Errorf("list has an address left out:\n%s", list)
			}
			hash, _ = app.Subscriptions.AddressHash(ctx, "carol@example.org")
			sub, err := app.Store.SubscriptionByEmail(ctx, o.ID, hash)
			if err != nil || sub.State != model.SubscriptionActive || sub.ConfirmedAt.IsZero() || sub.Consent != "Nieuwsbrief 2023" ||
				!sub.ConsentAt.Equal(time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("imported subscription: %+v, %v", sub, err)
			}

			r := in.run("", "subscribers", "export", "--org", "demo")
			if r.code != 0 || !strings.Contains(r.stderr, "exported 3 subscribers") {
				t.Fatalf("export: %+v", r)
			}
			rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
			if err != nil || len(rows) != 4 || strings.Join(rows[0], ",") != "email,tag,frequency,lang,confirmed_at,consent,consent_at" {
				t.Fatalf("export: %v\n%s", err, r.stdout)
			}
			if !strings.Contains(r.stdout, "bob@example.org,afval,weekly,nl,") || !strings.Contains(r.stdout, "Nieuwsbrief 2023,2023-03-01T00:00:00Z") {
				t.Errorf("export:\n%s", r.stdout)
			}
			if log := in.ok("org", "log", "--org", "demo"); !strings.Contains(log, "subscribers.import") || !strings.Contains(log, "subscribers.export") {
				t.Errorf("audit log:\n%s", log)
			}
			// What was exported imports again, into another organisation.
			in.ok("org", "create", "--handle", "ander", "--name", "Andere gemeente")
			if out := in.run(r.stdout, "subscribers", "import", "--org", "ander", "-"); out.code != 0 || !strings.Contains(out.stdout, "imported 3 subscribers") {
				t.Errorf("import of an export: %+v", out)
			}
		})
	}
}
