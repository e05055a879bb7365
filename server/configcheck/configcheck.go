// Package configcheck checks that the office's setup can work, and says in
// plain words what to do when it cannot: whether the domain resolves to this
// machine's public address, whether ports 80 and 443 are free or the
// portal's own, whether the mail server answers and accepts the login,
// whether the certificate the domain serves is valid and for how long, and
// whether the office key is there and opens the documents. The resolver,
// the public address lookup and the dialer are injectable, so the check
// runs on a closed network too.
package configcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"clientportal/server/api"
	"clientportal/server/portuse"
	"clientportal/store"
)

// Resolver looks names up (net.DefaultResolver has this method).
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// Config is what the check reads and how it reaches the outside.
type Config struct {
	Store     *store.Store
	DataDir   string // "": the store's folder
	OfficeKey string // the office key's path
	// Resolver resolves the domain (nil: net.DefaultResolver).
	Resolver Resolver
	// PublicIP says this machine's address on the internet (nil: asked of
	// PublicIPURL).
	PublicIP func(ctx context.Context) (net.IP, error)
	// PublicIPURL answers this machine's public address as text (used when
	// PublicIP is nil; "": DefaultPublicIPURL).
	PublicIPURL string
	// Dial connects to the domain's HTTPS port for its certificate (nil: a
	// net.Dialer).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// HTTPPort and HTTPSPort are the ports the portal needs (0: 80, 443).
	HTTPPort, HTTPSPort int
	// Ours says whether the running service itself listens on a port (nil:
	// a port in use is the portal's when its /healthz answers as the
	// portal's; an HTTPS port without a certificate yet cannot).
	Ours func(port int) bool
	// RootCAs verify the domain's certificate and the mail server's (nil:
	// the system's).
	RootCAs, MailRootCAs *x509.CertPool
	// Timeout bounds each network step (0: 10 s).
	Timeout time.Duration
	// Now is the clock for certificate lifetimes (nil: time.Now).
	Now func() time.Time
}

// DefaultPublicIPURL answers the caller's public address as plain text.
const DefaultPublicIPURL = "https://api.ipify.org"

// Checker runs the configuration check.
type Checker struct{ cfg Config }

// New returns a checker with cfg's defaults filled in.
func New(cfg Config) *Checker {
	if cfg.DataDir == "" && cfg.Store != nil {
		cfg.DataDir = filepath.Dir(cfg.Store.Path())
	}
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	if cfg.PublicIPURL == "" {
		cfg.PublicIPURL = DefaultPublicIPURL
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Dial == nil {
		d := &net.Dialer{Timeout: cfg.Timeout}
		cfg.Dial = d.DialContext
	}
	if cfg.PublicIP == nil {
		cfg.PublicIP = func(ctx context.Context) (net.IP, error) { return askPublicIP(ctx, cfg.PublicIPURL) }
	}
	if cfg.HTTPPort == 0 {
		cfg.HTTPPort = 80
	}
	if cfg.HTTPSPort == 0 {
		cfg.HTTPSPort = 443
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Checker{cfg: cfg}
}

// Run runs every check.
func (c *Checker) Run(ctx context.Context) (api.ConfigReport, error) {
	var set store.Settings
	var ms store.MailSettings
	var docs int
	err := c.cfg.Store.View(ctx, func(tx *store.Tx) (err error) {
		if set, err = tx.Settings(); err != nil {
			return err
		}
		ms, err = tx.MailSettings()
		return err
	})
	if err != nil {
		return api.ConfigReport{}, err
	}
	if entries, err := os.ReadDir(filepath.Join(c.cfg.DataDir, "documents")); err == nil {
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".age") && !strings.HasPrefix(e.Name(), ".") {
				docs++
			}
		}
	}
	r := api.ConfigReport{Checked: c.cfg.Now().UTC(), OK: true}
	r.Checks = []api.ConfigCheck{
		c.domain(ctx, set.Domain),
		c.ports(ctx, set.Domain),
		c.mail(ctx, ms),
		c.certificate(ctx, set.Domain),
		c.officeKey(docs),
	}
	for _, ch := range r.Checks {
		if ch.Status == api.CheckProblem {
			r.OK = false
		}
	}
	return r, nil
}

// Handler answers the report as JSON (for the command line, through the
// running service's loopback endpoint).
func (c *Checker) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep, err := c.Run(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		api.WriteJSON(w, http.StatusOK, rep)
	})
}

func (c *Checker) step(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.cfg.Timeout)
}

const setDomain = "set the office's domain (the control panel's domain setting, or PUT /api/v1/settings/domain)"

func (c *Checker) domain(ctx context.Context, domain string) api.ConfigCheck {
	ch := api.ConfigCheck{Name: "domain"}
	if domain == "" {
		ch.Status, ch.Summary = api.CheckSkipped, "No domain is set, so the portal serves plain HTTP on this computer only and clients on the internet cannot reach it."
		ch.Fix = "To serve clients, " + setDomain + "."
		return ch
	}
	sctx, cancel := c.step(ctx)
	defer cancel()
	addrs, err := c.cfg.Resolver.LookupIPAddr(sctx, domain)
	if err != nil || len(addrs) == 0 {
		ch.Status, ch.Summary = api.CheckProblem, fmt.Sprintf("%s does not resolve to any address (%v).", domain, errText(err))
		ch.Fix = fmt.Sprintf("At your domain's DNS provider, create an A record for %s pointing at the office's internet address", domain)
		if ip, err := c.cfg.PublicIP(sctx); err == nil {
			ch.Fix += " (" + ip.String() + ")"
		}
		ch.Fix += "; changes can take an hour to spread."
		return ch
	}
	var have []string
	for _, a := range addrs {
		have = append(have, a.IP.String())
	}
	ip, err := c.cfg.PublicIP(sctx)
	if err != nil {
		ch.Status = api.CheckWarning
		ch.Summary = fmt.Sprintf("%s resolves to %s, but this machine's public address could not be learned (%v).", domain, strings.Join(have, ", "), err)
		ch.Fix = "Check that this is the office's internet address (your router's status page shows it), and that the router forwards ports 80 and 443 to this computer."
		return ch
	}
	for _, a := range addrs {
		if a.IP.Equal(ip) {
			ch.Status, ch.Summary = api.CheckOK, fmt.Sprintf("%s resolves to %s, this machine's public address.", domain, ip)
			return ch
		}
	}
	ch.Status = api.CheckProblem
	ch.Summary = fmt.Sprintf("%s resolves to %s, but this machine's public address is %s.", domain, strings.Join(have, ", "), ip)
	ch.Fix = fmt.Sprintf("At your domain's DNS provider, point the A record of %s at %s (and remove other A and AAAA records), then wait for the change to spread.", domain, ip)
	return ch
}

func (c *Checker) ports(ctx context.Context, domain string) api.ConfigCheck {
	ch := api.ConfigCheck{Name: "ports"}
	var free, ours, other, unknown []string
	for _, p := range []struct {
		port int
		tls  bool
	}{{c.cfg.HTTPPort, false}, {c.cfg.HTTPSPort, true}} {
		name := strconv.Itoa(p.port)
		ln, err := net.Listen("tcp", ":"+name)
		switch {
		case err == nil:
			ln.Close()
			free = append(free, name)
		case portuse.Taken(err):
			if c.cfg.Ours != nil && c.cfg.Ours(p.port) || c.answersAsPortal(ctx, p.port, p.tls) {
				ours = append(ours, name)
			} else {
				other = append(other, name)
			}
		default:
			unknown = append(unknown, fmt.Sprintf("%s (%v)", name, err))
		}
	}
	var says []string
	for _, g := range []struct {
		ports     []string
		one, many string
	}{
		{ours, "is used by this portal service", "are used by this portal service"},
		{free, "is free", "are free"},
		{other, "is used by another program", "are used by another program"},
		{unknown, "could not be checked", "could not be checked"},
	} {
		switch len(g.ports) {
		case 0:
		case 1:
			says = append(says, "port "+g.ports[0]+" "+g.one)
		default:
			says = append(says, "ports "+strings.Join(g.ports, " and ")+" "+g.many)
		}
	}
	ch.Summary = strings.ToUpper(says[0][:1]) + strings.Join(says, "; ")[1:] + "."
	switch {
	case len(other) > 0:
		ch.Status = api.CheckProblem
		ch.Fix = "Stop the other program or move it to other ports (often a web server such as IIS, Apache or nginx): the portal needs ports 80 and 443 for clients and for its certificate."
		if domain == "" {
			ch.Status = api.CheckWarning
			ch.Fix = "Once a domain is set, the portal needs ports 80 and 443: " + ch.Fix
		}
	case len(unknown) > 0:
		ch.Status = api.CheckWarning
		ch.Fix = "Run the check as administrator (ports below 1024 need administrator rights to open)."
	default:
		ch.Status = api.CheckOK
	}
	return ch
}

// answersAsPortal reports whether what listens on port is a clientportal
// service: its /healthz answers ok with the portal's security headers.
func (c *Checker) answersAsPortal(ctx context.Context, port int, useTLS bool) bool {
	sctx, cancel := c.step(ctx)
	defer cancel()
	scheme := "http"
	tr := &http.Transport{DialContext: (&net.Dialer{Timeout: c.cfg.Timeout}).DialContext}
	if useTLS {
		// Only who answers matters here; the certificate has its own check.
		scheme, tr.TLSClientConfig = "https", &tls.Config{InsecureSkipVerify: true}
	}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequestWithContext(sctx, http.MethodGet, scheme+"://127.0.0.1:"+strconv.Itoa(port)+"/healthz", nil)
	resp, err := (&http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64))
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return resp.Header.Get("Content-Security-Policy") != "" // the portal's redirect to HTTPS
	}
	return strings.TrimSpace(string(body)) == "ok" && resp.Header.Get("Content-Security-Policy") != ""
}

const setMail = "the control panel's mail settings, or PUT /api/v1/settings/mail"

func (c *Checker) mail(ctx context.Context, ms store.MailSettings) api.ConfigCheck {
	ch := api.ConfigCheck{Name: "mail"}
	if !ms.Configured() {
		ch.Status, ch.Summary = api.CheckWarning, "No mail server is set, so clients get no email notices and invitations cannot be sent."
		ch.Fix = "Set the office's mail server (" + setMail + ")."
		return ch
	}
	addr := net.JoinHostPort(ms.Host, strconv.Itoa(ms.Port))
	stage, words := c.tryMail(ctx, ms, addr)
	switch stage {
	case "":
		ch.Status = api.CheckOK
		ch.Summary = fmt.Sprintf("The mail server %s answers", addr)
		if ms.Username != "" {
			ch.Summary += " and accepts the login of " + ms.Username
		}
		ch.Summary += "."
	case "connect":
		ch.Status, ch.Summary = api.CheckProblem, fmt.Sprintf("The mail server %s does not answer (%s).", addr, words)
		ch.Fix = "Check the host name and port in " + setMail + ", and that the network lets this computer reach it."
	case "tls":
		ch.Status, ch.Summary = api.CheckProblem, fmt.Sprintf("The mail server %s answers, but the encrypted connection failed (%s).", addr, words)
		ch.Fix = "Check the security setting (starttls for port 587, tls for port 465) and that the server's certificate is valid for " + ms.Host + "."
	case "auth":
		ch.Status, ch.Summary = api.CheckProblem, fmt.Sprintf("The mail server %s refused the login of %s: %s", addr, ms.Username, words)
		ch.Fix = "Check the user name and password in " + setMail + " (some providers need an app password)."
	}
	return ch
}

// tryMail connects to the mail server as the sender does and logs in,
// sending nothing; it returns the failing stage and the server's words.
func (c *Checker) tryMail(ctx context.Context, ms store.MailSettings, addr string) (stage, words string) {
	sctx, cancel := c.step(ctx)
	defer cancel()
	conn, err := c.cfg.Dial(sctx, "tcp", addr)
	if err != nil {
		return "connect", err.Error()
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(c.cfg.Timeout))
	tc := &tls.Config{ServerName: ms.Host, RootCAs: c.cfg.MailRootCAs, MinVersion: tls.VersionTLS12}
	var cl *smtp.Client
	switch ms.Security {
	case store.MailTLS:
		t := tls.Client(conn, tc)
		if err := t.HandshakeContext(sctx); err != nil {
			return "tls", err.Error()
		}
		cl = smtp.NewClient(t)
	case store.MailNone:
		cl = smtp.NewClient(conn)
	default:
		if cl, err = smtp.NewClientStartTLS(conn, tc); err != nil {
			return "tls", err.Error()
		}
		if err := cl.Noop(); err != nil {
			return "tls", err.Error()
		}
	}
	defer cl.Close()
	if ms.Username != "" {
		if err := cl.Auth(sasl.NewPlainClient("", ms.Username, ms.Password)); err != nil {
			return "auth", err.Error()
		}
	}
	cl.Quit()
	return "", ""
}

// Certificate lifetimes worth a word.
const certWarnBefore = 14 * 24 * time.Hour

func (c *Checker) certificate(ctx context.Context, domain string) api.ConfigCheck {
	ch := api.ConfigCheck{Name: "certificate"}
	if domain == "" {
		ch.Status, ch.Summary = api.CheckSkipped, "No domain is set, so there is no certificate to check."
		return ch
	}
	sctx, cancel := c.step(ctx)
	defer cancel()
	addr := net.JoinHostPort(domain, strconv.Itoa(c.cfg.HTTPSPort))
	conn, err := c.cfg.Dial(sctx, "tcp", addr)
	if err != nil {
		ch.Status, ch.Summary = api.CheckProblem, fmt.Sprintf("Nothing answers at %s (%v).", addr, err)
		ch.Fix = "Start the portal service, and check that the domain points at this computer and the router forwards port 443 to it."
		return ch
	}
	defer conn.Close()
	// Verified by hand below, so an expired or foreign certificate can be
	// described rather than only refused.
	t := tls.Client(conn, &tls.Config{ServerName: domain, InsecureSkipVerify: true, MinVersion: tls.VersionTLS12})
	if err := t.HandshakeContext(sctx); err != nil {
		if c.cfg.Ours != nil && c.cfg.Ours(c.cfg.HTTPSPort) {
			// The portal's own listener, without a certificate to serve yet.
			ch.Status, ch.Summary = api.CheckWarning, fmt.Sprintf("The portal service answers at %s but has no certificate for %s yet.", addr, domain)
			ch.Fix = fmt.Sprintf("It gets one by itself once %s points at this computer and ports 80 and 443 reach it, and see GET /api/v1/tls for the certificate's state.", domain)
			return ch
		}
		ch.Status, ch.Summary = api.CheckProblem, fmt.Sprintf("%s answers, but not with TLS (%v).", addr, err)
		ch.Fix = fmt.Sprintf("Check that the portal service (not another program) holds port %d, and see GET /api/v1/tls for the certificate's state.", c.cfg.HTTPSPort)
		return ch
	}
	certs := t.ConnectionState().PeerCertificates
	leaf := certs[0]
	inter := x509.NewCertPool()
	for _, ic := range certs[1:] {
		inter.AddCert(ic)
	}
	now := c.cfg.Now()
	_, verr := leaf.Verify(x509.VerifyOptions{DNSName: domain, Roots: c.cfg.RootCAs, Intermediates: inter, CurrentTime: now})
	left := leaf.NotAfter.Sub(now)
	issuer := leaf.Issuer.CommonName
	switch {
	case now.After(leaf.NotAfter):
		ch.Status = api.CheckProblem
		ch.Summary = fmt.Sprintf("The certificate for %s expired on %s.", domain, leaf.NotAfter.UTC().Format("2006-01-02"))
		ch.Fix = "See GET /api/v1/tls for why renewal failed (often port 80 or 443 not reaching this computer), fix that, and restart the service."
	case verr != nil:
		ch.Status = api.CheckProblem
		ch.Summary = fmt.Sprintf("The certificate %s serves is not valid for it (%v).", addr, verr)
		ch.Fix = "Check the domain and certificate settings (GET /api/v1/tls): the portal gets a certificate for the domain by itself once the domain points here."
	case left < certWarnBefore:
		ch.Status = api.CheckWarning
		ch.Summary = fmt.Sprintf("The certificate for %s (from %s) is valid, but only for %d more days, until %s.", domain, issuer, int(left.Hours()/24), leaf.NotAfter.UTC().Format("2006-01-02"))
		ch.Fix = "It should have been renewed by now: see GET /api/v1/tls for the last renewal error."
	default:
		ch.Status = api.CheckOK
		ch.Summary = fmt.Sprintf("The certificate for %s (from %s) is valid for %d more days, until %s.", domain, issuer, int(left.Hours()/24), leaf.NotAfter.UTC().Format("2006-01-02"))
	}
	return ch
}

func (c *Checker) officeKey(docs int) api.ConfigCheck {
	ch := api.ConfigCheck{Name: "office_key"}
	path := c.cfg.OfficeKey
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist) && docs == 0:
		ch.Status, ch.Summary = api.CheckOK, fmt.Sprintf("There is no office key at %s yet; the service creates it at its first start.", path)
		ch.Fix = "Once it exists, keep a copy of it apart from the backups (see the README's Documents section)."
		return ch
	case errors.Is(err, os.ErrNotExist):
		ch.Status, ch.Summary = api.CheckProblem, fmt.Sprintf("The office key is missing from %s, so none of the %d documents can be read.", path, docs)
		ch.Fix = fmt.Sprintf("Put the office's copy of the key back at %s (readable by the service's account only), then restart the service.", path)
		return ch
	case err != nil:
		ch.Status, ch.Summary = api.CheckProblem, fmt.Sprintf("The office key at %s cannot be read (%v).", path, err)
		ch.Fix = "Run the check as the service's account or as administrator; the key must be readable by the service's account only (mode 0600)."
		return ch
	}
	id := parseKey(data)
	if id == nil {
		ch.Status, ch.Summary = api.CheckProblem, fmt.Sprintf("The file %s is not an office key (a line AGE-SECRET-KEY-1...).", path)
		ch.Fix = "Put the office's copy of the key back at " + path + "."
		return ch
	}
	if name, ok := firstDocument(filepath.Join(c.cfg.DataDir, "documents")); ok {
		f, err := os.Open(name)
		if err == nil {
			_, err = age.Decrypt(f, id)
			f.Close()
		}
		if err != nil {
			ch.Status, ch.Summary = api.CheckProblem, fmt.Sprintf("The office key at %s does not open the stored documents (%v).", path, err)
			ch.Fix = "This is another office's key, or a new one made after the old one went missing: put the office's own copy back at " + path + "."
			return ch
		}
	}
	ch.Status, ch.Summary = api.CheckOK, fmt.Sprintf("The office key at %s is there and opens the stored documents (%d).", path, docs)
	if docs == 0 {
		ch.Summary = fmt.Sprintf("The office key at %s is there (no documents are stored yet).", path)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		ch.Status = api.CheckWarning
		ch.Fix = fmt.Sprintf("Others can read it (mode %o): make it readable by the service's account only (chmod 600 %s).", fi.Mode().Perm(), path)
	}
	return ch
}

func parseKey(data []byte) *age.X25519Identity {
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			id, err := age.ParseX25519Identity(line)
			if err != nil {
				return nil
			}
			return id
		}
	}
	return nil
}

func firstDocument(dir string) (string, bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", false
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".age") && !strings.HasPrefix(e.Name(), ".") && e.Type().IsRegular() {
			return filepath.Join(dir, e.Name()), true
		}
	}
	return "", false
}

func askPublicIP(ctx context.Context, url string) (net.IP, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask %s: %w", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64))
	ip := net.ParseIP(strings.TrimSpace(string(b)))
	if resp.StatusCode != http.StatusOK || ip == nil {
		return nil, fmt.Errorf("%s answered %s, not an address", url, resp.Status)
	}
	return ip, nil
}

func errText(err error) string {
	if err == nil {
		return "no address records"
	}
	return err.Error()
}
