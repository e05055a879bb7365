package httpsec

import (
	"net/http"
	"time"
)

// Deadlines bounds how long each request may take to send its body (read)
// and to take its answer (write), counted from when its handler starts, so a
// slow or stalled peer cannot hold a connection and a goroutine for ever.
// The http.Server keeps only its header and idle timeouts: the rest is per
// request, so that a route wrapped in LongRunning (uploads, event streams)
// can have deadlines of its own.
func Deadlines(read, write time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setDeadlines(w, read, write)
		next.ServeHTTP(w, r)
	})
}

// LongRunning gives h its own read and write deadlines in place of the
// service's: a large upload needs longer to send its body, an event stream
// longer to be answered. Zero means no deadline (a websocket that has taken
// over the connection keeps its own).
func LongRunning(h http.Handler, read, write time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setDeadlines(w, read, write)
		h.ServeHTTP(w, r)
	})
}

func setDeadlines(w http.ResponseWriter, read, write time.Duration) {
	now := time.Now()
	var rd, wd time.Time
	if read > 0 {
		rd = now.Add(read)
	}
	if write > 0 {
		wd = now.Add(write)
	}
	rc := http.NewResponseController(w)
	// Only a writer with no connection under it (a test's recorder) cannot
	// take deadlines; there is nothing to bound then.
	_ = rc.SetReadDeadline(rd)
	_ = rc.SetWriteDeadline(wd)
}
