// Command plein runs Plein: the web server and the operator's commands.
// Run "plein help" for the list.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"plein/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
