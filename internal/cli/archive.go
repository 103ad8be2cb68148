package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"plein/internal/archive"
	"plein/internal/config"
)

func runArchiveExport(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "--org HANDLE --out FILE.zip [--warc] [flags]", `
Writes the archive of an organisation's public records to one zip file:
every post with all its versions and deletions, the media as kept, the
replies with moderation's decisions and statements of reasons, the audit
log and the profile's history. Each object is there as Activity Streams
JSON, the posts as HTML pages readable offline (html/index.html), with an
MDTO record (the Nationaal Archief's metadata standard) per information
object, and as Plein's own records, which 'plein archive import' reads.

With --warc the archive also holds WARC/1.1 files (ISO 28500, uncompressed,
at most 1 GB each) with a request and a response record for every public
page, feed and media file of the organisation, made by requests to Plein's
own web handler in this process; they count no views.

The export reads the database page by page: its memory does not grow with
the number of posts. FILE is written with mode 0600 and replaced only when
the export is complete. plein serve may keep running.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` of the organisation (required)")
	out := f.String("out", "", "`file` to write the archive to, such as archive.zip (required)")
	warc := f.Bool("warc", false, "also write WARC files of every public page, feed and media file")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if err := required(f, map[string]string{"org": *handle, "out": *out}); err != nil {
		return err
	}
	app, o, err := e.openWithOrg(cfg, *handle)
	if err != nil {
		return err
	}
	defer app.Close()
	var opts archive.Options
	if *warc {
		h, err := app.ArchiveHandler()
		if err != nil {
			return err
		}
		opts.WARC = h
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".plein-archive-*")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return &wrapped{msg: fmt.Sprintf("cannot write the archive to %s: the folder %s does not exist", *out, filepath.Dir(*out)), err: err}
		}
		return fmt.Errorf("cannot write the archive to %s: %w", *out, err)
	}
	defer os.Remove(tmp.Name()) // after the rename: nothing to remove
	m, err := app.Archive.Export(e.ctx, o.ID, tmp, opts)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), *out)
	}
	if err != nil {
		return fmt.Errorf("cannot write the archive to %s: %w", *out, err)
	}
	fmt.Fprintf(e.stdout, "plein: archived @%s to %s: %d posts (%d deleted) with %d versions, %d replies, %d statements of reasons, %d media files, %d audit entries",
		o.Handle, *out, m.Posts, m.Deleted, m.Revisions, m.Replies, m.Statements, m.MediaFiles, m.Audit)
	if *warc {
		fmt.Fprintf(e.stdout, ", %d WARC files with %d records", m.WARCFiles, m.WARCRecords)
	}
	fmt.Fprintln(e.stdout)
	return nil
}

func runArchiveImport(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "[--org HANDLE] FILE.zip [flags]", `
Rebuilds the organisation an archive written by 'plein archive export'
holds in this installation, with the same ids: its profile and former
handles, every post with its versions, its media, the replies with
moderation's decisions and statements of reasons, and its audit log. It
refuses, and stores nothing, when the organisation, its handle or any of
its records is already here. Staff accounts are not in an archive: add
members with 'plein user add-to-org'. The organisation gets a new signing
key; its followers stay with the installation it came from.

--org, when given, must be the handle the archive holds: a check that the
right file is imported. Restoring a whole installation is 'plein restore'.`)
	f.dataFlags(&cfg)
	handle := f.String("org", "", "`handle` the archive must hold (optional check)")
	pos, err := e.parse(f, args, "FILE.zip")
	if err != nil {
		return err
	}
	file, err := os.Open(pos[0])
	if err != nil {
		return &wrapped{msg: fmt.Sprintf("cannot read %s", pos[0]), err: err}
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", pos[0], err)
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return err
	}
	defer app.Close()
	if *handle != "" {
		m, err := archive.ReadManifest(file, st.Size())
		if err != nil {
			return &wrapped{msg: fmt.Sprintf("%s is not an archive written by plein archive export", pos[0]), err: err}
		}
		if m.Handle != *handle {
			return usageErrorf("%s holds @%s, not @%s", pos[0], m.Handle, *handle)
		}
	}
	res, err := app.Archive.Import(e.ctx, file, st.Size())
	switch {
	case errors.Is(err, archive.ErrNotArchive):
		return &wrapped{msg: fmt.Sprintf("%s is not an archive written by plein archive export, or it is damaged", pos[0]), err: err}
	case errors.Is(err, archive.ErrExists):
		return &wrapped{msg: fmt.Sprintf("nothing was imported: this installation already holds the organisation, its handle or one of its records (%v)", err), err: err}
	case err != nil:
		return fmt.Errorf("cannot import %s: %w", pos[0], err)
	}
	fmt.Fprintf(e.stdout, "plein: imported @%s: %d posts with %d versions, %d replies, %d statements of reasons, %d media files, %d audit entries\n",
		res.Manifest.Handle, res.Posts, res.Revisions, res.Replies, res.Statements, res.MediaFiles, res.Audit)
	return nil
}
