package staffapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/servertest"
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

func (c caller) decode(method, path string, body any, want int, v any) {
	c.t.Helper()
	status, data := c.do(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, data)
	}
	if v != nil {
		if err := json.Unmarshal(data, v); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, data)
		}
	}
}

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
	staff := login(t, env, "marcus@riverside.example")

	var cl api.Client
	staff.decode("POST", "/api/v1/clients", map[string]any{"name": "Nadia Karimi", "email": "Nadia@Example.org", "phone": "+1 555 0123", "language": "es"}, http.StatusCreated, &cl)
	if cl.Email != "nadia@example.org" || cl.Access.AllowedToLogOn || cl.Access.PasswordSet {
		t.Errorf("new client %+v: want normalised email, no portal access yet", cl)
	}
	var cs api.Case
	staff.decode("POST", "/api/v1/cases", map[string]any{"number": "IMM-2026-0999", "title": "U visa", "client_ids": []uint64{cl.ID}, "kind": "staff", "advocate_id": 2}, http.StatusCreated, &cs)
	var e api.StatusEntry
	staff.decode("POST", fmt.Sprintf("/api/v1/cases/%d/statuses", cs.ID), api.StatusEntryInput{Date: "2026-01-05", Status: "received", Info: "Intake done"}, http.StatusCreated, &e)
	if e.StatusName != "Application received" || e.SetByName != "Marcus Oyelaran" || e.Date != "2026-01-05" {
		t.Errorf("status entry %+v", e)
	}
	staff.decode("POST", fmt.Sprintf("/api/v1/cases/%d/statuses", cs.ID), api.StatusEntryInput{Date: "2026-01-03", Status: "under_review"}, http.StatusCreated, nil)
	staff.decode("GET", fmt.Sprintf("/api/v1/cases/%d", cs.ID), nil, http.StatusOK, &cs)
	if cs.Current == nil || cs.Current.Status != "received" {
		t.Errorf("current status %+v: the latest dated entry must win over the latest entered", cs.Current)
	}
	var hist api.Page[api.StatusEntry]
	staff.decode("GET", fmt.Sprintf("/api/v1/cases/%d/statuses", cs.ID), nil, http.StatusOK, &hist)
	if len(hist.Items) != 2 || hist.Items[0].Status != "received" {
		t.Errorf("history %+v", hist.Items)
	}
	var found api.Page[api.Case]
	staff.decode("GET", "/api/v1/cases?q=karimi", nil, http.StatusOK, &found)
	if len(found.Items) != 1 || found.Items[0].ID != cs.ID {
		t.Errorf("search by client name: %+v", found.Items)
	}
	// Pro bono: the outside attorney replaces the advocate.
	var pb api.Case
	staff.decode("PATCH", fmt.Sprintf("/api/v1/cases/%d", cs.ID), map[string]any{"kind": "pro_bono", "attorney": map[string]string{"name": "Ruth Alvarez", "firm": "Alvarez LLP", "email": "ruth@alvarez.example"}}, http.StatusOK, &pb)
	if pb.AdvocateID != 0 || pb.Attorney == nil || pb.Attorney.Name != "Ruth Alvarez" || pb.Current == nil {
		t.Errorf("pro bono case %+v", pb)
	}
	// Portal access: a password under the policy, then allowed.
	staff.decode("PUT", fmt.Sprintf("/api/v1/clients/%d/password", cl.ID), api.PasswordInput{Password: "Qv7!Lm2#Zr9x"}, http.StatusOK, nil)
	var acc api.Access
	staff.decode("PATCH", fmt.Sprintf("/api/v1/clients/%d/access", cl.ID), map[string]bool{"allowed_to_log_on": true}, http.StatusOK, &acc)
	if !acc.AllowedToLogOn || !acc.PasswordSet {
		t.Errorf("access %+v", acc)
	}
	var v api.VerifyResult
	staff.decode("POST", fmt.Sprintf("/api/v1/clients/%d/password/verify", cl.ID), api.PasswordInput{Password: "Qv7!Lm2#Zr9x"}, http.StatusOK, &v)
	if !v.Matches {
		t.Error("verify of the right password: does not match")
	}
	staff.decode("POST", fmt.Sprintf("/api/v1/clients/%d/password/verify", cl.ID), api.PasswordInput{Password: "wrong"}, http.StatusOK, &v)
	if v.Matches {
		t.Error("verify of a wrong password: matches")
	}
	// Every change is in the audit log, with who and from where.
	admin := login(t, env, "dana@riverside.example")
	var audit api.Page[api.AuditEntry]
	admin.decode("GET", "/api/v1/audit?limit=20", nil, http.StatusOK, &audit)
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
	staff := login(t, env, "marcus@riverside.example")
	status, body := staff.do("PUT", "/api/v1/clients/1/password", api.PasswordInput{Password: "abcdefgh"})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("weak password: %d %s", status, body)
	}
	for _, want := range []string{"at least 10 characters", "2 upper-case", "2 digits", "2 special"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("policy message %s does not say %q", body, want)
		}
	}
	// The NIST preset: long passphrases without composition rules pass.
	admin := login(t, env, "dana@riverside.example")
	admin.decode("PUT", "/api/v1/settings/password-policy", map[string]string{"preset": "nist"}, http.StatusOK, nil)
	staff.decode("PUT", "/api/v1/clients/1/password", api.PasswordInput{Password: "lantern orchard velvet canoe"}, http.StatusOK, nil)
	staff.decode("PUT", "/api/v1/clients/1/password", api.PasswordInput{Password: "Tr4vel!Mango#9"}, http.StatusUnprocessableEntity, nil)
	// A custom policy is checked for sense.
	admin.decode("PUT", "/api/v1/settings/password-policy", api.PasswordPolicy{MinLength: 8, MinUpper: 5, MinDigit: 5}, http.StatusUnprocessableEntity, nil)
	var p api.PasswordPolicy
	admin.decode("PUT", "/api/v1/settings/password-policy", api.PasswordPolicy{MinLength: 12, MinDigit: 1}, http.StatusOK, &p)
	if p.MinLength != 12 || p.MinDigit != 1 {
		t.Errorf("policy %+v", p)
	}
}

func TestRoles(t *testing.T) {
	env := servertest.Start(t)
	staff := login(t, env, "marcus@riverside.example")
	for _, r := range []struct{ method, path, body string }{
		{"PATCH", "/api/v1/settings", `{"office_name":"X"}`},
		{"PUT", "/api/v1/settings/statuses", `[{"id":"x","names":{"en":"X"}}]`},
		{"PUT", "/api/v1/settings/password-policy", `{"preset":"nist"}`},
		{"GET", "/api/v1/audit", ""},
		{"POST", "/api/v1/staff", `{"email":"x@riverside.example","name":"X","password":"lantern orchard velvet canoe"}`},
		{"PATCH", "/api/v1/staff/2", `{"role":"admin"}`},
	} {
		before := snapshot(t, env.Store)
		var body any
		if r.body != "" {
			body = r.body
		}
		if status, data := staff.do(r.method, r.path, body); status != http.StatusForbidden {
			t.Errorf("staff %s %s: %d %s, want 403", r.method, r.path, status, data)
		}
		if snapshot(t, env.Store) != before {
			t.Errorf("staff %s %s changed the store", r.method, r.path)
		}
	}
}

func TestStatusListEdits(t *testing.T) {
	env := servertest.Start(t)
	admin := login(t, env, "dana@riverside.example")
	var list api.Page[api.Status]
	admin.decode("PUT", "/api/v1/settings/statuses", []api.Status{
		{ID: "received", Names: map[string]string{"en": "Intake complete", "es": "Admisión completa"}},
		{ID: "decided", Names: map[string]string{"en": "Decision issued"}},
	}, http.StatusOK, &list)
	byID := map[string]api.Status{}
	for _, s := range list.Items {
		byID[s.ID] = s
	}
	if byID["received"].Names["en"] != "Intake complete" || byID["decided"].Retired || !byID["hearing_scheduled"].Retired {
		t.Errorf("status list after edit: %+v", list.Items)
	}
	// Old entries keep their (retired) status; new ones cannot use it.
	staff := login(t, env, "marcus@riverside.example")
	staff.decode("POST", "/api/v1/cases/1/statuses", api.StatusEntryInput{Status: "hearing_scheduled"}, http.StatusUnprocessableEntity, nil)
	var cs api.Case
	staff.decode("GET", "/api/v1/cases/1", nil, http.StatusOK, &cs)
	if cs.Current == nil || cs.Current.StatusName != "Hearing scheduled" {
		t.Errorf("current status of case 1 after retiring it: %+v", cs.Current)
	}
}

func TestLockAndAccessEndClientSessions(t *testing.T) {
	env := servertest.Start(t)
	staff := login(t, env, "marcus@riverside.example")
	ctx := context.Background()
	cl := env.Login(t, "client", "amina@example.org")
	for _, change := range []map[string]bool{{"locked": true}, {"allowed_to_log_on": false}} {
		_, sess, err := env.Server.Auth().LoginClient(ctx, cl.Email, cl.Password, "127.0.0.1", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.Server.Auth().Client(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		staff.decode("PATCH", "/api/v1/clients/1/access", change, http.StatusOK, nil)
		if _, err := env.Server.Auth().Client(ctx, sess.Token); err == nil {
			t.Errorf("client session still valid after %v", change)
		}
		staff.decode("PATCH", "/api/v1/clients/1/access", map[string]bool{"locked": false, "allowed_to_log_on": true}, http.StatusOK, nil)
		if _, err := env.Server.Auth().Client(ctx, sess.Token); err == nil {
			t.Errorf("session ended by %v came back after unlocking", change)
		}
	}
}

func TestVerifyPasswordIsRateLimited(t *testing.T) {
	env := servertest.Start(t)
	staff := login(t, env, "marcus@riverside.example")
	var last int
	for i := 0; i < 6; i++ {
		last, _ = staff.do("POST", "/api/v1/clients/1/password/verify", api.PasswordInput{Password: fmt.Sprintf("guess%d", i)})
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("6th verification in a row: %d, want 429", last)
	}
}

func TestLoginIsRateLimitedPerAddress(t *testing.T) {
	env := servertest.Start(t)
	c := caller{t: t, env: env}
	var statuses []int
	for i := 0; i < 12; i++ {
		s, _ := c.do("POST", "/api/v1/session", api.LoginRequest{Email: "dana@riverside.example", Password: "wrong"})
		statuses = append(statuses, s)
	}
	if statuses[0] != http.StatusUnauthorized || statuses[11] != http.StatusTooManyRequests {
		t.Errorf("login statuses %v: want 401 first, 429 once the burst is used", statuses)
	}
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
	staff := login(t, env, "marcus@riverside.example")
	staff.decode("DELETE", "/api/v1/session", nil, http.StatusNoContent, nil)
	if status, _ := staff.do("GET", "/api/v1/me", nil); status != http.StatusUnauthorized {
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
	staff := login(t, env, "marcus@riverside.example")
	var all []uint64
	path := "/api/v1/clients?limit=3"
	for pages := 0; ; pages++ {
		var p api.Page[api.Client]
		staff.decode("GET", path, nil, http.StatusOK, &p)
		for _, c := range p.Items {
			all = append(all, c.ID)
		}
		if p.Next == 0 {
			if pages != 1 || len(p.Items) != 1 {
				t.Errorf("4 clients in pages of 3: got %d pages, last with %d items", pages+1, len(p.Items))
			}
			break
		}
		path = fmt.Sprintf("/api/v1/clients?limit=3&after=%d", p.Next)
	}
	if fmt.Sprint(all) != "[1 2 3 4]" {
		t.Errorf("paged clients %v, want [1 2 3 4]", all)
	}
}
