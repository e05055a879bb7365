package staffapi_test

import (
	"bufio"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// pdfStream is n bytes of a PDF-looking file, generated as it is read.
type pdfStream struct{ left int64 }

func (p *pdfStream) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(b)), p.left)
	for i := range b[:n] {
		b[i] = byte('a' + i%26)
	}
	if p.left == benchSize {
		copy(b, "%PDF-1.7\n")
	}
	p.left -= n
	return int(n), nil
}

// benchSize is the upload BenchmarkDocumentUpload sends (DOCBENCH_MB sets it).
var benchSize = func() int64 {
	if mb, err := strconv.Atoi(os.Getenv("DOCBENCH_MB")); err == nil && mb > 0 {
		return int64(mb) << 20
	}
	return 256 << 20
}()

// rssSampler records the process's peak resident set while it runs (Linux).
type rssSampler struct {
	peak, base atomic.Int64
	stop       chan struct{}
}

func rss() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func sampleRSS() *rssSampler {
	s := &rssSampler{stop: make(chan struct{})}
	s.base.Store(rss())
	s.peak.Store(s.base.Load())
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				if r := rss(); r > s.peak.Load() {
					s.peak.Store(r)
				}
			}
		}
	}()
	return s
}

func (s *rssSampler) rise() float64 {
	close(s.stop)
	return float64(s.peak.Load()-s.base.Load()) / (1 << 20)
}

// BenchmarkDocumentUpload sends one large file through the real service
// (streamed multipart, sniffed, hashed, age-encrypted, fsynced) and, for
// comparison, through a plain handler on an HTTP server of the same stack
// that copies the multipart file to disk and fsyncs it. It reports MB/s of
// each, their ratio, and the process's RSS rise during the real upload.
//
//	DOCBENCH_MB=1024 go test -run '^$' -bench DocumentUpload -benchtime 1x ./server/staffapi/
func BenchmarkDocumentUpload(b *testing.B) {
	env := servertest.Start(b, servertest.WithConfig(func(c *server.Config) { c.MaxDocument = benchSize }))
	ctx := context.Background()
	staff, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()))
	if err != nil {
		b.Fatal(err)
	}
	l := env.Login(b, "staff", staffEmail)
	if _, err := staff.Login(ctx, l.Email, l.Password); err != nil {
		b.Fatal(err)
	}
	plainDir := b.TempDir()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mr, err := r.MultipartReader()
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			f, _ := os.CreateTemp(plainDir, "plain-*")
			io.Copy(f, part)
			f.Sync()
			f.Close()
			os.Remove(f.Name())
		}
		w.WriteHeader(http.StatusCreated)
	}))
	defer plain.Close()
	var real, copyTime time.Duration
	var rise float64
	for b.Loop() {
		s := sampleRSS()
		start := time.Now()
		if _, err := staff.UploadDocuments(ctx, 1, false, apiclient.UploadFile{Name: "big.pdf", Content: &pdfStream{left: benchSize}}); err != nil {
			b.Fatal(err)
		}
		real += time.Since(start)
		rise = max(rise, s.rise())

		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			part, _ := mw.CreateFormFile("file", "big.pdf")
			io.Copy(part, &pdfStream{left: benchSize})
			mw.Close()
			pw.Close()
		}()
		start = time.Now()
		resp, err := plain.Client().Post(plain.URL, mw.FormDataContentType(), pr)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		copyTime += time.Since(start)
	}
	mb := float64(benchSize) / (1 << 20) * float64(b.N)
	b.ReportMetric(mb/real.Seconds(), "MB/s-upload")
	b.ReportMetric(mb/copyTime.Seconds(), "MB/s-plain")
	b.ReportMetric(copyTime.Seconds()/real.Seconds(), "ratio")
	b.ReportMetric(rise, "MB-rss-rise")
}
