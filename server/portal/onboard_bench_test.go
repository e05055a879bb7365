package portal_test

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkResetTiming measures the answer time of POST /reset for an email
// that belongs to a client and for one that does not, alternating, 100 of
// each (DOCBENCH-style: run with -benchtime 1x), against the real service
// with its mail sender and a real SMTP server. Each request comes from its
// own loopback address (127.0.0.N), so the per-address limit does not
// interfere. It reports the medians and their difference:
//
//	go test -run '^$' -bench ResetTiming -benchtime 1x ./server/portal/
func BenchmarkResetTiming(b *testing.B) {
	o := startOnboard(b)
	const n = 100
	post := func(i int, email string) time.Duration {
		ip := net.IPv4(127, 0, byte(1+i/250), byte(1+i%250))
		tr := &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}}).DialContext, DisableKeepAlives: true}
		defer tr.CloseIdleConnections()
		c := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		body := url.Values{"email": {email}}.Encode()
		start := time.Now()
		resp, err := c.Post(o.env.URL+"/reset", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(start)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("POST /reset: %d", resp.StatusCode)
		}
		return d
	}
	for range b.N {
		var known, unknown []time.Duration
		for i := range 2 * n {
			if i%2 == 0 {
				known = append(known, post(i, amina))
			} else {
				unknown = append(unknown, post(i, "nobody-"+itoa(uint64(i))+"@example.org"))
			}
			time.Sleep(100 * time.Millisecond) // let the worker (50 ms after the answer) finish: a queue of resets is not what is measured
		}
		slices.Sort(known)
		slices.Sort(unknown)
		mk, mu := known[n/2], unknown[n/2]
		b.ReportMetric(float64(mk.Microseconds()), "known-median-µs")
		b.ReportMetric(float64(mu.Microseconds()), "unknown-median-µs")
		b.ReportMetric(float64((mk - mu).Microseconds()), "difference-µs")
		b.ReportMetric(float64(known[n*9/10].Microseconds()), "known-p90-µs")
		b.ReportMetric(float64(unknown[n*9/10].Microseconds()), "unknown-p90-µs")
	}
}
