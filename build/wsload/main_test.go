package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// TestMeasuresTheServiceAndTheBareHub runs the load command's steps, small,
// against the real service and the bare hub: every socket's arrival is
// timed, and the concurrent posters' posts are counted.
func TestMeasuresTheServiceAndTheBareHub(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	l := env.Login(t, "staff", "marcus@riverside.example")
	c := config{url: env.URL, staffEmail: l.Email, staffPassword: l.Password, clients: 2, n: 20}
	staff, err := apiclient.New(env.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := staff.Login(ctx, l.Email, l.Password); err != nil {
		t.Fatal(err)
	}
	caseID, jars, err := setup(ctx, c, staff)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := openSockets(ctx, c.n, func(i int) (*websocket.Conn, error) {
		d := websocket.Dialer{Jar: jars[i%len(jars)]}
		ws, _, err := d.DialContext(ctx, "ws"+strings.TrimPrefix(env.URL, "http")+"/live", http.Header{"Origin": {env.URL}})
		return ws, err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.close()
	post := func(i int) error {
		_, err := staff.PostMessage(ctx, caseID, api.MessageInput{Body: "load", Visibility: "portal"})
		return err
	}
	if err := svc.warm(ctx, post); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		lat, err := measure(ctx, svc, i, post)
		if err != nil || len(lat) != c.n || pct(lat, 100) <= 0 {
			t.Fatalf("service post %d: %d arrivals (max %v), %v; want %d", i, len(lat), pct(lat, 100), err, c.n)
		}
	}

	bareSrv := httptest.NewServer(bareHandler())
	defer bareSrv.Close()
	bare, err := openSockets(ctx, c.n, func(int) (*websocket.Conn, error) {
		ws, _, err := websocket.DefaultDialer.DialContext(ctx, "ws"+strings.TrimPrefix(bareSrv.URL, "http")+"/ws", nil)
		return ws, err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer bare.close()
	if err := bare.warm(ctx, func(i int) error { return postToBare(bareSrv.URL, i, caseID) }); err != nil {
		t.Fatal(err)
	}
	if lat, err := measure(ctx, bare, 0, func(i int) error { return postToBare(bareSrv.URL, i, caseID) }); err != nil || len(lat) != c.n {
		t.Fatalf("bare hub: %d arrivals, %v", len(lat), err)
	}

	n, lat, err := postConcurrently(ctx, staff, caseID, 4, 500*time.Millisecond)
	if err != nil || n == 0 || len(lat) != n {
		t.Errorf("concurrent posts: %d, %v", n, err)
	}
}

func TestPercentiles(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	for p, want := range map[int]time.Duration{0: 1, 50: 50, 99: 99, 100: 100} {
		if got := pct(d, p); got != want {
			t.Errorf("p%d = %d, want %d", p, got, want)
		}
	}
}
