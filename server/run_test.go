package server_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/password"
	"clientportal/store"
)

// TestRunStopsWithItsContext runs the service as an OS service manager
// would: Run with a context and a config, its messages on a writer; ending
// the context stops it gracefully and releases the data folder.
func TestRunStopsWithItsContext(t *testing.T) {
	dir := t.TempDir()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, server.RunConfig{
			DataDir: dir, HTTPAddr: "127.0.0.1:0", Demo: true, Version: "test", OfficeKey: t.TempDir() + "/office.key",
			Hasher: password.Hasher{Params: password.TestParams},
			Logger: slog.New(slog.DiscardHandler), Out: pw,
		})
		pw.Close()
	}()
	var said []string
	base := ""
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		l := sc.Text()
		said = append(said, l)
		if u, ok := strings.CutPrefix(l, "Serving the client portal at "); ok {
			base = strings.TrimSuffix(u, "/login")
		}
		if l == "Press Ctrl+C to stop." {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" || !strings.Contains(strings.Join(said, "\n"), "Demo office created in "+dir) {
		t.Fatalf("Run said:\n%s", strings.Join(said, "\n"))
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after its context ended: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return within 15 s of its context ending")
	}
	st, err := store.Open(dir, store.Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("the data folder is still held after Run returned: %v", err)
	}
	st.Close()
}

func TestRunConfigCheck(t *testing.T) {
	for _, tt := range []struct {
		cfg  server.RunConfig
		want string
	}{
		{server.RunConfig{}, "no data folder"},
		{server.RunConfig{DataDir: t.TempDir(), HTTPAddr: "8080"}, "missing port"},
		{server.RunConfig{DataDir: t.TempDir(), HTTPAddr: "localhost:http"}, "port must be a number"},
		{server.RunConfig{DataDir: t.TempDir(), HTTPAddr: "[::1]:8080"}, ""},
		{server.RunConfig{DataDir: t.TempDir(), HTTPAddr: ":8080"}, ""},
		{server.RunConfig{DataDir: t.TempDir(), HTTPAddr: "office-server.local:8080"}, ""},
		{server.RunConfig{DataDir: t.TempDir()}, ""},
		{server.RunConfig{DataDir: t.TempDir(), MailQuiet: time.Second, MailWindow: time.Hour, MailRetry: time.Millisecond}, ""},
		{server.RunConfig{DataDir: t.TempDir(), MailQuiet: -time.Second}, "--mail-quiet -1s is out of range"},
		{server.RunConfig{DataDir: t.TempDir(), MailWindow: time.Hour + 1}, "--mail-window 1h0m0.000000001s is out of range"},
		{server.RunConfig{DataDir: t.TempDir(), MailRetry: 2 * time.Hour}, "--mail-retry 2h0m0s is out of range"},
	} {
		err := tt.cfg.Check()
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("Check(%+v) = %v; want %q", tt.cfg, err, tt.want)
		}
	}
}
