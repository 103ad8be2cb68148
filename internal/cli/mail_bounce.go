package cli

import (
	"errors"
	"fmt"
	"log/slog"

	"plein/internal/config"
	"plein/internal/mail"
	"plein/internal/model"
	"plein/internal/subscription"
)

// tempError is a failure worth trying again later; the command exits with
// ExitTempFail.
type tempError struct {
	msg string
	err error
}

func (e *tempError) Error() string { return e.msg }
func (e *tempError) Unwrap() error { return e.err }

func runMailBounce(e *env, path string, args []string) error {
	cfg := config.Default()
	f := newFlags(path, "[flags] < MESSAGE", `
Reads one delivery report from standard input, as a mail server hands it
to a pipe: a bounce (a delivery status notification, RFC 3464) or a
complaint (an abuse report, RFC 5965) about a message Plein sent to a
subscriber. A hard bounce suspends the subscription, repeated soft bounces
do too, and a complaint ends it and keeps the address from being mailed
again. A message that is no report, or a report naming no subscription of
this installation, is read and left alone (exit 0), so that the mail server
does not bounce it in turn; when the database cannot be reached the exit
code is 75 (EX_TEMPFAIL), so that the mail server tries again later.

Connect it to the address bounces come back to (the local part of
--mail-from, with + as the recipient delimiter), for example in Postfix's
master.cf:

  plein-bounce unix - n n - - pipe
    user=plein argv=/usr/local/bin/plein mail bounce --data /var/lib/plein`)
	f.dataFlags(&cfg)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	report, err := mail.ParseReport(e.stdin)
	switch {
	case errors.Is(err, mail.ErrNotReport):
		fmt.Fprintln(e.stdout, "The message is no bounce or complaint; nothing changed.")
		return nil
	case errors.Is(err, mail.ErrReportTooLarge):
		fmt.Fprintln(e.stdout, "The message is larger than a delivery report can be; nothing changed.")
		return nil
	case err != nil:
		return fmt.Errorf("reading the report: %w", err)
	}
	app, err := e.open(cfg, slog.LevelWarn)
	if err != nil {
		if errors.Is(err, model.ErrUnavailable) {
			return &tempError{msg: "the database cannot be reached; the mail server should try again later", err: err}
		}
		return err
	}
	defer app.Close()
	err = app.Subscriptions.HandleReport(e.ctx, report)
	switch {
	case errors.Is(err, subscription.ErrUnknownReport):
		fmt.Fprintln(e.stdout, "The report names no subscription of this installation; nothing changed.")
		return nil
	case errors.Is(err, model.ErrUnavailable):
		return &tempError{msg: "the database cannot be reached; the mail server should try again later", err: err}
	case err != nil:
		return fmt.Errorf("handling the report: %w", err)
	}
	fmt.Fprintf(e.stdout, "Handled a %s.\n", describeReport(report))
	return nil
}

// describeReport names a delivery report for the operator.
func describeReport(r *mail.Report) string {
	status := ""
	if r.Status != "" {
		status = " (status " + r.Status + ")"
	}
	switch r.Kind {
	case mail.HardBounce:
		return "hard bounce" + status + ": the subscription is suspended"
	case mail.SoftBounce:
		return fmt.Sprintf("soft bounce%s: counted; %d in a row suspend the subscription", status, subscription.SoftBouncesToSuspend)
	case mail.Complaint:
		return "complaint: the subscription has ended and the address gets no more mail"
	}
	return "report"
}
