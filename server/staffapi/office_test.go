package staffapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/servertest"
)

// slowPatch sends a PATCH whose body arrives in two parts, and lets the test
// act between them. It returns the answer's status.
func (c caller) slowPatch(path, first, rest string, between func()) int {
	c.t.Helper()
	pr, pw := io.Pipe()
	req, err := http.NewRequest("PATCH", c.env.URL+path, pr)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	done := make(chan int, 1)
	go func() {
		resp, err := c.env.HTTP.Client().Do(req)
		if err != nil {
			done <- 0
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	if _, err := pw.Write([]byte(first)); err != nil {
		c.t.Fatal(err)
	}
	// The handler has the headers and half the body; what follows runs while
	// it waits for the rest (the sleep orders the steps; nothing is timed).
	time.Sleep(100 * time.Millisecond)
	between()
	pw.Write([]byte(rest))
	pw.Close()
	return <-done
}

// TestSlowClientPatchKeepsAColleaguesLockAndPassword: a PATCH of a client's
// phone that was slow to arrive once wrote back the whole record it had read
// before, undoing a lock and a password reset made meanwhile.
func TestSlowClientPatchKeepsAColleaguesLockAndPassword(t *testing.T) {
	env := servertest.Start(t)
	slow := login(t, env, "marcus@riverside.example")
	colleague := login(t, env, "lucia@riverside.example")
	old := env.Login(t, "client", "amina@example.org")
	const newPassword = "Tq8#Wn4!Lp2&Zx"

	status := slow.slowPatch("/api/v1/clients/1", `{"phone": "+1 555`, ` 0999"}`, func() {
		colleague.decode("PATCH", "/api/v1/clients/1/access", map[string]bool{"locked": true}, http.StatusOK, nil)
		colleague.decode("PUT", "/api/v1/clients/1/password", api.PasswordInput{Password: newPassword}, http.StatusOK, nil)
	})
	if status != http.StatusOK {
		t.Fatalf("slow PATCH: %d", status)
	}
	var cl api.Client
	colleague.decode("GET", "/api/v1/clients/1", nil, http.StatusOK, &cl)
	if cl.Phone != "+1 555 0999" || !cl.Access.Locked {
		t.Errorf("after the slow PATCH: phone %q, locked %v; want the new phone and the colleague's lock kept", cl.Phone, cl.Access.Locked)
	}
	for pw, want := range map[string]bool{old.Password: false, newPassword: true} {
		var res api.VerifyResult
		colleague.decode("POST", "/api/v1/clients/1/password/verify", api.PasswordInput{Password: pw}, http.StatusOK, &res)
		if res.Matches != want {
			t.Errorf("password %q matches = %v, want %v (the reset must survive the slow PATCH)", pw, res.Matches, want)
		}
	}
}

// TestConcurrentStaffPatchesKeepANewPassword: a PATCH of a staff member's
// title racing a password change once wrote back the old hash, so the old
// password worked again. Each round changes both at once, for real.
func TestConcurrentStaffPatchesKeepANewPassword(t *testing.T) {
	env := servertest.Start(t)
	admin := login(t, env, "dana@riverside.example")
	other := login(t, env, "dana@riverside.example")
	marcus := env.Login(t, "staff", "marcus@riverside.example")
	ctx := context.Background()
	old := marcus.Password
	for round := 0; round < 30; round++ {
		pw := fmt.Sprintf("granite lighthouse evening %d", round)
		errc := make(chan error, 2)
		go func() {
			s, body := other.do("PATCH", "/api/v1/staff/2", map[string]string{"password": pw})
			errc <- statusErr(s, body)
		}()
		go func() {
			s, body := admin.do("PATCH", "/api/v1/staff/2", map[string]string{"title": fmt.Sprintf("Attorney %d", round)})
			errc <- statusErr(s, body)
		}()
		for range 2 {
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := env.Server.Auth().LoginStaff(ctx, marcus.Email, old, "127.0.0.1"); err == nil {
			t.Fatalf("round %d: the previous password still logs in after the change", round)
		}
		if _, _, err := env.Server.Auth().LoginStaff(ctx, marcus.Email, pw, "127.0.0.1"); err != nil {
			t.Fatalf("round %d: the new password does not log in: %v", round, err)
		}
		old = pw
	}
}

// TestConcurrentPatchesChangeOnlyTheirFields runs many PATCHes of different
// fields of one client at once: each field ends with a value one of its own
// writers sent, and no writer undoes another's field.
func TestConcurrentPatchesChangeOnlyTheirFields(t *testing.T) {
	env := servertest.Start(t)
	staff := login(t, env, "marcus@riverside.example")
	const n = 16
	errc := make(chan error, 3*n)
	for i := 0; i < n; i++ {
		go func() {
			s, body := staff.do("PATCH", "/api/v1/clients/3", map[string]string{"phone": fmt.Sprintf("+1 555 %04d", i)})
			errc <- statusErr(s, body)
		}()
		go func() {
			s, body := staff.do("PATCH", "/api/v1/clients/3", map[string]string{"name": fmt.Sprintf("Li Wei %d", i)})
			errc <- statusErr(s, body)
		}()
		go func() {
			s, body := staff.do("PATCH", "/api/v1/clients/3/access", map[string]bool{"email_notice": false})
			errc <- statusErr(s, body)
		}()
	}
	for i := 0; i < 3*n; i++ {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
	var cl api.Client
	staff.decode("GET", "/api/v1/clients/3", nil, http.StatusOK, &cl)
	if !strings.HasPrefix(cl.Phone, "+1 555 00") || !strings.HasPrefix(cl.Name, "Li Wei ") || cl.Access.EmailNotice || !cl.Access.PasswordSet {
		t.Errorf("after concurrent PATCHes: %+v", cl)
	}
}

func statusErr(status int, body []byte) error {
	if status != http.StatusOK {
		return fmt.Errorf("status %d: %s", status, body)
	}
	return nil
}

func portalLogin(t *testing.T, env *servertest.Env, email, pw string) (*http.Client, int) {
	t.Helper()
	b := env.Browser()
	resp, err := b.PostForm(env.URL+"/login", url.Values{"email": {email}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return b, resp.StatusCode
}

func TestCreateAClientWhoCanLogOnInOneStep(t *testing.T) {
	env := servertest.Start(t)
	staff := login(t, env, "marcus@riverside.example")
	const pw = "Rv5!Kd8#Mq3$"

	var ready api.Client
	staff.decode("POST", "/api/v1/clients", map[string]any{"name": "Nadia Karimi", "email": "nadia@example.org", "password": pw}, http.StatusCreated, &ready)
	if !ready.Access.CanLogOn || !ready.Access.AllowedToLogOn || !ready.Access.PasswordSet || len(ready.Access.Missing) != 0 {
		t.Errorf("client created with a password: %+v, want able to log on at once", ready.Access)
	}
	if _, status := portalLogin(t, env, "nadia@example.org", pw); status != http.StatusSeeOther {
		t.Errorf("portal login of the new client: %d, want 303", status)
	}

	var bare api.Client
	staff.decode("POST", "/api/v1/clients", map[string]any{"name": "Omar Haddad", "email": "omar@example.org"}, http.StatusCreated, &bare)
	if bare.Access.CanLogOn || len(bare.Access.Missing) != 2 || !strings.Contains(strings.Join(bare.Access.Missing, " "), "no password") {
		t.Errorf("client created without a password: %+v, want the answer to say what is missing", bare.Access)
	}
	var held api.Client
	staff.decode("POST", "/api/v1/clients", map[string]any{"name": "Rosa Diaz", "email": "rosa@example.org", "password": pw, "allowed_to_log_on": false}, http.StatusCreated, &held)
	if held.Access.CanLogOn || held.Access.AllowedToLogOn || !held.Access.PasswordSet {
		t.Errorf("client created with a password but not allowed: %+v", held.Access)
	}

	// A weak password refuses the whole creation: no client is left half made.
	before := snapshot(t, env.Store)
	status, body := staff.do("POST", "/api/v1/clients", map[string]any{"name": "Weak Pw", "email": "weak@example.org", "password": "password1"})
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"field":"password"`) {
		t.Errorf("weak password: %d %s", status, body)
	}
	if snapshot(t, env.Store) != before {
		t.Error("a refused creation changed the store")
	}
	status, body = staff.do("PATCH", fmt.Sprintf("/api/v1/clients/%d", bare.ID), map[string]any{"password": pw})
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(body), "/password") {
		t.Errorf("PATCH with a password: %d %s, want 422 naming the password route", status, body)
	}
}

func TestSearchIgnoresAccents(t *testing.T) {
	env := servertest.Start(t)
	staff := login(t, env, "marcus@riverside.example")
	for _, q := range []string{"ramirez", "Ramírez", "RAMIREZ", "jose"} {
		var clients api.Page[api.Client]
		staff.decode("GET", "/api/v1/clients?q="+url.QueryEscape(q), nil, http.StatusOK, &clients)
		if len(clients.Items) != 1 || clients.Items[0].Email != "jose@example.org" {
			t.Errorf("clients ?q=%s: %+v", q, clients.Items)
		}
		var cases api.Page[api.Case]
		staff.decode("GET", "/api/v1/cases?q="+url.QueryEscape(q), nil, http.StatusOK, &cases)
		if len(cases.Items) != 2 {
			t.Errorf("cases ?q=%s: %d, want José's 2", q, len(cases.Items))
		}
	}
}

func TestCorrectAndWithdrawAStatusEntry(t *testing.T) {
	env := servertest.Start(t)
	staff := login(t, env, "marcus@riverside.example")
	client := env.Login(t, "client", "amina@example.org")
	var cases api.Page[api.Case]
	staff.decode("GET", "/api/v1/clients/1/cases", nil, http.StatusOK, &cases)
	caseID := cases.Items[0].ID
	base := fmt.Sprintf("/api/v1/cases/%d/statuses", caseID)
	today := time.Now().UTC().Format("2006-01-02")

	var wrong api.StatusEntry
	staff.decode("POST", base, api.StatusEntryInput{Date: today, Status: "closed", Info: "Wrong case, sorry"}, http.StatusCreated, &wrong)
	var fixed api.StatusEntry
	staff.decode("POST", fmt.Sprintf("%s/%d/correct", base, wrong.ID), api.StatusEntryInput{Date: today, Status: "hearing_scheduled", Info: "Hearing on the 14th"}, http.StatusCreated, &fixed)
	if fixed.Corrects != wrong.ID || !fixed.Active {
		t.Errorf("correction %+v", fixed)
	}
	var cs api.Case
	staff.decode("GET", fmt.Sprintf("/api/v1/cases/%d", caseID), nil, http.StatusOK, &cs)
	if cs.Current == nil || cs.Current.ID != fixed.ID {
		t.Errorf("current after correction: %+v", cs.Current)
	}
	var orig api.StatusEntry
	staff.decode("GET", fmt.Sprintf("%s/%d", base, wrong.ID), nil, http.StatusOK, &orig)
	if orig.Active || orig.SupersededBy != fixed.ID || orig.Status != "closed" || orig.Info != "Wrong case, sorry" {
		t.Errorf("original after correction: %+v; want it kept as entered, marked superseded", orig)
	}

	// The client sees the correction, not the mistake.
	b, status := portalLogin(t, env, client.Email, client.Password)
	if status != http.StatusSeeOther {
		t.Fatalf("portal login %d", status)
	}
	page := func() string {
		resp, err := b.Get(fmt.Sprintf("%s/cases/%d/history", env.URL, caseID))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return string(data)
	}
	if p := page(); strings.Contains(p, "Wrong case") || !strings.Contains(p, "Hearing on the 14th") {
		t.Error("client history shows the corrected mistake, or not the correction")
	}

	// Withdrawing needs a reason, then the previous entry is current again.
	if s, body := staff.do("POST", fmt.Sprintf("%s/%d/withdraw", base, fixed.ID), map[string]string{"reason": ""}); s != http.StatusUnprocessableEntity {
		t.Errorf("withdraw without a reason: %d %s", s, body)
	}
	var withdrawn api.StatusEntry
	staff.decode("POST", fmt.Sprintf("%s/%d/withdraw", base, fixed.ID), api.WithdrawInput{Reason: "No hearing after all"}, http.StatusOK, &withdrawn)
	if withdrawn.Active || withdrawn.Withdrawn == nil || withdrawn.Withdrawn.Reason != "No hearing after all" || withdrawn.Withdrawn.ByName != "Marcus Oyelaran" {
		t.Errorf("withdrawn entry %+v", withdrawn)
	}
	staff.decode("GET", fmt.Sprintf("/api/v1/cases/%d", caseID), nil, http.StatusOK, &cs)
	if cs.Current == nil || cs.Current.ID == fixed.ID || cs.Current.ID == wrong.ID {
		t.Errorf("current after withdrawal: %+v", cs.Current)
	}
	if strings.Contains(page(), "Hearing on the 14th") {
		t.Error("client history still shows the withdrawn entry")
	}
	var record api.Page[api.StatusEntry]
	staff.decode("GET", base, nil, http.StatusOK, &record)
	inactive := 0
	for _, e := range record.Items {
		if !e.Active {
			inactive++
		}
	}
	if inactive != 2 {
		t.Errorf("staff record shows %d inactive entries, want the corrected and the withdrawn one", inactive)
	}

	// Neither can be corrected or withdrawn again; every step is audited.
	for path, body := range map[string]any{
		fmt.Sprintf("%s/%d/correct", base, wrong.ID):  api.StatusEntryInput{Status: "closed"},
		fmt.Sprintf("%s/%d/withdraw", base, fixed.ID): api.WithdrawInput{Reason: "again"},
	} {
		s, body := staff.do("POST", path, body)
		var e api.Error
		json.Unmarshal(body, &e)
		if s != http.StatusConflict || e.Code != "not_active" {
			t.Errorf("POST %s again: %d %s, want 409 not_active", path, s, body)
		}
	}
	admin := login(t, env, "dana@riverside.example")
	var audit api.Page[api.AuditEntry]
	admin.decode("GET", "/api/v1/audit", nil, http.StatusOK, &audit)
	seen := map[string]bool{}
	for _, e := range audit.Items {
		seen[e.Action] = true
	}
	if !seen["case.status_correct"] || !seen["case.status_withdraw"] {
		t.Errorf("audit lacks the correction or the withdrawal: %v", seen)
	}
}
