package live_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/live"
	"clientportal/server/servertest"
)

// TestSessionEndEndsTheSocket: logout, a staff lock, revoked access and idle
// expiry each end the client's open socket with close code 4401 (log in
// again), within a few seconds.
func TestSessionEndEndsTheSocket(t *testing.T) {
	yes, no := true, false
	for _, tt := range []struct {
		name string
		end  func(t *testing.T, env *servertest.Env, c *client)
	}{
		{"logout", func(t *testing.T, env *servertest.Env, c *client) {
			resp, err := c.browser.Post(env.URL+"/logout", "application/x-www-form-urlencoded", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}},
		{"staff lock", func(t *testing.T, env *servertest.Env, c *client) {
			if _, err := staff(t, env).UpdateAccess(t.Context(), c.me.ID, api.AccessInput{Locked: &yes}); err != nil {
				t.Fatal(err)
			}
		}},
		{"access revoked", func(t *testing.T, env *servertest.Env, c *client) {
			if _, err := staff(t, env).UpdateAccess(t.Context(), c.me.ID, api.AccessInput{AllowedToLogOn: &no}); err != nil {
				t.Fatal(err)
			}
		}},
		{"idle expiry", func(t *testing.T, env *servertest.Env, c *client) { env.Clock.Advance(31 * time.Minute) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := servertest.Start(t, servertest.WithClock())
			jose := loginClient(t, env, "jose@example.org")
			page, _ := jose.open(t, "")
			other, _ := loginClient(t, env, "amina@example.org").open(t, "")
			tt.end(t, env, jose)
			if code := page.closed(15 * time.Second); code != live.CloseSessionEnded {
				t.Errorf("close code %d, want %d", code, live.CloseSessionEnded)
			}
			if tt.name == "idle expiry" {
				return // everyone's session idled out
			}
			// Another client's page stays open and keeps getting events.
			msg := post(t, staff(t, env), loginClient(t, env, "amina@example.org").cases[0].ID, "still here", "portal")
			if got := other.next(); len(got) != 1 || got[0].Ref != msg.ID {
				t.Errorf("another client's page got %+v", got)
			}
		})
	}
}

// TestStaffLogoutEndsTheStream: the staff stream ends when its token's
// session ends.
func TestStaffLogoutEndsTheStream(t *testing.T) {
	env := servertest.Start(t)
	marcus := staff(t, env)
	stream, err := marcus.Events(t.Context(), apiclient.EventsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	if _, err := stream.Next(); err != nil {
		t.Fatal(err)
	}
	if err := marcus.Logout(t.Context()); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for {
			if _, err := stream.Next(); err != nil {
				done <- err
				return
			}
		}
	}()
	select {
	case err := <-done:
		if !apiclient.SessionEnded(err) {
			t.Errorf("stream ended with %v, want the session-ended close", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the stream outlived its session")
	}
	// And a stream cannot be opened with the ended token.
	if _, err := marcus.Events(t.Context(), apiclient.EventsOptions{}); !apiclient.IsCode(err, "unauthorized") {
		t.Errorf("Events after logout: %v, want unauthorized", err)
	}
}

// TestTheStreamsRefuseStrangers: no session, a foreign Origin, a missing
// Origin on /live, a client's cookie or token on the staff stream: refused
// before any upgrade.
func TestTheStreamsRefuseStrangers(t *testing.T) {
	env := servertest.Start(t)
	jose := loginClient(t, env, "jose@example.org")
	nobody := &client{env: env, browser: env.Browser()}
	var token string
	for _, c := range jose.browser.Jar.Cookies(mustURL(t, env.URL)) {
		token = c.Value
	}
	wsURL := "ws" + env.URL[len("http"):]
	for _, tt := range []struct {
		name   string
		dial   func() (*http.Response, error)
		status int
	}{
		{"no session", func() (*http.Response, error) { _, r, err := nobody.dial(t, "", ""); return r, err }, 401},
		{"foreign origin", func() (*http.Response, error) { _, r, err := jose.dial(t, "https://evil.example", ""); return r, err }, 403},
		{"look-alike origin", func() (*http.Response, error) { _, r, err := jose.dial(t, env.URL+".evil.example", ""); return r, err }, 403},
		{"other scheme", func() (*http.Response, error) {
			_, r, err := jose.dial(t, "https"+env.URL[len("http"):], "")
			return r, err
		}, 403},
		{"no origin", func() (*http.Response, error) {
			d := websocket.Dialer{Jar: jose.browser.Jar}
			_, r, err := d.Dial(wsURL+live.PathPortal, nil)
			return r, err
		}, 403},
		{"client token on the staff stream", func() (*http.Response, error) {
			_, r, err := websocket.DefaultDialer.Dial(wsURL+api.PathEvents, http.Header{"Authorization": {"Bearer " + token}})
			return r, err
		}, 401},
		{"client cookie on the staff stream", func() (*http.Response, error) {
			d := websocket.Dialer{Jar: jose.browser.Jar}
			_, r, err := d.Dial(wsURL+api.PathEvents, nil)
			return r, err
		}, 401},
		{"staff stream from a foreign page", func() (*http.Response, error) {
			_, r, err := websocket.DefaultDialer.Dial(wsURL+api.PathEvents, http.Header{"Origin": {"https://evil.example"}})
			return r, err
		}, 403},
	} {
		resp, err := tt.dial()
		if err == nil || resp == nil || resp.StatusCode != tt.status {
			status := 0
			if resp != nil {
				status = resp.StatusCode
			}
			t.Errorf("%s: %v (%d), want %d and no socket", tt.name, err, status, tt.status)
		}
	}
	if n := env.Server.Live().Count(); n != 0 {
		t.Errorf("%d sockets open after the refusals", n)
	}
}
