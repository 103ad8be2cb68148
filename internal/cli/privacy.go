package cli

import (
	"fmt"
	"log/slog"

	"plein/internal/config"
	"plein/internal/model"
)

func runPrivacyRegister(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "[--org HANDLE] [--format markdown|json] [--lang nl|en] [flags]", `
Prints the processing register of one organisation (--org) or of the whole
installation, generated from the configuration: what Plein processes, why,
on which legal basis, how long each category is kept and who receives
data. It states the same as the privacy pages of a server started with the
same settings (flags or PLEIN_* variables), for the records of processing
and the DPIA.`)
	f.dataFlags(&cfg)
	f.policyFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation; empty: the whole installation")
	format := f.String("format", "markdown", "output `format`: markdown or json")
	lang := f.String("lang", "nl", "`language` of the register: nl or en")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if *format != "markdown" && *format != "json" {
		return usageErrorf("%s: --format must be markdown or json, not %q", f.name(), *format)
	}
	if *lang != "nl" && *lang != "en" {
		return usageErrorf("%s: --lang must be nl or en, not %q", f.name(), *lang)
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	var o *model.Org
	if *handle != "" {
		if o, err = e.org(app, *handle); err != nil {
			return err
		}
	}
	reg, err := app.Retention.Register(e.ctx, *lang, o)
	if err != nil {
		return err
	}
	if *format == "json" {
		b, err := reg.JSON()
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(b)
		return err
	}
	_, err = fmt.Fprint(e.stdout, reg.Markdown())
	return err
}
