package setup_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/auth"
	"clientportal/server/password"
	"clientportal/server/servertest"
	"clientportal/server/setup"
	"clientportal/store"
	"clientportal/store/storetest"
)

var (
	ctx   = context.Background()
	quiet = slog.New(slog.DiscardHandler)
)

const goodPassword = "correct horse battery staple harbor"

var codeFormat = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}\n$`)

// issue gives env's empty office a setup code and returns it.
func issue(t *testing.T, s *store.Store) (string, setup.Code) {
	t.Helper()
	c, ok, err := setup.Issue(ctx, s)
	if err != nil || !ok {
		t.Fatalf("Issue on an office with no staff: %v, ok %v", err, ok)
	}
	b, err := os.ReadFile(c.Path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b)), c
}

func TestIssueWritesAPrivateSingleCode(t *testing.T) {
	s := storetest.New(t)
	first, c := issue(t, s)
	fi, err := os.Stat(c.Path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("setup code file mode %v, want 0600 (owner only)", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(c.Path); !codeFormat.Match(b) {
		t.Errorf("setup code file holds %q, want one code like ABCDE-FGHJK-MNPQR-STVWX", b)
	}
	if d := time.Until(c.Expires); d < 23*time.Hour || d > 25*time.Hour {
		t.Errorf("code expires in %v, want about 24 h", d)
	}
	// The store keeps only a hash: the code itself is nowhere in the file.
	db, _ := os.ReadFile(s.Path())
	if bytes.Contains(db, []byte(first)) || bytes.Contains(db, []byte(strings.ReplaceAll(first, "-", ""))) {
		t.Error("the database file holds the setup code in clear")
	}
	second, _ := issue(t, s)
	if second == first {
		t.Fatal("a second Issue gave the same code")
	}
	// Only the newest code works.
	h := setup.New(setup.Config{Store: s, Hasher: password.Hasher{Params: password.TestParams}, Log: quiet})
	if code, _ := post(t, h, "127.0.0.1:5000", setupBody(first, "a@example.org")); code != http.StatusForbidden {
		t.Errorf("the replaced code: %d, want 403", code)
	}

	// An office with staff needs no code: Issue removes the leftover.
	if err := s.Update(ctx, func(tx *store.Tx) error {
		return tx.PutStaff(&store.Staff{Email: "a@example.org", Name: "A", Role: store.RoleAdmin})
	}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := setup.Issue(ctx, s); ok || err != nil {
		t.Errorf("Issue with staff: ok %v, %v; want false, nil", ok, err)
	}
	if _, err := os.Stat(c.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("setup code file left behind with staff present: %v", err)
	}
	s.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.SetupCode(); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("setup code left in the store with staff present: %v", err)
		}
		return nil
	})
}

func setupBody(code, email string) string {
	return fmt.Sprintf(`{"code":%q,"email":%q,"name":"Ana Admin","password":%q}`, code, email, goodPassword)
}

// post sends a setup request straight to the handler with the given peer
// address (for peers a loopback test cannot be).
func post(t *testing.T, h http.Handler, peer, body string) (int, api.Error) {
	t.Helper()
	req := httptest.NewRequest("POST", api.PathSetup, strings.NewReader(body))
	req.RemoteAddr = peer
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var e api.Error
	json.Unmarshal(rec.Body.Bytes(), &e)
	return rec.Code, e
}

// call sends a setup request to the real service.
func call(t *testing.T, base, body string) (*http.Response, api.Error, api.Staff) {
	t.Helper()
	resp, err := http.Post(base+api.PathSetup, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e api.Error
	var st api.Staff
	json.Unmarshal(b, &e)
	json.Unmarshal(b, &st)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("answer is %q, not JSON: %s", ct, b)
	}
	return resp, e, st
}

func TestSetupCreatesTheFirstAdministrator(t *testing.T) {
	env := servertest.Start(t, servertest.Empty())
	code, c := issue(t, env.Store)

	// Refusals that leave the code usable.
	for _, tt := range []struct {
		name, body string
		status     int
		code       string
		field      string
	}{
		{"wrong code", setupBody("AAAAA-AAAAA-AAAAA-AAAAA", "ana@example.org"), 403, "wrong_setup_code", ""},
		{"no code", setupBody("", "ana@example.org"), 403, "wrong_setup_code", ""},
		{"weak password", fmt.Sprintf(`{"code":%q,"email":"ana@example.org","name":"Ana","password":"password123"}`, code), 422, "invalid", "password"},
		{"bad email", fmt.Sprintf(`{"code":%q,"email":"ana","name":"Ana","password":%q}`, code, goodPassword), 422, "invalid", "email"},
		{"unknown field", `{"code":"x","role":"admin"}`, 400, "bad_request", "role"},
	} {
		resp, e, _ := call(t, env.URL, tt.body)
		if resp.StatusCode != tt.status || e.Code != tt.code || e.Field != tt.field || e.Message == "" {
			t.Errorf("%s: %d %+v; want %d %s %q", tt.name, resp.StatusCode, e, tt.status, tt.code, tt.field)
		}
	}

	// Typed in lower case with spaces instead of dashes, the code still works.
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	resp, e, st := call(t, env.URL, setupBody(typed, "Ana@Example.org"))
	if resp.StatusCode != http.StatusCreated || st.Role != "admin" || st.Email != "ana@example.org" {
		t.Fatalf("setup with the right code: %d %+v %+v", resp.StatusCode, e, st)
	}
	if _, err := os.Stat(c.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the used setup code's file remains: %v", err)
	}
	if _, _, err := env.Server.Auth().LoginStaff(ctx, "ana@example.org", goodPassword, "127.0.0.1"); err != nil {
		t.Errorf("the new administrator cannot log in: %v", err)
	}

	// Single use: the same code, or any, is refused now.
	if resp, e, _ := call(t, env.URL, setupBody(code, "eve@example.org")); resp.StatusCode != http.StatusConflict || e.Code != "admin_exists" {
		t.Errorf("second use: %d %+v; want 409 admin_exists", resp.StatusCode, e)
	}
	env.Store.View(ctx, func(tx *store.Tx) error {
		staff, _ := tx.ListStaff()
		if len(staff) != 1 {
			t.Errorf("%d staff after setup, want 1", len(staff))
		}
		if _, err := tx.SetupCode(); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the used setup code is still in the store: %v", err)
		}
		log, _ := tx.AuditLog(0, 100)
		var created, refused int
		for _, a := range log {
			if a.ActorKind != "system" || a.IP != "127.0.0.1" {
				continue
			}
			switch a.Action {
			case "staff.create":
				created++
			case "setup.refused":
				refused++
			}
		}
		if created != 1 || refused < 3 {
			t.Errorf("audit: %d staff.create and %d setup.refused by the setup code; want 1 and at least 3", created, refused)
		}
		return nil
	})
}

func TestSetupCodeExpires(t *testing.T) {
	env := servertest.Start(t, servertest.Empty(), servertest.WithClock())
	code, _ := issue(t, env.Store)
	env.Clock.Advance(setup.Lifetime + time.Minute)
	if resp, e, _ := call(t, env.URL, setupBody(code, "ana@example.org")); resp.StatusCode != http.StatusGone || e.Code != "setup_code_expired" {
		t.Errorf("expired code: %d %+v; want 410 setup_code_expired", resp.StatusCode, e)
	}
}

func TestSetupWithoutCode(t *testing.T) {
	env := servertest.Start(t, servertest.Empty())
	if resp, e, _ := call(t, env.URL, setupBody("AAAAA-AAAAA-AAAAA-AAAAA", "ana@example.org")); resp.StatusCode != http.StatusGone || e.Code != "no_setup_code" {
		t.Errorf("no code issued: %d %+v; want 410 no_setup_code", resp.StatusCode, e)
	}
}

func TestSetupIsRateLimited(t *testing.T) {
	env := servertest.Start(t, servertest.Empty())
	code, _ := issue(t, env.Store)
	var last *http.Response
	for i := 0; i < 12; i++ {
		last, _, _ = call(t, env.URL, setupBody("AAAAA-AAAAA-AAAAA-AAAAA", "ana@example.org"))
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Errorf("12 quick wrong codes: last answer %d, Retry-After %q; want 429 with Retry-After", last.StatusCode, last.Header.Get("Retry-After"))
	}
	// The right code waits its turn too: guessing is what the limit stops.
	if resp, _, _ := call(t, env.URL, setupBody(code, "ana@example.org")); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right code while limited: %d, want 429", resp.StatusCode)
	}
}

// TestSetupRace sends the right code five times at once: exactly one
// administrator is created.
func TestSetupRace(t *testing.T) {
	env := servertest.Start(t, servertest.Empty())
	code, _ := issue(t, env.Store)
	var wg sync.WaitGroup
	statuses := make([]int, 5)
	for i := range statuses {
		wg.Go(func() {
			resp, _, _ := call(t, env.URL, setupBody(code, fmt.Sprintf("admin%d@example.org", i)))
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusConflict, http.StatusGone:
		default:
			t.Errorf("racing setup answered %d", s)
		}
	}
	env.Store.View(ctx, func(tx *store.Tx) error {
		staff, _ := tx.ListStaff()
		if created != 1 || len(staff) != 1 {
			t.Errorf("5 racing setups: %d answered 201, %d staff; want 1 and 1 (%v)", created, len(staff), statuses)
		}
		return nil
	})
}

func TestSetupOnlyFromThisComputer(t *testing.T) {
	s := storetest.New(t)
	code, _ := issue(t, s)
	h := setup.New(setup.Config{Store: s, Hasher: password.Hasher{Params: password.TestParams}, Log: quiet})
	for _, peer := range []string{"203.0.113.7:4000", "[2001:db8::1]:4000", "10.0.0.2:4000", "[::ffff:192.0.2.1]:4000"} {
		if status, e := post(t, h, peer, setupBody(code, "ana@example.org")); status != http.StatusForbidden || e.Code != "not_local" {
			t.Errorf("from %s: %d %+v; want 403 not_local", peer, status, e)
		}
	}
	for _, peer := range []string{"[::1]:4000", "127.0.0.1:4000"} {
		status, e := post(t, h, peer, setupBody(code, fmt.Sprintf("ana%d@example.org", len(peer))))
		if status == http.StatusForbidden && e.Code == "not_local" {
			t.Errorf("from %s: refused as not local", peer)
		}
	}
}

// TestSetupRefusedOverTheNetwork serves on an address of this machine's
// network interface and sends the right code from there: the peer is not
// loopback, so it is refused.
func TestSetupRefusedOverTheNetwork(t *testing.T) {
	ip := externalIP()
	if ip == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no non-loopback address to test with")
		}
		t.Skip("this machine has no non-loopback address")
	}
	env := servertest.Start(t, servertest.Empty())
	code, _ := issue(t, env.Store)
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: env.Server.Handler()}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	resp, e, _ := call(t, "http://"+ln.Addr().String(), setupBody(code, "ana@example.org"))
	if resp.StatusCode != http.StatusForbidden || e.Code != "not_local" {
		t.Errorf("right code over the network: %d %+v; want 403 not_local", resp.StatusCode, e)
	}
	if resp, _, _ := call(t, env.URL, setupBody(code, "ana@example.org")); resp.StatusCode != http.StatusCreated {
		t.Errorf("the same code from this computer afterwards: %d, want 201", resp.StatusCode)
	}
}

func externalIP() string {
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	return ""
}

func TestCreateAdminAndResetPassword(t *testing.T) {
	s := storetest.New(t)
	h := password.Hasher{Params: password.TestParams}
	_, c := issue(t, s)
	cli := setup.Actor{Name: "cli", Detail: "OS user tester"}

	if _, err := setup.CreateAdmin(ctx, s, h, setup.Admin{Email: "ana@example.org", Name: "Ana", Password: "short"}, cli); err == nil {
		t.Error("CreateAdmin took a short password")
	}
	st, err := setup.CreateAdmin(ctx, s, h, setup.Admin{Email: " Ana@Example.org", Name: "Ana Admin", Password: goodPassword}, cli)
	if err != nil || st.Role != store.RoleAdmin || st.Email != "ana@example.org" {
		t.Fatalf("CreateAdmin: %+v, %v", st, err)
	}
	if _, err := os.Stat(c.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("admin create left the setup code file: %v", err)
	}
	if _, err := setup.CreateAdmin(ctx, s, h, setup.Admin{Email: "ana@example.org", Name: "Ana Again", Password: goodPassword}, cli); !errors.Is(err, setup.ErrEmailTaken) {
		t.Errorf("CreateAdmin with a taken email: %v", err)
	}

	// A live session of the administrator, to be ended by the reset.
	a := auth.New(s, password.NewGate(h, 0, 0), nil)
	_, login, err := a.LoginStaff(ctx, "ana@example.org", goodPassword, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx *store.Tx) error {
		return tx.PutStaff(&store.Staff{Email: "bo@example.org", Name: "Bo", Role: store.RoleStaff})
	}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ email, want string }{
		{"nobody@example.org", "its administrators are ana@example.org"},
		{"bo@example.org", "is not an administrator"},
	} {
		if _, err := setup.ResetPassword(ctx, s, h, tt.email, goodPassword+"!", cli); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("reset %s: %v; want %q", tt.email, err, tt.want)
		}
	}
	newPassword := "a new and longer harbor lantern"
	if _, err := setup.ResetPassword(ctx, s, h, "ANA@example.org", newPassword, cli); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Staff(ctx, login.Token); !errors.Is(err, auth.ErrNoSession) {
		t.Errorf("session after the reset: %v; want it ended", err)
	}
	if _, _, err := a.LoginStaff(ctx, "ana@example.org", goodPassword, "127.0.0.1"); err == nil {
		t.Error("the old password still works after the reset")
	}
	if _, _, err := a.LoginStaff(ctx, "ana@example.org", newPassword, "127.0.0.1"); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	s.View(ctx, func(tx *store.Tx) error {
		log, _ := tx.AuditLog(0, 100)
		got := map[string]bool{}
		for _, e := range log {
			if e.ActorKind == "system" && e.ActorName == "cli" && strings.Contains(e.Detail, "OS user tester") {
				got[e.Action] = true
			}
		}
		if !got["staff.create"] || !got["staff.password_reset"] {
			t.Errorf("audit by the command line: %v; want staff.create and staff.password_reset", got)
		}
		return nil
	})
}
