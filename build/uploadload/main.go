// Command uploadload measures a large document upload on the built binary:
// it starts `clientportal serve` as its own process on a temp demo office,
// logs in to the staff API as the demo administrator, and uploads one large
// document (1 GB by default) to a case. It prints the service's resident
// memory before the upload, its peak during it (VmHWM from /proc, reset just
// before the upload, so Linux only) and the rise, and the upload's speed.
//
// In the same run it sends the same multipart body, with the same HTTP
// client, to a plain file copy on the same HTTP stack: this command run
// again as its own process (-plain), a net/http server that streams the
// multipart part to a file in the same folder and fsyncs it. The two take
// turns (-rounds) and it prints the ratio of the speeds.
//
//	go build -o /tmp/clientportal . && go run ./build/uploadload -bin /tmp/clientportal
//
// The service refuses files over the office's upload limit (50 MB unless the
// office set one): the command raises the limit with the office setting
// upload_max_mb first.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
)

// admin is the demo office's administrator.
const admin = "dana@riverside.example"

func main() {
	bin := flag.String("bin", "", "the built clientportal binary (default: build one from this checkout)")
	mb := flag.Int("mb", 1024, "the document's size in MiB")
	rounds := flag.Int("rounds", 3, "upload rounds: each sends the document to the service and to the plain copy, taking turns to go first")
	dir := flag.String("dir", "", "where the data folders go (default: the temp folder); it needs room for rounds × the document")
	plain := flag.String("plain", "", "run as the plain file copy server: listen on 127.0.0.1:0, write into this folder, print the address")
	flag.Parse()
	if *plain != "" {
		if err := servePlain(*plain); err != nil {
			fmt.Fprintln(os.Stderr, "uploadload -plain:", err)
			os.Exit(1)
		}
		return
	}
	if *mb < 1 || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "usage: uploadload [-bin PATH] [-mb 1024] [-rounds 3] [-dir DIR]")
		os.Exit(2)
	}
	if err := run(*bin, int64(*mb)<<20, *rounds, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "uploadload:", err)
		os.Exit(1)
	}
}

// proc is a child process: the service or the plain copy.
type proc struct {
	cmd  *exec.Cmd
	base string
}

func (p *proc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		<-done
	}
}

// memory reads a VmRSS-style line (KiB) of the process's /proc status.
func (p *proc) memory(field string) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n << 10, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc status", field)
}

// resetPeak starts VmHWM again from the current RSS (Linux: clear_refs 5).
func (p *proc) resetPeak() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.cmd.Process.Pid), []byte("5"), 0)
}

// startLines starts cmd and reads its stdout until done says a line ends
// the start; the rest is discarded.
func startLines(cmd *exec.Cmd, done func(line string) bool) error {
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	buf := make([]byte, 0, 4096)
	one := make([]byte, 1)
	for {
		if _, err := out.Read(one); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return fmt.Errorf("%s ended before it was ready: %s", cmd.Path, buf)
		}
		if one[0] != '\n' {
			buf = append(buf, one[0])
			continue
		}
		if done(string(buf)) {
			go io.Copy(io.Discard, out)
			return nil
		}
		buf = buf[:0]
	}
}

func startService(bin, dir string) (*proc, string, error) {
	p := &proc{}
	var password string
	p.cmd = exec.Command(bin, "serve", "--demo", "--data", dir, "--http", "127.0.0.1:0", "--access-log=false")
	// The office key goes beside the demo's folder (serve --demo does that
	// unless told otherwise).
	p.cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "CLIENTPORTAL_OFFICE_KEY=") })
	err := startLines(p.cmd, func(l string) bool {
		if f := strings.Fields(l); len(f) == 3 && f[0] == "staff" && f[1] == admin {
			password = f[2]
		}
		if u, ok := strings.CutPrefix(l, "Serving the client portal at "); ok {
			p.base = strings.TrimSuffix(u, "/login")
		}
		return l == "Press Ctrl+C to stop."
	})
	if err != nil {
		return nil, "", err
	}
	if password == "" || p.base == "" {
		p.stop()
		return nil, "", errors.New("the service printed no administrator login or address")
	}
	return p, password, nil
}

func startPlain(self, dir string) (*proc, error) {
	p := &proc{cmd: exec.Command(self, "-plain", dir)}
	err := startLines(p.cmd, func(l string) bool {
		p.base = strings.TrimPrefix(l, "listening ")
		return strings.HasPrefix(l, "listening ")
	})
	return p, err
}

// servePlain is the plain file copy: each multipart part of a POST goes to
// a new file in dir (32 KiB writes, io.Copy's), fsynced, then removed.
func servePlain(dir string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var n int64
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			f, err := os.CreateTemp(dir, "plain-*")
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			k, err := io.Copy(f, part)
			if err == nil {
				err = f.Sync()
			}
			f.Close()
			os.Remove(f.Name())
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			n += k
		}
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, "%d\n", n)
	})}
	fmt.Printf("listening http://%s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// document is the upload's content: a PDF header, then a random 1 MiB
// block repeated (made once: the sender costs the same for both servers).
type document struct {
	size  int64
	block []byte
	sum   string
}

func newDocument(size int64) (*document, error) {
	d := &document{size: size, block: make([]byte, 1<<20)}
	if _, err := rand.Read(d.block); err != nil {
		return nil, err
	}
	copy(d.block, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	h := sha256.New()
	if _, err := io.Copy(h, d.reader()); err != nil {
		return nil, err
	}
	d.sum = hex.EncodeToString(h.Sum(nil))
	return d, nil
}

func (d *document) reader() io.Reader {
	return io.LimitReader(&repeat{b: d.block}, d.size)
}

type repeat struct {
	b   []byte
	off int
}

func (r *repeat) Read(p []byte) (int, error) {
	n := copy(p, r.b[r.off:])
	r.off = (r.off + n) % len(r.b)
	return n, nil
}

// upload sends the document as the field file of a streamed multipart
// POST (the apiclient's way), and answers the time to the answer and its
// body.
func upload(ctx context.Context, hc *http.Client, url, token string, d *document) (time.Duration, []byte, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := mw.WriteField("portal", "false")
		if err == nil {
			var part io.Writer
			if part, err = mw.CreateFormFile("file", "large.pdf"); err == nil {
				_, err = io.Copy(part, d.reader())
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, pr)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	t := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		pr.CloseWithError(err)
		return 0, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(t)
	if err != nil {
		return 0, nil, err
	}
	if resp.StatusCode != http.StatusCreated {
		return 0, nil, fmt.Errorf("POST %s: %s %s", url, resp.Status, body)
	}
	return took, body, nil
}

// sampler polls a process's RSS every 10 ms and keeps the highest.
func sampler(p *proc) (stop func() int64) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	var high int64
	wg.Go(func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if n, err := p.memory("VmRSS"); err == nil && n > high {
				high = n
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() int64 { close(done); wg.Wait(); return high }
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func run(bin string, size int64, rounds int, parent string) error {
	ctx := context.Background()
	work, err := os.MkdirTemp(parent, "uploadload-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if bin == "" {
		bin = filepath.Join(work, "clientportal")
		fmt.Fprintln(os.Stderr, "building clientportal ...")
		build := exec.Command("go", "build", "-o", bin, ".")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	doc, err := newDocument(size)
	if err != nil {
		return err
	}
	svc, password, err := startService(bin, filepath.Join(work, "office"))
	if err != nil {
		return err
	}
	defer svc.stop()
	plainDir := filepath.Join(work, "plain")
	if err := os.MkdirAll(plainDir, 0o700); err != nil {
		return err
	}
	plain, err := startPlain(self, plainDir)
	if err != nil {
		return err
	}
	defer plain.stop()

	// One client for both: the same transport, the same connection reuse.
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2}, Timeout: time.Hour}
	c, err := apiclient.New(svc.base, apiclient.WithHTTPClient(hc))
	if err != nil {
		return err
	}
	if _, err := c.Login(ctx, admin, password); err != nil {
		return fmt.Errorf("staff login: %w", err)
	}
	if err := raiseLimit(ctx, hc, svc.base, c.Token(), size); err != nil {
		return err
	}
	const caseID = 1
	fmt.Printf("service %s (pid %d), demo office; plain copy (pid %d); a %s document, %d rounds\n",
		bin, svc.cmd.Process.Pid, plain.cmd.Process.Pid, mib(size), rounds)
	var ratios []float64
	for round := 1; round <= rounds; round++ {
		// Let the memory settle after the last round (and the login).
		time.Sleep(2 * time.Second)
		// The two take turns going first: a round's writes may still be
		// reaching the disk when the next upload starts.
		var took, plainTook time.Duration
		var before, peak, high, plainBefore, plainPeak int64
		toService := func() error {
			var err error
			if before, err = svc.memory("VmRSS"); err != nil {
				return err
			}
			if err := svc.resetPeak(); err != nil {
				return fmt.Errorf("reset the peak (Linux 4.0 or later): %w", err)
			}
			sample := sampler(svc)
			var body []byte
			took, body, err = upload(ctx, hc, svc.base+strings.Replace(api.PathCaseDocuments, "{id}", strconv.Itoa(caseID), 1), c.Token(), doc)
			high = sample()
			if err != nil {
				return err
			}
			if peak, err = svc.memory("VmHWM"); err != nil {
				return err
			}
			var docs api.Documents
			if err := json.Unmarshal(body, &docs); err != nil || len(docs.Items) != 1 || docs.Items[0].SHA256 != doc.sum || docs.Items[0].Size != size {
				return fmt.Errorf("the service answered %s (%v); want one document of %d bytes with SHA-256 %s", body, err, size, doc.sum)
			}
			return nil
		}
		toPlain := func() error {
			plainBefore, _ = plain.memory("VmRSS")
			plain.resetPeak()
			var err error
			if plainTook, _, err = upload(ctx, hc, plain.base, "", doc); err != nil {
				return err
			}
			plainPeak, _ = plain.memory("VmHWM")
			return nil
		}
		order := []func() error{toService, toPlain}
		if round%2 == 0 {
			order = []func() error{toPlain, toService}
		}
		for _, f := range order {
			if err := f(); err != nil {
				return err
			}
		}
		speed := float64(size) / (1 << 20) / took.Seconds()
		plainSpeed := float64(size) / (1 << 20) / plainTook.Seconds()
		ratios = append(ratios, speed/plainSpeed)
		fmt.Printf("round %d: service RSS before %s, peak (VmHWM) %s, rise %s (highest 10 ms sample %s); upload %.1f s, %.0f MiB/s\n",
			round, mib(before), mib(peak), mib(peak-before), mib(high), took.Seconds(), speed)
		fmt.Printf("         plain copy RSS before %s, peak %s; %.1f s, %.0f MiB/s; ratio service/plain %.2f\n",
			mib(plainBefore), mib(plainPeak), plainTook.Seconds(), plainSpeed, speed/plainSpeed)
	}
	slices.Sort(ratios)
	fmt.Printf("median ratio service/plain %.2f (rounds %s)\n", ratios[len(ratios)/2], fmtRatios(ratios))
	return nil
}

func fmtRatios(rs []float64) string {
	var s []string
	for _, r := range rs {
		s = append(s, fmt.Sprintf("%.2f", r))
	}
	return strings.Join(s, ", ")
}

// raiseLimit sets the office's upload limit (upload_max_mb) to fit the
// document, when it is over the default.
func raiseLimit(ctx context.Context, hc *http.Client, base, token string, size int64) error {
	mb := (size + 1<<20 - 1) >> 20
	if mb <= 50 {
		return nil
	}
	body, _ := json.Marshal(map[string]int64{"upload_max_mb": mb + 1})
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, base+api.PathSettings, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		// A build without the upload_max_mb setting refuses the field; its
		// limit is docstore.DefaultMaxSize, which the upload then meets.
		fmt.Fprintf(os.Stderr, "uploadload: the service refused upload_max_mb=%d (%s %s); uploading with its own limit\n", mb+1, resp.Status, bytes.TrimSpace(answer))
	}
	return nil
}
