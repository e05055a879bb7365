package installer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/kardianos/service"
)

// Runner is the service's work: it serves until ctx ends, then drains and
// returns. It logs to log.
type Runner func(ctx context.Context, log *slog.Logger) error

// Run runs the service as the service manager started it (`clientportal
// service run`): it logs to the rotated file in the log folder and to the OS
// log, runs run until the manager stops the service, and returns once run
// has drained. From a terminal it runs in the foreground until Ctrl+C.
func Run(o Options, run Runner) error {
	o, err := o.withDefaults()
	if err != nil {
		return err
	}
	cfg, err := Config(o)
	if err != nil {
		return err
	}
	prg := &program{run: run, exit: os.Exit}
	svc, err := service.New(prg, cfg)
	if err != nil {
		return fmt.Errorf("find this computer's service manager: %w", err)
	}
	osLog, osErr := svc.SystemLogger(nil)
	if osErr != nil {
		osLog = nil
	}
	log, file, err := OpenLog(o.LogDir, 0, osLog)
	if err != nil {
		return err
	}
	defer file.Close()
	if osErr != nil {
		log.Warn("the OS log is not available here; the service logs to its file only", "err", osErr)
	}
	prg.log, prg.osLog, prg.file = log, osLog, file
	return svc.Run()
}

// program is the service as kardianos/service drives it: Start must return
// at once (the Windows service control manager waits for it), Stop returns
// once the service has drained.
type program struct {
	run   Runner
	log   *slog.Logger
	osLog service.Logger // nil: no OS log
	file  io.Closer
	exit  func(code int)

	cancel context.CancelFunc
	done   chan error
}

// drainLimit bounds how long Stop waits for the drain, a little inside
// what the service manager allows (StopTimeout).
const drainLimit = (StopTimeout - 5) * time.Second

func (p *program) Start(service.Service) error {
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel, p.done = cancel, make(chan error, 1)
	p.info("clientportal service starting")
	go func() {
		err := p.run(ctx, p.log)
		if ctx.Err() == nil {
			// It ended by itself (a port in use, a broken data folder): say
			// why, and end the process with an error so the service
			// manager sees the failure and restarts the service as it is
			// configured to.
			if err == nil {
				err = errors.New("the service ended without being asked to")
			}
			p.log.Error("clientportal service failed", "err", err)
			if p.file != nil {
				p.file.Close()
			}
			p.exit(1)
		}
		p.done <- err
	}()
	return nil
}

func (p *program) Stop(service.Service) error {
	p.info("clientportal service stopping")
	p.cancel()
	select {
	case err := <-p.done:
		if err != nil {
			p.log.Error("clientportal service stopped with an error", "err", err)
			return err
		}
		p.info("clientportal service stopped")
		return nil
	case <-time.After(drainLimit):
		err := fmt.Errorf("the service did not finish its work within %s of the stop", drainLimit)
		p.log.Error("clientportal service stop", "err", err)
		return err
	}
}

// info logs a start or stop to the file and to the OS log.
func (p *program) info(msg string) {
	p.log.Info(msg)
	if p.osLog != nil {
		p.osLog.Info(msg)
	}
}
