package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"clientportal/installer"
	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/server/setup"
	"clientportal/store"
)

const usage = `clientportal: a self-hosted client portal for law offices.

With no arguments it opens the desktop control panel. Commands:
  serve [--data DIR] [--http ADDR] [--https ADDR] [--staff-listen ADDR] [--redirect-listen ADDR] [--demo]
        [--access-log=false] [--mail-quiet D] [--mail-window D] [--mail-retry D] [--office-key FILE]
                                    run the portal service in the foreground; the
                                    --mail flags tune email notifications (0 < D <= 1h)
  admin create --data DIR --email EMAIL --name NAME
                                    add an administrator (asks for the password)
  admin reset-password --data DIR --email EMAIL
                                    set a new password for a locked-out administrator
  demo --data DIR                   fill an empty DIR with a demo office and print its logins
  service install|uninstall|start|stop|restart|status [flags]
                                    run the portal as an OS service ('service -h')
  backup --data DIR --to FILE       back the office up (the service may be running)
  restore --from FILE --data DIR    restore a backup (the service must be stopped)
  config check --data DIR           check domain, ports, mail server, certificate, office key
  audit verify [--data DIR]         check the audit log's hash chain; names the first broken entry
  staff-fingerprint [--data DIR]    print the staff listener's certificate fingerprint (for pairing)
  version                           print the version
  help                              print this text
Run 'clientportal COMMAND -h' for a command's flags.
`

// usageError is a command line that cannot run as given: exit code 2, and
// one message that says what to change.
type usageError struct {
	cmd string
	msg string
}

func (e *usageError) Error() string {
	return fmt.Sprintf("%s: %s\nRun 'clientportal %s -h' for its flags.", e.cmd, e.msg, e.cmd)
}

// errHelp means the help was asked for and printed.
var errHelp = errors.New("help printed")

// runCommand runs one command line and returns the process exit code.
func runCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(args[1:], stdout, stderr)
	case "admin":
		err = cmdAdmin(args[1:], stdin, stdout, stderr)
	case "demo":
		err = cmdDemo(args[1:], stdout)
	case "service":
		err = cmdService(args[1:], stdout, stderr)
	case "backup":
		err = cmdBackup(args[1:], stdout)
	case "restore":
		err = cmdRestore(args[1:], stdout)
	case "config":
		err = cmdConfig(args[1:], stdout)
	case "audit":
		err = cmdAudit(args[1:], stdout)
	case "staff-fingerprint":
		err = cmdStaffFingerprint(args[1:], stdout)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "clientportal %s (store schema %d)\n", version, store.SchemaVersion())
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "clientportal: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "clientportal", err)
		return 2
	default:
		fmt.Fprintln(stderr, "clientportal:", err)
		return 1
	}
}

// command is one subcommand's flags.
type command struct {
	name     string // e.g. "admin create"
	synopsis string
	flags    *flag.FlagSet
}

func newCommand(name, synopsis string) *command {
	fs := flag.NewFlagSet("clientportal "+name, flag.ContinueOnError)
	// The flag package would print its error and the usage itself; runCommand
	// prints one message instead.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &command{name: name, synopsis: synopsis, flags: fs}
}

// parse parses args; -h prints the flags to stdout and returns errHelp.
func (c *command) parse(args []string, stdout io.Writer) error {
	err := c.flags.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "Usage: clientportal %s %s\n", c.name, c.synopsis)
		c.flags.SetOutput(stdout)
		c.flags.PrintDefaults()
		return errHelp
	}
	if err != nil {
		return c.usage("%s", err)
	}
	if c.flags.NArg() > 0 {
		return c.usage("%s takes no arguments besides flags, got %q", c.name, c.flags.Args())
	}
	return nil
}

func (c *command) usage(format string, args ...any) error {
	return &usageError{cmd: c.name, msg: fmt.Sprintf(format, args...)}
}

// fieldError turns a setup field error into the flag it came from.
func (c *command) fieldError(err error) error {
	var e *api.Error
	if errors.As(err, &e) && e.Field != "" {
		return c.usage("--%s: %s", e.Field, e.Message)
	}
	return err
}

// redirectFlagHelp explains --redirect-listen, in serve and service.
const redirectFlagHelp = "HOST:PORT of plain HTTP on the network once the office's domain is set, when --http is on another port " +
	"(such as 127.0.0.1:8080): it sends browsers typing http:// to HTTPS and answers the certificate authority (default " +
	server.DefaultRedirectAddr + "; " + server.StaffOff + ": none)"

func cmdServe(args []string, stdout, stderr io.Writer) error {
	c := newCommand("serve", "[--data DIR] [--http ADDR] [--https ADDR] [--staff-listen ADDR] [--redirect-listen ADDR] [--demo] [--access-log=false] [--mail-quiet D] [--mail-window D] [--mail-retry D] [--office-key FILE]")
	data := c.flags.String("data", "", "data folder (default "+installer.DefaultDataDir()+"; with --demo, a demo folder in the temp dir)")
	httpAddr := c.flags.String("http", "", "HOST:PORT for plain HTTP; :8080 listens on every network (default "+server.DefaultHTTPAddr+
		", or "+server.DomainHTTPAddr+" once the office's domain is set: then it answers the certificate authority and redirects to HTTPS)")
	httpsAddr := c.flags.String("https", server.DefaultHTTPSAddr, "HOST:PORT for HTTPS, opened once the office's domain is set")
	staffAddr := c.flags.String("staff-listen", "", "HOST:PORT of the staff listener for the control panel on the office network, with its own certificate "+
		"(default "+server.DefaultStaffAddr+" once the office's domain is set; "+server.StaffOff+": none)")
	redirectAddr := c.flags.String("redirect-listen", "", redirectFlagHelp)
	withDemo := c.flags.Bool("demo", false, "fill an empty data folder with the demo office first, and print its logins")
	accessLog := c.flags.Bool("access-log", true, "log each request (method, route, status, duration) to stderr")
	// Tuning knobs for the email notifications; 0 means the default.
	mailQuiet := c.flags.Duration("mail-quiet", 0, "how long a first email waits for more changes to join it (default 2m)")
	mailWindow := c.flags.Duration("mail-window", 0, "the least time between two emails to one recipient (default 5m)")
	mailRetry := c.flags.Duration("mail-retry", 0, "the wait after a first failed try, doubled after each further one up to 1h (default 30s)")
	officeKey := c.flags.String("office-key", os.Getenv("CLIENTPORTAL_OFFICE_KEY"), "the office key that encrypts the documents, created at first start (default "+installer.DefaultKeyPath()+"); keep a copy of it apart from the backups")
	if err := c.parse(args, stdout); err != nil {
		return err
	}
	// A mail flag given is checked here, where 0 is not taken as "the default".
	mailFlags := map[string]*time.Duration{"mail-quiet": mailQuiet, "mail-window": mailWindow, "mail-retry": mailRetry}
	var bad error
	c.flags.Visit(func(f *flag.Flag) {
		if d, ok := mailFlags[f.Name]; ok && bad == nil {
			bad = server.CheckMailDuration(f.Name, *d)
		}
	})
	if bad != nil {
		return c.usage("%s", bad)
	}
	dir := *data
	if dir == "" {
		dir = installer.DefaultDataDir()
		if *withDemo {
			dir = filepath.Join(os.TempDir(), "clientportal-demo")
		}
	}
	// A demo office's documents are public demo data: its key sits beside its
	// folder rather than in the system-wide place a real office's key goes.
	if *withDemo && *officeKey == "" {
		*officeKey = filepath.Clean(dir) + "-office.key"
	}
	cfg := server.RunConfig{
		DataDir: dir, HTTPAddr: *httpAddr, HTTPSAddr: *httpsAddr, StaffAddr: *staffAddr, RedirectAddr: *redirectAddr, Demo: *withDemo, AccessLog: *accessLog, Version: version,
		MailQuiet: *mailQuiet, MailWindow: *mailWindow, MailRetry: *mailRetry, OfficeKey: *officeKey,
		Logger: slog.New(slog.NewTextHandler(stderr, nil)), Out: stdout,
	}
	// Every flag is checked before anything is created.
	if err := cfg.Check(); err != nil {
		return c.usage("%s", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return server.Run(ctx, cfg)
}

func cmdDemo(args []string, stdout io.Writer) error {
	c := newCommand("demo", "--data DIR")
	data := c.flags.String("data", "", "the data folder to fill (required; must hold no office yet)")
	if err := c.parse(args, stdout); err != nil {
		return err
	}
	if *data == "" {
		return c.usage("demo needs --data DIR: the folder to fill with the demo office")
	}
	st, err := openStore(*data, "")
	if err != nil {
		return err
	}
	defer st.Close()
	logins, err := demo.Fill(context.Background(), st, password.Hasher{Params: password.DefaultParams})
	if err != nil {
		return err
	}
	demo.Print(stdout, logins)
	return nil
}

func cmdAdmin(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "create":
		return cmdAdminCreate(args[1:], stdin, stdout, stderr)
	case "reset-password":
		return cmdAdminReset(args[1:], stdin, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, "Usage:\n  clientportal admin create --data DIR --email EMAIL --name NAME\n  clientportal admin reset-password --data DIR --email EMAIL\n")
		return errHelp
	}
	return &usageError{cmd: "admin", msg: fmt.Sprintf("want `admin create` or `admin reset-password`, got %q", sub)}
}

func cmdAdminCreate(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	c := newCommand("admin create", "--data DIR --email EMAIL --name NAME")
	data := c.flags.String("data", installer.DefaultDataDir(), "the service's data folder")
	email := c.flags.String("email", "", "the administrator's email: their login (required)")
	name := c.flags.String("name", "", "the administrator's name (required)")
	if err := c.parse(args, stdout); err != nil {
		return err
	}
	in := setup.Admin{Email: *email, Name: *name}
	if err := in.CheckIdentity(); err != nil {
		return c.fieldError(err)
	}
	if fi, err := os.Stat(*data); err == nil && !fi.IsDir() {
		return c.usage("--data %s is a file, not a folder", *data)
	}
	st, err := openStore(*data, "to create the first administrator while the service runs, use the setup code it printed instead (the file "+
		setup.FileName+" in the data folder)")
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	// A taken email is refused before the password is asked for.
	if err := st.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.StaffByEmail(in.Email); err == nil {
			return setup.ErrEmailTaken
		}
		return nil
	}); err != nil {
		return c.fieldError(err)
	}
	in.Password, err = readNewPassword(stdin, stderr, "Password for "+in.Email, func(pw string) error {
		return setup.CheckPassword(pw, in.Name, in.Email)
	})
	if err != nil {
		return err
	}
	s, err := setup.CreateAdmin(ctx, st, password.Hasher{Params: password.DefaultParams}, in, cliActor())
	if err != nil {
		return c.fieldError(err)
	}
	fmt.Fprintf(stdout, "Administrator %s <%s> created. Start the service (clientportal serve --data %s) and log in with this email and password.\n",
		s.Name, s.Email, *data)
	return nil
}

func cmdAdminReset(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	c := newCommand("admin reset-password", "--data DIR --email EMAIL")
	data := c.flags.String("data", installer.DefaultDataDir(), "the service's data folder")
	email := c.flags.String("email", "", "the administrator's email (required)")
	if err := c.parse(args, stdout); err != nil {
		return err
	}
	if strings.TrimSpace(*email) == "" {
		return c.usage("--email is required: the login of the administrator who needs a new password")
	}
	// Resetting needs an existing office: never create a store here.
	if _, err := os.Stat(filepath.Join(*data, store.FileName)); err != nil {
		return c.usage("--data %s holds no portal data (no %s): give the service's data folder", *data, store.FileName)
	}
	st, err := openStore(*data, "while it runs, another administrator can set a new password in the control panel (PATCH /api/v1/staff/{id})")
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	admin, err := setup.Administrator(ctx, st, *email)
	if err != nil {
		return err
	}
	pw, err := readNewPassword(stdin, stderr, "New password for "+admin.Email, func(pw string) error {
		return setup.CheckPassword(pw, admin.Name, admin.Email)
	})
	if err != nil {
		return err
	}
	s, err := setup.ResetPassword(ctx, st, password.Hasher{Params: password.DefaultParams}, admin.Email, pw, cliActor())
	if err != nil {
		return c.fieldError(err)
	}
	fmt.Fprintf(stdout, "New password set for %s <%s>; their open sessions have ended.\n", s.Name, s.Email)
	if s.Disabled {
		fmt.Fprintln(stdout, "Note: this administrator is disabled, so cannot log in until another administrator enables them.")
	}
	return nil
}

// openStore opens the store for a command, and says what to do when the
// running service holds it; meanwhile says what works while it runs.
func openStore(dir, meanwhile string) (*store.Store, error) {
	st, err := store.Open(dir, store.Options{})
	if store.IsInUse(err) {
		msg := fmt.Sprintf("the data folder %s is in use by the running portal service: "+
			"stop the service first (Ctrl+C where `clientportal serve` runs, or stop the OS service that runs it), then run this command again", dir)
		if meanwhile != "" {
			msg += "; " + meanwhile
		}
		return nil, errors.New(msg)
	}
	return st, err
}

// cliActor is the audit identity of the command line: the OS user who ran it.
func cliActor() setup.Actor {
	a := setup.Actor{Name: "cli"}
	if u, err := user.Current(); err == nil {
		a.Detail = "by OS user " + u.Username
	}
	return a
}

// readNewPassword reads a new password: at a terminal, without echo and
// twice (up to three tries); otherwise the first line of stdin.
func readNewPassword(stdin io.Reader, stderr io.Writer, prompt string, check func(string) error) (string, error) {
	message := func(err error) string {
		var e *api.Error
		if errors.As(err, &e) {
			return e.Message
		}
		return err.Error()
	}
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4<<10)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the password from standard input: %w", err)
		}
		pw := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if pw == "" {
			return "", errors.New("no password on standard input: run the command at a terminal to type it, or send it as one line on standard input")
		}
		if err := check(pw); err != nil {
			return "", errors.New(message(err))
		}
		return pw, nil
	}
	fd := int(f.Fd())
	// Ctrl+C while echo is off would leave the terminal silent: put it back.
	if state, err := term.GetState(fd); err == nil {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		done := make(chan struct{})
		defer func() { signal.Stop(sig); close(done) }()
		go func() {
			select {
			case <-sig:
				term.Restore(fd, state)
				fmt.Fprintln(stderr)
				os.Exit(130)
			case <-done:
			}
		}()
	}
	read := func(p string) (string, error) {
		fmt.Fprint(stderr, p)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		return string(b), nil
	}
	fmt.Fprintln(stderr, "Staff passwords need at least 15 characters and must not be common or easy to guess; a few words make a good one.")
	for try := 0; try < 3; try++ {
		pw, err := read(prompt + ": ")
		if err != nil {
			return "", err
		}
		if err := check(pw); err != nil {
			fmt.Fprintln(stderr, message(err))
			continue
		}
		again, err := read("Type it again: ")
		if err != nil {
			return "", err
		}
		if again != pw {
			fmt.Fprintln(stderr, "The two passwords differ.")
			continue
		}
		return pw, nil
	}
	return "", errors.New("no password set after three tries; nothing was changed")
}
