package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strings"
	"syscall"

	"plein/internal/auth"
	"plein/internal/config"
	"plein/internal/datadir"
	"plein/internal/model"
	"plein/internal/org"
	"plein/internal/post"
	"plein/internal/server"
)

// open validates cfg and opens the installation, logging at level and above
// to standard error. A data folder without a database is an error: only
// openOrCreate makes one.
func (e *env) open(cfg config.Config, level slog.Level) (*server.App, error) {
	return e.openWith(cfg, level, false)
}

// openOrCreate is open for serve and migrate, which make the database when
// the data folder has none.
func (e *env) openOrCreate(cfg config.Config, level slog.Level) (*server.App, error) {
	return e.openWith(cfg, level, true)
}

func (e *env) openWith(cfg config.Config, level slog.Level, create bool) (*server.App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	cfg.Version = Version
	app, err := server.Open(e.ctx, cfg, server.Options{Logger: logger, Create: create})
	if err != nil {
		if msg := dataFolderMessage(cfg, err); msg != "" {
			return nil, &wrapped{msg: msg, err: err}
		}
		return nil, fmt.Errorf("cannot open the database: %w", err)
	}
	return app, nil
}

// dataFolderMessage returns the sentence that tells the operator what is
// wrong with the data folder or the database of cfg and what to do, when
// err says so, and "" otherwise. It never repeats the database URL, which
// may hold a password.
func dataFolderMessage(cfg config.Config, err error) string {
	var np *datadir.NotPrivateError
	switch {
	case errors.Is(err, server.ErrMediaWithoutDatabase):
		return cfg.DataDir + " holds media but no database: restore a backup with plein restore, or point --data at the right folder"
	case errors.Is(err, server.ErrNoDatabase):
		return "no Plein database in " + cfg.DataDir + ": start plein serve or plein migrate once to make one, restore a backup with plein restore, or point --data at the right folder"
	case errors.As(err, &np):
		return notPrivateMessage(cfg, np)
	case errors.Is(err, model.ErrDatabaseMissing):
		return "the PostgreSQL server has no database of the name --database gives: make it (createdb NAME) or correct --database; plein then makes its tables"
	case errors.Is(err, model.ErrDatabaseLogin):
		return "the PostgreSQL server refused the user or password --database gives: correct them in --database (or PLEIN_DATABASE), or grant that user access"
	}
	return ""
}

// notPrivateMessage explains a file or folder of the data folder that
// other accounts may read and that plein cannot make private.
func notPrivateMessage(cfg config.Config, np *datadir.NotPrivateError) string {
	what, chmod := "the file", "600"
	switch {
	case np.Dir && filepath.Clean(np.Path) == filepath.Clean(cfg.DataDir):
		what, chmod = "the data folder", "700"
	case np.Dir:
		what, chmod = "the folder", "700"
	case strings.HasPrefix(filepath.Clean(np.Path), filepath.Clean(cfg.SQLitePath())):
		what = "the database"
	}
	reason := "the system does not let plein change its mode"
	switch {
	case errors.Is(np.Err, fs.ErrPermission):
		reason = "it belongs to another account"
	case errors.Is(np.Err, syscall.EROFS):
		reason = "it is on a read-only file system"
	}
	return fmt.Sprintf("%s %s can be read by other accounts and plein cannot make it private: %s; run chmod %s %s as its owner, or run plein as that account",
		what, np.Path, reason, chmod, np.Path)
}

// openWithOrg opens the installation for a command about the
// organisation whose handle is given; the caller closes the app.
func (e *env) openWithOrg(cfg config.Config, handle string) (*server.App, *model.Org, error) {
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return nil, nil, err
	}
	o, err := e.org(app, handle)
	if err != nil {
		app.Close()
		return nil, nil, err
	}
	return app, o, nil
}

// openOrg is openWithOrg for a command that acts as the account --as
// names (the operator when as is empty).
func (e *env) openOrg(cfg config.Config, handle, as string) (*server.App, *model.Org, auth.Actor, error) {
	app, o, err := e.openWithOrg(cfg, handle)
	if err != nil {
		return nil, nil, auth.Actor{}, err
	}
	actor, err := e.actor(app, as)
	if err != nil {
		app.Close()
		return nil, nil, auth.Actor{}, err
	}
	return app, o, actor, nil
}

// openPost opens the installation for a command about the post with the
// given id, acting as the account --as names (the operator when as is
// empty); the caller closes the app.
func (e *env) openPost(cfg config.Config, id, as string) (*server.App, *model.Post, *model.Org, auth.Actor, error) {
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return nil, nil, nil, auth.Actor{}, err
	}
	p, o, err := e.post(app, id)
	if err != nil {
		app.Close()
		return nil, nil, nil, auth.Actor{}, err
	}
	actor, err := e.actor(app, as)
	if err != nil {
		app.Close()
		return nil, nil, nil, auth.Actor{}, err
	}
	return app, p, o, actor, nil
}

// openAs opens the installation for a command that acts as the account
// --as names (the operator when as is empty); the caller closes the app.
func (e *env) openAs(cfg config.Config, as string) (*server.App, auth.Actor, error) {
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		return nil, auth.Actor{}, err
	}
	actor, err := e.actor(app, as)
	if err != nil {
		app.Close()
		return nil, auth.Actor{}, err
	}
	return app, actor, nil
}

// actor returns the operator, or the staff member with e-mail address as.
func (e *env) actor(app *server.App, as string) (auth.Actor, error) {
	if as == "" {
		return auth.Operator(), nil
	}
	return app.Auth.ActorFor(e.ctx, as)
}

// org returns the organisation with the current or a former handle; for a
// former one it notes the current handle on standard error.
func (e *env) org(app *server.App, handle string) (*model.Org, error) {
	o, former, err := app.Orgs.Resolve(e.ctx, strings.ToLower(strings.TrimPrefix(strings.TrimSpace(handle), "@")))
	if errors.Is(err, org.ErrUnknownHandle) {
		return nil, &wrapped{msg: fmt.Sprintf("no organisation has the handle %q; 'plein org list' shows them", handle), err: err}
	}
	if err != nil {
		return nil, err
	}
	if former {
		fmt.Fprintf(e.stderr, "plein: note: @%s is now @%s\n", strings.TrimPrefix(handle, "@"), o.Handle)
	}
	return o, nil
}

// post returns the post with the id.
func (e *env) post(app *server.App, id string) (*model.Post, *model.Org, error) {
	p, err := app.Posts.Get(e.ctx, id)
	if err != nil {
		return nil, nil, postError(err, id)
	}
	o, err := app.Orgs.ByID(e.ctx, p.OrgID)
	if err != nil {
		return nil, nil, err
	}
	return p, o, nil
}

// postError rewrites a post service's error about the post id for reading.
func postError(err error, id string) error {
	if errors.Is(err, post.ErrNotFound) {
		return &wrapped{msg: fmt.Sprintf("no post has the id %q; 'plein post list --org HANDLE' shows them", id), err: err}
	}
	return err
}

// forbidden rewrites a refusal for the role of the account as, which may
// not do what.
func forbidden(err error, as, what string) error {
	if !errors.Is(err, model.ErrForbidden) {
		return err
	}
	if as == "" {
		return &wrapped{msg: "not allowed to " + what, err: err}
	}
	return &wrapped{msg: fmt.Sprintf("%s may not %s: the account's role does not allow it", as, what), err: err}
}

// wrapped is an error with a message of its own that still matches the
// error it replaces.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }

// postURL is the public address of a post.
func postURL(app *server.App, o *model.Org, p *model.Post) string {
	return app.BaseURL + "/@" + o.Handle + "/" + p.ID
}
