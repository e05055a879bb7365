package httpsec_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"clientportal/server/httpsec"
)

// startServer serves h the way the service does: an http.Server with only a
// header timeout, the rest left to the per-request deadlines.
func startServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return ln.Addr().String()
}

// TestLongRunningRoutesGetTheirOwnDeadlines: with short default deadlines, an
// ordinary route loses a body that trickles in and an answer that takes
// long, and a LongRunning route gets both.
func TestLongRunningRoutesGetTheirOwnDeadlines(t *testing.T) {
	const short = 250 * time.Millisecond
	readBody := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "read: "+err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "read %d bytes", len(b))
	})
	slowAnswer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first part;")
		http.NewResponseController(w).Flush()
		time.Sleep(3 * short)
		io.WriteString(w, "second part")
	})
	mux := http.NewServeMux()
	mux.Handle("POST /upload", readBody)
	mux.Handle("POST /long/upload", httpsec.LongRunning(readBody, 10*time.Second, 10*time.Second))
	mux.Handle("GET /events", slowAnswer)
	mux.Handle("GET /long/events", httpsec.LongRunning(slowAnswer, 0, 10*time.Second))
	addr := startServer(t, httpsec.Deadlines(short, short, mux))

	// upload sends a body of 6 bytes, one every short/2 (three times the
	// default read deadline in all), and returns the answer or the error.
	upload := func(path string) (string, error) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n", path)
		for i := 0; i < 6; i++ {
			time.Sleep(short / 2)
			if _, err := conn.Write([]byte("x")); err != nil {
				break // the server gave up on the body and closed
			}
		}
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(b))), err
	}
	if got, err := upload("/long/upload"); err != nil || got != "200 read 6 bytes" {
		t.Errorf("slow body to a LongRunning route: %q %v, want all 6 bytes read", got, err)
	}
	got, err := upload("/upload")
	if err == nil && strings.HasPrefix(got, "200") {
		t.Errorf("slow body to an ordinary route: %q, want it cut off at the read deadline", got)
	}
	t.Logf("slow body to an ordinary route: %q %v", got, err)

	answer := func(path string) (string, error) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	if got, err := answer("/long/events"); err != nil || got != "first part;second part" {
		t.Errorf("slow answer of a LongRunning route: %q %v, want it whole", got, err)
	}
	got, err = answer("/events")
	if err == nil && strings.Contains(got, "second part") {
		t.Errorf("slow answer of an ordinary route: %q, want it cut off at the write deadline", got)
	}
	t.Logf("slow answer of an ordinary route: %q %v", got, err)
}
