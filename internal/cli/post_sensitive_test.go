package cli

import (
	"context"
	"strings"
	"testing"

	"plein/internal/auth"
	"plein/internal/post"
)

// TestPostSensitive proves that post create and post edit refuse a text
// holding a BSN, an IBAN or a passport number with exit 1 and a message
// naming the kinds (never the numbers), store nothing, and save it with
// --allow-sensitive, which the audit log records.
func TestPostSensitive(t *testing.T) {
	t.Parallel()
	in := newInst(t)
	in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
	text := "BSN 111222333, IBAN NL91ABNA0417164300, paspoort NXC3R8P41"

	line := fails(t, in.run("", "post", "create", "--org", "demo", "--text", text), ExitFailure,
		"the text seems to contain a BSN (citizen service number), an IBAN (bank account number) and a passport or identity-card number")
	for _, number := range []string{"111222333", "NL91ABNA0417164300", "NXC3R8P41"} {
		if strings.Contains(line, number) {
			t.Errorf("the refusal repeats %s: %q", number, line)
		}
	}
	if !strings.Contains(line, "--allow-sensitive") {
		t.Errorf("the refusal does not name --allow-sensitive: %q", line)
	}
	if out := in.ok("post", "list", "--org", "demo"); strings.Contains(out, "BSN") {
		t.Fatalf("a refused post was stored: %s", out)
	}
	created := postID(t, in.ok("post", "create", "--org", "demo", "--text", text, "--allow-sensitive"))

	plain := postID(t, in.ok("post", "create", "--org", "demo", "--text", "De markt is verplaatst."))
	fails(t, in.run("", "post", "edit", plain, "--text", "Betaal op NL91 ABNA 0417 1643 00."), ExitFailure,
		"the text seems to contain an IBAN (bank account number)")
	in.ok("post", "edit", plain, "--text", "Betaal op NL91 ABNA 0417 1643 00.", "--allow-sensitive")

	app := in.openApp()
	o, err := app.Orgs.ByHandle(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := app.Auth.AuditLog(context.Background(), auth.Operator(), o.ID, 20)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.Action == post.AuditSensitive {
			got = append(got, e.Target+" "+e.Detail)
		}
	}
	if want := []string{plain + " iban", created + " bsn,iban,id-document"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("audited confirmations %q, want %q", got, want)
	}
}
