package app

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/servertest"
	"clientportal/store"
)

// lastAudit is the newest audit entry of the service's store.
func lastAudit(t *testing.T, env *servertest.Env) store.AuditEntry {
	t.Helper()
	var e store.AuditEntry
	err := env.Store.View(context.Background(), func(tx *store.Tx) error {
		log, err := tx.AuditLog(0, 1)
		if len(log) == 1 {
			e = log[0]
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestConnect logs in to the real service through the staff API client,
// over plain HTTP on loopback and over HTTPS.
func TestConnect(t *testing.T) {
	for _, tls := range []bool{false, true} {
		var opts []servertest.Option
		if tls {
			opts = append(opts, servertest.WithTLS())
		}
		env := servertest.Start(t, opts...)
		p := New("test")
		p.SetHTTPClient(env.HTTP.Client())
		a := p.Session
		l := env.Login(t, "staff", "dana@riverside.example")

		info, err := a.Connect(env.URL+"/", "  "+l.Email+" ", l.Password)
		if err != nil {
			t.Fatalf("Connect over TLS=%v: %v", tls, err)
		}
		want := OfficeInfo{Office: "Riverside Legal Aid", Service: env.URL, Staff: "Dana Whitfield", StaffID: info.StaffID, Role: "admin"}
		if info != want {
			t.Errorf("Connect = %+v, want %+v", info, want)
		}
		if e := lastAudit(t, env); e.Action != "staff.login" || e.ActorName != "Dana Whitfield" {
			t.Errorf("last audit entry %+v, want Dana's login", e)
		}
		// What the window receives holds no token.
		_, c := p.link.connected()
		token := c.Token()
		data, _ := json.Marshal(info)
		if token == "" || strings.Contains(string(data), token) {
			t.Errorf("the binding's answer %s carries the session token", data)
		}

		if who, err := a.Who(); err != nil || who != want {
			t.Errorf("Who = %+v, %v; want %+v", who, err, want)
		}
		if err := a.Logout(); err != nil {
			t.Fatalf("Logout: %v", err)
		}
		if e := lastAudit(t, env); e.Action != "staff.logout" {
			t.Errorf("last audit entry after Logout %+v, want the logout", e)
		}
		if _, err := env.Server.Auth().Staff(context.Background(), token); err == nil {
			t.Error("the session lives on after Logout")
		}
		if err := a.Logout(); err != nil {
			t.Errorf("Logout when not connected: %v", err)
		}
		if _, err := a.Who(); !errors.Is(err, errNotConnected) {
			t.Errorf("Who after Logout: %v, want not connected", err)
		}
	}
}

// TestConnectAgainEndsTheEarlierSession: one window, one session.
func TestConnectAgainEndsTheEarlierSession(t *testing.T) {
	env := servertest.Start(t)
	p := New("test")
	t.Cleanup(p.Close)
	a := p.Session
	first := env.Login(t, "staff", "dana@riverside.example")
	second := env.Login(t, "staff", "marcus@riverside.example")
	if _, err := a.Connect(env.URL, first.Email, first.Password); err != nil {
		t.Fatal(err)
	}
	_, c := p.link.connected()
	token := c.Token()
	info, err := a.Connect(env.URL, second.Email, second.Password)
	if err != nil {
		t.Fatal(err)
	}
	if info.Staff != "Marcus Oyelaran" || info.Role != "staff" {
		t.Errorf("second Connect = %+v", info)
	}
	if _, err := env.Server.Auth().Staff(context.Background(), token); err == nil {
		t.Error("the first session lives on after connecting again")
	}
}

// TestConnectErrors: each failure says what to do, in words for the person
// at the window, and changes nothing.
func TestConnectErrors(t *testing.T) {
	env := servertest.Start(t)
	l := env.Login(t, "staff", "marcus@riverside.example")
	for _, tt := range []struct {
		name, url, email, password string
		words                      string
		code                       string // the API error underneath, if any
	}{
		{"wrong password", env.URL, l.Email, "wrong", "the email or password is not correct", "bad_login"},
		{"no email", env.URL, "", "x", "email is required", "invalid"},
		{"no address", "", l.Email, l.Password, "enter the portal service's address", ""},
		{"not an address", "ht!tp://", l.Email, l.Password, "is not a service address", ""},
		{"plain http over the network", "http://portal.example.org", l.Email, l.Password, "use https://portal.example.org", ""},
		{"nothing there", "http://127.0.0.1:1", l.Email, l.Password, "cannot reach the service at http://127.0.0.1:1", ""},
		{"not the portal", env.URL + "/static", l.Email, l.Password, "could not log in", "http_404"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := New("test")
			a := p.Session
			_, err := a.Connect(tt.url, tt.email, tt.password)
			if err == nil || !strings.Contains(err.Error(), tt.words) {
				t.Fatalf("Connect: %v, want an error saying %q", err, tt.words)
			}
			var e *api.Error
			if tt.code != "" && (!errors.As(err, &e) || e.Code != tt.code) {
				t.Errorf("error %v: want the API's %s underneath", err, tt.code)
			}
			if strings.HasPrefix(err.Error(), tt.code+":") && tt.code != "" {
				t.Errorf("error %q shows the API code to the user", err)
			}
			if _, c := p.link.connected(); c != nil {
				t.Error("a failed Connect left a client")
			}
		})
	}
	// Rate limited: the wait is in the message.
	a := New("test").Session
	var err error
	for i := 0; i < 12; i++ {
		_, err = a.Connect(env.URL, l.Email, "wrong")
	}
	if err == nil || !strings.Contains(err.Error(), "too many attempts") || !strings.Contains(err.Error(), "asks to wait ") {
		t.Errorf("12th wrong Connect: %v, want the rate limit with the wait", err)
	}
	t.Logf("rate limited: %v", err)
}

// TestAppKnowsTheServiceOnlyThroughItsAPI: the control panel's package
// imports no part of the service but its API types and client, the API's
// texts (server/apitext: the catalog mechanism the API's messages use,
// which imports nothing of the service), server/portuse (which tells a held
// port from the OS's error, for the wizard's address; it imports nothing)
// and the installer (the OS service's control, for the dashboard's
// buttons), which itself imports no part of the service.
func TestAppKnowsTheServiceOnlyThroughItsAPI(t *testing.T) {
	for _, tags := range []string{"", "desktop,production"} {
		out, err := exec.Command("go", "list", "-tags", tags, "-deps", "-f", "{{.ImportPath}}", ".").CombinedOutput()
		if err != nil {
			t.Fatalf("go list -tags %q: %v\n%s", tags, err, out)
		}
		for _, pkg := range strings.Fields(string(out)) {
			if !strings.HasPrefix(pkg, "clientportal/") || pkg == "clientportal/app" {
				continue
			}
			switch pkg {
			case "clientportal/server/api", "clientportal/server/apiclient", "clientportal/server/apitext", "clientportal/server/portuse", "clientportal/installer":
			default:
				t.Errorf("app (tags %q) depends on %s: it may use only server/api, server/apiclient, server/apitext, server/portuse and installer", tags, pkg)
			}
		}
	}
}
