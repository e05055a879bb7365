package staffapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
	"clientportal/server/staffapi"
	"clientportal/store"
)

// caller is a staff member's API session against a running service.
type caller struct {
	t     *testing.T
	env   *servertest.Env
	token string
}

func login(t *testing.T, env *servertest.Env, email string) caller {
	t.Helper()
	l := env.Login(t, "staff", email)
	c := caller{t: t, env: env}
	status, body := c.do("POST", "/api/v1/session", api.LoginRequest{Email: l.Email, Password: l.Password})
	if status != http.StatusCreated {
		t.Fatalf("login %s: %d %s", email, status, body)
	}
	var resp api.LoginResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	c.token = resp.Token
	return c
}

// do sends body (a string is sent as it is, anything else as JSON).
func (c caller) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.env.URL+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.env.HTTP.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// staffClient is the Go API client logged in as the demo staff member with
// email: the happy paths go through it, as the control panel does.
func staffClient(t *testing.T, env *servertest.Env, email string) *apiclient.Client {
	t.Helper()
	c, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()))
	if err != nil {
		t.Fatal(err)
	}
	l := env.Login(t, "staff", email)
	if _, err := c.Login(context.Background(), l.Email, l.Password); err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return c
}

// ok fails the test when err is not nil.
func ok[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

// wantCode fails the test unless err is the API error with that status and code.
func wantCode(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	var e *api.Error
	if !errors.As(err, &e) || e.Status != status || e.Code != code {
		t.Errorf("%s: %v, want %d %s", what, err, status, code)
	}
}

func ptr[T any](v T) *T { return &v }

// snapshot is a digest of the whole store: equal snapshots, nothing changed.
func snapshot(t *testing.T, s *store.Store) [32]byte {
	t.Helper()
	h := sha256.New()
	if _, err := s.Backup(h); err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

func TestClientAndCaseLifecycle(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	staff := staffClient(t, env, "marcus@riverside.example")

	cl := ok[api.Client](t, "create client")(staff.CreateClient(ctx, api.ClientInput{Name: ptr("Nadia Karimi"), Email: ptr("Nadia@Example.org"), Phone: ptr("+1 555 0123"), Language: ptr("es")}))
	if cl.Email != "nadia@example.org" || cl.Access.AllowedToLogOn || cl.Access.PasswordSet {
		t.Errorf("new client %+v: want normalised email, no portal access yet", cl)
	}
	cs := ok[api.Case](t, "create case")(staff.CreateCase(ctx, api.CaseInput{Number: ptr("IMM-2026-0999"), Title: ptr("U visa"), ClientIDs: &[]uint64{cl.ID}, Kind: ptr("staff"), AdvocateID: ptr[uint64](2)}))
	e := ok[api.StatusEntry](t, "add status")(staff.AddStatusEntry(ctx, cs.ID, api.StatusEntryInput{Date: "2026-01-05", Status: "received", Info: "Intake done"}))
	if e.StatusName != "Application received" || e.SetByName != "Marcus Oyelaran" || e.Date != "2026-01-05" {
		t.Errorf("status entry %+v", e)
	}
	ok[api.StatusEntry](t, "add older status")(staff.AddStatusEntry(ctx, cs.ID, api.StatusEntryInput{Date: "2026-01-03", Status: "under_review"}))
	cs = ok[api.Case](t, "read case")(staff.Case(ctx, cs.ID))
	if cs.Current == nil || cs.Current.Status != "received" {
		t.Errorf("current status %+v: the latest dated entry must win over the latest entered", cs.Current)
	}
	hist := ok[api.Page[api.StatusEntry]](t, "history")(staff.StatusEntries(ctx, cs.ID))
	if len(hist.Items) != 2 || hist.Items[0].Status != "received" {
		t.Errorf("history %+v", hist.Items)
	}
	found := ok[api.Page[api.Case]](t, "search cases")(staff.ListCases(ctx, apiclient.ListOptions{Q: "karimi"}))
	if len(found.Items) != 1 || found.Items[0].ID != cs.ID {
		t.Errorf("search by client name: %+v", found.Items)
	}
	// Pro bono: the outside attorney replaces the advocate.
	pb := ok[api.Case](t, "make pro bono")(staff.UpdateCase(ctx, cs.ID, api.CaseInput{Kind: ptr("pro_bono"), Attorney: &api.Attorney{Name: "Ruth Alvarez", Firm: "Alvarez LLP", Email: "ruth@alvarez.example"}}))
	if pb.AdvocateID != 0 || pb.Attorney == nil || pb.Attorney.Name != "Ruth Alvarez" || pb.Current == nil {
		t.Errorf("pro bono case %+v", pb)
	}
	// Portal access: a password under the policy, then allowed.
	ok[api.Access](t, "set password")(staff.SetPassword(ctx, cl.ID, "Qv7!Lm2#Zr9x"))
	acc := ok[api.Access](t, "allow")(staff.UpdateAccess(ctx, cl.ID, api.AccessInput{AllowedToLogOn: ptr(true)}))
	if !acc.AllowedToLogOn || !acc.PasswordSet {
		t.Errorf("access %+v", acc)
	}
	if !ok[bool](t, "verify")(staff.VerifyPassword(ctx, cl.ID, "Qv7!Lm2#Zr9x")) {
		t.Error("verify of the right password: does not match")
	}
	if ok[bool](t, "verify")(staff.VerifyPassword(ctx, cl.ID, "wrong")) {
		t.Error("verify of a wrong password: matches")
	}
	// Every change is in the audit log, with who and from where.
	admin := staffClient(t, env, "dana@riverside.example")
	audit := ok[api.Page[api.AuditEntry]](t, "audit")(admin.Audit(ctx, apiclient.AuditOptions{Limit: 20}))
	actions := map[string]bool{}
	for _, e := range audit.Items {
		actions[e.Action] = true
		if e.Action == "client.create" && (e.ActorName != "Marcus Oyelaran" || e.IP != "127.0.0.1") {
			t.Errorf("audit entry lacks who or where: %+v", e)
		}
	}
	for _, a := range []string{"client.create", "case.create", "case.status", "case.update", "client.password_set", "client.access", "client.password_verify", "staff.login"} {
		if !actions[a] {
			t.Errorf("audit log has no %s entry", a)
		}
	}
}

func TestPasswordPolicyMessagesNameEachRule(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	staff := staffClient(t, env, "marcus@riverside.example")
	_, err := staff.SetPassword(ctx, 1, "abcdefgh")
	wantCode(t, "weak password", err, http.StatusUnprocessableEntity, "invalid")
	for _, want := range []string{"at least 10 characters", "2 upper-case", "2 digits", "2 special"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("policy message %v does not say %q", err, want)
		}
	}
	// The NIST preset: long passphrases without composition rules pass.
	admin := staffClient(t, env, "dana@riverside.example")
	ok[api.PasswordPolicy](t, "nist preset")(admin.PutPasswordPolicy(ctx, api.PolicyInput{Preset: "nist"}))
	ok[api.Access](t, "passphrase")(staff.SetPassword(ctx, 1, "lantern orchard velvet canoe"))
	_, err = staff.SetPassword(ctx, 1, "Tr4vel!Mango#9")
	wantCode(t, "short password under NIST", err, http.StatusUnprocessableEntity, "invalid")
	// A custom policy is checked for sense.
	_, err = admin.PutPasswordPolicy(ctx, api.PolicyInput{PasswordPolicy: api.PasswordPolicy{MinLength: 8, MinUpper: 5, MinDigit: 5}})
	wantCode(t, "impossible policy", err, http.StatusUnprocessableEntity, "invalid")
	p := ok[api.PasswordPolicy](t, "custom policy")(admin.PutPasswordPolicy(ctx, api.PolicyInput{PasswordPolicy: api.PasswordPolicy{MinLength: 12, MinDigit: 1}}))
	if p.MinLength != 12 || p.MinDigit != 1 {
		t.Errorf("policy %+v", p)
	}
}

func TestRoles(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	staff := staffClient(t, env, "marcus@riverside.example")
	for _, r := range []struct {
		name string
		call func() error
	}{
		{"change settings", func() error { _, err := staff.UpdateSettings(ctx, api.SettingsInput{OfficeName: ptr("X")}); return err }},
		{"change the status list", func() error {
			_, err := staff.PutStatuses(ctx, []api.Status{{ID: "x", Names: map[string]string{"en": "X"}}})
			return err
		}},
		{"change the password policy", func() error { _, err := staff.PutPasswordPolicy(ctx, api.PolicyInput{Preset: "nist"}); return err }},
		{"read the audit log", func() error { _, err := staff.Audit(ctx, apiclient.AuditOptions{}); return err }},
		{"add a staff member", func() error {
			_, err := staff.CreateStaff(ctx, api.StaffInput{Email: ptr("x@riverside.example"), Name: ptr("X"), Password: ptr("lantern orchard velvet canoe")})
			return err
		}},
		{"make oneself admin", func() error { _, err := staff.UpdateStaff(ctx, 2, api.StaffInput{Role: ptr("admin")}); return err }},
	} {
		before := snapshot(t, env.Store)
		wantCode(t, "staff: "+r.name, r.call(), http.StatusForbidden, "admin_only")
		if snapshot(t, env.Store) != before {
			t.Errorf("staff: %s changed the store", r.name)
		}
	}
}

func TestStatusListEdits(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	admin := staffClient(t, env, "dana@riverside.example")
	list := ok[api.Page[api.Status]](t, "edit the status list")(admin.PutStatuses(ctx, []api.Status{
		{ID: "received", Names: map[string]string{"en": "Intake complete", "es": "Admisión completa"}},
		{ID: "decided", Names: map[string]string{"en": "Decision issued"}},
	}))
	byID := map[string]api.Status{}
	for _, s := range list.Items {
		byID[s.ID] = s
	}
	if byID["received"].Names["en"] != "Intake complete" || byID["decided"].Retired || !byID["hearing_scheduled"].Retired {
		t.Errorf("status list after edit: %+v", list.Items)
	}
	// Old entries keep their (retired) status; new ones cannot use it.
	staff := staffClient(t, env, "marcus@riverside.example")
	_, err := staff.AddStatusEntry(ctx, 1, api.StatusEntryInput{Status: "hearing_scheduled"})
	wantCode(t, "entry with a retired status", err, http.StatusUnprocessableEntity, "invalid")
	cs := ok[api.Case](t, "read case 1")(staff.Case(ctx, 1))
	if cs.Current == nil || cs.Current.StatusName != "Hearing scheduled" {
		t.Errorf("current status of case 1 after retiring it: %+v", cs.Current)
	}
}

func TestLockAndAccessEndClientSessions(t *testing.T) {
	env := servertest.Start(t)
	staff := staffClient(t, env, "marcus@riverside.example")
	ctx := context.Background()
	cl := env.Login(t, "client", "amina@example.org")
	for _, change := range []api.AccessInput{{Locked: ptr(true)}, {AllowedToLogOn: ptr(false)}} {
		_, sess, err := env.Server.Auth().LoginClient(ctx, cl.Email, cl.Password, "127.0.0.1", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.Server.Auth().Client(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		ok[api.Access](t, "change access")(staff.UpdateAccess(ctx, 1, change))
		if _, err := env.Server.Auth().Client(ctx, sess.Token); err == nil {
			t.Errorf("client session still valid after %s", accessChange(change))
		}
		ok[api.Access](t, "restore access")(staff.UpdateAccess(ctx, 1, api.AccessInput{Locked: ptr(false), AllowedToLogOn: ptr(true)}))
		if _, err := env.Server.Auth().Client(ctx, sess.Token); err == nil {
			t.Errorf("session ended by %s came back after unlocking", accessChange(change))
		}
	}
}

func accessChange(in api.AccessInput) string {
	if in.Locked != nil {
		return "locking"
	}
	return "turning access off"
}

func TestVerifyPasswordIsRateLimited(t *testing.T) {
	env := servertest.Start(t)
	staff := staffClient(t, env, "marcus@riverside.example")
	var err error
	for i := 0; i < 6; i++ {
		_, err = staff.VerifyPassword(context.Background(), 1, fmt.Sprintf("guess%d", i))
	}
	wantCode(t, "6th verification in a row", err, http.StatusTooManyRequests, "rate_limited")
	var e *api.Error
	if errors.As(err, &e) && e.RetryAfter <= 0 {
		t.Errorf("rate limited without Retry-After: %+v", e)
	}
}

func TestLoginIsRateLimitedPerAddress(t *testing.T) {
	env := servertest.Start(t)
	c, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()))
	if err != nil {
		t.Fatal(err)
	}
	var errs []error
	for i := 0; i < 12; i++ {
		_, err := c.Login(context.Background(), "dana@riverside.example", "wrong")
		errs = append(errs, err)
	}
	wantCode(t, "first wrong login", errs[0], http.StatusUnauthorized, "bad_login")
	wantCode(t, "12th login in a row", errs[11], http.StatusTooManyRequests, "rate_limited")
}

func TestBadInputChangesNothing(t *testing.T) {
	env := servertest.Start(t)
	staff := login(t, env, "dana@riverside.example")
	huge := `{"name":"` + strings.Repeat("a", 70<<10) + `"}`
	tests := []struct {
		method, path string
		body         any
		want         int
		field        string
	}{
		{"POST", "/api/v1/clients", `{}`, 422, "name"},
		{"POST", "/api/v1/clients", `{"name":"X"}`, 422, "email"},
		{"POST", "/api/v1/clients", `{"name":"X","email":"not an email"}`, 422, "email"},
		{"POST", "/api/v1/clients", `{"name":7,"email":"x@example.org"}`, 400, "name"},
		{"POST", "/api/v1/clients", `{"name":"X","email":"x@example.org","shoe_size":9}`, 400, "shoe_size"},
		{"POST", "/api/v1/clients", `{"name":"X","email":"amina@example.org"}`, 409, "email"},
		{"POST", "/api/v1/clients", `{"name":"X","email":"x@example.org","language":"xx"}`, 422, "language"},
		{"POST", "/api/v1/clients", `{"name":"Line\nbreak","email":"x@example.org"}`, 422, "name"},
		{"POST", "/api/v1/clients", []byte("{\"name\":\"\xff\xfe\",\"email\":\"x@example.org\"}"), 400, ""},
		{"POST", "/api/v1/clients", huge, 413, ""},
		{"POST", "/api/v1/clients", `{"name":"X"`, 400, ""},
		{"POST", "/api/v1/clients", `{"name":"X","email":"x@example.org"} {}`, 400, ""},
		{"POST", "/api/v1/clients", `[]`, 400, ""},
		{"PATCH", "/api/v1/clients/999", `{"name":"X"}`, 404, ""},
		{"PATCH", "/api/v1/clients/abc", `{"name":"X"}`, 404, ""},
		{"PATCH", "/api/v1/clients/1", `{"email":"jose@example.org"}`, 409, "email"},
		{"PATCH", "/api/v1/clients/1/access", `{"locked":"yes"}`, 400, "locked"},
		{"PUT", "/api/v1/clients/1/password", `{}`, 422, "password"},
		{"PUT", "/api/v1/clients/1/password", `{"password":"password1"}`, 422, "password"},
		{"PUT", "/api/v1/clients/999/password", `{"password":"Qv7!Lm2#Zr9x"}`, 404, ""},
		{"POST", "/api/v1/cases", `{"number":"N","title":"T","client_ids":[1]}`, 422, "kind"},
		{"POST", "/api/v1/cases", `{"number":"N","title":"T","client_ids":[999],"kind":"pro_bono","attorney":{"name":"A"}}`, 422, "client_ids"},
		{"POST", "/api/v1/cases", `{"number":"N","title":"T","client_ids":[1],"kind":"staff"}`, 422, "advocate_id"},
		{"POST", "/api/v1/cases", `{"number":"N","title":"T","client_ids":[1],"kind":"staff","advocate_id":99}`, 422, "advocate_id"},
		{"POST", "/api/v1/cases", `{"number":"N","title":"T","client_ids":[1],"kind":"pro_bono"}`, 422, "attorney"},
		{"POST", "/api/v1/cases", `{"number":"IMM-2026-0142","title":"T","client_ids":[1],"kind":"staff","advocate_id":2}`, 409, "number"},
		{"POST", "/api/v1/cases", `{"number":"N","title":"T","client_ids":"1","kind":"staff","advocate_id":2}`, 400, "client_ids"},
		{"POST", "/api/v1/cases/1/statuses", `{"status":"nope"}`, 422, "status"},
		{"POST", "/api/v1/cases/1/statuses", `{"status":"closed","date":"31/12/2026"}`, 422, "date"},
		{"POST", "/api/v1/cases/1/statuses", `{"status":"closed","date":"2999-01-01"}`, 422, "date"},
		{"POST", "/api/v1/cases/999/statuses", `{"status":"closed"}`, 404, ""},
		{"POST", "/api/v1/cases/1/statuses", `{"status":"closed","info":"` + strings.Repeat("x", 4001) + `"}`, 422, "info"},
		{"PATCH", "/api/v1/settings", `{"lockout_threshold":0}`, 422, "lockout_threshold"},
		{"PATCH", "/api/v1/settings", `{"office_name":""}`, 422, "office_name"},
		{"PUT", "/api/v1/settings/statuses", `[]`, 422, "statuses"},
		{"PUT", "/api/v1/settings/statuses", `[{"id":"Bad Id","names":{"en":"X"}}]`, 422, "statuses[0].id"},
		{"PUT", "/api/v1/settings/statuses", `[{"id":"a","names":{"es":"X"}}]`, 422, "statuses[0].names.en"},
		{"PUT", "/api/v1/settings/statuses", `[{"id":"a","names":{"en":"X"}},{"id":"a","names":{"en":"Y"}}]`, 422, "statuses[1].id"},
		{"PUT", "/api/v1/settings/password-policy", `{"preset":"weak"}`, 422, "preset"},
		{"PUT", "/api/v1/settings/password-policy", `{"min_length":4}`, 422, "password_policy"},
		{"PATCH", "/api/v1/staff/1", `{"role":"staff"}`, 422, "role"},
		{"POST", "/api/v1/staff", `{"email":"new@riverside.example","name":"New","password":"short"}`, 422, "password"},
		{"GET", "/api/v1/clients?limit=0", nil, 400, "limit"},
		{"GET", "/api/v1/cases?after=x", nil, 400, "after"},
		{"GET", "/api/v1/cases/1/statuses/999", nil, 404, ""},
		{"GET", "/api/v1/nothing", nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			staff.t = t
			before := snapshot(t, env.Store)
			status, body := staff.do(tt.method, tt.path, tt.body)
			if status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, body)
			}
			var e api.Error
			if err := json.Unmarshal(body, &e); err != nil || e.Message == "" || e.Code == "" {
				t.Errorf("error body %s is not {code, error}", body)
			}
			if e.Field != tt.field {
				t.Errorf("field %q, want %q (%s)", e.Field, tt.field, e.Message)
			}
			if snapshot(t, env.Store) != before {
				t.Error("a refused request changed the store")
			}
		})
	}
	// The wrong content type is refused before anything is read.
	req, _ := http.NewRequest("POST", env.URL+"/api/v1/clients", strings.NewReader("name=X"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+staff.token)
	resp, err := env.HTTP.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("form-encoded body: %d, want 415", resp.StatusCode)
	}
}

func TestUnauthenticated(t *testing.T) {
	env := servertest.Start(t)
	anon := caller{t: t, env: env}
	bogus := caller{t: t, env: env, token: "not-a-token"}
	for _, c := range []caller{anon, bogus} {
		for _, path := range []string{"/api/v1/me", "/api/v1/clients", "/api/v1/cases/1", "/api/v1/settings"} {
			if status, _ := c.do("GET", path, nil); status != http.StatusUnauthorized {
				t.Errorf("GET %s with token %q: %d, want 401", path, c.token, status)
			}
		}
	}
	staff := staffClient(t, env, "marcus@riverside.example")
	token := staff.Token()
	if err := staff.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if status, _ := (caller{t: t, env: env, token: token}).do("GET", "/api/v1/me", nil); status != http.StatusUnauthorized {
		t.Errorf("token after logout: %d, want 401", status)
	}
	env.Store.View(context.Background(), func(tx *store.Tx) error {
		log, _ := tx.AuditLog(0, 1)
		if len(log) != 1 || log[0].Action != "staff.logout" || log[0].ActorID != 2 {
			t.Errorf("last audit entry %+v, want marcus's staff.logout", log)
		}
		return nil
	})
}

func FuzzDecode(f *testing.F) {
	env := servertest.Start(f)
	for _, s := range []string{`{"name":"A","email":"a@b.co"}`, `{"name":1}`, `[]`, `{"name":"\u0000"}`, "\xff"} {
		f.Add(s)
	}
	staff := login(&testing.T{}, env, "dana@riverside.example")
	f.Fuzz(func(t *testing.T, body string) {
		staff.t = t
		status, data := staff.do("PATCH", "/api/v1/clients/1", body)
		if status >= 500 {
			t.Fatalf("body %q: %d %s", body, status, data)
		}
	})
}

func TestListsPage(t *testing.T) {
	env := servertest.Start(t)
	staff := staffClient(t, env, "marcus@riverside.example")
	var all []uint64
	opts := apiclient.ListOptions{Limit: 3}
	for pages := 0; ; pages++ {
		p := ok[api.Page[api.Client]](t, "list clients")(staff.ListClients(context.Background(), opts))
		for _, c := range p.Items {
			all = append(all, c.ID)
		}
		if p.Next == 0 {
			if pages != 1 || len(p.Items) != 1 {
				t.Errorf("4 clients in pages of 3: got %d pages, last with %d items", pages+1, len(p.Items))
			}
			break
		}
		opts.After = p.Next
	}
	if fmt.Sprint(all) != "[1 2 3 4]" {
		t.Errorf("paged clients %v, want [1 2 3 4]", all)
	}
}

// patterns records the patterns Register adds.
type patterns []string

func (p *patterns) Handle(pattern string, _ http.Handler) { *p = append(*p, pattern) }
func (p *patterns) HandleFunc(pattern string, _ func(http.ResponseWriter, *http.Request)) {
	*p = append(*p, pattern)
}

// TestRegisterServesEveryRoute: the service registers exactly the routes of
// api.Routes, at the paths the client calls; a new route must be added there
// (and get its client method, which the client's tests check).
func TestRegisterServesEveryRoute(t *testing.T) {
	var got patterns
	staffapi.New(staffapi.Config{}).Register(&got)
	registered := map[string]bool{}
	for _, p := range got {
		registered[p] = true
	}
	listed := map[string]bool{}
	for _, rt := range api.Routes() {
		listed[rt.Pattern()] = true
		if !registered[rt.Pattern()] {
			t.Errorf("api.Routes lists %s, which Register does not add", rt.Pattern())
		}
	}
	for _, p := range got {
		if !listed[p] {
			t.Errorf("Register adds %s, which api.Routes does not list: add its path constant, route and client method", p)
		}
	}
	// And the service's mux sends each route's requests to it.
	mux := http.NewServeMux()
	staffapi.New(staffapi.Config{}).Register(mux)
	for _, rt := range api.Routes() {
		req := httptest.NewRequest(rt.Method, strings.ReplaceAll(strings.ReplaceAll(rt.Path, "{id}", "7"), "{entry}", "8"), nil)
		if _, pattern := mux.Handler(req); pattern != rt.Pattern() {
			t.Errorf("%s is served by %q", rt.Pattern(), pattern)
		}
	}
}
