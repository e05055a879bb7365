package installer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kardianos/service"
)

// Options are what the installed service runs with: the settings of
// `clientportal service install`, written into the service's definition.
type Options struct {
	DataDir  string // "": DefaultDataDir()
	HTTPAddr string // HOST:PORT for plain HTTP; "": the service's default
	// HTTPSAddr and StaffAddr are the HTTPS and staff listeners' HOST:PORT
	// once a domain is set ("": the service's defaults, :443 and :8443).
	HTTPSAddr string
	StaffAddr string
	// RedirectAddr is the plain HTTP listener a domain opens beside a
	// loopback HTTPAddr ("": the service's default, :80; "off": none).
	RedirectAddr string
	LogDir       string // "": DefaultLogDir()
	OfficeKey    string // "": DefaultKeyPath(), decided by the service
	// Executable is the program the service manager starts ("": this
	// program).
	Executable string
	// Name is the service's name ("": ServiceName). Tests install under a
	// name of their own, so they never touch an office's service.
	Name string
}

// withDefaults fills what was left out, with absolute paths: the service
// manager starts the program in another working directory.
func (o Options) withDefaults() (Options, error) {
	if o.Name == "" {
		o.Name = ServiceName
	}
	if o.DataDir == "" {
		o.DataDir = DefaultDataDir()
	}
	if o.LogDir == "" {
		o.LogDir = DefaultLogDir()
	}
	if o.Executable == "" {
		exe, err := os.Executable()
		if err != nil {
			return o, fmt.Errorf("find this program's path for the service: %w", err)
		}
		o.Executable = exe
	}
	for _, p := range []*string{&o.DataDir, &o.LogDir, &o.OfficeKey, &o.Executable} {
		if *p == "" {
			continue
		}
		abs, err := filepath.Abs(*p)
		if err != nil {
			return o, fmt.Errorf("make %s an absolute path: %w", *p, err)
		}
		*p = abs
	}
	return o, nil
}

// Arguments is the command line the service manager runs the program with:
// `clientportal service run` and the settings.
func (o Options) Arguments() []string {
	args := []string{"service", "run", "--data", o.DataDir, "--log-dir", o.LogDir}
	if o.HTTPAddr != "" {
		args = append(args, "--http", o.HTTPAddr)
	}
	if o.HTTPSAddr != "" {
		args = append(args, "--https", o.HTTPSAddr)
	}
	if o.StaffAddr != "" {
		args = append(args, "--staff-listen", o.StaffAddr)
	}
	if o.RedirectAddr != "" {
		args = append(args, "--redirect-listen", o.RedirectAddr)
	}
	if o.OfficeKey != "" {
		args = append(args, "--office-key", o.OfficeKey)
	}
	return args
}

// Platform names of the service managers kardianos/service knows that this
// package treats specially.
const (
	PlatformSystemV = "unix-systemv"
	PlatformSystemd = "linux-systemd"
)

// Config is the service's definition as kardianos/service installs it. On
// Linux it carries its own systemd unit and System V script, already
// written out: kardianos/service's own System V script breaks on an
// argument with a space, and both of its scripts give a draining stop too
// little time.
func Config(o Options) (*service.Config, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	args := o.Arguments()
	return &service.Config{
		Name:        o.Name,
		DisplayName: "Client portal",
		Description: "The office's client portal service (clientportal).",
		Executable:  o.Executable,
		Arguments:   args,
		Option: service.KeyValue{
			// Linux: the scripts this package writes.
			"SystemdScript": SystemdUnit(o.Executable, args),
			"SysvScript":    sysVScript(o.Name, o.Executable, args, o.LogDir),
			// Windows: start at boot, and restart after a crash.
			"StartType":              "automatic",
			"DelayedAutoStart":       true,
			"OnFailure":              "restart",
			"OnFailureDelayDuration": "10s",
			"OnFailureResetPeriod":   3600,
			// macOS (launchd): start at boot and keep it running.
			"KeepAlive": true,
			"RunAtLoad": true,
		},
	}, nil
}

// StopTimeout is how long a stop may take: the service drains (requests in
// flight get ten seconds, a mail conversation under way up to its own limit)
// before it closes the store. The scripts wait this long before they give up.
const StopTimeout = 45

// SystemdUnit is the unit file written for systemd.
func SystemdUnit(exe string, args []string) string {
	var cmd strings.Builder
	cmd.WriteString(systemdQuote(exe))
	for _, a := range args {
		cmd.WriteString(" " + systemdQuote(a))
	}
	return fmt.Sprintf(`[Unit]
Description=Client portal (clientportal)
Documentation=man:clientportal
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=%s
Restart=on-failure
RestartSec=5
KillSignal=SIGTERM
TimeoutStopSec=%d
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`, cmd.String(), StopTimeout)
}

// systemdQuote quotes one word of an ExecStart line: in double quotes with
// backslash and quote escaped, and $ and %% doubled (systemd expands both).
func systemdQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `$$`, `%`, `%%`)
	return `"` + r.Replace(s) + `"`
}

// shQuote quotes one word for a POSIX shell.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// SysVScript is the /etc/init.d script written for System V init. Its status
// follows the LSB (0 running, 3 stopped); its stop waits StopTimeout seconds
// for the drain.
func SysVScript(exe string, args []string, logDir string) string {
	return sysVScript(ServiceName, exe, args, logDir)
}

// sysVScript is SysVScript for the service called name.
func sysVScript(name, exe string, args []string, logDir string) string {
	words := []string{shQuote(exe)}
	for _, a := range args {
		words = append(words, shQuote(a))
	}
	return fmt.Sprintf(`#!/bin/sh
### BEGIN INIT INFO
# Provides:          %[1]s
# Required-Start:    $network $remote_fs
# Required-Stop:     $network $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: Client portal
# Description:       The office's client portal service (clientportal).
### END INIT INFO
# Written by 'clientportal service install'; 'clientportal service uninstall' removes it.

action="$1"
pid_file=%[2]s
# Only what the program says before its own log opens (or a crash) lands
# here; the service's log is clientportal.log in the same folder.
out_log=%[3]s
set -- %[4]s

is_running() {
    [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

case "$action" in
    start)
        if is_running; then
            echo "Already running"
            exit 0
        fi
        mkdir -p %[5]s
        "$@" >>"$out_log" 2>&1 </dev/null &
        echo $! >"$pid_file"
        sleep 1
        if ! is_running; then
            rm -f "$pid_file"
            echo "Unable to start: see $out_log"
            exit 1
        fi
        echo "Started"
        ;;
    stop)
        if ! is_running; then
            rm -f "$pid_file"
            echo "Not running"
            exit 0
        fi
        kill -TERM "$(cat "$pid_file")"
        i=0
        while is_running && [ $i -lt %[6]d ]; do
            sleep 1
            i=$((i + 1))
        done
        if is_running; then
            echo "Not stopped after %[6]d seconds"
            exit 1
        fi
        rm -f "$pid_file"
        echo "Stopped"
        ;;
    restart|force-reload)
        "$0" stop || exit 1
        "$0" start
        ;;
    status)
        if is_running; then
            echo "Running"
            exit 0
        fi
        echo "Stopped"
        exit 3
        ;;
    *)
        echo "Usage: $0 {start|stop|restart|status}"
        exit 2
        ;;
esac
exit 0
`, name, shQuote(sysvPIDFile(name)), shQuote(filepath.Join(logDir, name+".out")), strings.Join(words, " "),
		shQuote(logDir), StopTimeout)
}

// The files System V init uses for the service called name.
func sysvScriptPath(name string) string { return "/etc/init.d/" + name }
func sysvPIDFile(name string) string    { return "/var/run/" + name + ".pid" }

// Status is what the service manager says of the service.
type Status string

// The states Status reports.
const (
	StatusRunning      Status = "running"
	StatusStopped      Status = "stopped"
	StatusNotInstalled Status = "not installed"
)

// ErrNotInstalled is a control action on a service that is not installed.
var ErrNotInstalled = errors.New("the clientportal service is not installed: install it with `clientportal service install` (as administrator)")
