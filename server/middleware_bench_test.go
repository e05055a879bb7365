package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkMiddleware measures what the middleware chain adds to a request
// for a 10 KB page over loopback keep-alive connections: run with
// `go test -run XXX -bench Middleware ./server/` and compare the lines.
func BenchmarkMiddleware(b *testing.B) {
	page := bytes.Repeat([]byte("x"), 10<<10)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /cases/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	s := &Server{log: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	cfg := Config{ReadTimeout: DefaultReadTimeout, WriteTimeout: DefaultWriteTimeout}
	logged := cfg
	logged.AccessLog = true
	for _, bm := range []struct {
		name string
		h    http.Handler
	}{
		{"bare mux", mux},
		{"chain without access log", s.middleware(cfg, route(mux, http.NotFound))},
		{"chain with access log", s.middleware(logged, route(mux, http.NotFound))},
	} {
		b.Run(bm.name, func(b *testing.B) {
			srv := httptest.NewServer(bm.h)
			defer srv.Close()
			hc := srv.Client()
			hc.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := hc.Get(srv.URL + "/cases/7")
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		})
	}
}
