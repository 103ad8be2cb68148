// Package cli is Plein's command line: the subcommands, their flags and
// PLEIN_* environment variables, the messages an operator reads, and the
// exit codes (0 success, 1 failure, 2 usage error).
//
// Every error is one line on standard error starting with "plein: ". Errors
// a person can fix (a bad value, an unknown handle or post, a role that does
// not allow the action) are written as sentences; nothing prints a stack
// trace.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"plein/internal/model"
)

// Version is Plein's version, set when building with
// -ldflags "-X plein/internal/cli.Version=1.2.3".
var Version = "dev"

// Exit codes of Main.
const (
	ExitOK      = 0 // the command did what was asked
	ExitFailure = 1 // the command failed
	ExitUsage   = 2 // the command line was wrong
	// ExitTempFail is EX_TEMPFAIL of sysexits.h: the command could not do
	// its work now (the database was unreachable) and a mail server that
	// piped a message to it should try again later.
	ExitTempFail = 75
)

// Main runs the plein command with args (without the program name) and
// returns the exit code. It reads PLEIN_* variables from the environment of
// the process; ctx ends the command, as an interrupt does.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	err := e.dispatch(args)
	if err == nil || errors.Is(err, errHelpShown) {
		return ExitOK
	}
	msg, code := describe(ctx, err)
	fmt.Fprintf(stderr, "plein: %s\n", msg)
	return code
}

// env is what every command works with.
type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// command is a subcommand, or a group of them such as "post".
type command struct {
	name    string
	summary string
	run     func(e *env, name string, args []string) error // nil for a group
	sub     []*command
}

func commands() []*command {
	return []*command{
		{name: "serve", summary: "run the web server", run: runServe},
		{name: "migrate", summary: "bring the database schema up to date", run: runMigrate},
		{name: "backup", summary: "write a backup of the embedded database and media to one file, while serve runs", run: runBackup},
		{name: "restore", summary: "restore a backup into a new or empty data folder", run: runRestore},
		{name: "archive", summary: "export an organisation's public records to a zip file, and import one", sub: []*command{
			{name: "export", summary: "write an organisation's archive: posts, versions, media, replies, audit log; HTML, Activity Streams, MDTO and WARC", run: runArchiveExport},
			{name: "import", summary: "rebuild an organisation from its archive, with the same ids", run: runArchiveImport},
		}},
		{name: "version", summary: "print the version", run: runVersion},
		{name: "audit", summary: "open the public pages of a running Plein in headless Chromium and report cookies, storage and requests to other hosts", run: runAudit},
		{name: "a11y", summary: "the accessibility statement, and a check of the public pages with axe-core", sub: a11yCommands()},
		{name: "privacy", summary: "print the processing register that the privacy pages state", sub: []*command{
			{name: "register", summary: "print the processing register of an organisation or the installation, as Markdown or JSON", run: runPrivacyRegister},
		}},
		{name: "mail", summary: "set up and check the e-mail Plein sends", sub: []*command{
			{name: "dns", summary: "print the SPF, DKIM and DMARC records for the domain of --mail-from", run: runMailDNS},
			{name: "test", summary: "send a test message through the configured relay", run: runMailTest},
			{name: "bounce", summary: "read a bounce or complaint on standard input and suspend or end the subscription it names", run: runMailBounce},
		}},
		{name: "org", summary: "create, list, rename, update and move organisations; read their audit log", sub: []*command{
			{name: "create", summary: "create an organisation", run: runOrgCreate},
			{name: "list", summary: "list the organisations", run: runOrgList},
			{name: "rename", summary: "change an organisation's handle; the old one keeps redirecting", run: runOrgRename},
			{name: "update", summary: "change an organisation's profile: name, description, links, language, time zone, avatar, header image", run: runOrgUpdate},
			{name: "bluesky", summary: "connect an organisation to its Bluesky account, choose what edits do there, or disconnect it", run: runOrgBluesky},
			{name: "log", summary: "print the audit log of an organisation or of the installation", run: runOrgLog},
			{name: "move", summary: "move an organisation to another Fediverse account: movedTo, a Move to its followers, publishing off", run: runOrgMove},
			{name: "move-in", summary: "show a move of followers to an organisation: the Moves that arrived and the follows since", run: runOrgMoveIn},
		}},
		{name: "user", summary: "manage staff accounts", sub: []*command{
			{name: "create", summary: "create a staff account", run: runUserCreate},
			{name: "list", summary: "list the staff accounts", run: runUserList},
			{name: "reset-password", summary: "give an account a new random password", run: runUserResetPassword},
			{name: "add-to-org", summary: "give an account a role in an organisation", run: runUserAddToOrg},
			{name: "remove-from-org", summary: "take an account out of an organisation", run: runUserRemoveFromOrg},
			{name: "second-factor", summary: "second factors of staff accounts", sub: secondFactorCommands()},
			{name: "link-oidc", summary: "link an account to its owner's identity at the single sign-on provider", run: runUserLinkOIDC},
			{name: "unlink-oidc", summary: "remove the link of an account to the single sign-on provider", run: runUserUnlinkOIDC},
			{name: "sessions", summary: "list the current logins of an account", run: runUserSessions},
			{name: "end-sessions", summary: "end every login of an account", run: runUserEndSessions},
		}},
		{name: "post", summary: "write, publish, edit and remove posts", sub: []*command{
			{name: "create", summary: "write a post: publish it now, schedule it or keep it as a draft", run: runPostCreate},
			{name: "edit", summary: "change a post's text, content warning, language or images", run: runPostEdit},
			{name: "publish", summary: "publish a draft or scheduled post now, or schedule it", run: runPostPublish},
			{name: "approve", summary: "approve a post or edit awaiting approval (approvers and admins, never their own)", run: runPostApprove},
			{name: "return", summary: "return a post or edit awaiting approval to its author with a note", run: runPostReturn},
			{name: "approvals", summary: "list the posts and edits awaiting approval, and those returned", run: runPostApprovals},
			{name: "pin", summary: "pin a post to the top of its organisation's page", run: runPostPin},
			{name: "unpin", summary: "unpin a post", run: runPostUnpin},
			{name: "delete", summary: "take a post off every public page and feed; the archive keeps it", run: runPostDelete},
			{name: "purge", summary: "remove a post and its history for good (instance administrators)", run: runPostPurge},
			{name: "list", summary: "list an organisation's posts", run: runPostList},
			{name: "replies", summary: "list the replies from the Fediverse to a post", run: runPostReplies},
			{name: "answer", summary: "publish the organisation's public answer to a reply", run: runPostAnswer},
			{name: "describe", summary: "describe an imported image that has no description, so that it is shown", run: runPostDescribe},
		}},
		{name: "import", summary: "bring an organisation's posts in from another platform", sub: []*command{
			{name: "facebook", summary: "import a Facebook Page's posts from its export (.zip or folder); --dry-run reports only", run: runImportFacebook},
		}},
		{name: "reply", summary: "moderate the replies from the Fediverse: list, approve, refuse, hide", sub: []*command{
			{name: "list", summary: "list an organisation's replies in one state of moderation, the id first", run: runReplyList},
			{name: "approve", summary: "show a reply under its post", run: runReplyApprove},
			{name: "refuse", summary: "refuse a pending reply, with a statement of reasons sent to its author", run: runReplyRefuse},
			{name: "hide", summary: "take a shown reply down, with a statement of reasons sent to its author", run: runReplyHide},
		}},
		{name: "moderation", summary: "statements of reasons, blocks, notices and complaints", sub: []*command{
			{name: "export", summary: "write the statements of reasons for the EU Transparency Database (tdb) or as CSV", run: runModerationExport},
			{name: "block", summary: "block an account or a server, for an organisation or the whole installation", run: runModerationBlock},
			{name: "unblock", summary: "lift a block", run: runModerationUnblock},
			{name: "blocks", summary: "list the blocks of an organisation or the installation", run: runModerationBlocks},
			{name: "notices", summary: "list the notices about an organisation's content", run: runModerationNotices},
			{name: "import-blocks", summary: "import a blocklist of servers in Mastodon's domain-block CSV format", run: runModerationImportBlocks},
			{name: "filter", summary: "keyword filters of an organisation: add, list, remove", sub: []*command{
				{name: "add", summary: "add a keyword filter that holds or refuses replies", run: runModerationFilterAdd},
				{name: "list", summary: "list an organisation's keyword filters, the id first", run: runModerationFilterList},
				{name: "remove", summary: "remove a keyword filter", run: runModerationFilterRemove},
			}},
			{name: "complaints", summary: "list the complaints about moderation decisions, the id first", run: runModerationComplaints},
			{name: "decide-complaint", summary: "decide a complaint: upheld (the reply is shown again) or rejected", run: runModerationDecideComplaint},
		}},
		{name: "subscribers", summary: "list, import, export and end an organisation's e-mail subscribers", sub: []*command{
			{name: "list", summary: "list the e-mail subscribers of an organisation", run: runSubscribersList},
			{name: "import", summary: "import subscribers with their stated consent from a CSV file or standard input", run: runSubscribersImport},
			{name: "export", summary: "write the active subscribers as CSV to standard output", run: runSubscribersExport},
			{name: "end", summary: "end one subscriber's subscription on their behalf", run: runSubscribersEnd},
		}},
		{name: "inbox", summary: "read and answer the questions citizens sent through the contact form", sub: []*command{
			{name: "list", summary: "list an organisation's questions", run: runInboxList},
			{name: "show", summary: "show a question with its answers", run: runInboxShow},
			{name: "state", summary: "set a question's state", run: runInboxState},
			{name: "answer", summary: "answer a question by e-mail or Fediverse direct message", run: runInboxAnswer},
			{name: "assign", summary: "assign a question to a colleague", run: runInboxAssign},
			{name: "note", summary: "add an internal note to a question", run: runInboxNote},
			{name: "complaint", summary: "mark a question as a complaint, kept longer", run: runInboxComplaint},
			{name: "export", summary: "write a question and its answers as an .eml message", run: runInboxExport},
			{name: "settings", summary: "show or change who reads the inbox, retention and team notices", run: runInboxSettings},
			{name: "saved", summary: "saved answers for frequent questions", sub: []*command{
				{name: "add", summary: "save an answer under a title", run: runInboxSavedAdd},
				{name: "list", summary: "list the saved answers", run: runInboxSavedList},
				{name: "remove", summary: "remove a saved answer", run: runInboxSavedRemove},
			}},
		}},
	}
}

func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// dispatch finds the command args name and runs it.
func (e *env) dispatch(args []string) error {
	if len(args) == 0 {
		return usageErrorf("no command given; run 'plein help' for the list")
	}
	if isHelp(args[0]) {
		if len(args) == 1 {
			printTopUsage(e.stdout)
			return nil
		}
		// "plein help post create" shows what "plein post create -h" does.
		return e.dispatch(append(append([]string(nil), args[1:]...), "-h"))
	}
	cmds := commands()
	path := "plein"
	for {
		c := find(cmds, args[0])
		if c == nil {
			return usageErrorf("unknown command %q; run '%s' for the list", strings.TrimPrefix(path+" "+args[0], "plein "), helpPath(path))
		}
		path += " " + c.name
		args = args[1:]
		if c.run != nil {
			return c.run(e, path, args)
		}
		if len(args) == 0 || strings.HasPrefix(args[0], "-") && !isHelp(args[0]) {
			return usageErrorf("%s needs a subcommand; run '%s' for the list", strings.TrimPrefix(path, "plein "), helpPath(path))
		}
		if isHelp(args[0]) {
			printGroupUsage(e.stdout, path, c)
			return nil
		}
		cmds = c.sub
	}
}

// helpPath turns "plein post" into "plein help post" for messages.
func helpPath(path string) string {
	if rest, ok := strings.CutPrefix(path, "plein "); ok {
		return "plein help " + rest
	}
	return "plein help"
}

func find(cmds []*command, name string) *command {
	for _, c := range cmds {
		if c.name == name {
			return c
		}
	}
	return nil
}

func printTopUsage(w io.Writer) {
	fmt.Fprint(w, `Plein publishes the posts of public bodies on the web, in feeds and on the
Fediverse, without tracking anyone who reads them.

Usage: plein <command> [flags]

Commands:
`)
	for _, c := range commands() {
		if c.run != nil {
			fmt.Fprintf(w, "  %-28s %s\n", c.name, c.summary)
			continue
		}
		for _, s := range c.sub {
			fmt.Fprintf(w, "  %-28s %s\n", c.name+" "+s.name, s.summary)
		}
	}
	fmt.Fprintf(w, "  %-28s %s\n", "help [command]", "show this text, or the flags of a command")
	fmt.Fprint(w, `
Every command that reads or changes data takes --data DIR (the folder of
the embedded database and media; env PLEIN_DATA, default plein-data) and
--database URL (a postgres:// URL to use PostgreSQL instead of the embedded
SQLite; env PLEIN_DATABASE). A flag wins over its environment variable.

Run 'plein help <command>' or 'plein <command> -h' for a command's flags.
`)
}

func printGroupUsage(w io.Writer, path string, c *command) {
	fmt.Fprintf(w, "Usage: %s <subcommand> [flags]\n\n%s.\n\nSubcommands:\n", path, upperFirst(c.summary))
	for _, s := range c.sub {
		fmt.Fprintf(w, "  %-16s %s\n", s.name, s.summary)
	}
	fmt.Fprintf(w, "\nRun '%s <subcommand> -h' for its flags.\n", path)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// errHelpShown means a command printed its usage because it was asked to.
var errHelpShown = errors.New("help shown")

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// describe returns the one-line message and the exit code for err.
func describe(ctx context.Context, err error) (string, int) {
	var ue *usageError
	if errors.As(err, &ue) {
		return oneLine(ue.msg), ExitUsage
	}
	var te *tempError
	if errors.As(err, &te) {
		return oneLine(te.msg), ExitTempFail
	}
	if fe, ok := model.AsFieldError(err); ok {
		return oneLine(fe.Error()), ExitFailure
	}
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return "interrupted", ExitFailure
	}
	return oneLine(err.Error()), ExitFailure
}

// oneLine joins the lines of a message so that every error is one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
