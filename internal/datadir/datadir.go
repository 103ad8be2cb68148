// Package datadir keeps Plein's data folder private: the embedded
// database, media and logs in it can be read by the account Plein runs as
// and by no other, whatever the umask and however the folder was made.
//
// Files are made with FileMode and folders with DirMode; Private takes the
// group and other bits off what an older Plein, a copy or an operator left
// readable.
package datadir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Modes of everything in the data folder.
const (
	FileMode fs.FileMode = 0o600
	DirMode  fs.FileMode = 0o700
)

// shared are the permission bits that let other accounts in.
const shared fs.FileMode = 0o077

// NotPrivateError means that other accounts may read Path and that its
// mode cannot be changed, usually because it belongs to another account.
type NotPrivateError struct {
	Path string
	Dir  bool        // Path is a folder
	Mode fs.FileMode // its permission bits
	Err  error       // why the mode could not be changed
}

func (e *NotPrivateError) Error() string {
	return fmt.Sprintf("datadir: %s has mode %v and cannot be made private: %v", e.Path, e.Mode, e.Err)
}

func (e *NotPrivateError) Unwrap() error { return e.Err }

// Private makes the folder dir and everything below it private: it takes
// the group and other permission bits off every folder and file that has
// them (0755 becomes 0700, 0644 becomes 0600) and leaves the rest alone.
// It follows dir when it is a symbolic link, but no link below it.
// Entries removed meanwhile are skipped. The first entry that other
// accounts may read and whose mode cannot be changed is returned as a
// *NotPrivateError, without changing the entries after it.
func Private(dir string) error {
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("datadir: %w", err)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return fmt.Errorf("datadir: %w", err)
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("datadir: %w", err)
		}
		if d.Type()&fs.ModeSymlink != 0 || (!d.IsDir() && !d.Type().IsRegular()) {
			return nil
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("datadir: %w", err)
		}
		perm := fi.Mode().Perm()
		if perm&shared == 0 {
			return nil
		}
		err = os.Chmod(path, perm&^shared)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			shown := path
			if path == root {
				shown = dir // as the operator wrote it
			} else if rel, rerr := filepath.Rel(root, path); rerr == nil {
				shown = filepath.Join(dir, rel)
			}
			return &NotPrivateError{Path: shown, Dir: d.IsDir(), Mode: perm, Err: err}
		}
		return nil
	})
}

// Make creates the folder dir with DirMode, and its missing parents, and
// makes it private when it exists already.
func Make(dir string) error {
	if err := os.MkdirAll(dir, DirMode); err != nil {
		return fmt.Errorf("datadir: %w", err)
	}
	return Private(dir)
}

// HasFiles reports whether the folder dir, or a folder below it, holds a
// regular file whose name does not start with a dot (a temporary file).
// A missing dir holds none.
func HasFiles(dir string) (bool, error) {
	errFound := errors.New("found")
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") {
			return errFound
		}
		return nil
	})
	switch {
	case errors.Is(err, errFound):
		return true, nil
	case err != nil:
		return false, fmt.Errorf("datadir: %w", err)
	}
	return false, nil
}
