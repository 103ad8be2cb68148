// Package backup writes and restores backup archives of an installation
// with the embedded database: one gzip-compressed tar file holding a
// consistent snapshot of the database, the local media and a manifest
// (Plein's version, the schema version, the time, and every file with its
// size and SHA-256).
//
// An archive is private (mode 0600) and replaced atomically. Restore
// unpacks into a folder that is missing or empty, never over an
// installation, and checks everything before the database appears in the
// folder: the gzip checksum of the whole stream, every file's SHA-256
// against the manifest, the schema version against the one this build
// knows, and the database itself.
//
// The package knows files, not databases: the caller passes functions that
// snapshot and check the database.
package backup

import (
	"errors"
	"fmt"
	"time"
)

// Names in an archive.
const (
	// ManifestName is the manifest, the archive's last entry.
	ManifestName = "manifest.json"
	// DatabaseName is the snapshot of the embedded database.
	DatabaseName = "plein.db"
	// MediaPrefix starts the name of every media file: media/<id>/<file>.
	MediaPrefix = "media/"
)

// Format is the version of the archive layout: Restore refuses another.
const Format = 1

// Manifest describes an archive.
type Manifest struct {
	Format        int       `json:"format"`
	PleinVersion  string    `json:"plein_version"`
	SchemaVersion int       `json:"schema_version"`
	Created       time.Time `json:"created"`
	// MediaElsewhere is true when the installation's media are in an
	// object store, and so not in the archive.
	MediaElsewhere bool   `json:"media_elsewhere,omitempty"`
	Files          []File `json:"files"`
}

// File is one file in an archive.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lower-case hex
}

// MediaFiles returns how many media files the manifest lists.
func (m *Manifest) MediaFiles() int {
	n := 0
	for _, f := range m.Files {
		if len(f.Name) > len(MediaPrefix) && f.Name[:len(MediaPrefix)] == MediaPrefix {
			n++
		}
	}
	return n
}

// Size returns the total size of the files the manifest lists.
func (m *Manifest) Size() int64 {
	var n int64
	for _, f := range m.Files {
		n += f.Size
	}
	return n
}

// Kinds of Error.
var (
	// ErrDamaged means that an archive was changed or cut short after it
	// was written: a checksum does not match, or it cannot be read.
	ErrDamaged = errors.New("backup: the archive is damaged")
	// ErrNotBackup means that a file is not an archive this package wrote.
	ErrNotBackup = errors.New("backup: not a Plein backup")
	// ErrNewerSchema means that the archive's database has a newer schema
	// than this build of Plein knows.
	ErrNewerSchema = errors.New("backup: made by a newer Plein")
	// ErrNotEmpty means that the folder to restore into holds something.
	ErrNotEmpty = errors.New("backup: the folder is not empty")
)

// Error is a refusal of Restore. Reason says why in words an operator
// reads, such as "media/x/large.png does not match its checksum"; it holds
// no error text of Go or a library.
type Error struct {
	Kind   error // ErrDamaged, ErrNotBackup, ErrNewerSchema or ErrNotEmpty
	Reason string
	Err    error // the underlying error, or nil
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%v: %s: %v", e.Kind, e.Reason, e.Err)
	}
	return fmt.Sprintf("%v: %s", e.Kind, e.Reason)
}

// Unwrap returns the kind and the underlying error.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

func damaged(err error, format string, args ...any) error {
	return &Error{Kind: ErrDamaged, Reason: fmt.Sprintf(format, args...), Err: err}
}

func notBackup(err error, format string, args ...any) error {
	return &Error{Kind: ErrNotBackup, Reason: fmt.Sprintf(format, args...), Err: err}
}
