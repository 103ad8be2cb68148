package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/model"
	"plein/internal/store/storetest"
)

// TestInboxTopics sets the topics of the contact form on the command line
// on both engines: only an admin may, bad lists are refused, --topics ""
// clears them, the list of questions shows each question's topic and
// filters on one with --topic, and the audit log has each change.
func TestInboxTopics(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			in := &inst{t: t, data: t.TempDir()}
			if e.Name == "postgres" {
				in.db = storetest.NewPostgresDatabase(t)
			}
			in.ok("migrate")
			in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
			in.ok("user", "create", "--email", "mod@demo.example")
			in.ok("user", "add-to-org", "--email", "mod@demo.example", "--org", "demo", "--role", "moderator")

			if out := in.ok("inbox", "settings", "--org", "demo"); !strings.Contains(out, "topics:            none (a general question only)") {
				t.Errorf("settings without topics:\n%s", out)
			}
			for _, tc := range []struct {
				name, topics, as string
				code             int
				want             string
			}{
				{"a moderator", "Afval", "mod@demo.example", ExitFailure, "may not change the topics of @demo"},
				{"duplicate", "Afval;afval", "", ExitFailure, "the topic ‘afval’ is there twice"},
				{"too long", strings.Repeat("a", 61), "", ExitFailure, "a topic is 1 to 60 characters long"},
				{"too many", manyTopics(21), "", ExitFailure, "give at most 20 topics"},
				{"reserved", "Afval;Other", "", ExitFailure, "cannot be a topic"},
			} {
				args := []string{"inbox", "settings", "--org", "demo", "--topics", tc.topics}
				if tc.as != "" {
					args = append(args, "--as", tc.as)
				}
				fails(t, in.run("", args...), tc.code, tc.want)
			}
			out := in.ok("inbox", "settings", "--org", "demo", "--topics", " Afval ; Parkeren;;Belastingen ")
			if !strings.Contains(out, "topics:            Afval; Parkeren; Belastingen; (other)") || !strings.Contains(out, "readers:") {
				t.Errorf("settings with topics:\n%s", out)
			}
			// Changing another setting keeps the topics.
			if out := in.ok("inbox", "settings", "--org", "demo", "--notify", "false"); !strings.Contains(out, "topics:            Afval; Parkeren; Belastingen") {
				t.Errorf("topics lost by another setting:\n%s", out)
			}

			app := in.openApp()
			ctx := context.Background()
			o, err := app.Orgs.ByHandle(ctx, "demo")
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC()
			for i, topic := range []string{"Parkeren", "Afval", "other"} {
				at := now.Add(time.Duration(i) * time.Minute)
				q := &model.Question{ID: model.NewID(at), OrgID: o.ID, Reference: "V-TOPC-000" + string(rune('1'+i)), Topic: topic,
					ReplyTo: "anna@example.org", Text: "Vraag over " + topic, Lang: "nl", State: model.QuestionNew, ReceivedAt: at, UpdatedAt: at}
				if err := app.Store.CreateQuestion(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			app.Close()

			out = in.ok("inbox", "list", "--org", "demo")
			if !strings.Contains(out, "TOPIC") || !strings.Contains(out, "Parkeren") || !strings.Contains(out, "Afval") || !strings.Contains(out, "other") {
				t.Errorf("list lacks the topics:\n%s", out)
			}
			for _, tc := range []struct{ topic, want, not string }{
				{"parkeren", "V-TOPC-0001", "V-TOPC-0002"},
				{"Afval", "V-TOPC-0002", "V-TOPC-0001"},
				{"other", "V-TOPC-0003", "V-TOPC-0002"},
			} {
				out := in.ok("inbox", "list", "--org", "demo", "--topic", tc.topic)
				if !strings.Contains(out, tc.want) || strings.Contains(out, tc.not) {
					t.Errorf("list --topic %s:\n%s", tc.topic, out)
				}
			}
			if out := in.ok("inbox", "list", "--org", "demo", "--topic", "general"); !strings.Contains(out, "@demo has no questions") {
				t.Errorf("list --topic general:\n%s", out)
			}
			fails(t, in.run("", "inbox", "list", "--org", "demo", "--topic", "Sport"), ExitUsage, "@demo has no such topic")

			out = in.ok("inbox", "settings", "--org", "demo", "--topics", "")
			if !strings.Contains(out, "topics:            none (a general question only)") {
				t.Errorf("settings after clearing:\n%s", out)
			}

			app = in.openApp()
			defer app.Close()
			lines, err := app.Auth.AuditLines(ctx, auth.Operator(), o.ID, 20)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range lines {
				got = append(got, l.Sentence.In("en")+" | "+l.Sentence.In("nl"))
			}
			all := strings.Join(got, "\n")
			for _, want := range []string{
				"set the topics of the contact form: Afval; Parkeren; Belastingen | ",
				"stelde de onderwerpen van het contactformulier in: Afval; Parkeren; Belastingen",
				"removed the topics of the contact form",
				"haalde de onderwerpen van het contactformulier weg",
			} {
				if !strings.Contains(all, want) {
					t.Errorf("audit log lacks %q:\n%s", want, all)
				}
			}
		})
	}
}

// manyTopics returns n different topics separated by semicolons.
func manyTopics(n int) string {
	var b []string
	for i := range n {
		b = append(b, "Onderwerp "+string(rune('A'+i)))
	}
	return strings.Join(b, ";")
}
