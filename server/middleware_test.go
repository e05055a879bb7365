package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/store"
)

// service is the real service with the demo office, served by Server.Serve
// (the http.Server the binary runs) on a loopback port.
type service struct {
	url    string
	logins []demo.Login
}

// serve starts the service with cfg (its store, hasher and version filled
// in) until the test ends.
func serve(t *testing.T, cfg server.Config) service {
	t.Helper()
	s, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	cfg.Store, cfg.Hasher, cfg.Version = s, password.Hasher{Params: password.TestParams}, "test"
	cfg.OfficeKey = t.TempDir() + "/office.key"
	logins, err := demo.Fill(context.Background(), s, cfg.Hasher)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return service{url: "http://" + ln.Addr().String(), logins: logins}
}

func (s service) login(kind, email string) demo.Login {
	for _, l := range s.logins {
		if l.Kind == kind && l.Email == email {
			return l
		}
	}
	panic("no demo login " + email)
}

// lockedBuffer is a log destination the service writes from its handlers'
// goroutines while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// accessLine is one access log record.
type accessLine struct {
	Msg      string `json:"msg"`
	Method   string `json:"method"`
	Route    string `json:"route"`
	Status   int    `json:"status"`
	Duration int64  `json:"duration"`
	Bytes    int64  `json:"bytes"`
}

func accessLines(t *testing.T, log string) []accessLine {
	t.Helper()
	var lines []accessLine
	for _, l := range strings.Split(strings.TrimSpace(log), "\n") {
		var a accessLine
		if l == "" {
			continue
		}
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if a.Msg == "request" {
			lines = append(lines, a)
		}
	}
	return lines
}

// TestAccessLog: one line per request with the method, the route pattern,
// the status, the duration and the size; never the path's ids, the query,
// a token, a cookie or a password.
func TestAccessLog(t *testing.T) {
	var out lockedBuffer
	svc := serve(t, server.Config{AccessLog: true, Logger: slog.New(slog.NewJSONHandler(&out, nil))})
	staff := svc.login("staff", "marcus@riverside.example")
	client := svc.login("client", "amina@example.org")
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path, contentType, body string, header http.Header) []byte {
		t.Helper()
		req, _ := http.NewRequest(method, svc.url+path, strings.NewReader(body))
		if header != nil {
			req.Header = header
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return data
	}

	// Staff log in (the password is in the body) and read a client with a
	// token and a query string that must stay out of the log.
	var login struct{ Token string }
	json.Unmarshal(do("POST", "/api/v1/session", "application/json", `{"email":"`+staff.Email+`","password":"`+staff.Password+`"}`, nil), &login)
	if login.Token == "" {
		t.Fatal("staff login failed")
	}
	do("GET", "/api/v1/clients/1?q=query-secret-value", "", "", http.Header{"Authorization": {"Bearer " + login.Token}})
	// A client logs in through the form and opens a case page with the cookie.
	req, _ := http.NewRequest("POST", svc.url+"/login", strings.NewReader(url.Values{"email": {client.Email}, "password": {client.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie string
	for _, c := range resp.Cookies() {
		if strings.HasSuffix(c.Name, "portal_session") {
			cookie = c.Value
		}
	}
	if cookie == "" {
		t.Fatal("client login set no session cookie")
	}
	// Uncompressed, so the bytes logged are the page's length.
	page := do("GET", "/cases/1", "", "", http.Header{"Cookie": {"portal_session=" + cookie}, "Accept-Encoding": {"identity"}})
	do("GET", "/no-such-page/with-a-secret-path", "", "", nil)
	do("DELETE", "/api/v1/clients", "", "", nil)

	want := []accessLine{
		{Method: "POST", Route: "/api/v1/session", Status: 201},
		{Method: "GET", Route: "/api/v1/clients/{id}", Status: 200},
		{Method: "POST", Route: "/login", Status: 303},
		{Method: "GET", Route: "/cases/{id}", Status: 200, Bytes: int64(len(page))},
		{Method: "GET", Route: "", Status: 404},
		{Method: "DELETE", Route: "", Status: 405},
	}
	// A line is written when its handler returns, which can be just after
	// the client has read the answer.
	var lines []accessLine
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if lines = accessLines(t, out.String()); len(lines) >= len(want) {
			break
		}
	}
	if len(lines) != len(want) {
		t.Fatalf("%d access log lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, w := range want {
		got := lines[i]
		if got.Method != w.Method || got.Route != w.Route || got.Status != w.Status || got.Duration <= 0 || (got.Bytes == 0) != (w.Status == 303) || (w.Bytes > 0 && got.Bytes != w.Bytes) {
			t.Errorf("line %d: %+v, want %+v with a duration and the bytes sent (none for the redirect)", i, got, w)
		}
	}
	log := out.String()
	for _, secret := range []string{staff.Password, client.Password, login.Token, cookie, "query-secret-value", "/api/v1/clients/1", "with-a-secret-path", "Bearer"} {
		if strings.Contains(log, secret) {
			t.Errorf("the access log holds %q:\n%s", secret, log)
		}
	}
}

func TestAccessLogOff(t *testing.T) {
	var out lockedBuffer
	svc := serve(t, server.Config{Logger: slog.New(slog.NewJSONHandler(&out, nil))})
	for range 3 {
		resp, err := http.Get(svc.url + "/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	time.Sleep(100 * time.Millisecond)
	if lines := accessLines(t, out.String()); len(lines) != 0 {
		t.Errorf("AccessLog false logged %d lines", len(lines))
	}
}

// TestSlowBodyTimesOut: the service serves without a server-wide read
// timeout (routes may have their own), so each request's deadline must
// still end a body that trickles in.
func TestSlowBodyTimesOut(t *testing.T) {
	svc := serve(t, server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), ReadTimeout: 300 * time.Millisecond})
	conn, err := net.Dial("tcp", strings.TrimPrefix(svc.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	// Headers promise 100 bytes; one comes, then nothing.
	if _, err := io.WriteString(conn, "POST /api/v1/session HTTP/1.1\r\nHost: portal\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	var netErr net.Error
	switch {
	case errors.As(err, &netErr) && netErr.Timeout():
		t.Fatalf("the service still waits for the body after %s", time.Since(start).Round(time.Millisecond))
	case err == nil:
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("slow body: %d %s, want 400 or the connection closed", resp.StatusCode, body)
		}
	}
	// Any other error is the connection closed on the stalled client: the
	// deadline worked.
	t.Logf("stalled body ended after %s (%v)", time.Since(start).Round(time.Millisecond), err)
}
