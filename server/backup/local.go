package backup

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ControlFile is the file in the data folder where the running service
// says where `clientportal backup` fetches its archive: a loopback address
// and a random token, readable only by the service's account. Whoever can
// read the data folder can copy it anyway; nobody else can get a backup.
const ControlFile = ".backup-endpoint.json"

type endpoint struct {
	Addr  string `json:"addr"`
	Token string `json:"token"`
	PID   int    `json:"pid"`
}

// ServeLocal serves the running service's backup archive on a loopback
// listener of its own until ctx ends (an archive being sent gets its
// time to finish), and says where in ControlFile, which it removes at the
// end.
func (s *Service) ServeLocal(ctx context.Context) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("backup endpoint: %w", err)
	}
	var tok [32]byte
	rand.Read(tok[:])
	ep := endpoint{Addr: ln.Addr().String(), Token: hex.EncodeToString(tok[:]), PID: os.Getpid()}
	path := filepath.Join(s.src.DataDir, ControlFile)
	if err := writePrivate(path, ep); err != nil {
		ln.Close()
		return err
	}
	defer os.Remove(path)
	srv := &http.Server{Handler: s.localHandler(ep.Token), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("backup endpoint: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		srv.Close()
	}
	return nil
}

func (s *Service) localHandler(token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		ip := net.ParseIP(host)
		got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		switch {
		case ip == nil || !ip.IsLoopback():
			http.Error(w, "this computer only", http.StatusForbidden)
			return
		case subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1:
			http.Error(w, "wrong token: read it from the data folder's "+ControlFile, http.StatusUnauthorized)
			return
		case r.Method != http.MethodGet:
			http.NotFound(w, r)
			return
		case r.URL.Path != "/backup":
			if h := s.local[r.URL.Path]; h != nil {
				h.ServeHTTP(w, r)
				return
			}
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/x-tar")
		if _, err := Write(r.Context(), w, s.src); err != nil {
			s.log.Error("backup for the command line", "err", err)
			// The archive is cut short: the command's check refuses it.
			panic(http.ErrAbortHandler)
		}
	})
}

func writePrivate(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("backup endpoint: %w", err)
	}
	return os.Rename(tmp, path)
}

// HandleLocal adds a GET route to the loopback endpoint (before Serve),
// for the command line to reach the running service with the same token.
func (s *Service) HandleLocal(path string, h http.Handler) {
	if s.local == nil {
		s.local = map[string]http.Handler{}
	}
	s.local[path] = h
}

// ErrNoEndpoint is a data folder whose running service says nowhere where
// it serves backups (an older version, or it is still starting).
var ErrNoEndpoint = errors.New("the running service does not say where it serves backups")

// FetchRunning writes the running service's backup archive of dataDir to w,
// through its loopback endpoint.
func FetchRunning(ctx context.Context, dataDir string, w io.Writer) error {
	return AskRunning(ctx, dataDir, "/backup", w)
}

// AskRunning writes what the running service of dataDir answers at path of
// its loopback endpoint to w.
func AskRunning(ctx context.Context, dataDir, path string, w io.Writer) error {
	b, err := os.ReadFile(filepath.Join(dataDir, ControlFile))
	if errors.Is(err, os.ErrNotExist) {
		return ErrNoEndpoint
	}
	if err != nil {
		return fmt.Errorf("read %s (run the command as the service's account, or as administrator): %w", ControlFile, err)
	}
	var ep endpoint
	if err := json.Unmarshal(b, &ep); err != nil || ep.Addr == "" {
		return ErrNoEndpoint
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+ep.Addr+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+ep.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("ask the running service for a backup: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("the running service refused: %s %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("receive the answer of the running service: %w", err)
	}
	return nil
}
