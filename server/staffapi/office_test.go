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
	"clientportal/server/apiclient"
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
	colleague := staffClient(t, env, "lucia@riverside.example")
	old := env.Login(t, "client", "amina@example.org")
	const newPassword = "Tq8#Wn4!Lp2&Zx"
	ctx := context.Background()

	status := slow.slowPatch("/api/v1/clients/1", `{"phone": "+1 555`, ` 0999"}`, func() {
		ok[api.Access](t, "lock")(colleague.UpdateAccess(ctx, 1, api.AccessInput{Locked: ptr(true)}))
		ok[api.Access](t, "reset password")(colleague.SetPassword(ctx, 1, newPassword))
	})
	if status != http.StatusOK {
		t.Fatalf("slow PATCH: %d", status)
	}
	cl := ok[api.Client](t, "read client")(colleague.Client(ctx, 1))
	if cl.Phone != "+1 555 0999" || !cl.Access.Locked {
		t.Errorf("after the slow PATCH: phone %q, locked %v; want the new phone and the colleague's lock kept", cl.Phone, cl.Access.Locked)
	}
	for pw, want := range map[string]bool{old.Password: false, newPassword: true} {
		if matches := ok[bool](t, "verify")(colleague.VerifyPassword(ctx, 1, pw)); matches != want {
			t.Errorf("password %q matches = %v, want %v (the reset must survive the slow PATCH)", pw, matches, want)
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
	cl := ok[api.Client](t, "read client")(staffClient(t, env, "marcus@riverside.example").Client(context.Background(), 3))
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
	sc := staffClient(t, env, "marcus@riverside.example")
	ctx := context.Background()
	const pw = "Rv5!Kd8#Mq3$"

	ready := ok[api.Client](t, "create")(sc.CreateClient(ctx, api.ClientInput{Name: ptr("Nadia Karimi"), Email: ptr("nadia@example.org"), Password: ptr(pw)}))
	if !ready.Access.CanLogOn || !ready.Access.AllowedToLogOn || !ready.Access.PasswordSet || len(ready.Access.Missing) != 0 {
		t.Errorf("client created with a password: %+v, want able to log on at once", ready.Access)
	}
	if _, status := portalLogin(t, env, "nadia@example.org", pw); status != http.StatusSeeOther {
		t.Errorf("portal login of the new client: %d, want 303", status)
	}

	bare := ok[api.Client](t, "create")(sc.CreateClient(ctx, api.ClientInput{Name: ptr("Omar Haddad"), Email: ptr("omar@example.org")}))
	if bare.Access.CanLogOn || len(bare.Access.Missing) != 2 || !strings.Contains(strings.Join(bare.Access.Missing, " "), "no password") {
		t.Errorf("client created without a password: %+v, want the answer to say what is missing", bare.Access)
	}
	held := ok[api.Client](t, "create")(sc.CreateClient(ctx, api.ClientInput{Name: ptr("Rosa Diaz"), Email: ptr("rosa@example.org"), Password: ptr(pw), AllowedToLogOn: ptr(false)}))
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
	staff := staffClient(t, env, "marcus@riverside.example")
	ctx := context.Background()
	for _, q := range []string{"ramirez", "Ramírez", "RAMIREZ", "jose"} {
		clients := ok[api.Page[api.Client]](t, "list clients")(staff.ListClients(ctx, apiclient.ListOptions{Q: q}))
		if len(clients.Items) != 1 || clients.Items[0].Email != "jose@example.org" {
			t.Errorf("clients ?q=%s: %+v", q, clients.Items)
		}
		cases := ok[api.Page[api.Case]](t, "list cases")(staff.ListCases(ctx, apiclient.ListOptions{Q: q}))
		if len(cases.Items) != 2 {
			t.Errorf("cases ?q=%s: %d, want José's 2", q, len(cases.Items))
		}
	}
}

func TestCorrectAndWithdrawAStatusEntry(t *testing.T) {
	env := servertest.Start(t)
	staff := login(t, env, "marcus@riverside.example")
	sc := staffClient(t, env, "marcus@riverside.example")
	ctx := context.Background()
	client := env.Login(t, "client", "amina@example.org")
	cases := ok[api.Page[api.Case]](t, "client cases")(sc.ClientCases(ctx, 1))
	caseID := cases.Items[0].ID
	base := fmt.Sprintf("/api/v1/cases/%d/statuses", caseID)
	today := time.Now().UTC().Format("2006-01-02")

	wrong := ok[api.StatusEntry](t, "add")(sc.AddStatusEntry(ctx, caseID, api.StatusEntryInput{Date: today, Status: "closed", Info: "Wrong case, sorry"}))
	fixed := ok[api.StatusEntry](t, "correct")(sc.CorrectStatusEntry(ctx, caseID, wrong.ID, api.StatusEntryInput{Date: today, Status: "hearing_scheduled", Info: "Hearing on the 14th"}))
	if fixed.Corrects != wrong.ID || !fixed.Active {
		t.Errorf("correction %+v", fixed)
	}
	cs := ok[api.Case](t, "case")(sc.Case(ctx, caseID))
	if cs.Current == nil || cs.Current.ID != fixed.ID {
		t.Errorf("current after correction: %+v", cs.Current)
	}
	orig := ok[api.StatusEntry](t, "entry")(sc.StatusEntry(ctx, caseID, wrong.ID))
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
	withdrawn := ok[api.StatusEntry](t, "withdraw")(sc.WithdrawStatusEntry(ctx, caseID, fixed.ID, "No hearing after all"))
	if withdrawn.Active || withdrawn.Withdrawn == nil || withdrawn.Withdrawn.Reason != "No hearing after all" || withdrawn.Withdrawn.ByName != "Marcus Oyelaran" {
		t.Errorf("withdrawn entry %+v", withdrawn)
	}
	cs = ok[api.Case](t, "case")(sc.Case(ctx, caseID))
	if cs.Current == nil || cs.Current.ID == fixed.ID || cs.Current.ID == wrong.ID {
		t.Errorf("current after withdrawal: %+v", cs.Current)
	}
	if strings.Contains(page(), "Hearing on the 14th") {
		t.Error("client history still shows the withdrawn entry")
	}
	record := ok[api.Page[api.StatusEntry]](t, "record")(sc.StatusEntries(ctx, caseID))
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
	audit := ok[api.Page[api.AuditEntry]](t, "audit")(staffClient(t, env, "dana@riverside.example").Audit(ctx, apiclient.AuditOptions{}))
	seen := map[string]bool{}
	for _, e := range audit.Items {
		seen[e.Action] = true
	}
	if !seen["case.status_correct"] || !seen["case.status_withdraw"] {
		t.Errorf("audit lacks the correction or the withdrawal: %v", seen)
	}
}

func TestStaffLanguageSetting(t *testing.T) {
	env := servertest.Start(t)
	admin := staffClient(t, env, "dana@riverside.example")
	ctx := context.Background()
	if got := ok[api.Settings](t, "settings")(admin.Settings(ctx)); got.StaffLanguage != "en" {
		t.Errorf("default staff_language %q, want en", got.StaffLanguage)
	}
	if got := ok[api.Settings](t, "set")(admin.UpdateSettings(ctx, api.SettingsInput{StaffLanguage: ptr("es")})); got.StaffLanguage != "es" {
		t.Errorf("staff_language after PATCH: %q", got.StaffLanguage)
	}
	for _, bad := range []string{"", "fr", "english"} {
		_, err := admin.UpdateSettings(ctx, api.SettingsInput{StaffLanguage: ptr(bad)})
		wantCode(t, "staff_language "+bad, err, http.StatusUnprocessableEntity, "invalid")
	}
}
