// Command loginload measures what a burst of wrong-password logins does to the
// portal service: it starts the built binary as its own process on a demo
// office (real argon2id parameters), logs one client in, and while many
// concurrent wrong-password logins arrive from many loopback addresses it
// times that client's case page. It prints the service's peak memory (VmHWM
// from /proc, so Linux only) and the page's latency percentiles.
//
//	go build -o /tmp/clientportal . && go run ./build/loginload -bin /tmp/clientportal
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("bin", "", "the built clientportal binary (required)")
	logins := flag.Int("logins", 200, "concurrent wrong-password logins in the burst")
	addrs := flag.Int("addrs", 20, "loopback source addresses the burst comes from (127.0.0.2 and up)")
	readers := flag.Int("readers", 2, "concurrent case-page readers of the logged-in client")
	flag.Parse()
	if *bin == "" || *addrs < 1 || *addrs > 250 || *logins < 1 {
		fmt.Fprintln(os.Stderr, "usage: loginload -bin PATH [-logins 200] [-addrs 20] [-readers 2]")
		os.Exit(2)
	}
	if err := run(*bin, *logins, *addrs, *readers); err != nil {
		fmt.Fprintln(os.Stderr, "loginload:", err)
		os.Exit(1)
	}
}

type service struct {
	cmd     *exec.Cmd
	base    string
	clients [][2]string // email, password
	dir     string
}

func start(bin string) (*service, error) {
	dir, err := os.MkdirTemp("", "loginload-*")
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--demo", "--data", dir, "--http", addr)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &service{cmd: cmd, base: "http://" + addr, dir: dir}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == "client" {
			s.clients = append(s.clients, [2]string{f[1], f[2]})
		}
		if strings.HasPrefix(sc.Text(), "Serving") {
			break
		}
	}
	go io.Copy(io.Discard, out)
	if len(s.clients) < 2 {
		s.stop()
		return nil, errors.New("the service printed fewer than two client logins")
	}
	for i := 0; ; i++ {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		if i == 100 {
			s.stop()
			return nil, errors.New("the service did not become healthy")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *service) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	os.RemoveAll(s.dir)
}

// memory reads a VmHWM-style line (in KiB) of the service's /proc status.
func (s *service) memory(field string) (int, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		}
	}
	return 0, fmt.Errorf("no %s in /proc status", field)
}

// clientFrom is an HTTP client whose connections come from the local address ip.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	return &http.Client{
		Transport:     &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 4},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       120 * time.Second,
	}
}

func run(bin string, logins, addrs, readers int) error {
	s, err := start(bin)
	if err != nil {
		return err
	}
	defer s.stop()
	reader, victim := s.clients[len(s.clients)-1], s.clients[0]

	// The reader logs in from 127.0.0.1 and finds its case page.
	hc := clientFrom("127.0.0.1")
	resp, err := hc.PostForm(s.base+"/login", url.Values{"email": {reader[0]}, "password": {reader[1]}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	var cookie string
	for _, c := range resp.Cookies() {
		cookie = c.Name + "=" + c.Value
	}
	if resp.StatusCode != http.StatusSeeOther || cookie == "" {
		return fmt.Errorf("reader login: %s", resp.Status)
	}
	page := ""
	for path := "/cases"; ; {
		req, _ := http.NewRequest(http.MethodGet, s.base+path, nil)
		req.Header.Set("Cookie", cookie)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusSeeOther {
			path = resp.Header.Get("Location")
			continue
		}
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(path, "/cases/") {
			return fmt.Errorf("reader %s: %s %s", reader[0], path, resp.Status)
		}
		page = path
		break
	}
	get := func() (time.Duration, int, error) {
		req, _ := http.NewRequest(http.MethodGet, s.base+page, nil)
		req.Header.Set("Cookie", cookie)
		t := time.Now()
		resp, err := hc.Do(req)
		if err != nil {
			return 0, 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(t), resp.StatusCode, nil
	}
	var quiet []time.Duration
	for range 200 {
		d, _, err := get()
		if err != nil {
			return err
		}
		quiet = append(quiet, d)
	}
	rssBefore, _ := s.memory("VmRSS")

	// The burst: half against a known client's email, half unknown emails.
	var statuses sync.Map
	var loginTimes []time.Duration
	var mu sync.Mutex
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	var pageTimes []time.Duration
	var pageBad, pageErr atomic.Int64
	for range readers {
		wg.Go(func() {
			for ctx.Err() == nil {
				d, code, err := get()
				if err != nil {
					pageErr.Add(1)
					continue
				}
				if code != http.StatusOK {
					pageBad.Add(1)
				}
				mu.Lock()
				pageTimes = append(pageTimes, d)
				mu.Unlock()
			}
		})
	}
	clients := make([]*http.Client, addrs)
	for i := range clients {
		clients[i] = clientFrom(fmt.Sprintf("127.0.0.%d", i+2))
	}
	var burst sync.WaitGroup
	begin := time.Now()
	startGun := make(chan struct{})
	for i := range logins {
		burst.Go(func() {
			email := victim[0]
			if i%2 == 1 {
				email = fmt.Sprintf("nobody%d@example.org", i)
			}
			<-startGun
			t := time.Now()
			resp, err := clients[i%addrs].PostForm(s.base+"/login", url.Values{"email": {email}, "password": {"Wrong-Guess-" + strconv.Itoa(i)}})
			key := "error"
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				key = strconv.Itoa(resp.StatusCode)
			}
			n, _ := statuses.LoadOrStore(key, new(atomic.Int64))
			n.(*atomic.Int64).Add(1)
			mu.Lock()
			loginTimes = append(loginTimes, time.Since(t))
			mu.Unlock()
		})
	}
	close(startGun)
	burst.Wait()
	burstTime := time.Since(begin)
	cancel()
	wg.Wait()
	hwm, err := s.memory("VmHWM")
	if err != nil {
		return err
	}

	fmt.Printf("service %s (pid %d), demo office, real argon2id parameters\n", bin, s.cmd.Process.Pid)
	fmt.Printf("burst: %d concurrent wrong-password logins from %d addresses, done in %.2f s\n", logins, addrs, burstTime.Seconds())
	var codes []string
	statuses.Range(func(k, v any) bool {
		codes = append(codes, fmt.Sprintf("%s x%d", k, v.(*atomic.Int64).Load()))
		return true
	})
	slices.Sort(codes)
	fmt.Printf("login answers: %s; login latency %s\n", strings.Join(codes, ", "), percentiles(loginTimes))
	fmt.Printf("case page, quiet: %s\n", percentiles(quiet))
	fmt.Printf("case page during the burst (%d readers): %d requests, %d not 200, %d failed; %s\n",
		readers, len(pageTimes), pageBad.Load(), pageErr.Load(), percentiles(pageTimes))
	fmt.Printf("service memory: RSS before the burst %d MiB, peak (VmHWM) %d MiB\n", rssBefore/1024, hwm/1024)
	return nil
}

func percentiles(ds []time.Duration) string {
	if len(ds) == 0 {
		return "no samples"
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	r := func(d time.Duration) string { return d.Round(100 * time.Microsecond).String() }
	return fmt.Sprintf("p50 %s, p99 %s, max %s", r(at(0.50)), r(at(0.99)), r(s[len(s)-1]))
}
