package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"clientportal/server/configcheck"
	"clientportal/server/demo"
	"clientportal/server/docstore"
	"clientportal/server/mail"
	"clientportal/server/password"
	"clientportal/server/portuse"
	"clientportal/server/setup"
	"clientportal/server/tlsmgr"
	"clientportal/store"
)

// DefaultHTTPAddr is where the service answers plain HTTP when no domain is
// configured: this computer only.
const DefaultHTTPAddr = "127.0.0.1:8080"

// The addresses of the listeners a domain brings.
const (
	DefaultHTTPSAddr = ":443"
	DefaultStaffAddr = ":8443"
	// DomainHTTPAddr is the plain HTTP address when a domain is set: the
	// CA's HTTP-01 challenge and browsers typing the bare name come there.
	DomainHTTPAddr = ":80"
	// DefaultRedirectAddr is where browsers typing http:// and the CA's
	// HTTP-01 challenge are answered once a domain is set, when the plain
	// HTTP listener is elsewhere (the wizard's 127.0.0.1:8080).
	DefaultRedirectAddr = ":80"
	// StaffOff turns the staff listener off; with RedirectAddr, the
	// redirect listener.
	StaffOff = "off"
)

// RunConfig is what Run needs: what `clientportal serve` takes from its
// flags, and what the OS service installer passes.
type RunConfig struct {
	DataDir  string // the data folder (created when missing)
	HTTPAddr string // HOST:PORT for plain HTTP; "": DefaultHTTPAddr, or :80 when a domain is set
	// HTTPSAddr is where the portal is served over HTTPS once the office's
	// domain is set ("": DefaultHTTPSAddr). StaffAddr is the staff
	// listener on the office network ("": DefaultStaffAddr, opened once a
	// domain is set; "off": none; another address: opened at start).
	HTTPSAddr string
	StaffAddr string
	// RedirectAddr is the plain HTTP listener that a domain opens beside an
	// HTTPAddr on another port: it sends browsers to HTTPS and answers the
	// CA's HTTP-01 challenge ("": DefaultRedirectAddr; "off": none).
	RedirectAddr string
	// TuneTLS changes the certificate manager's configuration (a test CA's
	// profile, short renewal checks); nil: the defaults.
	TuneTLS   func(*tlsmgr.Config)
	Demo      bool // fill an empty office with the demo office first
	AccessLog bool // log every request (method, route, status, duration)
	Version   string
	Hasher    password.Hasher // zero: password.DefaultParams
	Logger    *slog.Logger    // the service's log; nil: slog.Default()
	// Out is what the person who started the service reads: where it
	// serves, the demo logins, how to create the first administrator.
	// nil: nothing is written.
	Out io.Writer
	// MailQuiet, MailWindow and MailRetry tune the email notifications
	// (mail.Options Quiet, Window and Retry: how long a first email waits
	// for more changes, the least time between two emails to one
	// recipient, the wait after a first failed try); zero: the defaults.
	MailQuiet, MailWindow, MailRetry time.Duration
	// OfficeKey is the office key's path ("": installer.DefaultKeyPath()).
	OfficeKey string
}

// Check reports the first setting that cannot work, before Run creates
// anything. Its messages name the command-line flag.
func (c RunConfig) Check() error {
	if strings.TrimSpace(c.DataDir) == "" {
		return errors.New("--data: no data folder given")
	}
	if fi, err := os.Stat(c.DataDir); err == nil && !fi.IsDir() {
		return fmt.Errorf("--data %s is a file, not a folder: give the folder that holds (or will hold) the portal's data", c.DataDir)
	}
	for _, d := range []struct {
		flag string
		d    time.Duration
	}{{"mail-quiet", c.MailQuiet}, {"mail-window", c.MailWindow}, {"mail-retry", c.MailRetry}} {
		if d.d != 0 {
			if err := CheckMailDuration(d.flag, d.d); err != nil {
				return err
			}
		}
	}
	for _, a := range []struct{ flag, addr string }{{"http", c.HTTPAddr}, {"https", c.HTTPSAddr}, {"staff-listen", c.StaffAddr}, {"redirect-listen", c.RedirectAddr}} {
		if a.addr == "" || (a.flag == "staff-listen" || a.flag == "redirect-listen") && a.addr == StaffOff {
			continue
		}
		if err := CheckAddr(a.addr); err != nil {
			return errors.New(strings.Replace(err.Error(), "--http ", "--"+a.flag+" ", 1))
		}
	}
	return nil
}

// MaxMailDuration bounds the mail timing flags: longer waits would leave a
// client's notice unsent for hours.
const MaxMailDuration = time.Hour

// CheckMailDuration checks the value of a mail timing flag (--mail-quiet,
// --mail-window, --mail-retry): more than zero, at most an hour.
func CheckMailDuration(flag string, d time.Duration) error {
	if d <= 0 || d > MaxMailDuration {
		return fmt.Errorf("--%s %s is out of range: give a duration above 0 and at most 1h, such as 30s or 2m", flag, d)
	}
	return nil
}

// httpAddr is the plain HTTP address: as given, else by the domain.
func (c RunConfig) httpAddr(domain string) string {
	switch {
	case c.HTTPAddr != "":
		return c.HTTPAddr
	case domain != "":
		return DomainHTTPAddr
	}
	return DefaultHTTPAddr
}

// CheckAddr checks that addr has the form HOST:PORT, the host being empty
// (every address of this computer), an IP address or a host name.
func CheckAddr(addr string) error {
	bad := func(why string) error {
		return fmt.Errorf("--http %q is not an address to listen on: %s; give HOST:PORT, such as 127.0.0.1:8080 (this computer only) or :8080 (every network)", addr, why)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		var ae *net.AddrError
		if errors.As(err, &ae) {
			return bad(ae.Err)
		}
		return bad(err.Error())
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return bad("the port must be a number from 0 to 65535")
	}
	if host == "" || net.ParseIP(host) != nil {
		return nil
	}
	if len(host) > 253 || strings.ContainsFunc(host, func(r rune) bool {
		return !(r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		return bad("the host must be an IP address or a host name")
	}
	return nil
}

// listen opens the HTTP listener and says plainly why it could not.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	var dnsErr *net.DNSError
	switch {
	case portuse.Taken(err):
		return nil, &listenError{fmt.Sprintf("%s is already in use by another program (is another portal running?): stop it, or choose another address with --http", addr), err}
	case errors.Is(err, syscall.EACCES):
		return nil, &listenError{fmt.Sprintf("not allowed to listen on %s: ports below 1024 need administrator rights; choose another port with --http, such as 127.0.0.1:8080", addr), err}
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return nil, &listenError{fmt.Sprintf("%s is not an address of this computer: use 127.0.0.1 (this computer only) or leave the host out (every network) in --http", addr), err}
	case errors.As(err, &dnsErr):
		return nil, fmt.Errorf("--http %s: the host name cannot be resolved: %w", addr, err)
	}
	return nil, fmt.Errorf("listen on %s: %w", addr, err)
}

// listenError says in words why a listener could not be opened, and keeps
// the system's error for errors.Is.
type listenError struct {
	msg string
	err error
}

func (e *listenError) Error() string { return e.msg }
func (e *listenError) Unwrap() error { return e.err }

// Run runs the portal service until ctx ends: it listens, opens the store in
// the data folder, fills the demo office when asked, gives an office with no
// staff its setup code, says on Out where it serves and what to do next, and
// serves until ctx is done, then shuts down gracefully.
func Run(ctx context.Context, cfg RunConfig) error {
	if err := cfg.Check(); err != nil {
		return err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	if cfg.Hasher.Params == (password.Params{}) {
		cfg.Hasher.Params = password.DefaultParams
	}
	defer tuneGC(password.DefaultBudget)()
	// Listen first: a busy port fails before the data folder is created
	// (an address left to its default depends on the domain setting).
	var ln net.Listener
	if cfg.HTTPAddr != "" {
		var err error
		if ln, err = listen(cfg.HTTPAddr); err != nil {
			return err
		}
		defer ln.Close()
	}
	st, err := store.Open(cfg.DataDir, store.Options{})
	if store.IsInUse(err) {
		return fmt.Errorf("the data folder %s is in use by another clientportal process, most likely a portal service that is already running: stop it first, or use another folder with --data", cfg.DataDir)
	} else if err != nil {
		return err
	}
	defer st.Close()
	out := cfg.Out
	if cfg.Demo {
		if err := demoOffice(ctx, st, cfg); err != nil {
			return err
		}
	}
	code, noStaff, err := setup.Issue(ctx, st)
	if err != nil {
		return err
	}
	var set store.Settings
	if err := st.View(ctx, func(tx *store.Tx) (err error) { set, err = tx.Settings(); return err }); err != nil {
		return err
	}
	if ln == nil {
		if ln, err = listen(cfg.httpAddr(set.Domain)); err != nil {
			return err
		}
		defer ln.Close()
	}
	f, err := newFront(cfg, st, ln)
	if err != nil {
		return err
	}
	defer f.mgr.Close()
	// The configuration check looks at the ports this service uses.
	check := checkAids(cfg.Logger)
	check.HTTPPort, check.Ours = f.challengePort(), f.owns
	if _, port, err := net.SplitHostPort(f.addrs.HTTPS); err == nil {
		check.HTTPSPort, _ = strconv.Atoi(port)
	}
	srv, err := New(Config{Store: st, Logger: cfg.Logger, Hasher: cfg.Hasher, Version: cfg.Version, AccessLog: cfg.AccessLog,
		Mail: mail.Options{Quiet: cfg.MailQuiet, Window: cfg.MailWindow, Retry: cfg.MailRetry}, OfficeKey: cfg.OfficeKey, TLS: f,
		ConfigCheck: check})
	if err != nil {
		return err
	}
	f.s = srv
	if err := srv.sweepDocuments(ctx); err != nil {
		return err
	}
	srv.holdForTest(os.Getenv(HoldEnv))
	base, local := browseURL(ln.Addr())
	if noStaff {
		firstAdminHint(out, cfg.DataDir, code, base, local)
	}
	err = srv.serveWith(ctx, base, func(ss *servers) error {
		f.ss = ss
		ss.serve(ln, f.plainHandler(), nil)
		if err := f.start(ctx, set.Domain); err != nil {
			return err
		}
		f.say(out, base)
		fmt.Fprintln(out, "Press Ctrl+C to stop.")
		cfg.Logger.Info("portal service started", "data", cfg.DataDir, "addr", ln.Addr().String(), "domain", set.Domain, "version", cfg.Version)
		return nil
	})
	cfg.Logger.Info("portal service stopped")
	return err
}

// sweepDocuments removes what a crash left in the documents folder (see
// docstore.Sweep) and logs what it removed. It runs before Serve: no upload
// is in flight, so no file whose record is committing is taken for a stray.
func (s *Server) sweepDocuments(ctx context.Context) error {
	var recorded map[string]bool
	if err := s.store.View(ctx, func(tx *store.Tx) (err error) { recorded, err = tx.DocumentFiles(); return err }); err != nil {
		return fmt.Errorf("sweep documents folder: %w", err)
	}
	removed, err := s.docs.Sweep(func(name string) bool { return recorded[name] })
	if len(removed) > 0 {
		s.log.Warn("documents folder: removed files of uploads cut short by a crash (temp files, and files no document record names)",
			"folder", s.docs.Dir(), "count", len(removed), "files", strings.Join(removed, " "))
	}
	if err != nil {
		// A file left over harms nothing but disk space: serve anyway.
		s.log.Error("documents folder: sweep", "err", err)
	}
	return nil
}

// Test aids for the configuration check of a service run by a test against
// a test CA on loopback (app/window_cert_test.go): ResolverEnv is a DNS
// server's HOST:PORT that resolves the office's domain instead of the
// system's, PublicIPEnv the address taken for this machine's public one
// instead of asking the internet. Never set them on an office's service.
const (
	ResolverEnv = "CLIENTPORTAL_TEST_RESOLVER"
	PublicIPEnv = "CLIENTPORTAL_TEST_PUBLIC_IP"
)

// checkAids is the configuration check's resolver and public address as
// the test aids set them (the zero Config: the real ones).
func checkAids(log *slog.Logger) configcheck.Config {
	var c configcheck.Config
	if addr := os.Getenv(ResolverEnv); addr != "" {
		log.Warn("test aid: the configuration check resolves names with a test DNS server", "env", ResolverEnv, "server", addr)
		c.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}}
		// The certificate check dials the domain: through the same server.
		c.Dial = func(ctx context.Context, network, address string) (net.Conn, error) {
			d := &net.Dialer{Timeout: 10 * time.Second, Resolver: c.Resolver.(*net.Resolver)}
			return d.DialContext(ctx, network, address)
		}
	}
	if ip := net.ParseIP(os.Getenv(PublicIPEnv)); ip != nil {
		log.Warn("test aid: the configuration check takes a test address for this machine's public one", "env", PublicIPEnv, "ip", ip.String())
		c.PublicIP = func(context.Context) (net.IP, error) { return ip, nil }
	}
	return c
}

// HoldEnv names a test aid: an upload whose content has the SHA-256 (hex)
// it holds is held for a minute once its file is stored and before its
// record commits, so a test can kill the service between the two
// (main_upload_test.go). Never set it on an office's service.
const HoldEnv = "CLIENTPORTAL_TEST_HOLD_SHA256"

func (s *Server) holdForTest(sum string) {
	if sum == "" {
		return
	}
	s.docs.HoldAfterFile(func(st docstore.Stored) {
		if st.SHA256 != sum {
			return
		}
		s.log.Warn("test aid: holding a stored document before its record", "env", HoldEnv, "file", st.Name)
		time.Sleep(time.Minute)
	})
}

// demoOffice fills an empty office with the demo office, or finds the logins
// of the demo office made earlier, and prints them.
func demoOffice(ctx context.Context, st *store.Store, cfg RunConfig) error {
	out := cfg.Out
	logins, err := demo.Fill(ctx, st, cfg.Hasher)
	if err == nil {
		fmt.Fprintf(out, "Demo office created in %s. Logins:\n", cfg.DataDir)
		demo.Print(out, logins)
		return nil
	}
	if !errors.Is(err, demo.ErrNotEmpty) {
		return err
	}
	logins, changed, err := demo.Logins(ctx, st, cfg.Hasher)
	switch {
	case errors.Is(err, demo.ErrNotDemo):
		fmt.Fprintf(out, "The data folder %s holds an office that is not the demo office, so there are no demo logins:\n"+
			"log in with that office's own accounts, or use an empty folder for the demo.\n", cfg.DataDir)
		return nil
	case err != nil:
		return err
	}
	fmt.Fprintf(out, "The data folder %s already holds the demo office. Logins:\n", cfg.DataDir)
	demo.Print(out, logins)
	if changed > 0 {
		fmt.Fprintf(out, "(%d demo logins were changed since the demo was made, and are not shown.)\n", changed)
	}
	return nil
}

// browseURL is the base URL to print for a listener, and whether requests to
// it come from loopback (so the setup code can be used from this computer):
// a listener on every address is reached at 127.0.0.1.
func browseURL(a net.Addr) (base string, local bool) {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String(), false
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		// Go listens on both IPv4 and IPv6 for an unspecified "tcp" address.
		ip = net.IPv4(127, 0, 0, 1)
	}
	return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port)), ip.IsLoopback()
}

// firstAdminHint says how to create the first administrator of an office
// with no staff.
func firstAdminHint(out io.Writer, dataDir string, code setup.Code, base string, local bool) {
	fmt.Fprintln(out, "This office has no staff yet, so nobody can log in to the staff API or the control panel.")
	if local {
		fmt.Fprintf(out, "Create the first administrator with the single-use setup code in %s\n"+
			"(readable only by this account, valid until %s), sent from this computer:\n"+
			"  curl -H 'Content-Type: application/json' %s/api/v1/setup \\\n"+
			"    -d '{\"code\":\"THE CODE\",\"email\":\"you@example.org\",\"name\":\"Your Name\",\"password\":\"at least 15 characters\"}'\n"+
			"Or stop the service (Ctrl+C) and run:\n",
			code.Path, code.Expires.UTC().Format("2006-01-02 15:04 MST"), base)
	} else {
		fmt.Fprintln(out, "Stop the service (Ctrl+C) and create the first administrator with:")
	}
	fmt.Fprintf(out, "  clientportal admin create --data %s --email you@example.org --name \"Your Name\"\n", shellQuote(dataDir))
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == ':' || r == '\\' ||
			r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// gcPercent is the service's GOGC. Its live heap is small (templates,
// catalogs, the kept records and pages: a few MB) and nearly all a request
// allocates is garbage when it ends, so the default of 100 collects every few
// MB of requests: under load a tenth of the CPU went to the collector. At 400
// it collects a quarter as often.
const gcPercent = 400

// tuneGC sets the collector for the service and returns what restores it.
// The memory limit keeps a higher GOGC from multiplying the peak of a login
// burst, when argon2id holds up to hashMemory at once: at 2×hashMemory it
// collects no later than GOGC=100 would with that much live. GOGC or
// GOMEMLIMIT in the environment leaves both as they say.
func tuneGC(hashMemory int64) (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	pct := debug.SetGCPercent(gcPercent)
	limit := debug.SetMemoryLimit(2 * hashMemory)
	return func() {
		debug.SetGCPercent(pct)
		debug.SetMemoryLimit(limit)
	}
}
