package cli

import (
	"fmt"
	"log/slog"
	"strings"
	"text/tabwriter"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/org"
)

func runOrgCreate(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--handle HANDLE --name NAME [flags]", `
Creates an organisation: a ministry, agency, municipality or one of its
services. Its page is BASE-URL/@HANDLE. The handle can be changed later
with 'plein org rename'; the old one keeps redirecting.`)
	f.dataFlags(&cfg)
	handle := f.String("handle", "", "short `name` in addresses: lower-case letters, digits, '-' and '_' (required)")
	name := f.String("name", "", "display `name`, such as \"Gemeente Demodorp\" (required)")
	description := f.String("description", "", "a few sentences about the organisation, shown on its page")
	lang := f.String("lang", "nl", "default `language` of its page and posts")
	tz := f.String("timezone", org.DefaultTimeZone, "time `zone` of its posts' dates")
	var links listFlag
	f.Var(&links, "link", "a `Label=https://...` link shown on its page; repeat for more")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"handle": *handle, "name": *name}); err != nil {
		return err
	}
	p := org.Profile{DisplayName: *name, Description: *description, Language: *lang, TimeZone: *tz}
	for _, l := range links {
		label, u, ok := strings.Cut(l, "=")
		if !ok {
			return usageErrorf("--link %q must be Label=https://...", l)
		}
		p.Links = append(p.Links, model.Link{Label: strings.TrimSpace(label), URL: strings.TrimSpace(u)})
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	o, err := app.Orgs.Create(e.ctx, auth.Operator(), *handle, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created organisation @%s (%s), id %s: %s/@%s\n", o.Handle, o.DisplayName, o.ID, app.BaseURL, o.Handle)
	return nil
}

func runOrgList(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "[flags]", "Lists every organisation: handle, display name, language and permanent id.")
	f.dataFlags(&cfg)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	orgs, err := app.Orgs.List(e.ctx)
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		fmt.Fprintln(e.stdout, "no organisations yet; create one with 'plein org create'")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "HANDLE\tNAME\tLANGUAGE\tID")
	for _, o := range orgs {
		fmt.Fprintf(tw, "@%s\t%s\t%s\t%s\n", o.Handle, o.DisplayName, o.Language, o.ID)
	}
	return tw.Flush()
}

func runOrgRename(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE --to NEW-HANDLE [flags]", `
Changes an organisation's handle. Its address changes with it; the old
handle keeps redirecting to the new one and can never be taken by another
organisation.`)
	f.dataFlags(&cfg)
	from := f.String("org", "", "current `handle` (required)")
	to := f.String("to", "", "new `handle` (required)")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *from, "to": *to}); err != nil {
		return err
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	cur, err := e.org(app, *from)
	if err != nil {
		return err
	}
	o, err := app.Orgs.Rename(e.ctx, auth.Operator(), cur.Handle, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "renamed @%s to @%s: %s/@%s; the old address keeps redirecting\n", cur.Handle, o.Handle, app.BaseURL, o.Handle)
	return nil
}
