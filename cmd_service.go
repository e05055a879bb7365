package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"clientportal/installer"
	"clientportal/server"
)

const serviceUsage = `Usage:
  clientportal service install [--data DIR] [--http ADDR] [--https ADDR] [--staff-listen ADDR]
                             [--log-dir DIR] [--office-key FILE]
                                 register the portal service with this computer's service
                                 manager (systemd, System V, launchd, Windows); it starts at boot
  clientportal service start|stop|restart|status
  clientportal service uninstall  stop and remove the service (its data and logs stay)
  clientportal service run [flags as install]
                                 what the service manager runs; in a terminal, runs in the foreground
Installing and controlling the service needs administrator rights.
`

func cmdService(args []string, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "install", "run":
		return cmdServiceInstallOrRun(sub, args[1:], stdout)
	case "uninstall", "start", "stop", "restart", "status":
		c := newCommand("service "+sub, "")
		if err := c.parse(args[1:], stdout); err != nil {
			return err
		}
		m, err := installer.NewManager(installer.Options{})
		if err != nil {
			return err
		}
		return serviceControl(m, sub, stdout)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, serviceUsage)
		return errHelp
	}
	return &usageError{cmd: "service", msg: fmt.Sprintf("want install, uninstall, start, stop, restart, status or run, got %q", sub)}
}

// serviceControl runs one control action and says what happened.
func serviceControl(m *installer.Manager, action string, stdout io.Writer) error {
	var err error
	switch action {
	case "uninstall":
		if err = m.Uninstall(); err == nil {
			fmt.Fprintln(stdout, "The clientportal service is uninstalled. Its data folder, log folder and office key are kept; delete them yourself once the office no longer needs them.")
		}
	case "start":
		if err = m.Start(); err == nil {
			fmt.Fprintln(stdout, "The clientportal service is started.")
		}
	case "stop":
		if err = m.Stop(); err == nil {
			fmt.Fprintln(stdout, "The clientportal service is stopped.")
		}
	case "restart":
		if err = m.Restart(); err == nil {
			fmt.Fprintln(stdout, "The clientportal service is restarted.")
		}
	case "status":
		var st installer.Status
		if st, err = m.Status(); err == nil {
			fmt.Fprintf(stdout, "clientportal service: %s (%s)\n", st, m.Platform())
		}
	}
	return err
}

func cmdServiceInstallOrRun(sub string, args []string, stdout io.Writer) error {
	c := newCommand("service "+sub, "[--data DIR] [--http ADDR] [--https ADDR] [--staff-listen ADDR] [--redirect-listen ADDR] [--log-dir DIR] [--office-key FILE]")
	data := c.flags.String("data", installer.DefaultDataDir(), "the service's data folder")
	httpAddr := c.flags.String("http", server.DefaultHTTPAddr, "HOST:PORT for plain HTTP; :8080 listens on every network")
	httpsAddr := c.flags.String("https", "", "HOST:PORT for HTTPS, opened once the office's domain is set (default "+server.DefaultHTTPSAddr+
		"; clients and the certificate authority reach port 443, so another port needs the router to forward 443 to it)")
	staffAddr := c.flags.String("staff-listen", "", "HOST:PORT of the staff listener for the control panel on the office network (default "+
		server.DefaultStaffAddr+" once the office's domain is set; "+server.StaffOff+": none)")
	redirectAddr := c.flags.String("redirect-listen", "", redirectFlagHelp)
	logDir := c.flags.String("log-dir", installer.DefaultLogDir(), "the folder of the service's rotated log file")
	officeKey := c.flags.String("office-key", "", "the office key that encrypts the documents (default "+installer.DefaultKeyPath()+"); keep a copy of it apart from the backups")
	if err := c.parse(args, stdout); err != nil {
		return err
	}
	opts := installer.Options{DataDir: *data, HTTPAddr: *httpAddr, HTTPSAddr: *httpsAddr, StaffAddr: *staffAddr, RedirectAddr: *redirectAddr, LogDir: *logDir, OfficeKey: *officeKey}
	cfg := server.RunConfig{DataDir: *data, HTTPAddr: *httpAddr, HTTPSAddr: *httpsAddr, StaffAddr: *staffAddr, RedirectAddr: *redirectAddr, OfficeKey: *officeKey, AccessLog: true, Version: version}
	if err := cfg.Check(); err != nil {
		return c.usage("%s", err)
	}
	if sub == "install" {
		m, err := installer.NewManager(opts)
		if err != nil {
			return err
		}
		if err := m.Install(); err != nil {
			return err
		}
		o := m.Options()
		fmt.Fprintf(stdout, "The clientportal service is installed (%s) and starts at boot: data in %s, logs in %s, listening on %s.\n"+
			"Start it now with: clientportal service start\n", m.Platform(), o.DataDir, o.LogDir, *httpAddr)
		return nil
	}
	return installer.Run(opts, func(ctx context.Context, log *slog.Logger) error {
		cfg.Logger = log
		cfg.Out = &logLines{log: log}
		return server.Run(ctx, cfg)
	})
}

// logLines logs what the service would say to the person who started it,
// a line at a time (under a service manager nobody reads its output).
type logLines struct {
	log  *slog.Logger
	rest string
}

func (l *logLines) Write(p []byte) (int, error) {
	text := l.rest + string(p)
	lines := strings.Split(text, "\n")
	l.rest = lines[len(lines)-1] // a partial line waits for its end
	for _, line := range lines[:len(lines)-1] {
		if line = strings.TrimSpace(line); line != "" {
			l.log.Info("service says", "text", line)
		}
	}
	return len(p), nil
}
