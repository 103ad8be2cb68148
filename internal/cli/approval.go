package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/post"
	"plein/internal/server"
)

// reasonUsage describes --reason of the commands that publish.
const reasonUsage = "where the organisation requires approval: publish at once without it, in a crisis, for this `reason` " +
	"(admins and the operator; recorded in the audit log); the operator must give one"

// bilingual rewrites a refusal of four-eyes publishing as one line in
// English and in Dutch, naming the flag that answers it; other errors,
// refusals of other kinds included, pass unchanged.
func bilingual(err error) error {
	fe, ok := model.AsFieldError(err)
	if !ok {
		return err
	}
	m, ok := fe.Message.(i18n.Message)
	if !ok || !strings.HasPrefix(string(m.Key), "error.approval.") {
		return err
	}
	en, nl := m.Sentence("en"), m.Sentence("nl")
	switch fe.Field {
	case post.FieldReason:
		en, nl = en+" Give --reason TEXT.", nl+" Geef --reason TEKST."
	case post.FieldAs:
		en, nl = en+" Give --as ADDRESS.", nl+" Geef --as ADRES."
	case post.FieldNote:
		en, nl = en+" Give --note TEXT.", nl+" Geef --note TEKST."
	}
	// Not wrapped: the command line shows this text, not the field's.
	return errors.New(en + " / " + nl)
}

func runPostApprove(e *env, path string, args []string) error {
	return e.decide(path, args, `
Approves a post, or an edit of a published post, that awaits approval in
an organisation that requires it: the post is published (or scheduled,
when its time is still to come; a time that passed while it waited
publishes it at once), the edit replaces the published version. Approvers
and admins may, never for a post they wrote or edited themselves; --as
names the approving account.`, false)
}

func runPostReturn(e *env, path string, args []string) error {
	return e.decide(path, args, `
Returns a post, or an edit of a published post, that awaits approval to
its author with a note saying what to change; the author is told by
e-mail, changes it and submits it again. Approvers and admins may; --as
names the account.`, true)
}

// decide runs post approve (note false) or post return.
func (e *env) decide(path string, args []string, about string, withNote bool) error {
	cfg := config.Default()
	usage := "ID --as ADDRESS [flags]"
	if withNote {
		usage = "ID --note TEXT --as ADDRESS [flags]"
	}
	f := newFlags(path, usage, about)
	f.dataFlags(&cfg)
	var note *string
	if withNote {
		note = f.String("note", "", "what the author should change (required)")
	}
	as := f.String("as", "", "e-mail `address` of the approving account (required: approval is done by name)")
	pos, err := e.parse(f, args, "post id")
	if err != nil {
		return err
	}
	app, p, o, actor, err := e.openPost(cfg, pos[0], *as)
	if err != nil {
		return err
	}
	defer app.Close()
	if withNote {
		if p, err = app.Posts.Return(e.ctx, actor, p.ID, *note); err != nil {
			return forbidden(bilingual(postError(err, pos[0])), *as, "return posts of @"+o.Handle)
		}
		fmt.Fprintf(e.stdout, "returned post %s to its author with the note; the author is told\n", p.ID)
		return nil
	}
	if p, err = app.Posts.Approve(e.ctx, actor, p.ID); err != nil {
		return forbidden(bilingual(postError(err, pos[0])), *as, "approve posts of @"+o.Handle)
	}
	fmt.Fprint(e.stdout, "approved: ")
	e.printPost(app, o, p)
	return nil
}

// setApprovalPolicy sets what of the approval policy of o the flags give
// and says what it is now.
func (e *env) setApprovalPolicy(app *server.App, o *model.Org, setRequired, required, setDistance bool, distance int) error {
	pol, err := app.Posts.Policy(e.ctx, o.ID)
	if err != nil {
		return err
	}
	if setRequired {
		pol.Required = required
	}
	if setDistance {
		pol.CorrectionDistance = distance
	}
	if err := app.Posts.SetPolicy(e.ctx, auth.Operator(), o.ID, pol); err != nil {
		return bilingual(err)
	}
	switch {
	case !pol.Required:
		fmt.Fprintf(e.stdout, "@%s publishes without approval\n", o.Handle)
	case pol.CorrectionDistance > 0:
		fmt.Fprintf(e.stdout, "@%s publishes posts and edits only after approval; corrections of at most %d characters pass without it\n", o.Handle, pol.CorrectionDistance)
	default:
		fmt.Fprintf(e.stdout, "@%s publishes posts and edits only after approval\n", o.Handle)
	}
	return nil
}

// profileChanging reports whether the flags given to org update change
// the profile, not only the approval policy.
func profileChanging(set map[string]bool) bool {
	for _, name := range []string{"name", "description", "lang", "timezone", "avatar", "no-avatar", "header",
		"header-alt", "no-header", "link", "also-known-as"} {
		if set[name] {
			return true
		}
	}
	return !set["require-approval"] && !set["correction-distance"] && !set["require-second-factor"]
}

func runPostApprovals(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [flags]", `
Lists what awaits approval in an organisation, oldest first, and what was
returned to its authors: new posts and edits of published posts, each with
its id (for 'plein post approve' and 'plein post return'), who submitted
it and when, and the first line of its text; a returned one with its note.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	as := f.String("as", "", "list as the staff account with this e-mail `address`; default: the operator")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle}); err != nil {
		return err
	}
	app, o, actor, err := e.openOrg(cfg, *handle, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	list, err := app.Posts.Approvals(e.ctx, actor, o.ID)
	if err != nil {
		return forbidden(err, *as, "see what awaits approval at @"+o.Handle)
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stdout, "nothing awaits approval at @%s\n", o.Handle)
		return nil
	}
	loc := location(o)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tKIND\tSTATE\tSUBMITTED (%s)\tBY\tTEXT\n", loc)
	for _, pd := range list {
		text, state, by := pd.Post.Text, "awaiting", pd.Author
		if pd.Kind == model.ApprovalEdit {
			text = pd.Text
		}
		if pd.Returned {
			state = "returned: " + firstLine(pd.Note, 40)
		}
		if by == "" {
			by = "operator"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", pd.PostID, pd.Kind, state, pd.SubmittedAt.In(loc).Format(localLayout), by, firstLine(text, 50))
	}
	return tw.Flush()
}
