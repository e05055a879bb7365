package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/portuse"
	"clientportal/server/tlsmgr"
	"clientportal/store"
)

// servers are the http.Servers of the service's listeners, which may open
// while it runs (the first domain configured opens the HTTPS listener).
type servers struct {
	log  *slog.Logger
	errc chan error
	// reqCtx is every request's context. It does not end with the
	// service's: requests in flight at a stop finish (an upload completes,
	// a write commits); cutRequests ends it when the drain runs out of time.
	reqCtx      context.Context
	cutRequests context.CancelFunc

	mu     sync.Mutex
	list   []*http.Server
	closed bool
}

func newServers(ctx context.Context, log *slog.Logger) *servers {
	reqCtx, cut := context.WithCancel(context.WithoutCancel(ctx))
	return &servers{log: log, errc: make(chan error, 4), reqCtx: reqCtx, cutRequests: cut}
}

// serve answers on ln with h, over TLS when tlsCfg is set. A listener that
// fails ends the service (its error goes to errc).
func (ss *servers) serve(ln net.Listener, h http.Handler, tlsCfg *tls.Config) {
	srv := &http.Server{
		Handler:           h,
		TLSConfig:         tlsCfg,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(handshakeQuiet{ss.log}, "", 0),
		BaseContext:       func(net.Listener) context.Context { return ss.reqCtx },
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closed {
		ln.Close()
		return
	}
	ss.list = append(ss.list, srv)
	go func() {
		var err error
		if tlsCfg != nil {
			err = srv.ServeTLS(ln, "", "")
		} else {
			err = srv.Serve(ln)
		}
		if !errors.Is(err, http.ErrServerClosed) {
			select {
			case ss.errc <- fmt.Errorf("serve %s: %w", ln.Addr(), err):
			default:
			}
		}
	}()
}

// handshakeQuiet is the http.Server's error log: failed TLS handshakes
// (scanners, old browsers, clients that gave up) go at Debug, since anyone
// on the internet can make them at will; the rest at Warn.
type handshakeQuiet struct{ log *slog.Logger }

func (h handshakeQuiet) Write(p []byte) (int, error) {
	msg := strings.TrimSuffix(string(p), "\n")
	level := slog.LevelWarn
	if strings.HasPrefix(msg, "http: TLS handshake error") {
		level = slog.LevelDebug
	}
	h.log.Log(context.Background(), level, msg)
	return len(p), nil
}

// shutdown stops every listener, letting requests in flight finish.
func (ss *servers) shutdown(ctx context.Context) error {
	ss.mu.Lock()
	ss.closed = true
	list := ss.list
	ss.mu.Unlock()
	var errs []error
	for _, srv := range list {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		ss.cutRequests()
		for _, srv := range list {
			srv.Close()
		}
		return fmt.Errorf("shut down: requests still running after %s were cut: %w", DrainTimeout, errors.Join(errs...))
	}
	return nil
}

// ErrStaffAPINotPublic answers a staff API request on the public listener
// while the office has not allowed that.
var ErrStaffAPINotPublic = &api.Error{Status: http.StatusForbidden, Code: "staff_network_only",
	Message: "the staff API is not served on the portal's public address: connect to the staff listener on the office network " +
		"(its address and certificate fingerprint are printed when the service starts and shown in GET /api/v1/tls there), " +
		"or have an administrator allow it with PUT /api/v1/settings/domain {\"public_staff_api\": true}"}

// PublicHandler is the whole service as the internet reaches it: the staff
// API (everything under /api/ but the setup route, which keeps its own
// this-computer-only rule) is refused unless the office allowed it.
func (s *Server) PublicHandler() http.Handler { return s.public }

func (s *Server) publicOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if api.IsJSONPath(r.URL.Path) && r.URL.Path != api.PathSetup {
			var ts store.TLSSettings
			err := s.store.View(r.Context(), func(tx *store.Tx) (err error) { ts, err = tx.TLSSettings(); return err })
			if err != nil {
				s.log.Error("read TLS settings", "err", err)
				api.WriteError(w, api.ErrInternal)
				return
			}
			if !ts.PublicStaffAPI {
				api.WriteError(w, ErrStaffAPINotPublic)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// staffOnly serves the staff API and the health check on the staff
// listener; the portal's pages are for the public address.
func staffOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if api.IsJSONPath(r.URL.Path) || r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		http.Error(w, "This address serves the staff API only (for the control panel on the office network); clients use the portal's public address.", http.StatusNotFound)
	})
}

// Listen are the service's addresses.
type Listen struct {
	HTTP  string // plain HTTP: the whole service without a domain, else ACME HTTP-01 and redirects
	HTTPS string // the public HTTPS listener, opened once a domain is set
	Staff string // the staff listener; "" none
	// Redirect is the plain HTTP listener a domain opens when HTTP is on
	// another port; "" none.
	Redirect string
}

// front is the service's listeners and what each serves, following the
// office's domain setting while the service runs: without a domain, plain
// HTTP serves the whole service; with one, HTTPS serves the portal (and the
// staff API only if allowed), plain HTTP answers ACME challenges and
// redirects to HTTPS, and the staff listener serves the staff API.
type front struct {
	s     *Server
	mgr   *tlsmgr.Manager
	staff tlsmgr.StaffCert
	addrs Listen
	log   *slog.Logger
	plain net.Listener
	st    *store.Store

	domain atomic.Pointer[string] // the domain redirects go to; nil: serve plainly

	mu        sync.Mutex
	ss        *servers
	https     net.Listener
	httpsErr  error
	staffLn   net.Listener
	staffErr  error
	httpsPort int
	// redirectLn answers http:// on the network beside a plain listener
	// on another port (the wizard's loopback one).
	redirectLn  net.Listener
	redirectErr error
}

// plainHandler answers on the plain HTTP listener.
func (f *front) plainHandler() http.Handler {
	redirect := f.mgr.HTTPHandler(http.HandlerFunc(f.redirect))
	tcp, _ := f.plain.Addr().(*net.TCPAddr)
	localOnly := tcp != nil && tcp.IP.IsLoopback()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The health check stays plain: the OS service manager asks it. On a
		// plain listener that only this computer reaches (the wizard's
		// 127.0.0.1:8080), the staff API stays plain too, as it was before
		// the domain: the control panel on the office server goes on
		// through the address it set the domain with (the first-run wizard
		// watches the certificate come). A plain listener open to the
		// network (:80) redirects it like every page.
		if f.domain.Load() == nil || r.URL.Path == "/healthz" || localOnly && api.IsJSONPath(r.URL.Path) && fromLoopback(r) {
			f.s.handler.ServeHTTP(w, r)
			return
		}
		redirect.ServeHTTP(w, r)
	})
}

// owns says whether one of the service's open listeners has port.
func (f *front) owns(port int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ln := range []net.Listener{f.plain, f.https, f.staffLn, f.redirectLn} {
		if tcp, ok := addrOf(ln).(*net.TCPAddr); ok && tcp.Port == port {
			return true
		}
	}
	return false
}

func addrOf(ln net.Listener) net.Addr {
	if ln == nil {
		return nil
	}
	return ln.Addr()
}

// fromLoopback: the request's peer is this computer.
func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	return err == nil && ip != nil && ip.IsLoopback()
}

// redirectHandler answers on the redirect listener: the CA's challenge, and
// every other request sent to HTTPS. Without a domain (it was removed while
// the service runs) nothing is served there: this listener is open to the
// network, and plain HTTP serves the portal only to this computer.
func (f *front) redirectHandler() http.Handler {
	return f.mgr.HTTPHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.domain.Load() == nil {
			http.Error(w, "This portal has no domain set: it is not served on this address.", http.StatusNotFound)
			return
		}
		f.redirect(w, r)
	}))
}

// challengePort is the port the CA's HTTP-01 challenge and browsers typing
// http:// come to: the redirect listener's, else the plain listener's.
func (f *front) challengePort() int {
	addr := f.addrs.Redirect
	if addr == "" {
		return f.plain.Addr().(*net.TCPAddr).Port
	}
	_, port, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(port)
	return n
}

// redirect sends a plain HTTP request to the same path and query over
// HTTPS at the office's domain (never the request's Host: that is the
// sender's to choose), with the HTTPS port when it is not 443.
func (f *front) redirect(w http.ResponseWriter, r *http.Request) {
	d := f.domain.Load()
	if d == nil {
		f.s.handler.ServeHTTP(w, r)
		return
	}
	f.mu.Lock()
	port := f.httpsPort
	f.mu.Unlock()
	host := *d
	if port != 443 && port != 0 {
		host = net.JoinHostPort(host, strconv.Itoa(port))
	}
	// 308 keeps the method and body of a form post; browsers then know
	// the HTTPS address (and HSTS keeps them there).
	w.Header().Set("Location", "https://"+host+r.URL.RequestURI())
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusPermanentRedirect)
	fmt.Fprintln(w, "This portal is served over HTTPS: https://"+host+r.URL.RequestURI())
}

// reload reads the domain settings and makes the listeners follow them:
// the first domain opens the HTTPS and staff listeners; a changed domain
// switches the managed certificate; no domain serves plain HTTP again.
func (f *front) reload(ctx context.Context) error {
	var set store.Settings
	var ts store.TLSSettings
	err := f.st.View(ctx, func(tx *store.Tx) (err error) {
		if set, err = tx.Settings(); err != nil {
			return err
		}
		ts, err = tx.TLSSettings()
		return err
	})
	if err != nil {
		return err
	}
	if set.Domain == "" {
		f.domain.Store(nil)
		return f.mgr.Apply(tlsmgr.Settings{})
	}
	// Listeners and redirects first: the CA's challenge may come at once.
	f.openTLS()
	d := set.Domain
	f.domain.Store(&d)
	return f.mgr.Apply(tlsmgr.Settings{Domain: set.Domain, Email: ts.ACMEEmail, CA: ts.ACMECA, RootPEM: ts.ACMERootPEM})
}

// openTLS opens the HTTPS and staff listeners if they are not open yet.
// An address that cannot be opened is reported in the status, and tried
// again at the next reload.
func (f *front) openTLS() {
	f.mu.Lock()
	if f.https == nil {
		ln, err := listenFlag("https", f.addrs.HTTPS)
		f.httpsErr = err
		if err == nil {
			f.https, f.httpsPort = ln, ln.Addr().(*net.TCPAddr).Port
			f.ss.serve(ln, f.s.public, f.mgr.TLSConfig())
			f.log.Info("serving HTTPS", "addr", ln.Addr().String())
		} else {
			f.log.Error("cannot open the HTTPS listener", "err", err)
		}
	}
	if f.redirectLn == nil && f.addrs.Redirect != "" {
		ln, err := listenFlag("redirect-listen", f.addrs.Redirect)
		f.redirectErr = err
		if err == nil {
			f.redirectLn = ln
			f.ss.serve(ln, f.redirectHandler(), nil)
			f.log.Info("serving plain HTTP redirects and certificate challenges", "addr", ln.Addr().String())
		} else {
			// HTTPS still works, and TLS-ALPN-01 still gets a certificate.
			f.log.Error("cannot open the plain HTTP redirect listener", "err", err)
		}
	}
	f.mu.Unlock()
	f.openStaff()
}

// openStaff opens the staff listener if it is not open yet.
func (f *front) openStaff() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.staffLn != nil || f.addrs.Staff == "" {
		return
	}
	ln, err := listenFlag("staff-listen", f.addrs.Staff)
	f.staffErr = err
	if err != nil {
		f.log.Error("cannot open the staff listener", "err", err)
		return
	}
	f.staffLn = ln
	f.ss.serve(ln, staffOnly(f.s.handler), tlsmgr.StaffTLSConfig(f.staff))
	f.log.Info("serving the staff API on the office network", "addr", ln.Addr().String(), "fingerprint", f.staff.Fingerprint)
}

// Status is what GET /api/v1/tls answers.
func (f *front) Status(context.Context) api.TLSStatus {
	st := f.mgr.Status()
	out := api.TLSStatus{State: st.State, Domain: st.Domain, Names: st.Names, Issuer: st.Issuer,
		NotBefore: optTime(st.NotBefore), NotAfter: optTime(st.NotAfter),
		LastError: st.LastError, LastErrorAt: optTime(st.LastErrorAt), NextTry: optTime(st.NextTry)}
	f.mu.Lock()
	httpsErr, staffErr, staffLn, redirectErr := f.httpsErr, f.staffErr, f.staffLn, f.redirectErr
	f.mu.Unlock()
	if staffLn != nil {
		out.StaffFingerprint, out.StaffAddress = f.staff.Fingerprint, staffLn.Addr().String()
	}
	out.Stage, out.Problem = st.Stage, st.Problem
	switch {
	case st.State == tlsmgr.StateOff:
		out.Text = apitext.New("tls.state_off", "No domain is set, so the portal serves plain HTTP for this computer only. Set the office's domain and a contact email in the control panel's settings to serve HTTPS with a certificate the service gets and renews by itself.")
	case httpsErr != nil:
		out.Problem = ProblemHTTPSListen
		out.Text = apitext.New("tls.state_https_failed", "The portal cannot serve HTTPS: {{.Err}}. The service tries again when the domain settings are saved.", "Err", httpsErr.Error())
		if portuse.Taken(httpsErr) {
			out.Problem = ProblemHTTPSPort
			_, port, _ := net.SplitHostPort(f.addrs.HTTPS)
			out.Text = apitext.New("tls.state_https_port", "Another program already uses port {{.Port}}, so the portal cannot serve HTTPS there. Stop that program or move it to another port (often a web server such as IIS, Apache or nginx), then save the domain settings again.", "Port", port)
		}
	case st.State == tlsmgr.StateFailed && !st.NotAfter.IsZero():
		out.Text = apitext.New("tls.state_renew_failed", "Renewing the certificate failed; the current one is still served until it expires. {{.Why}}", "Why", failureWords(st))
	case st.State == tlsmgr.StateFailed:
		out.Text = apitext.New("tls.state_failed", "The certificate could not be obtained. {{.Why}}", "Why", failureWords(st))
	case st.State == tlsmgr.StateObtaining && st.Stage == tlsmgr.StageProving:
		out.Text = apitext.New("tls.state_proving", "The certificate authority is checking that {{.Domain}} leads to this server.", "Domain", st.Domain)
	case st.State == tlsmgr.StateObtaining:
		out.Text = apitext.New("tls.state_obtaining", "Asking the certificate authority for a certificate for {{.Domain}}.", "Domain", st.Domain)
	default:
		out.Text = apitext.New("tls.state_valid", "The certificate for {{.Domain}} is valid and renews itself before it expires.", "Domain", st.Domain)
	}
	if redirectErr != nil && st.State != tlsmgr.StateOff {
		_, port, _ := net.SplitHostPort(f.addrs.Redirect)
		why := apitext.New("tls.redirect_failed", "The portal cannot answer plain http:// on port {{.Port}} ({{.Err}}): a client who types the address without https:// finds nothing, and the certificate authority can check the domain through port 443 only. The service tries again when the domain settings are saved.",
			"Port", port, "Err", redirectErr.Error())
		if portuse.Taken(redirectErr) {
			why = apitext.New("tls.redirect_port", "Another program already uses port {{.Port}}, so the portal cannot answer plain http:// there: a client who types the address without https:// finds nothing, and the certificate authority can check the domain through port 443 only. Stop that program or move it to another port, then save the domain settings again.", "Port", port)
		}
		out.Text = apitext.New("tls.state_and_more", "{{.State}} {{.More}}", "State", out.Text, "More", why)
	}
	if staffErr != nil {
		out.Text = apitext.New("tls.state_staff_failed", "{{.State}} The staff listener could not be opened: {{.Err}}", "State", out.Text, "Err", staffErr.Error())
	}
	out.Message = out.Text.String()
	return out
}

// TLSStatus.Problem when the HTTPS listener could not be opened: another
// program holds its port (ProblemHTTPSPort), or another reason, which the
// message gives (ProblemHTTPSListen).
const (
	ProblemHTTPSPort   = "https_port"
	ProblemHTTPSListen = "https_listen"
)

// failureWords says why a certificate could not be obtained or renewed,
// and what to do, in plain words.
func failureWords(st tlsmgr.Status) apitext.Text {
	switch st.Problem {
	case tlsmgr.ProblemDomain:
		return apitext.New("tls.failure_domain", "The certificate authority could not reach this server at {{.Domain}}: check that {{.Domain}} points at the office's internet address and that the router forwards ports 80 and 443 to this computer. The service tries again by itself.", "Domain", st.Domain)
	case tlsmgr.ProblemCAUnreachable:
		return apitext.New("tls.failure_ca_unreachable", "The service could not reach the certificate authority: check this computer's internet connection and firewall. The service tries again by itself.")
	case tlsmgr.ProblemRateLimited:
		return apitext.New("tls.failure_rate_limited", "The certificate authority refuses for now, after too many requests for {{.Domain}} lately. The service tries again later by itself.", "Domain", st.Domain)
	}
	return apitext.New("tls.failure_other", "Check that {{.Domain}} points at this server's public address and that ports 80 and 443 reach it; the service tries again by itself.", "Domain", st.Domain)
}

// Reload makes a changed domain setting take effect.
func (f *front) Reload(ctx context.Context) error { return f.reload(ctx) }

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// listenFlag opens a listener and says in its errors which flag sets it.
func listenFlag(flag, addr string) (net.Listener, error) {
	ln, err := listen(addr)
	if err != nil {
		return nil, &listenError{strings.ReplaceAll(err.Error(), "--http", "--"+flag), err}
	}
	return ln, nil
}

// newFront prepares the listeners of Run: the staff certificate (made at
// first start) and the certificate manager, answering challenges on the
// plain listener ln and the HTTPS address.
func newFront(cfg RunConfig, st *store.Store, ln net.Listener) (*front, error) {
	staff, err := tlsmgr.LoadOrCreateStaff(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	addrs := Listen{HTTP: ln.Addr().String(), HTTPS: cfg.HTTPSAddr, Staff: cfg.StaffAddr, Redirect: cfg.RedirectAddr}
	if addrs.HTTPS == "" {
		addrs.HTTPS = DefaultHTTPSAddr
	}
	switch addrs.Staff {
	case "":
		addrs.Staff = DefaultStaffAddr
	case StaffOff:
		addrs.Staff = ""
	}
	switch addrs.Redirect {
	case "":
		addrs.Redirect = DefaultRedirectAddr
	case StaffOff:
		addrs.Redirect = ""
	}
	if _, port, _ := net.SplitHostPort(addrs.Redirect); port == strconv.Itoa(ln.Addr().(*net.TCPAddr).Port) {
		addrs.Redirect = "" // the plain listener is already there
	}
	host, port, _ := net.SplitHostPort(addrs.HTTPS)
	httpsPort, _ := strconv.Atoi(port)
	f := &front{staff: staff, addrs: addrs, log: cfg.Logger, plain: ln, st: st, httpsPort: httpsPort}
	mc := tlsmgr.Config{Dir: tlsmgr.Dir(cfg.DataDir), Logger: cfg.Logger, ListenHost: host,
		HTTPPort: f.challengePort(), HTTPSPort: httpsPort}
	if cfg.TuneTLS != nil {
		cfg.TuneTLS(&mc)
	}
	mgr, err := tlsmgr.New(mc)
	if err != nil {
		return nil, err
	}
	f.mgr = mgr
	return f, nil
}

// start opens what the configuration asks for at start: a staff listener
// given explicitly, and with a domain the HTTPS and staff listeners. An
// address that cannot be opened at start stops the service.
func (f *front) start(ctx context.Context, domain string) error {
	if f.addrs.Staff != "" && (domain != "" || f.addrs.Staff != DefaultStaffAddr) {
		f.openStaff()
		if f.staffErr != nil {
			return f.staffErr
		}
	}
	if domain == "" {
		return nil
	}
	if err := f.reload(ctx); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.httpsErr
}

// say tells the person who started the service where it serves.
func (f *front) say(out io.Writer, base string) {
	f.mu.Lock()
	https, staffLn, port := f.https, f.staffLn, f.httpsPort
	plainAddr := f.plain.Addr()
	if f.redirectLn != nil {
		plainAddr = f.redirectLn.Addr()
	}
	f.mu.Unlock()
	if d := f.domain.Load(); d != nil && https != nil {
		host := *d
		if port != 443 {
			host = net.JoinHostPort(host, strconv.Itoa(port))
		}
		fmt.Fprintf(out, "Serving the client portal at https://%s/login\n", host)
		fmt.Fprintf(out, "HTTPS on %s with a certificate for %s that the service gets and renews itself (its state: GET /api/v1/tls);\n"+
			"plain HTTP on %s answers the certificate authority and sends browsers to HTTPS.\n", https.Addr(), *d, plainAddr)
	} else {
		fmt.Fprintf(out, "Serving the client portal at %s/login\n", base)
		fmt.Fprintln(out, "Plain HTTP, for use on this computer: do not open this address to clients on the internet.\n"+
			"Set the office's domain and a contact email (PUT /api/v1/settings/domain) to serve HTTPS with a certificate the service gets itself.")
	}
	if staffLn != nil {
		fmt.Fprintf(out, "Staff listener for the control panel on the office network: https://%s\n", lanAddr(staffLn.Addr()))
		fmt.Fprintf(out, "Its certificate's SHA-256 fingerprint, to compare when the control panel pairs:\n  %s\n", f.staff.Fingerprint)
	}
}

// lanAddr is how office computers reach a listener: a listener on every
// address is shown with this machine's first LAN address.
func lanAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
		addrs, _ := net.InterfaceAddrs()
		for _, x := range addrs {
			if n, ok := x.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
				ip = n.IP
				break
			}
		}
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
}
