package cli

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// The test binary stands in for the plein binary when these variables are
// set (see TestMain): the tests that need a process of their own (a umask,
// another user) run it as "plein".
const (
	asPleinVar = "CLI_TEST_AS_PLEIN" // "1": run Main with the arguments and exit
	umaskVar   = "CLI_TEST_UMASK"    // octal umask the process sets first
)

// mainAsPlein runs the command line as the plein binary would, when the
// test binary was started for that; it returns false otherwise.
func mainAsPlein() bool {
	if os.Getenv(asPleinVar) != "1" {
		return false
	}
	if m := os.Getenv(umaskVar); m != "" {
		mask, err := strconv.ParseUint(m, 8, 32)
		if err != nil {
			panic(err)
		}
		syscall.Umask(int(mask))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
	return true
}

// pleinProcess returns the command that runs plein args in a process of its
// own, with umask (octal) set first unless it is empty. The process is
// killed when the test ends.
func pleinProcess(t *testing.T, exe, umask string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), exe, args...)
	cmd.Env = append(os.Environ(), asPleinVar+"=1", umaskVar+"="+umask)
	return cmd
}

// runProcess runs cmd to its end and returns its exit code and output.
func runProcess(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run %v: %v", cmd.Args, err)
	}
	return result{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
}

func testBinary(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// mode returns the permission bits of path, failing the test when it is
// missing.
func mode(t *testing.T, path string) fs.FileMode {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return fi.Mode().Perm()
}

// checkPrivate checks that every folder below root (root included) has
// mode 0700 and every file 0600, and returns the paths it checked,
// relative to root.
func checkPrivate(t *testing.T, root string) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		seen[filepath.ToSlash(rel)] = true
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if got := mode(t, path); got != want {
			t.Errorf("%s has mode %v, want %v", rel, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return seen
}

// TestPrivateFilesUnderUmask runs plein in processes with umask 022, the
// common default, in a data folder made beforehand with mode 0755: the
// database with its -wal and -shm files, media, the access log and every
// folder end up private to the account Plein runs as.
func TestPrivateFilesUnderUmask(t *testing.T) {
	t.Parallel()
	exe := testBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(data, 0o755); err != nil {
		t.Fatal(err)
	}
	srv := pleinProcess(t, exe, "022", "serve", "--addr", "127.0.0.1:0", "--data", data, "--access-log")
	out, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var srvErr strings.Builder
	srv.Stderr = &srvErr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		srv.Process.Signal(syscall.SIGTERM)
		if err := srv.Wait(); err != nil {
			t.Errorf("serve: %v\n%s", err, srvErr.String())
		}
	}
	defer stop()
	lines := bufio.NewScanner(out)
	var base string
	for lines.Scan() {
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			base = "http://" + m[1]
			break
		}
	}
	if base == "" {
		t.Fatalf("serve did not start:\n%s", srvErr.String())
	}
	go io.Copy(io.Discard, out)

	for _, args := range [][]string{
		{"org", "create", "--handle", "demo", "--name", "Gemeente Demodorp"},
		{"post", "create", "--org", "demo", "--text", "De dijk", "--image", writePNG(t, "dijk.png"), "--alt", "Een dijk"},
	} {
		if r := runProcess(t, pleinProcess(t, exe, "022", append(args, "--data", data)...)); r.code != 0 {
			t.Fatalf("plein %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	resp, err := http.Get(base + "/@demo")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	// The -wal and -shm files exist while serve has the database open.
	seen := checkPrivate(t, data)
	for _, name := range []string{"plein.db", "plein.db-wal", "plein.db-shm", "media"} {
		if !seen[name] {
			t.Errorf("%s is missing from the data folder (it holds %v)", name, seen)
		}
	}
	var mediaFiles int
	for name := range seen {
		if strings.HasPrefix(name, "media/") && strings.Contains(name, ".") {
			mediaFiles++
		}
	}
	if mediaFiles == 0 {
		t.Errorf("no media file was written: %v", seen)
	}
	stop()
	// The access log is written out when serve stops.
	if seen := checkPrivate(t, data); !seen["access-log"] || len(logFiles(t, filepath.Join(data, "access-log"))) == 0 {
		t.Errorf("no access log was written: %v", seen)
	}
}

func logFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// newMediaInst returns an installation with an organisation and a post
// with an image.
func newMediaInst(t *testing.T) *inst {
	t.Helper()
	in := newInst(t)
	in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
	in.ok("post", "create", "--org", "demo", "--text", "De dijk", "--image", writePNG(t, "dijk.png"), "--alt", "Een dijk")
	return in
}

// TestServeTightensDataFolder opens an installation whose files other
// users could read, as an older Plein or a copy left them: serve makes
// every file and folder private before it listens.
func TestServeTightensDataFolder(t *testing.T) {
	t.Parallel()
	in := newMediaInst(t)
	err := filepath.WalkDir(in.data, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(path, 0o755)
		}
		return os.Chmod(path, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := serve(t, "--data", in.data)
	if code != 0 {
		t.Fatalf("serve: exit %d\n%s\n%s", code, out, errOut)
	}
	checkPrivate(t, in.data)
}

// TestNoDatabaseBesideMedia: a data folder with media but a missing or
// empty database is a lost database or the wrong folder, never a new
// installation; no command starts one there.
func TestNoDatabaseBesideMedia(t *testing.T) {
	t.Parallel()
	for _, lost := range []struct {
		name string
		lose func(db string) error
	}{
		{"empty database", func(db string) error { return os.Truncate(db, 0) }},
		{"missing database", os.Remove},
	} {
		t.Run(lost.name, func(t *testing.T) {
			t.Parallel()
			in := newMediaInst(t)
			db := filepath.Join(in.data, "plein.db")
			if err := lost.lose(db); err != nil {
				t.Fatal(err)
			}
			before, _ := os.Stat(db)
			for _, args := range [][]string{
				{"serve"},
				{"migrate"},
				{"post", "list", "--org", "demo"},
				{"org", "list"},
			} {
				var r result
				if args[0] == "serve" { // stops once listening, should it start
					r.code, r.stdout, r.stderr = serve(t, "--data", in.data)
				} else {
					r = in.run("", args...)
				}
				msg := fails(t, r, ExitFailure, in.data+" holds media but no database: restore a backup with plein restore, or point --data at the right folder")
				if strings.Contains(msg, "sqlite") || strings.Contains(msg, "open ") {
					t.Errorf("plein %s: the message holds Go error text: %q", args[0], msg)
				}
				after, _ := os.Stat(db)
				if (before == nil) != (after == nil) || after != nil && after.Size() != 0 {
					t.Errorf("plein %s changed the database file: %v, then %v", args[0], before, after)
				}
			}
		})
	}
}

// TestCommandsDoNotCreateDatabase: only serve, migrate and restore create a
// database; every other command on a folder without one says so and
// creates nothing, not even the folder.
func TestCommandsDoNotCreateDatabase(t *testing.T) {
	t.Parallel()
	commands := [][]string{
		{"post", "list", "--org", "demo"},
		{"post", "create", "--org", "demo", "--text", "Hallo"},
		{"org", "list"},
		{"org", "create", "--handle", "demo", "--name", "Demo"},
		{"user", "list"},
		{"privacy", "register"},
		{"backup", "--out", filepath.Join(os.TempDir(), "never-written.tar.gz")},
	}
	for _, args := range commands {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			if args[0] == "backup" {
				t.Cleanup(func() {
					if _, err := os.Stat(args[2]); err == nil {
						t.Errorf("backup wrote %s", args[2])
						os.Remove(args[2])
					}
				})
			}
			t.Parallel()
			parent := t.TempDir()
			missing := filepath.Join(parent, "plein-dta") // a typo
			r := plein(t, "", append(args, "--data", missing)...)
			fails(t, r, ExitFailure, "no Plein database in "+missing+": start plein serve or plein migrate once to make one, restore a backup with plein restore, or point --data at the right folder")
			if _, err := os.Stat(missing); err == nil {
				t.Errorf("plein %s created the data folder", strings.Join(args, " "))
			}
			empty := t.TempDir()
			fails(t, plein(t, "", append(args, "--data", empty)...), ExitFailure, "no Plein database in "+empty)
			if entries, _ := os.ReadDir(empty); len(entries) != 0 {
				t.Errorf("plein %s created %d entries in an empty folder", strings.Join(args, " "), len(entries))
			}
		})
	}
}

// TestServeSaysItCreatesADatabase: a typo in --data is not silent.
func TestServeSaysItCreatesADatabase(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nieuw")
	code, out, errOut := serve(t, "--data", dir)
	if code != 0 {
		t.Fatalf("serve: exit %d\n%s\n%s", code, out, errOut)
	}
	if want := "plein: created a new database in " + dir; !strings.Contains(out, want) {
		t.Errorf("serve does not say it made a database; want %q in:\n%s", want, out)
	}
	code, out, _ = serve(t, "--data", dir)
	if code != 0 || strings.Contains(out, "created a new database") {
		t.Errorf("second start: exit %d, says it created a database:\n%s", code, out)
	}
}

// TestRefusesFolderItCannotMakePrivate runs plein as another account (the
// tests run as root, which may change any file's mode) on a data folder and
// database that belong to root and that everyone may read: plein cannot
// make them private, and refuses to use them.
func TestRefusesFolderItCannotMakePrivate(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run plein as another account")
	}
	const nobody = 65534
	// A folder every account may enter, with a copy of the test binary.
	shared, err := os.MkdirTemp("", "plein-other-user-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(shared) })
	if err := os.Chmod(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(shared, "plein")
	copyFile(t, testBinary(t), exe, 0o755)

	in := &inst{t: t, data: filepath.Join(shared, "data")}
	in.ok("migrate")
	in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")

	run := func(args ...string) result {
		cmd := pleinProcess(t, exe, "", append(args, "--data", in.data)...)
		cmd.Dir = shared
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
		return runProcess(t, cmd)
	}
	t.Run("folder", func(t *testing.T) {
		if err := os.Chmod(in.data, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"serve", "--addr", "127.0.0.1:0"}, {"org", "list"}} {
			msg := fails(t, run(args...), ExitFailure, "the data folder "+in.data+" can be read by other accounts and plein cannot make it private: it belongs to another account; run chmod 700 "+in.data+" as its owner, or run plein as that account")
			if strings.Contains(msg, "operation not permitted") {
				t.Errorf("the message holds Go error text: %q", msg)
			}
		}
		if m := mode(t, in.data); m != 0o755 {
			t.Errorf("the folder's mode changed to %v", m)
		}
	})
	t.Run("database", func(t *testing.T) {
		// The folder is plein's own, which it makes private; the database
		// in it belongs to root and everyone may read it.
		err := filepath.WalkDir(in.data, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(path, nobody, nobody)
		})
		if err != nil {
			t.Fatal(err)
		}
		db := filepath.Join(in.data, "plein.db")
		if err := os.Chown(db, 0, 0); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(db, 0o644); err != nil {
			t.Fatal(err)
		}
		fails(t, run("serve", "--addr", "127.0.0.1:0"), ExitFailure, "the database "+db+" can be read by other accounts and plein cannot make it private: it belongs to another account; run chmod 600 "+db+" as its owner, or run plein as that account")
		if m := mode(t, db); m != 0o644 {
			t.Errorf("the database's mode changed to %v", m)
		}
	})
}

func copyFile(t *testing.T, from, to string, perm fs.FileMode) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
