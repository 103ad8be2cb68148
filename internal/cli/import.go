package cli

import (
	"errors"
	"fmt"
	"os"

	"plein/internal/config"
	"plein/internal/fbimport"
	"plein/internal/model"
)

func runImportFacebook(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE [--dry-run] EXPORT", `
Imports the posts of a Facebook Page from its export ("Download your
information", JSON format): EXPORT is the .zip file or its unpacked folder.
Each post keeps its original date, is marked as imported from Facebook and
is not sent to followers or subscribers as new; links become links and
images pass through the usual checks. An image without a description is
imported but stays hidden until it is described (plein post describe).
Running it again imports nothing twice. The report lists every item not
imported and every hidden image; --dry-run prints it and imports nothing.
Only the operator and the organisation's admins may import.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	dry := f.Bool("dry-run", false, "read the export and print the report, importing nothing")
	maxBytes := f.Int64("max-bytes", fbimport.DefaultMaxTotalBytes, "the most `bytes` read from the export in all, uncompressed")
	lang := f.String("lang", "en", "`language` of the report: en or nl")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "export")
	if err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle}); err != nil {
		return err
	}
	if *lang != "en" && *lang != "nl" {
		return usageErrorf("--lang is en or nl")
	}
	if _, err := os.Stat(pos[0]); err != nil {
		return &wrapped{msg: "cannot read the export " + pos[0] + ": no such file or folder", err: err}
	}
	app, o, actor, err := e.openOrg(cfg, *handle, *as)
	if err != nil {
		return err
	}
	defer app.Close()
	r, err := app.FBImport.Import(e.ctx, actor, o.ID, pos[0], fbimport.Options{DryRun: *dry, MaxTotalBytes: *maxBytes})
	if err != nil {
		return forbidden(err, *as, "import posts into @"+o.Handle)
	}
	return r.Write(e.stdout, *lang)
}

func runPostDescribe(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "ID --image N --alt TEXT [flags]", `
Describes an image of an imported post that has no description yet; the
image is hidden until then and shown from then on. N counts the post's
images from 1, as 'plein post list' shows them.`)
	f.dataFlags(&cfg)
	n := f.Int("image", 0, "`number` of the image in the post, from 1 (required)")
	alt := f.String("alt", "", "the description of the image for people who cannot see it (required)")
	as := f.String("as", "", asUsage)
	pos, err := e.parse(f, args, "post id")
	if err != nil {
		return err
	}
	if err := required(f, map[string]string{"alt": *alt}); err != nil {
		return err
	}
	app, p, _, actor, err := e.openPost(cfg, pos[0], *as)
	if err != nil {
		return err
	}
	defer app.Close()
	if *n < 1 || *n > len(p.Attachments) {
		return usageErrorf("--image is a number from 1 to %d: the post has %d images", len(p.Attachments), len(p.Attachments))
	}
	_, err = app.Posts.Describe(e.ctx, actor, p.ID, p.Attachments[*n-1].MediaID, *alt)
	if fe, ok := model.AsFieldError(err); ok && fe.Field == "image" {
		// Not wrapped: the command line shows this text, not the field's.
		return errors.New("that image has a description already, or is not an image of the post; change a description with plein post edit")
	}
	if err != nil {
		return forbidden(err, *as, "describe images of posts")
	}
	fmt.Fprintf(e.stdout, "described image %d of %s; it is shown now\n", *n, p.ID)
	return nil
}
