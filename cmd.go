package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"clientportal/installer"
	"clientportal/server"
	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/store"
)

const usage = `clientportal: a self-hosted client portal for law offices.

With no arguments it opens the desktop control panel. Commands:
  serve [--data DIR] [--http ADDR] [--demo]   run the portal service in the foreground
  demo --data DIR                             fill an empty DIR with a demo office and print its logins
  version                                     print the version
  help                                        print this text
`

// runCommand runs one command line and returns the process exit code.
func runCommand(args []string, stdout, stderr io.Writer) int {
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(args[1:], stdout, stderr)
	case "demo":
		err = cmdDemo(args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "clientportal %s (store schema %d)\n", version, store.SchemaVersion())
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "clientportal: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "clientportal:", err)
		return 1
	}
	return 0
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("clientportal "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func cmdServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	data := fs.String("data", "", "data folder (default "+installer.DefaultDataDir()+"; with --demo, a demo folder in the temp dir)")
	httpAddr := fs.String("http", "127.0.0.1:8080", "address for plain HTTP when no domain is configured")
	withDemo := fs.Bool("demo", false, "fill an empty data folder with the demo office first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve takes no arguments besides flags, got %q", fs.Args())
	}
	dir := *data
	if dir == "" {
		dir = installer.DefaultDataDir()
		if *withDemo {
			dir = filepath.Join(os.TempDir(), "clientportal-demo")
		}
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	st, err := store.Open(dir, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	hasher := password.Hasher{Params: password.DefaultParams}
	if *withDemo {
		logins, err := demo.Fill(ctx, st, hasher)
		switch {
		case errors.Is(err, demo.ErrNotEmpty):
			fmt.Fprintf(stdout, "The data folder %s already holds an office; the demo logins are the ones printed when it was made.\n", dir)
		case err != nil:
			return err
		default:
			fmt.Fprintf(stdout, "Demo office created in %s. Logins:\n", dir)
			demo.Print(stdout, logins)
		}
	}
	var set store.Settings
	if err := st.View(ctx, func(tx *store.Tx) (err error) { set, err = tx.Settings(); return err }); err != nil {
		return err
	}
	srv, err := server.New(server.Config{Store: st, Logger: log, Hasher: hasher, Version: version})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another portal running? choose another address with --http)", *httpAddr, err)
	}
	url := "http://" + ln.Addr().String()
	if set.Domain == "" {
		fmt.Fprintf(stdout, "Serving the client portal at %s/login\n"+
			"Plain HTTP, because no domain is configured: fine on this computer, not for clients on the internet.\n"+
			"Set the office's domain to serve HTTPS with an automatic certificate. Press Ctrl+C to stop.\n", url)
	} else {
		fmt.Fprintf(stdout, "Serving the client portal at %s/login\n"+
			"The domain %s is configured, but this build does not yet obtain certificates: serving plain HTTP only. Press Ctrl+C to stop.\n", url, set.Domain)
	}
	log.Info("portal service started", "data", dir, "addr", ln.Addr().String(), "version", version)
	err = srv.Serve(ctx, ln)
	log.Info("portal service stopped")
	return err
}

func cmdDemo(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	data := fs.String("data", "", "the data folder to fill (required; must hold no office yet)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("demo needs --data DIR: the folder to fill with the demo office")
	}
	st, err := store.Open(*data, store.Options{})
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
