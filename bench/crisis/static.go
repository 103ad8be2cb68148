package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// staticMode is the first argument that turns the harness into the
// baseline server: `crisis static -manifest FILE [-listen ADDR]`.
const staticMode = "static"

// staticResponse is one fixed response of the baseline server.
type staticResponse struct {
	Path   string      `json:"path"`
	Status int         `json:"status"`
	Header http.Header `json:"header"`
	Body   []byte      `json:"body"`
}

// staticHandler serves each response at its path, with its headers and
// bytes as they are; the Date header is the server's own.
func staticHandler(responses []staticResponse) http.Handler {
	byPath := make(map[string]*staticResponse, len(responses))
	for i := range responses {
		r := &responses[i]
		r.Header = r.Header.Clone()
		if r.Header == nil {
			r.Header = http.Header{}
		}
		r.Header.Del("Date")
		r.Header["Content-Length"] = []string{strconv.Itoa(len(r.Body))}
		byPath[r.Path] = r
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r, ok := byPath[req.URL.Path]
		if !ok {
			http.NotFound(w, req)
			return
		}
		h := w.Header()
		for k, v := range r.Header {
			h[k] = v
		}
		w.WriteHeader(r.Status)
		if req.Method != http.MethodHead {
			w.Write(r.Body) // a failed write means the client left
		}
	})
}

// staticMain runs the baseline server until its standard input closes,
// which happens when the harness that started it exits.
func staticMain(args []string) error {
	fs := flag.NewFlagSet(staticMode, flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	manifest := fs.String("manifest", "", "JSON file of the responses to serve")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := raiseFileLimit(); err != nil {
		fmt.Fprintln(os.Stderr, "crisis static: warning:", err)
	}
	b, err := os.ReadFile(*manifest)
	if err != nil {
		return fmt.Errorf("reading the manifest: %w", err)
	}
	var responses []staticResponse
	if err := json.Unmarshal(b, &responses); err != nil {
		return fmt.Errorf("reading the manifest: %w", err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: staticHandler(responses), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	fmt.Printf("listening on %s\n", ln.Addr())
	go func() {
		io.Copy(io.Discard, os.Stdin) // returns when the harness is gone
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// staticProc is the baseline server running as a child process.
type staticProc struct {
	base  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

// startStatic writes the manifest to path and starts this program in
// static mode on it.
func startStatic(path string, responses []staticResponse) (*staticProc, error) {
	b, err := json.Marshal(responses)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("writing the static manifest: %w", err)
	}
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this program to start the static server: %w", err)
	}
	cmd := exec.Command(self, staticMode, "-manifest", path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the static server: %w", err)
	}
	p := &staticProc{cmd: cmd, stdin: stdin}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		p.stop()
		return nil, fmt.Errorf("the static server did not start: %q %v", line, err)
	}
	p.base = "http://" + addr
	return p, nil
}

// stop closes the server's standard input and waits for it to exit.
func (p *staticProc) stop() error {
	p.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		return fmt.Errorf("static server did not stop; killed: %w", <-done)
	}
}
