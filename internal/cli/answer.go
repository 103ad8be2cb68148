package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"plein/internal/config"
	"plein/internal/post"
)

func runPostReplies(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID [flags]", `
Lists the replies from the Fediverse to a post, with their ids for
'plein post answer'. Replies are kept sanitised, awaiting moderation.`)
	f.dataFlags(&cfg)
	pos, err := e.parse(f, args, "post id")
	if err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	p, _, err := e.post(app, pos[0])
	if err != nil {
		return err
	}
	replies, err := app.Federation.Replies(e.ctx, p.ID)
	if err != nil {
		return err
	}
	if len(replies) == 0 {
		fmt.Fprintln(e.stdout, "no replies")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REPLY ID\tFROM\tRECEIVED (UTC)\tSTATE")
	for _, r := range replies {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.ActorID, r.ReceivedAt.UTC().Format("2006-01-02 15:04"), r.State)
	}
	return tw.Flush()
}

func runPostAnswer(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--reply REPLY-ID --text TEXT [--as EMAIL] [flags]", `
Publishes the organisation's public answer to a citizen's reply: a post in
reply to it that mentions its author, delivered to the organisation's
followers and to the author's server. Editors and moderators may answer.`)
	f.dataFlags(&cfg)
	reply := f.String("reply", "", "`id` of the reply, from 'plein post replies' (required)")
	text := f.String("text", "", "the answer in Markdown; - reads it from standard input (required)")
	as := f.String("as", "", asUsage)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"reply": *reply, "text": *text}); err != nil {
		return err
	}
	body := *text
	if body == "-" {
		b, err := io.ReadAll(io.LimitReader(e.stdin, 4*post.MaxTextLength+1))
		if err != nil {
			return fmt.Errorf("reading the answer from standard input: %w", err)
		}
		body = strings.TrimSpace(string(b))
	}
	app, actor, err := e.openAs(cfg, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	p, err := app.Posts.Answer(e.ctx, actor, *reply, body)
	if errors.Is(err, post.ErrNoReply) {
		return fmt.Errorf("no reply with id %q; 'plein post replies POST-ID' lists them", *reply)
	}
	if err != nil {
		return forbidden(err, *as, "answer replies")
	}
	fmt.Fprintf(e.stdout, "published answer %s\n", p.ID)
	return nil
}
