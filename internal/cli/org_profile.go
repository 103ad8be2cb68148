package cli

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/i18n"
	"plein/internal/model"
	"plein/internal/org"
)

func runOrgUpdate(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--name NAME] [--description TEXT] [--lang L] [--timezone TZ] [--link L=URL]... [--avatar FILE | --no-avatar] [--header FILE --header-alt TEXT | --no-header] [--also-known-as URL]... [--require-approval[=false]] [--correction-distance N] [--require-second-factor[=false]] [flags]", `
Changes an organisation's public profile. Fields not given keep their
value; giving --link replaces every link.

--require-approval makes the organisation publish posts, and edits of
published posts, only once someone other than their author (an approver or
admin) approved them; --require-approval=false ends that. With it,
--correction-distance N lets an edit of a published post that differs by at
most N characters (0 to 20) and changes no link, hashtag, mention, number,
image, content warning or language pass as a correction of typing errors.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	name := f.String("name", "", "display `name`")
	description := f.String("description", "", "a few sentences about the organisation")
	lang := f.String("lang", "", "default `language` of its page and posts")
	tz := f.String("timezone", "", "time `zone` of its posts' dates")
	avatar := f.String("avatar", "", "image `file` to show as logo or avatar")
	noAvatar := f.Bool("no-avatar", false, "remove the logo or avatar")
	header := f.String("header", "", "image `file` to show as header, the banner across the top of the page; needs --header-alt")
	headerAlt := f.String("header-alt", "", "alt `text` describing the header image for people who cannot see it")
	noHeader := f.Bool("no-header", false, "remove the header image")
	requireSF := f.Bool("require-second-factor", false, "require a second factor of every member; =false to stop requiring it")
	requireApproval := f.Bool("require-approval", false, "publish posts and edits only after approval by someone other than their author; =false ends it")
	distance := f.Int("correction-distance", 0, "`N` characters an edit of a published post may change and pass without approval as a correction (0: none)")
	var links, aka listFlag
	f.Var(&links, "link", "a `Label=https://...` link; repeat for more; replaces all links")
	f.Var(&aka, "also-known-as", "`URL` of an earlier Fediverse account of the organisation, which may then move its followers here; repeat for more; replaces all")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle}); err != nil {
		return err
	}
	if *avatar != "" && *noAvatar {
		return usageErrorf("give --avatar or --no-avatar, not both")
	}
	if *header != "" && *noHeader {
		return usageErrorf("give --header or --no-header, not both")
	}
	if *header == "" && *headerAlt != "" {
		return usageErrorf("--header-alt %q has no --header it describes; give --header FILE --header-alt TEXT", *headerAlt)
	}
	if *header != "" && *headerAlt == "" {
		return model.Invalid("header_alt", i18n.M(i18n.ErrCLIHeaderAlt, *header))
	}
	app, o, err := e.openWithOrg(cfg, *handle)
	if err != nil {
		return err
	}
	defer app.Close()
	p := org.Profile{DisplayName: o.DisplayName, Description: o.Description, Links: o.Links, Language: o.Language,
		TimeZone: o.TimeZone, AlsoKnownAs: o.AlsoKnownAs}
	set := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if set["name"] {
		p.DisplayName = *name
	}
	if set["description"] {
		p.Description = *description
	}
	if set["lang"] {
		p.Language = *lang
	}
	if set["timezone"] {
		p.TimeZone = *tz
	}
	if set["also-known-as"] {
		p.AlsoKnownAs = aka
	}
	if set["link"] {
		p.Links = nil
		for _, l := range links {
			label, u, ok := strings.Cut(l, "=")
			if !ok {
				return usageErrorf("--link %q must be Label=https://...", l)
			}
			p.Links = append(p.Links, model.Link{Label: strings.TrimSpace(label), URL: strings.TrimSpace(u)})
		}
	}
	if set["require-approval"] || set["correction-distance"] {
		if err := e.setApprovalPolicy(app, o, set["require-approval"], *requireApproval, set["correction-distance"], *distance); err != nil {
			return err
		}
	}
	if err := e.orgSecondFactor(app, f, o.ID, o.Handle, *requireSF); err != nil {
		return err
	}
	if !profileChanging(set) {
		return nil
	}
	if o, err = app.Orgs.UpdateProfile(e.ctx, auth.Operator(), o.ID, p); err != nil {
		return err
	}
	switch {
	case *avatar != "":
		file, err := os.Open(*avatar)
		if err != nil {
			return fmt.Errorf("--avatar: %w", err)
		}
		defer file.Close()
		if o, err = app.Orgs.SetAvatar(e.ctx, auth.Operator(), o.ID, filepath.Base(*avatar), file); err != nil {
			return err
		}
	case *noAvatar:
		if o, err = app.Orgs.SetAvatar(e.ctx, auth.Operator(), o.ID, "", nil); err != nil {
			return err
		}
	}
	switch {
	case *header != "":
		file, err := os.Open(*header)
		if err != nil {
			return fmt.Errorf("--header: %w", err)
		}
		defer file.Close()
		if o, err = app.Orgs.SetHeader(e.ctx, auth.Operator(), o.ID, filepath.Base(*header), file, *headerAlt); err != nil {
			return err
		}
	case *noHeader:
		if o, err = app.Orgs.SetHeader(e.ctx, auth.Operator(), o.ID, "", nil, ""); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "updated the profile of @%s (%s)\n", o.Handle, o.DisplayName)
	return nil
}

func runOrgLog(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "[--org HANDLE] [--limit N] [flags]", `
Prints the audit log: who changed what, and when, each entry as its
action's code and a sentence. With --org, the log of that organisation;
without it, the installation's log (accounts, log-ins).`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation")
	limit := f.Int("limit", 50, "show the newest `N` entries")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if *limit < 1 || *limit > 10000 {
		return usageErrorf("--limit must be between 1 and 10000")
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	orgID := ""
	if *handle != "" {
		o, err := e.org(app, *handle)
		if err != nil {
			return err
		}
		orgID = o.ID
	}
	lines, err := app.Auth.AuditLines(e.ctx, auth.Operator(), orgID, *limit)
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		fmt.Fprintln(e.stdout, "the log is empty")
		return nil
	}
	// The action's code, for scripts and searching, and what happened as
	// a sentence.
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME (UTC)\tACTION\tWHAT HAPPENED")
	for _, l := range lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", l.Entry.At.UTC().Format("2006-01-02 15:04:05"), l.Entry.Action,
			oneLine(l.Sentence.Sentence("en")))
	}
	return tw.Flush()
}

func runUserRemoveFromOrg(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--email EMAIL --org HANDLE [flags]", "Takes a staff account out of an organisation.")
	f.dataFlags(&cfg)
	email := f.String("email", "", "e-mail `address` of the account (required)")
	handle := f.String("org", "", "`handle` of the organisation (required)")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"email": *email, "org": *handle}); err != nil {
		return err
	}
	app, o, err := e.openWithOrg(cfg, *handle)
	if err != nil {
		return err
	}
	defer app.Close()
	u, err := app.Auth.User(e.ctx, *email)
	if err != nil {
		return err
	}
	if err := app.Auth.RemoveFromOrg(e.ctx, auth.Operator(), o.ID, u.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s is no longer a member of @%s\n", u.Email, o.Handle)
	return nil
}
