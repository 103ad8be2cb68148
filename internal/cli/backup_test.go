package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"plein/internal/auth"
	"plein/internal/backup"
	"plein/internal/config"
	"plein/internal/model"
	"plein/internal/pleintest"
	"plein/internal/post"
	"plein/internal/store/storetest"
)

// pngBytes returns a PNG image of w×h pixels, different for each seed.
func pngBytes(w, h, seed int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * seed), uint8(y + seed), 160, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // encoding into memory does not fail
	}
	return b.Bytes()
}

// writer keeps publishing posts in an organisation, one in three with an
// image, until stopped.
type writer struct {
	written  atomic.Int64
	progress chan struct{}
	stop     chan struct{}
	done     chan error
}

func startWriter(srv *pleintest.Server, o *model.Org) *writer {
	w := &writer{progress: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		ctx := context.Background()
		for i := 0; ; i++ {
			select {
			case <-w.stop:
				w.done <- nil
				return
			default:
			}
			in := post.Input{Text: fmt.Sprintf("Bericht %d over de werkzaamheden aan de Stationsstraat. #verkeer", i)}
			if i%3 == 0 {
				in.Images = []post.ImageInput{{Upload: bytes.NewReader(pngBytes(64, 48, i)), Name: "foto.png", Alt: fmt.Sprintf("Foto %d", i)}}
			}
			if _, err := srv.App.Posts.Create(ctx, auth.Operator(), o.ID, in, post.When{}); err != nil {
				w.done <- err
				return
			}
			w.written.Add(1)
			select {
			case w.progress <- struct{}{}:
			default:
			}
		}
	}()
	return w
}

// waitFor waits until the writer has published n posts.
func (w *writer) waitFor(t *testing.T, n int64) {
	t.Helper()
	for w.written.Load() < n {
		select {
		case <-w.progress:
		case err := <-w.done:
			t.Fatalf("the writer stopped: %v", err)
		}
	}
}

func (w *writer) halt(t *testing.T) {
	t.Helper()
	close(w.stop)
	if err := <-w.done; err != nil {
		t.Fatal(err)
	}
}

// TestBackupUnderWritesAndRestore takes a backup while posts keep being
// published, restores it into a new folder and starts a second server on
// it. Every media file restored is byte-identical to the original's. Then
// the posts published after the snapshot are purged from the original, so
// that both servers hold the same posts: every public page (directory,
// organisation pages, post pages and their history, feeds, tag pages,
// ActivityPub documents with the organisation's public key, media) is
// identical on both.
func TestBackupUnderWritesAndRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	engine := storetest.Engines()[0]
	if engine.Name != "sqlite" {
		t.Fatalf("engine %s, want sqlite", engine.Name)
	}
	srv := pleintest.NewServer(t, engine)
	o := srv.Org(t, "almere")
	op := auth.Operator()
	create := func(in post.Input, w post.When) *model.Post {
		t.Helper()
		p, err := srv.App.Posts.Create(ctx, op, o.ID, in, w)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	create(post.Input{Text: "Het **afvalrooster** verandert per 1 december. #afval"}, post.When{})
	create(post.Input{Text: "De dijk bij de haven is versterkt. #verkeer", Images: []post.ImageInput{
		{Upload: bytes.NewReader(pngBytes(640, 400, 1)), Name: "dijk.png", Alt: "Een versterkte dijk"}}}, post.When{})
	create(post.Input{Text: "Bij het ongeval op de A6 is een persoon overleden.", Summary: "Ongeval"}, post.When{})
	pinned := create(post.Input{Text: "Storm verwacht: blijf binnen."}, post.When{})
	if _, err := srv.App.Posts.Pin(ctx, op, pinned.ID, true); err != nil {
		t.Fatal(err)
	}
	edited := create(post.Input{Text: "The library opens at 9 o'clock.", Language: "en"}, post.When{})
	if _, err := srv.App.Posts.Edit(ctx, op, edited.ID, post.Input{Text: "The library opens at 10 o'clock.", Language: "en"}); err != nil {
		t.Fatal(err)
	}
	create(post.Input{Text: "Concept: nog niet publiceren"}, post.When{Draft: true})
	deleted := create(post.Input{Text: "Per ongeluk geplaatst"}, post.When{})
	if _, err := srv.App.Posts.Delete(ctx, op, deleted.ID); err != nil {
		t.Fatal(err)
	}
	// The actor documents make the organisation's and the installation's
	// signing keys, which live in the database.
	for _, path := range []string{"/@almere", "/actor"} {
		if resp, _ := srv.Get(t, path, "Accept", "application/activity+json"); resp.StatusCode != 200 {
			t.Fatalf("actor %s: %d", path, resp.StatusCode)
		}
	}

	w := startWriter(srv, o)
	w.waitFor(t, 25) // more than a page of the organisation
	archive := filepath.Join(t.TempDir(), "plein.tar.gz")
	r := plein(t, "", "backup", "--out", archive, "--data", srv.Dir)
	if r.code != 0 {
		t.Fatalf("backup: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	atBackup := w.written.Load()
	w.waitFor(t, atBackup+3) // published after the snapshot, not in it
	w.halt(t)
	if !strings.Contains(r.stdout, "plein: backed up the database (schema version ") || !strings.Contains(r.stdout, " to "+archive) {
		t.Errorf("backup output: %q", r.stdout)
	}
	if m := mode(t, archive); m != 0o600 {
		t.Errorf("the backup has mode %v, want 0600", m)
	}
	m := readManifest(t, archive)
	if m.PleinVersion != Version || m.SchemaVersion < 14 || m.Format != backup.Format || time.Since(m.Created) > time.Hour {
		t.Errorf("manifest: %+v", m)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	r = plein(t, "", "restore", archive, "--data", restored)
	if r.code != 0 {
		t.Fatalf("restore: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "plein: start it with: plein serve --data "+restored) {
		t.Errorf("restore output: %q", r.stdout)
	}
	seen := checkPrivate(t, restored)
	if !seen["plein.db"] || !seen["media"] {
		t.Fatalf("restored folder holds %v", seen)
	}
	// Every restored media file is byte-identical to the original's.
	var restoredMedia int
	err := filepath.WalkDir(filepath.Join(restored, "media"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(restored, path)
		got, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		want, err := os.ReadFile(filepath.Join(srv.Dir, rel))
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the original", rel)
		}
		restoredMedia++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if restoredMedia != m.MediaFiles() || restoredMedia < 9 {
		t.Errorf("restored %d media files; the manifest lists %d", restoredMedia, m.MediaFiles())
	}

	rs := pleintest.NewServerWith(t, engine, pleintest.Options{Configure: []func(*config.Config){func(c *config.Config) {
		c.DataDir = restored
		c.BaseURL = srv.URL // the public URL stays; only the listener differs
	}}})
	kept, err := rs.App.Posts.List(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	all, err := srv.App.Posts.List(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	const fixturePosts = 7
	if n := int64(len(kept)) - fixturePosts; n < 25 || n > atBackup {
		t.Fatalf("the backup holds %d of the writer's posts; at least 25 were published before it began and %d when it ended", n, atBackup)
	}
	if len(all) <= len(kept) {
		t.Fatalf("the original holds %d posts, the backup %d: no post was published after the snapshot", len(all), len(kept))
	}
	ids := map[string]bool{}
	for _, p := range kept {
		ids[p.ID] = true
	}
	purged := 0
	for _, p := range all {
		if !ids[p.ID] {
			if err := srv.App.Posts.Purge(ctx, op, p.ID); err != nil {
				t.Fatal(err)
			}
			purged++
		}
	}
	if purged != len(all)-len(kept) {
		t.Fatalf("the backup holds posts the original lacks")
	}
	srv.WaitFresh(t)
	rs.WaitFresh(t)

	// The privacy pages are left out: they state the running
	// configuration and the minute they were rendered, not stored data.
	paths := []string{"/", "/?lang=en", "/@almere", "/@almere?lang=en", "/@almere/feed.atom", "/@almere/feed.rss",
		"/@almere/feed.json", "/feed.atom", "/feed.rss", "/feed.json", "/@almere/tags/verkeer", "/@almere/tags/afval",
		"/@almere/tags/verkeer/feed.atom", "/@almere/tags/verkeer/feed.json",
		"/orgs/" + o.ID + "/outbox?page=true", "/orgs/" + o.ID + "/featured", "/orgs/" + o.ID + "/followers",
		"/actor", "/.well-known/nodeinfo", "/nodeinfo/2.1",
		"/.well-known/webfinger?resource=acct:almere@" + strings.TrimPrefix(srv.URL, "http://")}
	for _, p := range kept {
		at := "/@almere/" + p.ID
		paths = append(paths, at, at+"?lang=en", at+"/history", "/posts/"+p.ID+"/activity")
		media, err := rs.App.Posts.Media(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, md := range media {
			for _, v := range md.Variants {
				paths = append(paths, "/media/"+v.Key)
			}
		}
	}
	// The organisation's older posts, linked from its page.
	_, page := srv.Get(t, "/@almere")
	older := regexp.MustCompile(`href="(/@almere\?[^"]*before=[^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(older) == 0 {
		t.Errorf("the organisation page links no older posts")
	}
	for _, m := range older {
		paths = append(paths, html.UnescapeString(m[1]))
	}
	compared := 0
	for _, path := range paths {
		for _, accept := range []string{"", "application/activity+json"} {
			if accept != "" && !strings.HasPrefix(path, "/@almere/") && path != "/@almere" {
				continue
			}
			var header []string
			if accept != "" {
				header = []string{"Accept", accept}
			}
			want, wantBody := srv.Get(t, path, header...)
			got, gotBody := rs.Get(t, path, header...)
			if got.StatusCode != want.StatusCode || !bytes.Equal(gotBody, wantBody) {
				at := firstDifference(gotBody, wantBody)
				t.Errorf("GET %s (Accept %q): restored %d, %d bytes; original %d, %d bytes; from byte %d:\nrestored: %.200s\noriginal: %.200s",
					path, accept, got.StatusCode, len(gotBody), want.StatusCode, len(wantBody), at, gotBody[at:], wantBody[at:])
			}
			compared++
		}
	}
	t.Logf("compared %d responses of %d posts; %d media files restored", compared, len(kept), restoredMedia)

	t.Run("into a folder that is not empty", func(t *testing.T) {
		for _, dir := range []string{srv.Dir, nonEmpty(t)} {
			before := listing(t, dir)
			r := plein(t, "", "restore", archive, "--data", dir)
			fails(t, r, ExitFailure, "cannot restore into "+dir+": it is not empty; restore into a new or empty folder, or move the old installation aside first")
			if after := listing(t, dir); !slices.Equal(before, after) {
				t.Errorf("the folder changed: %v, then %v", before, after)
			}
		}
	})
	t.Run("into an empty folder", func(t *testing.T) {
		dir := t.TempDir()
		if r := plein(t, "", "restore", archive, "--data", dir); r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if got := listing(t, dir); !slices.Equal(got, []string{"media", "plein.db"}) {
			t.Errorf("restored folder holds %v", got)
		}
	})
	t.Run("a damaged archive", func(t *testing.T) {
		good, err := os.ReadFile(archive)
		if err != nil {
			t.Fatal(err)
		}
		reference := filepath.Join(t.TempDir(), "reference")
		if r := plein(t, "", "restore", archive, "--data", reference); r.code != 0 {
			t.Fatalf("restore: %s", r.stderr)
		}
		n := len(good)
		// Bytes 4 to 9 of the gzip header (time, flags for the
		// compressor, system) and its "text" flag carry no data.
		for _, at := range []int{0, 1, 2, 10, 11, 512, n / 3, n / 2, 2 * n / 3, n - 9, n - 8, n - 5, n - 4, n - 1} {
			bad := slices.Clone(good)
			bad[at] ^= 0x01
			file := filepath.Join(t.TempDir(), "bad.tar.gz")
			if err := os.WriteFile(file, bad, 0o600); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "restored")
			r := plein(t, "", "restore", file, "--data", dir)
			if r.code == 0 {
				// The bit carried nothing (deflate padding, an unused
				// code length): the files must be the original's.
				sameFiles(t, reference, dir)
				continue
			}
			if r.code != ExitFailure || !(strings.Contains(r.stderr, file+" is damaged and cannot be restored: ") ||
				strings.Contains(r.stderr, file+" is not a Plein backup: ")) {
				t.Errorf("byte %d of %d flipped: exit %d, %q", at, n, r.code, r.stderr)
				continue
			}
			fails(t, r, ExitFailure, file)
			if _, err := os.Stat(dir); err == nil {
				t.Errorf("byte %d flipped: the folder was made", at)
			}
		}
		cut := filepath.Join(t.TempDir(), "cut.tar.gz")
		if err := os.WriteFile(cut, good[:n/2], 0o600); err != nil {
			t.Fatal(err)
		}
		fails(t, plein(t, "", "restore", cut, "--data", filepath.Join(t.TempDir(), "x")), ExitFailure,
			cut+" is damaged and cannot be restored: it ends too early: it is cut short; nothing was restored")
	})
	t.Run("a file changed inside a sound archive", func(t *testing.T) {
		changed := ""
		file := rewrite(t, archive, func(name string, data []byte) []byte {
			if changed == "" && strings.HasPrefix(name, "media/") {
				changed = name
				data = slices.Clone(data)
				data[len(data)/2] ^= 0x01
			}
			return data
		})
		r := plein(t, "", "restore", file, "--data", filepath.Join(t.TempDir(), "x"))
		fails(t, r, ExitFailure, file+" is damaged and cannot be restored: "+changed+" does not match its checksum; nothing was restored")
	})
	t.Run("a newer schema", func(t *testing.T) {
		file := rewrite(t, archive, func(name string, data []byte) []byte {
			if name != backup.ManifestName {
				return data
			}
			var m backup.Manifest
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			m.SchemaVersion += 1000
			b, _ := json.Marshal(m)
			return b
		})
		r := plein(t, "", "restore", file, "--data", filepath.Join(t.TempDir(), "x"))
		fails(t, r, ExitFailure, fmt.Sprintf("%s was made by a newer Plein: its database has schema version %d, and this Plein knows versions up to ", file, m.SchemaVersion+1000))
	})
}

// sameFiles checks that the folders a and b hold the same files with the
// same bytes.
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	read := func(root string) map[string]string {
		files := map[string]string{}
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			rel, _ := filepath.Rel(root, path)
			files[rel] = string(data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	fa, fb := read(a), read(b)
	if len(fa) != len(fb) {
		t.Errorf("%s holds %d files, %s %d", a, len(fa), b, len(fb))
	}
	for name, data := range fa {
		if fb[name] != data {
			t.Errorf("%s differs between %s and %s", name, a, b)
		}
	}
}

// firstDifference returns the offset of the first line where a and b
// differ.
func firstDifference(a, b []byte) int {
	line := 0
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return line
		}
		if a[i] == '\n' {
			line = i + 1
		}
	}
	return min(len(a), len(b), line)
}

// nonEmpty returns a folder holding one file.
func nonEmpty(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// listing returns the names in dir.
func listing(t *testing.T, dir string) []string {
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

// readManifest returns the manifest of the archive at path.
func readManifest(t *testing.T, path string) *backup.Manifest {
	t.Helper()
	var m *backup.Manifest
	eachEntry(t, path, func(h *tar.Header, data []byte) {
		if h.Name == backup.ManifestName {
			m = &backup.Manifest{}
			if err := json.Unmarshal(data, m); err != nil {
				t.Fatal(err)
			}
		}
	})
	if m == nil {
		t.Fatal("no manifest")
	}
	return m
}

func eachEntry(t *testing.T, path string, fn func(*tar.Header, []byte)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		fn(h, data)
	}
}

// rewrite writes a sound gzip-compressed tar archive with the entries of
// the one at path, changed by change, and returns its path.
func rewrite(t *testing.T, path string, change func(name string, data []byte) []byte) string {
	t.Helper()
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	eachEntry(t, path, func(h *tar.Header, data []byte) {
		data = change(h.Name, data)
		h.Size = int64(len(data))
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	})
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "changed.tar.gz")
	if err := os.WriteFile(out, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBackupWithMediaInObjectStore: with media in an object store, the
// backup holds the database only, and both backup and restore say so.
// Neither contacts the object store.
func TestBackupWithMediaInObjectStore(t *testing.T) {
	t.Parallel()
	in := newInst(t)
	in.ok("org", "create", "--handle", "demo", "--name", "Gemeente Demodorp")
	archive := filepath.Join(t.TempDir(), "b.tar.gz")
	var stdout, stderr strings.Builder
	env := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(name string) string {
			if name == "PLEIN_S3_SECRET_KEY" {
				return "geheim"
			}
			return ""
		}}
	err := env.dispatch([]string{"backup", "--out", archive, "--data", in.data,
		"--s3-endpoint", "127.0.0.1:1", "--s3-bucket", "media", "--s3-access-key", "plein"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "plein: note: the media are in the object store and not in this backup") ||
		!strings.Contains(stdout.String(), "and 0 media files") {
		t.Errorf("backup:\n%s%s", stdout.String(), stderr.String())
	}
	if m := readManifest(t, archive); !m.MediaElsewhere || len(m.Files) != 1 || m.Files[0].Name != backup.DatabaseName {
		t.Errorf("manifest: %+v", m)
	}
	out := in.runRestore(t, archive)
	if !strings.Contains(out, "were in an object store and are not in the backup") {
		t.Errorf("restore: %q", out)
	}
}

func (in *inst) runRestore(t *testing.T, archive string) string {
	t.Helper()
	r := plein(t, "", "restore", archive, "--data", filepath.Join(t.TempDir(), "restored"))
	if r.code != 0 {
		t.Fatalf("restore: exit %d: %s", r.code, r.stderr)
	}
	return r.stdout
}

func TestRestoreMissingFile(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "missing.tar.gz")
	dir := filepath.Join(t.TempDir(), "restored")
	fails(t, plein(t, "", "restore", missing, "--data", dir), ExitFailure, "there is no backup file "+missing)
	if _, err := os.Stat(dir); err == nil {
		t.Error("the folder was made")
	}
	notBackup := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notBackup, []byte("Notulen van de raadsvergadering\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fails(t, plein(t, "", "restore", notBackup, "--data", dir), ExitFailure,
		notBackup+" is not a Plein backup: it is not a gzip-compressed tar archive")
	if _, err := os.Stat(dir); err == nil {
		t.Error("the folder was made")
	}
}

func TestBackupOutInMissingFolder(t *testing.T) {
	t.Parallel()
	in := newInst(t)
	out := filepath.Join(t.TempDir(), "missing", "b.tar.gz")
	fails(t, in.run("", "backup", "--out", out), ExitFailure,
		"cannot write the backup to "+out+": the folder "+filepath.Dir(out)+" does not exist")
}
