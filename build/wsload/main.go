// Command wsload measures the portal's live updates against a running
// service: it opens N portal websockets (GET /live) as logged-in clients,
// has staff post messages through the staff API, and reports the delivery
// latency (p50, p99, max, from the start of the post to each socket's
// receipt) and the service's memory per idle connection (RSS delta / N).
// The same run measures a bare gorilla/websocket broadcast hub (the chat
// example's design, in a child process, pinned like the service) with the
// same sockets, frames and posts, as the reference; and durable message
// posts per second with P concurrent posters.
//
//	taskset -c 0 clientportal serve --demo --data /tmp/load &    # note its pid
//	taskset -c 1 go run ./build/wsload -pid PID -n 1000 -bare-cpu 0
//
// It creates its own clients and a case in the service (named LOAD-...), so
// run it against a demo or scratch office only. Loopback only; every phase
// is bounded in time.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"clientportal/server/api"
	"clientportal/server/apiclient"
)

type config struct {
	url, staffEmail, staffPassword string
	pid                            int
	n, clients, posts, posters     int
	postFor, timeout               time.Duration
	bareCPU                        string
}

func main() {
	var c config
	var bare string
	flag.StringVar(&c.url, "url", "http://127.0.0.1:8080", "the service's base URL (loopback)")
	flag.IntVar(&c.pid, "pid", 0, "the service's process id, for its memory (RSS); 0: not measured")
	flag.StringVar(&c.staffEmail, "staff", "marcus@riverside.example", "a staff login of the office")
	flag.StringVar(&c.staffPassword, "staff-password", "Maple-Orchard-73!Kw", "its password (default: the demo's)")
	flag.IntVar(&c.n, "n", 1000, "portal websockets to open")
	flag.IntVar(&c.clients, "clients", 8, "logged-in clients the sockets are spread over (all clients of one case)")
	flag.IntVar(&c.posts, "posts", 100, "messages posted one after another for the latency figures")
	flag.IntVar(&c.posters, "posters", 64, "concurrent posters for the durable posts-per-second figure (0: skip)")
	flag.DurationVar(&c.postFor, "post-for", 10*time.Second, "how long the concurrent posters post")
	flag.DurationVar(&c.timeout, "timeout", 10*time.Minute, "bound on the whole run")
	flag.StringVar(&c.bareCPU, "bare-cpu", "", "CPU list (taskset) for the bare hub's process, e.g. the service's 0; empty: not pinned")
	flag.StringVar(&bare, "bare-serve", "", "internal: serve the bare hub on this address")
	var bareClients string
	var bareCase uint64
	flag.StringVar(&bareClients, "bare-clients", "", "internal: hold -n sockets of the bare hub at this URL and post to it as told on stdin")
	flag.Uint64Var(&bareCase, "bare-case", 0, "internal: the case id the bare hub's frames name")
	flag.Parse()
	if bareClients != "" {
		raiseFileLimit(uint64(c.n + 1000))
		if err := runBareClients(bareClients, c.n, bareCase); err != nil {
			fmt.Fprintln(os.Stderr, "wsload bare clients:", err)
			os.Exit(1)
		}
		return
	}
	if bare != "" {
		if err := serveBare(bare); err != nil {
			fmt.Fprintln(os.Stderr, "wsload bare hub:", err)
			os.Exit(1)
		}
		return
	}
	raiseFileLimit(uint64(c.n + 1000))
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "wsload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	u, err := url.Parse(c.url)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		return fmt.Errorf("-url %q: loopback addresses only", c.url)
	}
	staff, err := apiclient.New(c.url)
	if err != nil {
		return err
	}
	if _, err := staff.Login(ctx, c.staffEmail, c.staffPassword); err != nil {
		return fmt.Errorf("staff login: %w", err)
	}
	caseID, jars, err := setup(ctx, c, staff)
	if err != nil {
		return err
	}
	fmt.Printf("wsload: %d connections over %d clients of case %d, %d posts\n", c.n, c.clients, caseID, c.posts)

	// The service. Logging in hashed passwords (64 MiB of argon2id each),
	// which the service gives back to the system after a garbage collection:
	// a few thousand health checks make the service collect, then its memory
	// settles before and after the sockets open.
	wsURL := "ws" + strings.TrimPrefix(c.url, "http") + "/live"
	nudge(ctx, c.url)
	before := settle(ctx, c.pid)
	svc, err := openSockets(ctx, c.n, func(i int) (*websocket.Conn, error) {
		d := websocket.Dialer{Jar: jars[i%len(jars)], HandshakeTimeout: 30 * time.Second}
		ws, _, err := d.DialContext(ctx, wsURL, http.Header{"Origin": {c.url}})
		return ws, err
	})
	if err != nil {
		return fmt.Errorf("service sockets: %w", err)
	}
	nudge(ctx, c.url)
	after := settle(ctx, c.pid)

	// The bare hub, the same way, with its sockets open beside the service's.
	bareURL, bareProc, err := startBare(c.bareCPU)
	if err != nil {
		svc.close()
		return err
	}
	defer func() { bareProc.Process.Kill(); bareProc.Wait() }()
	bareBefore := settle(ctx, bareProc.Process.Pid)
	// The bare hub's sockets live in a second process of this program (on
	// the same CPU as this one): one process may not hold both sets.
	bare, err := startBareClients(ctx, bareURL, c.n, caseID)
	if err != nil {
		svc.close()
		return fmt.Errorf("bare hub sockets: %w", err)
	}
	defer bare.stop()
	bareAfter := settle(ctx, bareProc.Process.Pid)

	// Posts to the service and to the bare hub take turns, so the machine's
	// other work weighs on both alike.
	postService := func(i int) error {
		_, err := staff.PostMessage(ctx, caseID, api.MessageInput{Body: fmt.Sprintf("Load test message %d.", i), Visibility: "portal"})
		return err
	}
	if err := svc.warm(ctx, postService); err != nil {
		svc.close()
		return fmt.Errorf("service sockets: %w", err)
	}
	var svcLat, bareLat []time.Duration
	for i := range c.posts {
		for turn := range 2 {
			var lat []time.Duration
			if (i+turn)%2 == 0 {
				lat, err = measure(ctx, svc, i, postService)
				svcLat = append(svcLat, lat...)
			} else {
				lat, err = bare.measure(i)
				bareLat = append(bareLat, lat...)
			}
			if err != nil {
				svc.close()
				return err
			}
		}
	}
	svc.close()

	report := func(name string, lat []time.Duration, before, after int64) {
		fmt.Printf("%-9s delivery latency p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%d deliveries)\n",
			name, ms(pct(lat, 50)), ms(pct(lat, 99)), ms(pct(lat, 100)), len(lat))
		if before > 0 && after > 0 {
			fmt.Printf("%-9s memory per idle connection %.1f KiB (RSS %.1f -> %.1f MiB)\n",
				name, float64(after-before)/float64(c.n)/1024, float64(before)/(1<<20), float64(after)/(1<<20))
		}
	}
	report("service", svcLat, before, after)
	report("bare hub", bareLat, bareBefore, bareAfter)
	fmt.Printf("ratio     service p99 / bare hub p99 = %.2f\n", float64(pct(svcLat, 99))/float64(pct(bareLat, 99)))

	if c.posters > 0 {
		n, lat, err := postConcurrently(ctx, staff, caseID, c.posters, c.postFor)
		if err != nil {
			return fmt.Errorf("concurrent posts: %w", err)
		}
		fmt.Printf("durable   %d posters: %d posts in %s = %.0f posts/s; post p50 %.1f ms p99 %.1f ms (no sockets open)\n",
			c.posters, n, c.postFor, float64(n)/c.postFor.Seconds(), ms(pct(lat, 50)), ms(pct(lat, 99)))
	}
	return nil
}

// setup creates the clients (with a password, so they can log on) and a case
// of them all, and logs each one in to the portal.
func setup(ctx context.Context, c config, staff *apiclient.Client) (uint64, []http.CookieJar, error) {
	me, err := staff.Me(ctx)
	if err != nil {
		return 0, nil, err
	}
	tag := make([]byte, 4)
	rand.Read(tag)
	name := hex.EncodeToString(tag)
	const pw = "Load-Test-Pass-42!Xy"
	var ids []uint64
	var emails []string
	for i := range c.clients {
		email := fmt.Sprintf("load-%s-%d@load.example", name, i)
		cl, err := staff.CreateClient(ctx, api.ClientInput{Name: ptr(fmt.Sprintf("Load %s %d", name, i)), Email: &email, Password: ptr(pw)})
		if err != nil {
			return 0, nil, fmt.Errorf("create client: %w", err)
		}
		ids, emails = append(ids, cl.ID), append(emails, email)
	}
	cs, err := staff.CreateCase(ctx, api.CaseInput{Number: ptr("LOAD-" + name), Title: ptr("Load test"), ClientIDs: &ids,
		Kind: ptr("staff"), AdvocateID: &me.ID})
	if err != nil {
		return 0, nil, fmt.Errorf("create case: %w", err)
	}
	var jars []http.CookieJar
	for _, email := range emails {
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := hc.PostForm(c.url+"/login", url.Values{"email": {email}, "password": {pw}})
		if err != nil {
			return 0, nil, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			return 0, nil, fmt.Errorf("portal login %s: %s (rate limited? at most 10 logins per address at once)", email, resp.Status)
		}
		jars = append(jars, jar)
	}
	return cs.ID, jars, nil
}

// sockets are open websockets whose readers time each post's arrival.
type sockets struct {
	conns []*websocket.Conn
	wg    sync.WaitGroup

	mu      sync.Mutex
	start   time.Time       // when the current post began
	lat     []time.Duration // arrivals of the current post
	arrived chan struct{}   // closed when every socket has the current post
	want    int

	warmSeen []bool // while warming up: which sockets got a post
	warmLeft int
	warmDone chan struct{}
}

func openSockets(ctx context.Context, n int, dial func(i int) (*websocket.Conn, error)) (*sockets, error) {
	s := &sockets{conns: make([]*websocket.Conn, n)}
	var next atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				ws, err := dial(i)
				if err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("socket %d: %w", i, err) })
					return
				}
				s.conns[i] = ws
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		s.close()
		return nil, firstErr
	}
	for i, ws := range s.conns {
		s.wg.Go(func() { s.read(i, ws) })
	}
	return s, nil
}

// warm posts (with post(-1), post(-2)...) until every socket got one, so
// every socket is subscribed (a hub registers a socket just after its
// handshake) before anything is measured; then waits for stragglers.
func (s *sockets) warm(ctx context.Context, post func(i int) error) error {
	done := make(chan struct{})
	s.mu.Lock()
	s.warmSeen, s.warmLeft, s.warmDone = make([]bool, len(s.conns)), len(s.conns), done
	s.mu.Unlock()
	defer func() {
		time.Sleep(500 * time.Millisecond) // frames still on their way
		s.mu.Lock()
		s.warmSeen, s.warmDone = nil, nil
		s.mu.Unlock()
	}()
	for k := 1; k <= 100; k++ {
		if err := post(-k); err != nil {
			return err
		}
		select {
		case <-done:
			return nil
		case <-time.After(300 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Errorf("after 100 warm-up posts, %d of %d sockets got none", s.warmLeft, len(s.conns))
}

// read counts each frame that carries a message: one arrival of the
// current post.
func (s *sockets) read(i int, ws *websocket.Conn) {
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		if !strings.Contains(string(data), `"message.created"`) {
			continue
		}
		now := time.Now()
		s.mu.Lock()
		if s.warmSeen != nil {
			if !s.warmSeen[i] {
				s.warmSeen[i] = true
				if s.warmLeft--; s.warmLeft == 0 {
					close(s.warmDone)
				}
			}
		} else if s.arrived != nil {
			s.lat = append(s.lat, now.Sub(s.start))
			if len(s.lat) == s.want {
				close(s.arrived)
				s.arrived = nil
			}
		}
		s.mu.Unlock()
	}
}

func (s *sockets) close() {
	for _, ws := range s.conns {
		if ws != nil {
			ws.Close()
		}
	}
	s.wg.Wait()
}

// measure posts message i and waits for every socket to get it.
func measure(ctx context.Context, s *sockets, i int, post func(i int) error) ([]time.Duration, error) {
	arrived := make(chan struct{})
	s.mu.Lock()
	s.start, s.lat, s.arrived, s.want = time.Now(), make([]time.Duration, 0, len(s.conns)), arrived, len(s.conns)
	s.mu.Unlock()
	if err := post(i); err != nil {
		return nil, err
	}
	posted := time.Since(s.start)
	select {
	case <-arrived:
	case <-time.After(30 * time.Second):
		s.mu.Lock()
		got := len(s.lat)
		s.mu.Unlock()
		return nil, fmt.Errorf("post %d reached %d of %d sockets in 30 s", i, got, len(s.conns))
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if os.Getenv("WSLOAD_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "post %d: answered %.1f ms, first %.1f ms, p50 %.1f ms, last %.1f ms\n", i, ms(posted),
			ms(pct(s.lat, 0)), ms(pct(s.lat, 50)), ms(pct(s.lat, 100)))
	}
	return s.lat, nil
}

// bareClients is the child process that holds the bare hub's sockets.
type bareClients struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startBareClients(ctx context.Context, url string, n int, caseID uint64) (*bareClients, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-bare-clients", url, "-n", strconv.Itoa(n), "-bare-case", strconv.FormatUint(caseID, 10))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b := &bareClients{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20)}
	if line, err := b.out.ReadString('\n'); err != nil || strings.TrimSpace(line) != "ready" {
		b.stop()
		return nil, fmt.Errorf("the bare hub's clients did not start (%q): %w", line, err)
	}
	return b, nil
}

// measure has the child post message i and returns its sockets' latencies.
func (b *bareClients) measure(i int) ([]time.Duration, error) {
	if _, err := fmt.Fprintf(b.in, "%d\n", i); err != nil {
		return nil, err
	}
	line, err := b.out.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("bare hub clients: %w", err)
	}
	f := strings.Fields(line)
	if len(f) > 0 && f[0] == "error" {
		return nil, errors.New(line)
	}
	lat := make([]time.Duration, 0, len(f))
	for _, v := range f {
		ns, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("bare hub clients said %q", v)
		}
		lat = append(lat, time.Duration(ns))
	}
	return lat, nil
}

func (b *bareClients) stop() {
	b.in.Close()
	b.cmd.Wait()
}

// runBareClients is the child: it opens n sockets to the bare hub, says
// "ready", then for each number read posts that message and prints the
// latencies (ns) of its arrival at every socket on one line.
func runBareClients(url string, n int, caseID uint64) error {
	ctx := context.Background()
	s, err := openSockets(ctx, n, func(int) (*websocket.Conn, error) {
		ws, _, err := websocket.DefaultDialer.DialContext(ctx, "ws"+strings.TrimPrefix(url, "http")+"/ws", nil)
		return ws, err
	})
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.warm(ctx, func(i int) error { return postToBare(url, i, caseID) }); err != nil {
		return err
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	fmt.Fprintln(out, "ready")
	out.Flush()
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		i, _ := strconv.Atoi(strings.TrimSpace(in.Text()))
		lat, err := measure(ctx, s, i, func(i int) error { return postToBare(url, i, caseID) })
		if err != nil {
			fmt.Fprintln(out, "error", err)
		} else {
			for j, d := range lat {
				if j > 0 {
					out.WriteByte(' ')
				}
				out.WriteString(strconv.FormatInt(int64(d), 10))
			}
			out.WriteByte('\n')
		}
		out.Flush()
	}
	return nil
}

// postToBare has the bare hub broadcast a frame of the size and shape of the
// service's frame for one message.
func postToBare(url string, i int, caseID uint64) error {
	frame := fmt.Sprintf(`[{"id":%d,"type":"message.created","case":%d,"ref":%d,"at":%q}]`,
		1000000+i, caseID, 1000000+i, time.Now().UTC().Format(time.RFC3339Nano))
	resp, err := http.Post(url+"/broadcast", "application/json", strings.NewReader(frame))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("bare hub: %s", resp.Status)
	}
	return nil
}

// raiseFileLimit lets this process hold both sets of sockets.
func raiseFileLimit(n uint64) {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) != nil || lim.Cur >= n {
		return
	}
	want := syscall.Rlimit{Cur: n, Max: max(n, lim.Max)}
	if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want) != nil { // not root: up to the hard limit
		lim.Cur = lim.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}

// postConcurrently has posters post messages for d, and counts the posts the
// service acknowledged (each one committed to disk before the answer).
func postConcurrently(ctx context.Context, staff *apiclient.Client, caseID uint64, posters int, d time.Duration) (int, []time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	for p := range posters {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				t0 := time.Now()
				_, err := staff.PostMessage(ctx, caseID, api.MessageInput{Body: fmt.Sprintf("Poster %d message %d.", p, i), Visibility: "internal"})
				if err != nil {
					if ctx.Err() == nil {
						mu.Lock()
						firstErr = err
						mu.Unlock()
					}
					return
				}
				mu.Lock()
				lat = append(lat, time.Since(t0))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return len(lat), lat, firstErr
}

// startBare runs this program as the bare hub in a child process (pinned to
// cpus with taskset when given) and returns its URL.
func startBare(cpus string) (string, *exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	args := []string{self, "-bare-serve", "127.0.0.1:0"}
	if cpus != "" {
		args = append([]string{"taskset", "-c", cpus}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start the bare hub: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		return "", nil, fmt.Errorf("the bare hub did not say its address: %w", err)
	}
	return strings.TrimSpace(line), cmd, nil
}

// nudge sends health checks for two seconds: their garbage makes the
// service run its garbage collector, as a busy service would.
func nudge(ctx context.Context, base string) {
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end) && ctx.Err() == nil; {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// settle waits (at most 90 s) until pid's resident memory holds still for
// three seconds, and returns it.
func settle(ctx context.Context, pid int) int64 {
	if pid <= 0 {
		return 0
	}
	last, still := rss(pid), 0
	for end := time.Now().Add(90 * time.Second); time.Now().Before(end) && still < 3 && ctx.Err() == nil; {
		time.Sleep(time.Second)
		now := rss(pid)
		if d := now - last; d > -256<<10 && d < 256<<10 {
			still++
		} else {
			still = 0
		}
		last = now
	}
	return last
}

// rss is the resident memory of process pid in bytes (0: unknown).
func rss(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func ptr[T any](v T) *T { return &v }
