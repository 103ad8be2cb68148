package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"plein/internal/config"
	"plein/internal/contact"
	"plein/internal/model"
	"plein/internal/server"
)

// stateNames lists the states of a question for messages.
const stateNames = "new, in_progress, answered, closed or held"

func runInboxList(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--state STATE] [--topic TOPIC] [flags]", `
Lists the questions citizens sent an organisation through its contact form
or as direct messages on the Fediverse, newest first: id, reference, state,
when it arrived (in the organisation's time zone), the answer address, who
it is assigned to and the start of the question. Without --state every
question but those held for review is listed; --topic lists only those on
one topic of the contact form (or general, other). Sensitive
numbers (BSN, IBAN, passport) are masked; 'plein inbox show ID --reveal'
shows them and records that in the audit log.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	state := f.String("state", "", "only questions in this `state`: "+stateNames)
	topicFlag := f.String("topic", "", "only questions on this `topic` of the contact form")
	as := f.String("as", "", asUsage)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle}); err != nil {
		return err
	}
	var states []model.QuestionState
	if *state != "" {
		st, ok := contact.ParseState(*state)
		if !ok {
			return usageErrorf("--state %q: use %s", *state, stateNames)
		}
		states = append(states, st)
	}
	app, o, actor, err := e.openOrg(cfg, *handle, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	topic, err := e.topicFilter(app, o, *topicFlag)
	if err != nil {
		return err
	}
	items, err := app.Contact.InboxOnTopic(e.ctx, actor, o.ID, topic, states...)
	if err != nil {
		return forbidden(err, *as, "read the inbox of @"+o.Handle)
	}
	if len(items) == 0 {
		fmt.Fprintf(e.stdout, "@%s has no questions\n", o.Handle)
		return nil
	}
	loc := location(o)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tREFERENCE\tSTATE\tRECEIVED (%s)\tFROM\tASSIGNED\tTOPIC\tQUESTION\n", loc)
	for _, it := range items {
		assigned := "-"
		if it.Assignee != nil {
			assigned = it.Assignee.Email
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.ID, it.Reference, it.State, it.ReceivedAt.In(loc).Format(localLayout),
			it.ReplyTo, assigned, topicCell(it.Topic), firstLine(it.Text, 60))
	}
	return tw.Flush()
}

// inboxError rewrites the errors of a command on the question id for the
// command line.
func (e *env) inboxError(err error, id, as string) error {
	if errors.Is(err, contact.ErrNotFound) {
		return fmt.Errorf("no question has the id %q; 'plein inbox list --org HANDLE' shows them", id)
	}
	return forbidden(err, as, "read this inbox")
}

func runInboxShow(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID [--reveal] [flags]", `
Shows a question with its answers. Sensitive numbers in it are masked
unless --reveal is given, which the audit log records.`)
	f.dataFlags(&cfg)
	reveal := f.Bool("reveal", false, "show sensitive numbers (recorded in the audit log)")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "question id")
	if err != nil {
		return err
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	it, err := app.Contact.Question(e.ctx, actor, pos[0], *reveal)
	if err != nil {
		return e.inboxError(err, pos[0], *as)
	}
	printQuestion(e, app, it)
	return nil
}

func printQuestion(e *env, app *server.App, it *contact.Item) {
	loc := time.UTC
	if o, err := app.Store.OrgByID(e.ctx, it.OrgID); err == nil {
		loc = location(o)
	}
	fmt.Fprintf(e.stdout, "Reference: %s\nState:     %s\nReceived:  %s\nFrom:      %s", it.Reference, it.State,
		it.ReceivedAt.In(loc).Format(localLayout), it.ReplyTo)
	if it.Name != "" {
		fmt.Fprintf(e.stdout, " (%s)", it.Name)
	}
	fmt.Fprintf(e.stdout, "\nTopic:     %s\n", it.Topic)
	if it.ActorID != "" {
		fmt.Fprintf(e.stdout, "Source:    Fediverse direct message %s\n", it.NoteID)
	}
	if it.Assignee != nil {
		fmt.Fprintf(e.stdout, "Assigned:  %s\n", it.Assignee.Email)
	}
	if it.Complaint {
		fmt.Fprintln(e.stdout, "Complaint: yes")
	}
	if it.Masked {
		fmt.Fprintln(e.stdout, "Sensitive numbers are masked; --reveal shows them.")
	}
	fmt.Fprintf(e.stdout, "\n%s\n", it.Text)
	for _, a := range it.Answers {
		sent := "not sent yet"
		if !a.SentAt.IsZero() {
			sent = "sent " + a.SentAt.In(loc).Format(localLayout)
		}
		fmt.Fprintf(e.stdout, "\n--- answer by %s, %s (%s)\n%s\n", a.Author, a.CreatedAt.In(loc).Format(localLayout), sent, a.Text)
	}
	for _, n := range it.Notes {
		fmt.Fprintf(e.stdout, "\n--- internal note by %s, %s (never sent)\n%s\n", n.Author, n.CreatedAt.In(loc).Format(localLayout), n.Text)
	}
}

func runInboxState(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID --state STATE [flags]", `
Sets a question's state: new (also to let in a question held for review),
in_progress, answered, closed or held.`)
	f.dataFlags(&cfg)
	state := f.String("state", "", "the new `state`: "+stateNames+" (required)")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "question id")
	if err != nil {
		return err
	}
	if err := required(f, map[string]string{"state": *state}); err != nil {
		return err
	}
	st, ok := contact.ParseState(*state)
	if !ok {
		return usageErrorf("--state %q: use %s", *state, stateNames)
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	q, err := app.Contact.SetState(e.ctx, actor, pos[0], st)
	if err != nil {
		return e.inboxError(err, pos[0], *as)
	}
	fmt.Fprintf(e.stdout, "question %s (%s) is %s\n", q.ID, q.Reference, strings.ReplaceAll(string(q.State), "_", " "))
	return nil
}

func runInboxAnswer(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID --text TEXT [flags]", `
Answers a question and marks it answered: by e-mail to an e-mail address,
through the configured relay, or as a direct message to a Fediverse
address (@user@server), addressed to that person only. The running server
sends it; --text - reads the answer from standard input.`)
	f.dataFlags(&cfg)
	text := f.String("text", "", "the answer, or - to read it from standard input (required unless --saved)")
	saved := f.String("saved", "", "answer with the saved answer of this `id` ('plein inbox saved list')")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "question id")
	if err != nil {
		return err
	}
	if *saved == "" {
		if err := required(f, map[string]string{"text": *text}); err != nil {
			return err
		}
	} else if *text != "" {
		return usageErrorf("%s takes --text or --saved, not both", f.name())
	}
	var body string
	if *text != "" {
		if body, err = e.readText(*text); err != nil {
			return err
		}
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	if *saved != "" {
		q, err := app.Contact.Question(e.ctx, actor, pos[0], false)
		if err != nil {
			return e.inboxError(err, pos[0], *as)
		}
		sa, err := app.Contact.SavedAnswer(e.ctx, actor, q.OrgID, *saved)
		if errors.Is(err, contact.ErrSavedNotFound) {
			return fmt.Errorf("the organisation has no saved answer with the id %q; 'plein inbox saved list --org HANDLE' shows them", *saved)
		}
		if err != nil {
			return e.inboxError(err, pos[0], *as)
		}
		body = sa.Text
	}
	a, err := app.Contact.Answer(e.ctx, actor, pos[0], body)
	if err != nil {
		return e.inboxError(err, pos[0], *as)
	}
	how := "by e-mail"
	if it, err := app.Store.QuestionByID(e.ctx, a.QuestionID); err == nil && strings.HasPrefix(it.ReplyTo, "@") {
		how = "as a direct message on the Fediverse"
	}
	fmt.Fprintf(e.stdout, "answer %s to question %s queued for sending %s\n", a.ID, a.QuestionID, how)
	return nil
}
