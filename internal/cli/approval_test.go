package cli

import (
	"strings"
	"testing"

	"plein/internal/store/storetest"
)

// TestApprovalCommands runs the commands of four-eyes publishing as the
// issue names them, on both engines: the setting, a post of an editor
// awaiting approval, self-approval refused in both languages, a return
// with a note, a resubmission, an approval, and the operator who must give
// a reason.
func TestApprovalCommands(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			in := &inst{t: t, data: t.TempDir()}
			if engine == "postgres" {
				in.db = storetest.NewPostgresDatabase(t)
			}
			in.ok("migrate")
			in.ok("org", "create", "--handle", "ede", "--name", "Gemeente Ede")
			for email, role := range map[string]string{"eva@ede.nl": "editor", "ad@ede.nl": "approver", "bo@ede.nl": "admin"} {
				in.ok("user", "create", "--email", email)
				in.ok("user", "add-to-org", "--email", email, "--org", "ede", "--role", role)
			}
			if out := in.ok("user", "list"); !strings.Contains(out, "approver @ede") {
				t.Errorf("user list:\n%s", out)
			}
			out := in.ok("org", "update", "--org", "ede", "--require-approval")
			if !strings.Contains(out, "@ede publishes posts and edits only after approval") {
				t.Errorf("org update: %q", out)
			}

			// An editor's post awaits approval.
			out = in.ok("post", "create", "--org", "ede", "--text", "Wegwerkzaamheden op de Parkweg", "--as", "eva@ede.nl")
			id := postID(t, out)
			if !strings.Contains(out, "awaits approval") {
				t.Errorf("post create --as editor: %q", out)
			}
			if list := in.ok("post", "list", "--org", "ede", "--state", "awaiting"); !strings.Contains(list, id+"  awaiting") {
				t.Errorf("post list --state awaiting:\n%s", list)
			}
			// Nobody approves their own post, in both languages.
			r := in.run("", "post", "approve", id, "--as", "eva@ede.nl")
			fails(t, r, ExitFailure, "eva@ede.nl may not approve posts of @ede")
			id2 := postID(t, in.ok("post", "create", "--org", "ede", "--text", "Bericht van de eindredacteur", "--as", "ad@ede.nl"))
			r = in.run("", "post", "approve", id2, "--as", "ad@ede.nl")
			fails(t, r, ExitFailure, "You wrote (part of) this post yourself and so may not approve it")
			if !strings.Contains(r.stderr, " / U schreef (een deel van) dit bericht zelf") {
				t.Errorf("refusal not in Dutch: %q", r.stderr)
			}
			fails(t, in.run("", "post", "approve", id), ExitFailure, "Give --as ADDRESS. / Goedkeuren en terugsturen gebeurt op naam")
			// Returned with a note, changed, submitted again, approved.
			fails(t, in.run("", "post", "return", id, "--as", "ad@ede.nl"), ExitFailure, "Write a note for the author")
			if out := in.ok("post", "return", id, "--note", "Noem de omleiding", "--as", "ad@ede.nl"); !strings.Contains(out, "returned post "+id) {
				t.Errorf("post return: %q", out)
			}
			list := in.ok("post", "approvals", "--org", "ede", "--as", "ad@ede.nl")
			if !strings.Contains(list, id2+"  post  awaiting") || !strings.Contains(list, "returned: Noem de omleiding") {
				t.Errorf("post approvals:\n%s", list)
			}
			fails(t, in.run("", "post", "approvals", "--org", "ede", "--as", "eva@ede.nl"), ExitFailure, "eva@ede.nl may not see what awaits approval at @ede")
			in.ok("post", "edit", id, "--text", "Wegwerkzaamheden op de Parkweg; omleiding via de Stationsweg", "--as", "eva@ede.nl")
			if out := in.ok("post", "publish", id, "--as", "eva@ede.nl"); !strings.Contains(out, "awaits approval") {
				t.Errorf("resubmit: %q", out)
			}
			if out := in.ok("post", "approve", id, "--as", "ad@ede.nl"); !strings.Contains(out, "approved: published post "+id) {
				t.Errorf("post approve: %q", out)
			}
			in.ok("post", "approve", id2, "--as", "bo@ede.nl")

			// An edit of a published post awaits approval too.
			out = in.ok("post", "edit", id, "--text", "De Parkweg is weer open", "--as", "eva@ede.nl")
			if !strings.Contains(out, "awaits approval; until it is approved the published version stays") {
				t.Errorf("edit of a published post: %q", out)
			}
			if list := in.ok("post", "approvals", "--org", "ede"); !strings.Contains(list, id+"  edit  awaiting") || !strings.Contains(list, "De Parkweg is weer open") {
				t.Errorf("post approvals with an edit:\n%s", list)
			}
			in.ok("post", "approve", id, "--as", "bo@ede.nl")

			// The operator publishing needs a reason, and it is audited.
			fails(t, in.run("", "post", "create", "--org", "ede", "--text", "Stroomstoring"), ExitFailure,
				"publishing without an account needs a stated reason, which the audit log keeps. Give --reason TEXT. / Deze organisatie publiceert alleen na goedkeuring")
			fails(t, in.run("", "post", "create", "--org", "ede", "--text", "Stroomstoring", "--reason", "Brand", "--as", "eva@ede.nl"), ExitFailure,
				"Only admins may publish directly")
			out = in.ok("post", "create", "--org", "ede", "--text", "Stroomstoring in Ede-Zuid", "--reason", "Storing treft duizenden huishoudens")
			if !strings.Contains(out, "published post") {
				t.Errorf("crisis publication: %q", out)
			}
			in.ok("post", "create", "--org", "ede", "--text", "Concept", "--draft")

			log := in.ok("org", "log", "--org", "ede")
			for _, want := range []string{"org.approval", "post.create.awaiting", "post.return", "post.submit", "post.approve", "post.edit.submit",
				"post.approve.edit", "post.crisis", "giving the reason ‘Storing treft duizenden huishoudens’",
				"with the note ‘Noem de omleiding’", "set Gemeente Ede (@ede) to publish only after approval, corrections included"} {
				if !strings.Contains(log, want) {
					t.Errorf("log lacks %q:\n%s", want, log)
				}
			}

			// Corrections, then off again.
			out = in.ok("org", "update", "--org", "ede", "--correction-distance", "3")
			if !strings.Contains(out, "corrections of at most 3 characters") {
				t.Errorf("correction distance: %q", out)
			}
			fails(t, in.run("", "org", "update", "--org", "ede", "--correction-distance", "99"), ExitFailure, "from 0 to 20")
			in.ok("org", "update", "--org", "ede", "--require-approval=false")
			if out := in.ok("post", "create", "--org", "ede", "--text", "Gewoon bericht", "--as", "eva@ede.nl"); !strings.Contains(out, "published post") {
				t.Errorf("after --require-approval=false: %q", out)
			}
		})
	}
}
