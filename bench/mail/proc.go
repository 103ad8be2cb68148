//go:build linux

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"plein/internal/cli"
)

// child is plein serve in a process of its own.
type child struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// startChild starts bin serve with args and the PLEIN_* settings env,
// logging to logPath.
func startChild(ctx context.Context, bin string, args, env []string, logPath string) (*child, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("starting plein serve: %w", err)
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		log.Close()
		close(c.done)
	}()
	return c, nil
}

func (c *child) exited() <-chan struct{} { return c.done }

// stop interrupts plein serve as Ctrl-C does and waits for it, killing it
// after 30 seconds.
func (c *child) stop() error {
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("interrupting plein serve: %w", err)
	}
	select {
	case <-c.done:
		if c.err != nil {
			return fmt.Errorf("plein serve exited with %w", c.err)
		}
		return nil
	case <-time.After(30 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
		return errors.New("plein serve did not stop within 30s after an interrupt; killed")
	}
}

// clockTicks is the unit of the CPU times in /proc/PID/stat: USER_HZ,
// 100 on every Linux architecture Go runs on.
const clockTicks = 100

// cpu reads utime and stime from /proc/PID/stat.
func (c *child) cpu() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		return 0, fmt.Errorf("CPU time of plein serve: %w", err)
	}
	return parseStatCPU(string(b))
}

// parseStatCPU returns utime+stime of a /proc/PID/stat line.
func parseStatCPU(stat string) (time.Duration, error) {
	// The command name, field 2, is in parentheses and may hold spaces.
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, errors.New("unreadable /proc stat")
	}
	fields := strings.Fields(stat[i+1:])
	// Fields 14 and 15 of the line are the 12th and 13th after the name.
	if len(fields) < 13 {
		return 0, errors.New("short /proc stat")
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc stat: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

func (c *child) hwm() (int64, error) {
	return readHWM(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
}

// readHWM returns VmHWM, the peak resident set size, from a
// /proc/PID/status file.
func readHWM(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("peak memory: %w", err)
	}
	defer f.Close()
	return parseHWM(f)
}

func parseHWM(r io.Reader) (int64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("unreadable VmHWM line %q", sc.Text())
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("VmHWM: %w", err)
		}
		return kb << 10, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("no VmHWM line")
}

// inProcess is plein serve running in this program.
type inProcess struct {
	cancel context.CancelFunc
	done   chan struct{}
	code   int
}

var setEnv sync.Once

// startInProcess runs plein serve with args in this process. The peak
// memory is reset first, so that each run reports its own.
func startInProcess(ctx context.Context, args, env []string, logPath string) (*inProcess, error) {
	var err error
	setEnv.Do(func() {
		for _, kv := range env {
			name, value, _ := strings.Cut(kv, "=")
			if err = os.Setenv(name, value); err != nil {
				return
			}
		}
	})
	if err != nil {
		return nil, err
	}
	// Writing 5 to clear_refs resets VmHWM to the current resident size.
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		logf("warning: cannot reset the peak memory: %v", err)
	}
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &inProcess{cancel: cancel, done: make(chan struct{})}
	go func() {
		p.code = cli.Main(ctx, append([]string{"serve"}, args...), strings.NewReader(""), log, log)
		log.Close()
		close(p.done)
	}()
	return p, nil
}

func (p *inProcess) exited() <-chan struct{} { return p.done }

func (p *inProcess) stop() error {
	p.cancel()
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		return errors.New("plein serve did not stop within 30s")
	}
	if p.code != 0 {
		return fmt.Errorf("plein serve exited with status %d", p.code)
	}
	return nil
}

func (p *inProcess) cpu() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

func (p *inProcess) hwm() (int64, error) { return readHWM("/proc/self/status") }
