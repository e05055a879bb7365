package server

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// accessLog logs one line per request: the method, the route pattern that
// served it ("/api/v1/clients/{id}", empty when no route matched), the status,
// the duration and the bytes sent. It never logs the path itself (ids, and
// later invitation and reset tokens), the query string, headers or bodies.
func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		defer func() {
			log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method),
				slog.String("route", routeOf(r)),
				slog.Int("status", rec.statusCode()),
				slog.Duration("duration", time.Since(start)),
				slog.Int64("bytes", rec.bytes),
			)
		}()
		next.ServeHTTP(rec, r)
	})
}

// routeOf is the path part of the pattern the service's mux matched for r
// (it records it on the request), or "" when none did.
func routeOf(r *http.Request) string {
	p := r.Pattern
	if i := strings.IndexByte(p, ' '); i >= 0 {
		p = p[i+1:]
	}
	return p
}

// recorder notes the status and size of an answer. It unwraps for
// http.ResponseController (deadlines) and passes on Flush and Hijack, which
// streamed answers and websockets need.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rec *recorder) WriteHeader(code int) {
	// 1xx answers (103 Early Hints) come before the real one.
	if rec.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += int64(n)
	return n, err
}

func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

func (rec *recorder) Flush() {
	_ = http.NewResponseController(rec.ResponseWriter).Flush()
}

func (rec *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(rec.ResponseWriter).Hijack()
	if err == nil && rec.status == 0 {
		rec.status = http.StatusSwitchingProtocols
	}
	return conn, rw, err
}

// statusCode is the status sent; a handler that wrote nothing sent 200.
func (rec *recorder) statusCode() int {
	if rec.status == 0 {
		return http.StatusOK
	}
	return rec.status
}
