package cli

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/post"
	"plein/internal/server"
)

// allowSensitiveUsage describes --allow-sensitive of post create and edit.
const allowSensitiveUsage = "save the post even though it seems to hold a BSN, an IBAN or a passport or identity-card number (recorded in the audit log)"

// sensitiveError rewrites the refusal of a post that holds sensitive
// numbers to name the flag that confirms it; other errors pass unchanged.
func sensitiveError(err error) error {
	if fe, ok := model.AsFieldError(err); ok && fe.Field == post.FieldSensitive {
		// Not wrapped: the command line shows this text, not the field's.
		return fmt.Errorf("%s; give --allow-sensitive to save it anyway", fe.In("en"))
	}
	return err
}

// localLayout is how times are written and read in an organisation's zone.
const localLayout = "2006-01-02 15:04"

// atUsage describes --at, which several commands share.
const atUsage = "`time` to publish: RFC 3339 (2026-05-04T09:30:00+02:00) or \"2026-05-04 09:30\" in the organisation's time zone"

// asUsage describes --as, which every command changing posts shares.
const asUsage = "act as the staff account with this e-mail `address`, with its role; default: the operator, who may do everything"

func runPostCreate(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE --text TEXT [--image FILE --alt TEXT]... [flags]", `
Writes a post of an organisation and publishes it now, schedules it (--at)
or keeps it as a draft (--draft). The text is Markdown of at most 10000
characters; --text - reads it from standard input. Each --image needs an
--alt describing it for people who cannot see it; the first --alt belongs
to the first --image, and so on. A post that holds a BSN, an IBAN or a
passport or identity-card number is refused, naming what was found, unless
--allow-sensitive confirms it (the audit log records the confirmation).
Where the organisation requires approval, a post to publish or schedule
awaits approval instead; the operator (without --as) must then give
--reason, and so publishes at once, as an admin may in a crisis.
Prints the post's id and address.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	text := f.String("text", "", "the post in Markdown, or - to read it from standard input (required)")
	summary := f.String("summary", "", "content `warning` shown before the text")
	lang := f.String("lang", "", "`language` of the post, such as nl or en; default: the organisation's")
	var images imageFlags
	images.define(f)
	at := f.String("at", "", atUsage)
	draft := f.Bool("draft", false, "keep the post as a draft")
	allow := f.Bool("allow-sensitive", false, allowSensitiveUsage)
	reason := f.String("reason", "", reasonUsage)
	as := f.String("as", "", asUsage)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle, "text": *text}); err != nil {
		return err
	}
	if *draft && *at != "" {
		return usageErrorf("--draft and --at exclude each other: a draft has no publication time yet")
	}
	if err := images.check(); err != nil {
		return err
	}
	body, err := e.readText(*text)
	if err != nil {
		return err
	}
	app, o, actor, err := e.openOrg(cfg, *handle, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	w := post.When{Draft: *draft, Reason: *reason}
	if *at != "" {
		if w.At, err = parseAt(*at, o); err != nil {
			return err
		}
	}
	uploads, closeAll, err := images.open()
	if err != nil {
		return err
	}
	defer closeAll()
	in := post.Input{Text: body, Summary: *summary, Language: *lang, Images: uploads, AllowSensitive: *allow}
	p, err := app.Posts.Create(e.ctx, actor, o.ID, in, w)
	if err != nil {
		return forbidden(bilingual(sensitiveError(err)), *as, "write posts of @"+o.Handle)
	}
	e.printPost(app, o, p)
	return nil
}

func runPostEdit(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID [--text TEXT] [--summary WARNING] [--lang LANGUAGE] [--image FILE --alt TEXT]... [flags]", `
Changes a post. What is not given keeps its value; the images the post has
are kept and new ones added. Every edit of a published post is kept as a
revision and shown in its public edit history. A post that holds a BSN, an
IBAN or a passport or identity-card number is refused unless
--allow-sensitive confirms it.`)
	f.dataFlags(&cfg)
	text := f.String("text", "", "new text in Markdown, or - to read it from standard input")
	summary := f.String("summary", "", "new content `warning`; an empty one removes it")
	lang := f.String("lang", "", "new `language` of the post")
	var images imageFlags
	images.define(f)
	allow := f.Bool("allow-sensitive", false, allowSensitiveUsage)
	reason := f.String("reason", "", reasonUsage)
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "post id")
	if err != nil {
		return err
	}
	if !f.given("text") && !f.given("summary") && !f.given("lang") && len(images.files) == 0 && len(images.alts) == 0 {
		return usageErrorf("%s: nothing to change; give --text, --summary, --lang or --image", f.name())
	}
	if err := images.check(); err != nil {
		return err
	}
	var body string
	if f.given("text") {
		if body, err = e.readText(*text); err != nil {
			return err
		}
	}
	app, p, o, actor, err := e.openPost(cfg, pos[0], *as)
	if err != nil {
		return err
	}
	defer app.Close()
	in := post.Input{Text: p.Text, Summary: p.Summary, Language: p.Language}
	if f.given("text") {
		in.Text = body
	}
	if f.given("summary") {
		in.Summary = *summary
	}
	if f.given("lang") {
		in.Language = *lang
	}
	for _, a := range p.Attachments {
		in.Images = append(in.Images, post.ImageInput{MediaID: a.MediaID, Alt: a.Alt})
	}
	uploads, closeAll, err := images.open()
	if err != nil {
		return err
	}
	defer closeAll()
	in.Images = append(in.Images, uploads...)
	in.AllowSensitive, in.Reason = *allow, *reason
	p, err = app.Posts.Edit(e.ctx, actor, p.ID, in)
	if err != nil {
		return forbidden(bilingual(sensitiveError(postError(err, pos[0]))), *as, "edit posts of @"+o.Handle)
	}
	if a, err := app.Posts.Approval(e.ctx, p.ID); err != nil {
		return err
	} else if a != nil && a.Kind == model.ApprovalEdit && !a.Returned {
		fmt.Fprintf(e.stdout, "the edit of post %s awaits approval; until it is approved the published version stays: %s\n", p.ID, postURL(app, o, p))
		return nil
	}
	fmt.Fprintf(e.stdout, "edited post %s (revision %d): %s\n", p.ID, p.Revisions, postURL(app, o, p))
	return nil
}

func runPostPublish(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID [--at TIME] [flags]", `
Publishes a draft or scheduled post now or, with --at, schedules it. Where
the organisation requires approval, it submits the post for approval
instead (a returned post again, once changed), unless --reason states a
crisis.`)
	f.dataFlags(&cfg)
	at := f.String("at", "", atUsage)
	reason := f.String("reason", "", reasonUsage)
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "post id")
	if err != nil {
		return err
	}
	app, p, o, actor, err := e.openPost(cfg, pos[0], *as)
	if err != nil {
		return err
	}
	defer app.Close()
	w := post.When{Reason: *reason}
	if *at != "" {
		if w.At, err = parseAt(*at, o); err != nil {
			return err
		}
	}
	p, err = app.Posts.Publish(e.ctx, actor, p.ID, w)
	if err != nil {
		return forbidden(bilingual(postError(err, pos[0])), *as, "publish posts of @"+o.Handle)
	}
	e.printPost(app, o, p)
	return nil
}

func runPostPin(e *env, path string, args []string) error {
	return e.changePost(path, args, "Pins a post to the top of its organisation's page.", "pin posts of",
		func(app *server.App, actor auth.Actor, p *model.Post) (*model.Post, error) {
			return app.Posts.Pin(e.ctx, actor, p.ID, true)
		}, "pinned")
}

func runPostUnpin(e *env, path string, args []string) error {
	return e.changePost(path, args, "Unpins a post; it stays published in its place by date.", "unpin posts of",
		func(app *server.App, actor auth.Actor, p *model.Post) (*model.Post, error) {
			return app.Posts.Pin(e.ctx, actor, p.ID, false)
		}, "unpinned")
}

func runPostDelete(e *env, path string, args []string) error {
	return e.changePost(path, args, `
Takes a post off every public page and feed. Its revisions stay in the
archive (public records); 'plein post purge' removes them for good.`, "delete posts of",
		func(app *server.App, actor auth.Actor, p *model.Post) (*model.Post, error) {
			return app.Posts.Delete(e.ctx, actor, p.ID)
		}, "deleted; it is off every public page and feed, and its revisions stay in the archive")
}

// changePost runs a command that changes one post given by id: change
// applies it, what names the permission in a refusal and done the result.
func (e *env) changePost(path string, args []string, about, what string,
	change func(app *server.App, actor auth.Actor, p *model.Post) (*model.Post, error), done string) error {
	cfg := config.Default()
	f := newFlags(path, "ID [flags]", about)
	f.dataFlags(&cfg)
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "post id")
	if err != nil {
		return err
	}
	app, p, o, actor, err := e.openPost(cfg, pos[0], *as)
	if err != nil {
		return err
	}
	defer app.Close()
	if _, err := change(app, actor, p); err != nil {
		return forbidden(postError(err, pos[0]), *as, what+" @"+o.Handle)
	}
	fmt.Fprintf(e.stdout, "post %s %s\n", p.ID, done)
	return nil
}

// purgeWarning explains what purge destroys.
const purgeWarning = "purge removes the post, every revision of its edit history and its images for good, " +
	"also from the public-records archive, and cannot be undone; it is meant for personal data published by mistake. " +
	"To take a post off public pages and keep the record, use 'plein post delete'"

func runPostPurge(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID --yes [flags]", `
Removes a post, every revision of its edit history and its images for good,
also from the public-records archive. This cannot be undone; it is meant
for personal data published by mistake. Only instance administrators (and
the operator) may purge. To take a post off public pages and keep the
record, use 'plein post delete'.`)
	f.dataFlags(&cfg)
	yes := f.Bool("yes", false, "confirm that the post and its history are to be destroyed")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "post id")
	if err != nil {
		return err
	}
	if !*yes {
		return usageErrorf("%s; add --yes to purge post %s", purgeWarning, pos[0])
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
	actor, err := e.actor(app, *as)
	if err != nil {
		return err
	}
	if err := app.Posts.Purge(e.ctx, actor, p.ID); err != nil {
		return forbidden(postError(err, pos[0]), *as, "purge posts (only instance administrators may)")
	}
	fmt.Fprintf(e.stdout, "post %s purged, with its revisions and images\n", p.ID)
	return nil
}

func runPostList(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--state STATE] [flags]", `
Lists an organisation's posts, newest first: id, state, time in the
organisation's time zone (publication, or last change of a draft), whether
it is pinned, and the first line of its text.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	state := f.String("state", "", "only posts in this `state`: draft, awaiting (approval), returned, scheduled, published or deleted")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle}); err != nil {
		return err
	}
	var states []model.PostState
	switch s := model.PostState(*state); s {
	case "":
	case model.StateDraft, model.StateAwaiting, model.StateReturned, model.StateScheduled, model.StatePublished, model.StateDeleted:
		states = append(states, s)
	default:
		return usageErrorf("--state %q: use draft, awaiting, returned, scheduled, published or deleted", *state)
	}
	app, o, err := e.openWithOrg(cfg, *handle)
	if err != nil {
		return err
	}
	defer app.Close()
	posts, err := app.Posts.List(e.ctx, o.ID, states...)
	if err != nil {
		return err
	}
	if len(posts) == 0 {
		if *state != "" {
			fmt.Fprintf(e.stdout, "@%s has no %s posts\n", o.Handle, *state)
		} else {
			fmt.Fprintf(e.stdout, "@%s has no posts\n", o.Handle)
		}
		return nil
	}
	loc := location(o)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tSTATE\tTIME (%s)\tPINNED\tTEXT\n", loc)
	for _, p := range posts {
		t := p.PublishAt
		if t.IsZero() {
			t = p.UpdatedAt
		}
		pinned := ""
		if p.Pinned {
			pinned = "pinned"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.ID, p.State, t.In(loc).Format(localLayout), pinned, firstLine(p.Text, 60))
	}
	return tw.Flush()
}

// firstLine returns the first line of text, shortened to at most n
// characters.
func firstLine(text string, n int) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	line = strings.TrimSpace(line)
	if utf8.RuneCountInString(line) <= n {
		return line
	}
	r := []rune(line)
	return string(r[:n-1]) + "…"
}

// location returns the time zone of an organisation.
func location(o *model.Org) *time.Location {
	if loc, err := time.LoadLocation(o.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// parseAt reads a publication time: RFC 3339, or a local time in the
// organisation's time zone.
func parseAt(s string, o *model.Org) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	loc := location(o)
	if t, err := time.ParseInLocation(localLayout, s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, usageErrorf(`--at %q is not a time: use RFC 3339 (2026-05-04T09:30:00+02:00) or "2026-05-04 09:30" in the organisation's time zone (%s)`, s, loc)
}

// maxStdinText bounds what --text - reads; the post service refuses long
// texts with a clear message, so reading a little more than the limit is
// enough.
const maxStdinText = 4*post.MaxTextLength + 1

// readText returns the text of --text, reading standard input for "-".
func (e *env) readText(text string) (string, error) {
	if text != "-" {
		return text, nil
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, maxStdinText))
	if err != nil {
		return "", fmt.Errorf("reading the text from standard input: %w", err)
	}
	return string(b), nil
}

// printPost reports the state and address of a post just written.
func (e *env) printPost(app *server.App, o *model.Org, p *model.Post) {
	url := postURL(app, o, p)
	switch p.State {
	case model.StateScheduled:
		fmt.Fprintf(e.stdout, "scheduled post %s for %s (%s): %s\n", p.ID, p.PublishAt.In(location(o)).Format(localLayout), o.TimeZone, url)
	case model.StateDraft:
		fmt.Fprintf(e.stdout, "saved draft %s; once published it is at %s\n", p.ID, url)
	case model.StateAwaiting:
		fmt.Fprintf(e.stdout, "post %s awaits approval: @%s requires it, and its approvers are told; once approved it is at %s\n", p.ID, o.Handle, url)
	case model.StateReturned:
		fmt.Fprintf(e.stdout, "post %s is returned to its author\n", p.ID)
	default:
		fmt.Fprintf(e.stdout, "published post %s: %s\n", p.ID, url)
	}
}

// imageFlags are the repeated --image and --alt flags, paired in order.
type imageFlags struct{ files, alts listFlag }

func (im *imageFlags) define(f *flags) {
	f.Var(&im.files, "image", "image `file` (JPEG, PNG, GIF or WebP) to attach; repeat for more, at most 4, each with an --alt")
	f.Var(&im.alts, "alt", "alt `text` of the image of the --image in the same position, for people who cannot see it")
}

// check refuses an --image without its --alt, or an --alt without image.
func (im *imageFlags) check() error {
	if len(im.alts) > len(im.files) {
		return usageErrorf("--alt %q has no --image it describes; give --image FILE --alt TEXT in pairs", im.alts[len(im.files)])
	}
	if len(im.alts) < len(im.files) {
		return model.Invalid("alt", i18n.M(i18n.ErrCLIAltMissing, im.files[len(im.alts)]))
	}
	return nil
}

// open opens every image file; closeAll closes them.
func (im *imageFlags) open() (inputs []post.ImageInput, closeAll func(), err error) {
	var files []*os.File
	closeAll = func() {
		for _, f := range files {
			f.Close()
		}
	}
	for i, name := range im.files {
		f, err := os.Open(name)
		if err != nil {
			closeAll()
			return nil, nil, model.Invalid("image", i18n.M(i18n.ErrCLIUnreadable, name, pathReason(err)))
		}
		files = append(files, f)
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
			closeAll()
			return nil, nil, model.Invalid("image", i18n.M(i18n.ErrCLINotAFile, name))
		}
		inputs = append(inputs, post.ImageInput{Upload: f, Name: name, Alt: im.alts[i]})
	}
	return inputs, closeAll, nil
}

// pathReason returns the reason of a file system error without repeating
// the path.
func pathReason(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
