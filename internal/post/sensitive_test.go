package post_test

import (
	"context"
	"strings"
	"testing"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/post"
)

// TestSensitiveGuard proves that a post holding a BSN, an IBAN or a
// passport number is refused, naming the kinds and not the numbers, until
// its author confirms it, and that the confirmation is in the audit log.
func TestSensitiveGuard(t *testing.T) {
	forEachEngine(t, func(t *testing.T, srv *pleintest.Server) {
		ctx := context.Background()
		op := auth.Operator()
		o := srv.Org(t, "zwolle")
		text := "BSN 111222333, IBAN NL91ABNA0417164300, paspoort NXC3R8P41"

		_, err := srv.App.Posts.Create(ctx, op, o.ID, post.Input{Text: text}, post.When{})
		fe, ok := model.AsFieldError(err)
		if !ok || fe.Field != post.FieldSensitive {
			t.Fatalf("create: %v, want a field error on %s", err, post.FieldSensitive)
		}
		want := "a BSN (citizen service number), an IBAN (bank account number) and a passport or identity-card number"
		if en := fe.In("en"); !strings.Contains(en, want) || strings.Contains(en, "111222333") {
			t.Errorf("message %q, want it to name %q and not the number", en, want)
		}
		if nl := fe.In("nl"); !strings.Contains(nl, "een BSN (burgerservicenummer)") {
			t.Errorf("Dutch message %q", nl)
		}
		if n := countPosts(t, srv, o.ID); n != 0 {
			t.Fatalf("%d posts stored after the refusal", n)
		}
		// In a drafts too, and in a content warning or an alt text.
		if _, err := srv.App.Posts.Create(ctx, op, o.ID, post.Input{Text: "Betalen", Summary: "IBAN NL91ABNA0417164300"}, post.When{Draft: true}); err == nil {
			t.Error("an IBAN in the content warning of a draft was saved")
		}

		p, err := srv.App.Posts.Create(ctx, op, o.ID, post.Input{Text: text, AllowSensitive: true}, post.When{})
		if err != nil {
			t.Fatalf("create with the confirmation: %v", err)
		}
		plain := srv.Post(t, o, "Het zwembad is open")
		if _, err := srv.App.Posts.Edit(ctx, op, plain.ID, post.Input{Text: "Betaal op NL91 ABNA 0417 1643 00"}); err == nil {
			t.Error("an edit adding an IBAN was saved")
		}
		if _, err := srv.App.Posts.Edit(ctx, op, plain.ID, post.Input{Text: "Betaal op NL91 ABNA 0417 1643 00", AllowSensitive: true}); err != nil {
			t.Fatalf("edit with the confirmation: %v", err)
		}
		// A number without a context word is ordinary text.
		if _, err := srv.App.Posts.Create(ctx, op, o.ID, post.Input{Text: "Zaak 111222333 is gesloten"}, post.When{}); err != nil {
			t.Errorf("a bare nine-digit number was refused: %v", err)
		}

		lines, err := srv.App.Auth.AuditLines(ctx, op, o.ID, 20)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range lines {
			if l.Entry.Action == post.AuditSensitive {
				got = append(got, l.Entry.Target+" "+l.Sentence.In("en"))
			}
		}
		wantLines := []string{
			plain.ID + " The operator on the command line confirmed after a warning that the post ‘Betaal op •••• •••• •••• •••• ••’ may contain an IBAN (bank account number)",
			p.ID + " The operator on the command line confirmed after a warning that the post ‘BSN •••••••••, IBAN ••••••••••••••••••, paspoort •••••••••’ may contain " + want,
		}
		if strings.Join(got, "\n") != strings.Join(wantLines, "\n") {
			t.Errorf("audit sentences:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantLines, "\n"))
		}
	})
}
