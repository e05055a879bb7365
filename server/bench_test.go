package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/demo"
	"clientportal/server/password"
	"clientportal/store"
)

// The benchmark office: the demo grown to DESIGN.md's one-server scale.
const (
	benchClients = 10_000
	benchCases   = 20_000
	benchEntries = 10
)

var bench struct {
	once sync.Once
	dir  string
	err  error
}

// benchStore builds the grown office once per test binary run, with progress
// on stderr, and opens it.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	bench.once.Do(func() {
		bench.dir, bench.err = os.MkdirTemp("", "clientportal-bench-")
		if bench.err != nil {
			return
		}
		s, err := store.Open(bench.dir, store.Options{})
		if err != nil {
			bench.err = err
			return
		}
		defer s.Close()
		h := password.Hasher{Params: password.TestParams}
		if _, bench.err = demo.Fill(context.Background(), s, h); bench.err != nil {
			return
		}
		start := time.Now()
		last := time.Now()
		bench.err = demo.Grow(context.Background(), s, h, benchClients, benchCases, benchEntries, func(done, total int) {
			if time.Since(last) > 2*time.Second || done == total {
				fmt.Fprintf(os.Stderr, "growing the benchmark office: %d/%d records (%.0fs)\n", done, total, time.Since(start).Seconds())
				last = time.Now()
			}
		})
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	s, err := store.Open(bench.dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func benchServer(b *testing.B) (*store.Store, *httptest.Server, *server.Server) {
	s := benchStore(b)
	srv, err := server.New(server.Config{Store: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Hasher: password.Hasher{Params: password.TestParams}, OfficeKey: b.TempDir() + "/office.key"})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	return s, ts, srv
}

// load sends b.N requests from workers goroutines over loopback and reports
// requests per second and latency percentiles.
func load(b *testing.B, workers int, next func(i int) *http.Request, client *http.Client) {
	b.Helper()
	lat := make([]time.Duration, b.N)
	var n atomic.Int64
	var failed atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(n.Add(1)) - 1
				if i >= b.N {
					return
				}
				req := next(i)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat[i] = time.Since(t0)
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d requests failed", f, b.N)
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(float64(len(lat)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

func transport(workers int) *http.Client {
	return &http.Client{
		Transport:     &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: workers},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// BenchmarkPortalHome: logged-in clients of the grown office open their case
// page (current status, contact) over loopback, 32 at a time.
func BenchmarkPortalHome(b *testing.B) {
	s, ts, srv := benchServer(b)
	type visit struct {
		cookie string
		path   string
	}
	var visits []visit
	ctx := context.Background()
	for i := 0; i < 200; i++ {
		email := fmt.Sprintf("client%05d@bulk.example", rand.IntN(benchClients))
		c, login, err := srv.Auth().LoginClient(ctx, email, "Sunny-Meadow-58!Rt", "127.0.0.1", "")
		if err != nil {
			b.Fatalf("login %s: %v", email, err)
		}
		var cases []store.Case
		s.View(ctx, func(tx *store.Tx) (err error) { cases, err = tx.CasesOfClient(c.ID); return err })
		visits = append(visits, visit{cookie: login.Token, path: fmt.Sprintf("/cases/%d", cases[0].ID)})
	}
	const workers = 32
	client := transport(workers)
	load(b, workers, func(i int) *http.Request {
		v := visits[i%len(visits)]
		req, _ := http.NewRequest("GET", ts.URL+v.path, nil)
		req.AddCookie(&http.Cookie{Name: "portal_session", Value: v.cookie})
		return req
	}, client)
}

// BenchmarkStaffCaseSearch: staff search the grown office's 20,000 cases by a
// client's name (a scan of every case), 4 at a time.
func BenchmarkStaffCaseSearch(b *testing.B) {
	_, ts, srv := benchServer(b)
	_, login, err := srv.Auth().LoginStaff(context.Background(), "dana@riverside.example", "Harbor-Lantern-42!Qz", "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	const workers = 4
	client := transport(workers)
	load(b, workers, func(i int) *http.Request {
		q := url.QueryEscape(fmt.Sprintf("Client %05d", rand.IntN(benchClients)))
		req, _ := http.NewRequest("GET", ts.URL+"/api/v1/cases?limit=50&q="+q, nil)
		req.Header.Set("Authorization", "Bearer "+login.Token)
		return req
	}, client)
}
