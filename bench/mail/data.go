//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// template is an installation with the organisation and its subscribers,
// copied afresh for every run.
type template struct {
	engine string
	bin    string // the plein that made it
	dir    string // its data folder; with SQLite, the database in it
	db     string // PostgreSQL: the template database
	pg     *pgAdmin
	took   time.Duration // importing the subscribers
	copies int
}

// dataDir is one run's installation.
type dataDir struct {
	dir string
	url string // PostgreSQL: the database's URL
}

// args returns the --data and --database flags of the installation.
func (d dataDir) args() []string {
	a := []string{"--data", d.dir}
	if d.url != "" {
		a = append(a, "--database", d.url)
	}
	return a
}

// seedTemplate makes the template of engine with bin: the schema, the
// organisation and the subscribers of the csv files, imported with plein
// subscribers import.
func seedTemplate(ctx context.Context, bin, engine, work string, csv []string, pg *pgAdmin) (*template, error) {
	t := &template{engine: engine, bin: bin, dir: filepath.Join(work, "template-"+engine), pg: pg}
	d := dataDir{dir: t.dir}
	if engine == "postgres" {
		t.db = pg.prefix + "_template"
		u, err := pg.create(ctx, t.db, "")
		if err != nil {
			return nil, err
		}
		d.url = u
	}
	logf("%s: making the organisation and importing the subscribers", engine)
	plein := func(args ...string) error {
		out, err := exec.CommandContext(ctx, bin, append(args, d.args()...)...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("plein %s: %w: %s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	if err := plein("migrate"); err != nil {
		return nil, err
	}
	if err := plein("org", "create", "--handle", orgHandle, "--name", "Gemeente Bench", "--lang", "nl"); err != nil {
		return nil, err
	}
	start := time.Now()
	for _, file := range csv {
		if err := plein("subscribers", "import", "--org", orgHandle, "--consent", "benchmark", "--consent-date", "2025-01-01", file); err != nil {
			return nil, err
		}
		// PostgreSQL plans the import's lookups by the statistics of the
		// table; gathered while it was empty, they make every lookup read
		// the whole table. Fresh ones after each file keep it quick.
		if d.url != "" {
			if err := pg.exec(ctx, d.url, "ANALYZE"); err != nil {
				return nil, err
			}
		}
	}
	t.took = time.Since(start)
	return t, nil
}

// copy returns a fresh copy of the template and the function that removes
// it.
func (t *template) copy(ctx context.Context) (dataDir, func(), error) {
	t.copies++
	d := dataDir{dir: fmt.Sprintf("%s-run%d", t.dir, t.copies)}
	if err := os.MkdirAll(d.dir, 0o700); err != nil {
		return d, nil, err
	}
	remove := func() {
		if !t.pg.keep {
			os.RemoveAll(d.dir)
		}
	}
	if t.engine == "postgres" {
		name := fmt.Sprintf("%s_run%d", t.pg.prefix, t.copies)
		u, err := t.pg.create(ctx, name, t.db)
		if err != nil {
			remove()
			return d, nil, err
		}
		d.url = u
		return d, func() { remove(); t.pg.drop(context.WithoutCancel(ctx), name) }, nil
	}
	entries, err := os.ReadDir(t.dir)
	if err != nil {
		remove()
		return d, nil, err
	}
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), "plein.db") {
			if err := copyFile(filepath.Join(t.dir, e.Name()), filepath.Join(d.dir, e.Name())); err != nil {
				remove()
				return d, nil, err
			}
		}
	}
	return d, remove, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// pgAdmin makes and drops the harness's PostgreSQL databases.
type pgAdmin struct {
	url     string // the maintenance database
	prefix  string // of every database's name
	keep    bool
	created []string
}

// create makes database name, empty or as a copy of template, and returns
// its URL.
func (p *pgAdmin) create(ctx context.Context, name, template string) (string, error) {
	q := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if template != "" {
		q += " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	}
	if err := p.exec(ctx, p.url, q); err != nil {
		return "", fmt.Errorf("postgres: %w (is PostgreSQL at -postgres %s?)", err, p.url)
	}
	p.created = append(p.created, name)
	u, err := url.Parse(p.url)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

func (p *pgAdmin) drop(ctx context.Context, name string) {
	if p.keep {
		return
	}
	if err := p.exec(ctx, p.url, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		logf("warning: dropping database %s: %v", name, err)
	}
}

// dropAll drops every database the harness made, or lists them with -keep.
func (p *pgAdmin) dropAll(ctx context.Context) {
	if p.keep && len(p.created) > 0 {
		logf("kept the databases %s", strings.Join(p.created, ", "))
		return
	}
	for _, name := range p.created {
		p.drop(ctx, name)
	}
}

// exec runs q in the database at url.
func (p *pgAdmin) exec(ctx context.Context, url, q string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, q)
	return err
}
