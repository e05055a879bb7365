// Command loadpage measures how fast the portal serves a logged-in client's
// case page, against a bare Go server sending a page of the same size.
//
// It builds clientportal, starts `serve --demo` on a new data folder pinned to
// one core (taskset -c 0), logs a demo client in, and loads the client's case
// page with wrk from the other core over keep-alive connections. In the same
// run it starts a bare net/http server, also pinned to core 0, that sends the
// very bytes of that page, and loads it the same way. It prints requests per
// second, p50 and p99 latency of both, and the ratio: absolute figures drift
// between runs on a shared machine, the ratio holds.
//
//	go run ./build/loadpage [-d 10s] [-c 64] [-client amina@example.org]
//
// Needs Linux with taskset and wrk (Debian: apt-get install wrk) and two cores.
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
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) > 2 && os.Args[1] == "bare" {
		// The reference server, started by the measuring process under taskset.
		if err := serveBare(os.Args[2], os.Args[3]); err != nil {
			fmt.Fprintln(os.Stderr, "loadpage bare:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadpage:", err)
		os.Exit(1)
	}
}

type config struct {
	duration    time.Duration
	conns       int
	client      string
	serverCPU   string
	loadCPU     string
	binary      string
	keepService bool
	rounds      int
}

func run() error {
	var cfg config
	flag.DurationVar(&cfg.duration, "d", 10*time.Second, "how long to load each server")
	flag.IntVar(&cfg.conns, "c", 64, "keep-alive connections")
	flag.IntVar(&cfg.rounds, "rounds", 3, "measure each server this many times, alternating; the median counts")
	flag.StringVar(&cfg.client, "client", "amina@example.org", "the demo client whose case page is loaded")
	flag.StringVar(&cfg.serverCPU, "server-cpu", "0", "the core both servers are pinned to")
	flag.StringVar(&cfg.loadCPU, "load-cpu", "1", "the core wrk is pinned to")
	flag.StringVar(&cfg.binary, "binary", "", "a clientportal binary to measure (default: build this checkout)")
	flag.BoolVar(&cfg.keepService, "pause", false, "after loading, keep the service running until Enter (to profile it)")
	flag.Parse()

	for _, tool := range []string{"taskset", "wrk"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is not installed (Debian: apt-get install %s)", tool, map[string]string{"taskset": "util-linux", "wrk": "wrk"}[tool])
		}
	}
	tmp, err := os.MkdirTemp("", "clientportal-loadpage-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	bin := cfg.binary
	if bin == "" {
		bin = filepath.Join(tmp, "clientportal")
		fmt.Fprintln(os.Stderr, "building clientportal...")
		build := exec.Command("go", "build", "-o", bin, ".")
		build.Dir, err = moduleRoot()
		if err != nil {
			return err
		}
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("build clientportal: %w", err)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// The service on the demo office, pinned to one core.
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	svc := exec.CommandContext(ctx, "taskset", "-c", cfg.serverCPU, bin, "serve", "--demo",
		"--data", filepath.Join(tmp, "data"), "--http", addr)
	out, err := svc.StdoutPipe()
	if err != nil {
		return err
	}
	svc.Stderr = io.Discard
	fmt.Fprintln(os.Stderr, "starting the service on the demo office (core "+cfg.serverCPU+")...")
	if err := svc.Start(); err != nil {
		return fmt.Errorf("start service: %w", err)
	}
	defer func() { svc.Process.Kill(); svc.Wait() }()
	logins := make(chan map[string]string, 1)
	go func() {
		found := map[string]string{}
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) == 3 && f[0] == "client" {
				found[f[1]] = f[2]
			}
			if strings.Contains(sc.Text(), "Serving") && !sent {
				logins <- found
				sent = true
			}
		}
		if !sent {
			logins <- found
		}
	}()
	base := "http://" + addr
	var passwords map[string]string
	select {
	case passwords = <-logins:
	case <-time.After(2 * time.Minute):
		return errors.New("the service did not start within 2 minutes")
	}
	pw, ok := passwords[cfg.client]
	if !ok {
		return fmt.Errorf("the demo office printed no login for %s", cfg.client)
	}
	if err := waitHealthy(base); err != nil {
		return err
	}
	cookie, pagePath, err := loginClient(base, cfg.client, pw)
	if err != nil {
		return err
	}
	page, err := fetch(base+pagePath, cookie)
	if err != nil {
		return err
	}
	pageFile := filepath.Join(tmp, "page.html")
	if err := os.WriteFile(pageFile, page, 0o600); err != nil {
		return err
	}

	// The bare reference: net/http sending the same bytes, on the same core.
	self, err := os.Executable()
	if err != nil {
		return err
	}
	bareAddr, err := freeAddr()
	if err != nil {
		return err
	}
	bare := exec.CommandContext(ctx, "taskset", "-c", cfg.serverCPU, self, "bare", bareAddr, pageFile)
	bare.Stderr = os.Stderr
	if err := bare.Start(); err != nil {
		return fmt.Errorf("start bare server: %w", err)
	}
	defer func() { bare.Process.Kill(); bare.Wait() }()
	if err := waitHealthy("http://" + bareAddr); err != nil {
		return err
	}

	headers := []string{"Cookie: " + cookie}
	fmt.Fprintf(os.Stderr, "case page %s: %d bytes; loading each server for %s with %d connections from core %s...\n",
		pagePath, len(page), cfg.duration, cfg.conns, cfg.loadCPU)
	// A short warm-up of each, then the measured runs.
	for _, u := range []string{base + pagePath, "http://" + bareAddr + "/"} {
		if _, err := runWrk(cfg, u, headers, 2*time.Second); err != nil {
			return err
		}
	}
	// Alternate the two, so a neighbour's load on the machine hits both
	// alike; each round's ratio compares runs seconds apart.
	fmt.Printf("page size: %d bytes; servers on core %s, wrk on core %s, %d keep-alive connections, %s a run\n",
		len(page), cfg.serverCPU, cfg.loadCPU, cfg.conns, cfg.duration)
	fmt.Printf("%-7s %-22s %10s %9s %9s\n", "round", "", "req/s", "p50", "p99")
	var ratios []float64
	var cases, bares []result
	for round := 1; round <= max(cfg.rounds, 1); round++ {
		caseRes, err := runWrk(cfg, base+pagePath, headers, cfg.duration)
		if err != nil {
			return err
		}
		bareRes, err := runWrk(cfg, "http://"+bareAddr+"/", headers, cfg.duration)
		if err != nil {
			return err
		}
		fmt.Printf("%-7d %-22s %10.0f %9s %9s\n", round, "case page (portal)", caseRes.rps, caseRes.p50, caseRes.p99)
		fmt.Printf("%-7d %-22s %10.0f %9s %9s\n", round, "bare Go static page", bareRes.rps, bareRes.p50, bareRes.p99)
		ratios = append(ratios, caseRes.rps/bareRes.rps)
		cases, bares = append(cases, caseRes), append(bares, bareRes)
	}
	mid := medianIndex(ratios)
	fmt.Printf("median round %d: case page %.0f req/s (p50 %s, p99 %s), bare page %.0f req/s (p50 %s, p99 %s)\n",
		mid+1, cases[mid].rps, cases[mid].p50, cases[mid].p99, bares[mid].rps, bares[mid].p50, bares[mid].p99)
	fmt.Printf("ratio (case/bare): %.3f (rounds:", ratios[mid])
	for _, r := range ratios {
		fmt.Printf(" %.3f", r)
	}
	fmt.Println(")")

	if cfg.keepService {
		fmt.Fprintf(os.Stderr, "service at %s (cookie %q, page %s); press Enter to stop\n", base, cookie, pagePath)
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	return nil
}

// medianIndex is the index of the median of xs (the lower one for an even
// count).
func medianIndex(xs []float64) int {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	return idx[(len(idx)-1)/2]
}

// moduleRoot is the folder of the go.mod this command belongs to.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run loadpage inside the clientportal module")
	}
	return filepath.Dir(mod), nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitHealthy(base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < 500 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer within 30 s", base)
}

// loginClient posts the login form and follows the case picker to the
// client's first case page. It returns the session cookie as a header value
// and the page's path.
func loginClient(base, email, pw string) (cookie, pagePath string, err error) {
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.PostForm(base+"/login", url.Values{"email": {email}, "password": {pw}})
	if err != nil {
		return "", "", fmt.Errorf("log in %s: %w", email, err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if strings.HasSuffix(c.Name, "portal_session") {
			cookie = c.Name + "=" + c.Value
		}
	}
	if resp.StatusCode != http.StatusSeeOther || cookie == "" {
		return "", "", fmt.Errorf("log in %s: status %d, no session", email, resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/cases", nil)
	req.Header.Set("Cookie", cookie)
	resp, err = noFollow.Do(req)
	if err != nil {
		return "", "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	pagePath = resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(pagePath, "/cases/") {
		return "", "", fmt.Errorf("%s has not exactly one case (GET /cases: %d): choose another -client", email, resp.StatusCode)
	}
	return cookie, pagePath, nil
}

func fetch(u, cookie string) ([]byte, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Cookie", cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return b, nil
}

type result struct {
	rps      float64
	p50, p99 string
}

var (
	reRPS    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	reP50    = regexp.MustCompile(`(?m)^\s+50%\s+(\S+)`)
	reP99    = regexp.MustCompile(`(?m)^\s+99%\s+(\S+)`)
	reNon2xx = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	reErrors = regexp.MustCompile(`Socket errors: .*`)
)

// runWrk loads u from the load core and parses wrk's summary.
func runWrk(cfg config, u string, headers []string, d time.Duration) (result, error) {
	args := []string{"-c", cfg.loadCPU, "wrk", "-t1", "-c" + strconv.Itoa(cfg.conns),
		"-d" + strconv.Itoa(int(d.Seconds())) + "s", "--latency"}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	args = append(args, u)
	out, err := exec.Command("taskset", args...).CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk %s: %w\n%s", u, err, out)
	}
	s := string(out)
	if m := reNon2xx.FindStringSubmatch(s); m != nil {
		return result{}, fmt.Errorf("wrk %s: %s answers were not 200:\n%s", u, m[1], s)
	}
	if m := reErrors.FindString(s); m != "" {
		fmt.Fprintf(os.Stderr, "wrk %s: %s\n", u, m)
	}
	rps, p50, p99 := reRPS.FindStringSubmatch(s), reP50.FindStringSubmatch(s), reP99.FindStringSubmatch(s)
	if rps == nil || p50 == nil || p99 == nil {
		return result{}, fmt.Errorf("wrk %s: cannot read its summary:\n%s", u, s)
	}
	r, _ := strconv.ParseFloat(rps[1], 64)
	return result{rps: r, p50: p50[1], p99: p99[1]}, nil
}

// serveBare sends the bytes of file for every request, as a static page.
func serveBare(addr, file string) error {
	page, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	size := strconv.Itoa(len(page))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", size)
		w.Write(page)
	})
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}
