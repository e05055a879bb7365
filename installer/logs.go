package installer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/kardianos/service"
	"gopkg.in/natefinch/lumberjack.v2"
)

// LogFileName is the service's log file in its log folder; rotated copies
// sit beside it with the time of rotation in their names.
const LogFileName = ServiceName + ".log"

// Rotation of the log file: at 10 MB it is renamed and a new one begun, and
// the 10 newest old files are kept (at most about 110 MB in all).
const (
	LogMaxSizeMB  = 10
	LogMaxBackups = 10
)

// OSLogger is the OS log the service also writes to (syslog, the Windows
// event log); kardianos/service's Logger has this shape.
type OSLogger interface {
	Error(v ...any) error
	Warning(v ...any) error
	Info(v ...any) error
}

// OpenLog opens the service's log: every record goes to the size-rotated
// file in dir, and warnings and errors to the OS log too (osLog nil: none),
// which is where an administrator looks first. Close closes the file.
func OpenLog(dir string, maxSizeMB int, osLog OSLogger) (*slog.Logger, io.Closer, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, nil, fmt.Errorf("create the log folder %s: %w", dir, err)
	}
	if maxSizeMB <= 0 {
		maxSizeMB = LogMaxSizeMB
	}
	file := &lumberjack.Logger{Filename: filepath.Join(dir, LogFileName), MaxSize: maxSizeMB, MaxBackups: LogMaxBackups, LocalTime: false}
	// Open now, so a folder the service cannot write to fails at start.
	if _, err := file.Write(nil); err != nil {
		return nil, nil, fmt.Errorf("open the log file in %s: %w", dir, err)
	}
	var h slog.Handler = slog.NewTextHandler(file, nil)
	if osLog != nil {
		h = fanout{h, newOSHandler(osLog, slog.LevelWarn)}
	}
	return slog.New(h), file, nil
}

// fanout sends each record to every handler that takes its level.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	var errs []error
	for _, h := range f {
		if h.Enabled(ctx, r.Level) {
			errs = append(errs, h.Handle(ctx, r.Clone()))
		}
	}
	return errors.Join(errs...)
}

func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(as)
	}
	return out
}

func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}

// osHandler writes records of at least min to the OS log as one line of
// text without the time (the OS log stamps its own).
type osHandler struct {
	log   OSLogger
	min   slog.Level
	mu    *sync.Mutex
	buf   *bytes.Buffer
	inner slog.Handler
}

func newOSHandler(log OSLogger, min slog.Level) *osHandler {
	h := &osHandler{log: log, min: min, mu: &sync.Mutex{}, buf: &bytes.Buffer{}}
	h.inner = slog.NewTextHandler(h.buf, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == slog.LevelKey) {
			return slog.Attr{}
		}
		return a
	}})
	return h
}

func (h *osHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.min }

func (h *osHandler) Handle(ctx context.Context, r slog.Record) error {
	h.mu.Lock()
	h.buf.Reset()
	err := h.inner.Handle(ctx, r)
	line := string(bytes.TrimSpace(h.buf.Bytes()))
	h.mu.Unlock()
	if err != nil {
		return err
	}
	if r.Level >= slog.LevelError {
		return h.log.Error(line)
	}
	return h.log.Warning(line)
}

func (h *osHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &osHandler{log: h.log, min: h.min, mu: h.mu, buf: h.buf, inner: h.inner.WithAttrs(as)}
}

func (h *osHandler) WithGroup(name string) slog.Handler {
	return &osHandler{log: h.log, min: h.min, mu: h.mu, buf: h.buf, inner: h.inner.WithGroup(name)}
}

// kardianos/service's loggers are OSLoggers.
var _ OSLogger = service.Logger(nil)
