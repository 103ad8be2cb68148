package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"plein/internal/config"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/moderation"
)

func runModerationComplaints(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--state open|upheld|rejected] [--as EMAIL] [flags]", `
Lists the complaints of authors about the refusal or removal of their
reply (Digital Services Act, Art. 20), oldest first, the complaint's id
first on each line, for 'plein moderation decide-complaint'. Without
--state every complaint is listed.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	state := f.String("state", "", "the `state` to list: open, upheld or rejected")
	as := f.String("as", "", asUsage)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle}); err != nil {
		return err
	}
	var st model.ComplaintState
	if *state != "" {
		var err error
		if st, err = moderation.ParseComplaintState(*state); err != nil {
			return &usageError{msg: bilingualText(err)}
		}
	}
	app, o, actor, err := e.openOrg(cfg, *handle, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	items, err := app.Moderation.Complaints(e.ctx, actor, o.ID, st)
	if err != nil {
		return forbidden(err, *as, "read complaints")
	}
	if len(items) == 0 {
		fmt.Fprintln(e.stdout, "no complaints")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COMPLAINT ID\tSTATE\tRECEIVED (UTC)\tVIA\tFROM\tSTATEMENT\tDECIDED BY\tREPLY\tTEXT")
	for _, it := range items {
		c := it.Complaint
		decidedBy := "-"
		if it.Statement != nil {
			decidedBy = it.Statement.DecidedByName
			if decidedBy == "" {
				decidedBy = "operator"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.State, c.ReceivedAt.UTC().Format("2006-01-02 15:04"),
			c.Source, it.Author, c.StatementID, decidedBy, c.ReplyID, excerpt(c.Content))
	}
	return tw.Flush()
}

func runModerationDecideComplaint(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID --outcome upheld|rejected --explanation TEXT --as EMAIL [flags]", `
Decides a complaint about a moderation decision. upheld reverses the
decision: the reply is shown again under its post. rejected keeps it.
The author is sent the outcome and the explanation as a direct message
in the post's language. Only a moderator or admin of the organisation
who did not take the decision complained about may decide, named with
--as.`)
	f.dataFlags(&cfg)
	outcome := f.String("outcome", "", "`outcome`: upheld or rejected (required)")
	explanation := f.String("explanation", "", "why, for the author (required)")
	as := f.String("as", "", "e-mail `address` of the staff member who decides (required)")
	pos, err := e.parse(f, args, "complaint id")
	if err != nil {
		return err
	}
	if err := required(f, map[string]string{"outcome": *outcome, "explanation": *explanation, "as": *as}); err != nil {
		return err
	}
	o, err := moderation.ParseOutcome(*outcome)
	if err != nil {
		return &usageError{msg: bilingualText(err)}
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	c, err := app.Moderation.DecideComplaint(e.ctx, actor, pos[0], o, *explanation)
	switch {
	case errors.Is(err, moderation.ErrNoComplaint):
		return &wrapped{msg: fmt.Sprintf("no complaint with id %q; 'plein moderation complaints --org HANDLE' lists them", pos[0]), err: err}
	case err != nil:
		if _, ok := moderation.AsRefusal(err); ok {
			return &wrapped{msg: bilingualText(err), err: err}
		}
		if _, ok := model.AsFieldError(err); ok {
			return errors.New(bilingualText(err)) // both languages, not the field error's English
		}
		return forbidden(err, *as, "decide complaints")
	}
	what := "rejected: the decision stands"
	if c.State == model.ComplaintUpheld {
		what = "upheld: the decision is reversed and the reply shown again"
	}
	fmt.Fprintf(e.stdout, "complaint %s %s; the author is sent the outcome\n", c.ID, what)
	return nil
}

// bilingualText is the message of a refusal or field error in English and
// Dutch.
func bilingualText(err error) string {
	if r, ok := moderation.AsRefusal(err); ok {
		return r.Message.Sentence("en") + " / " + r.Message.Sentence("nl")
	}
	if fe, ok := model.AsFieldError(err); ok {
		if m, ok := fe.Message.(i18n.Message); ok {
			return m.Sentence("en") + " / " + m.Sentence("nl")
		}
		return strings.TrimSpace(fe.In("en") + " / " + fe.In("nl"))
	}
	return err.Error()
}
