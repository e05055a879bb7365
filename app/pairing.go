package app

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// staffPort is the staff listener's port when the address names none.
const staffPort = "8443"

// pairingsFile is where the control panel keeps the servers it paired
// with, in its own config folder (readable by this user only). It holds
// fingerprints, which are public: no token, no password.
const pairingsFile = "pairings.json"

// Pairing is one paired server: its address and the fingerprint of the
// certificate that was compared and accepted.
type Pairing struct {
	Service     string    `json:"service"`
	Fingerprint string    `json:"fingerprint"`
	Paired      time.Time `json:"paired"`
}

// pairings reads and writes pairings.json in dir, one call at a time.
type pairings struct {
	mu  sync.Mutex
	dir string // "": os.UserConfigDir()/clientportal, found when first needed
}

func (p *pairings) path() (string, error) {
	dir := p.dir
	if dir == "" {
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("find this user's config folder to keep the pairing: %w", err)
		}
		dir = filepath.Join(base, "clientportal")
	}
	return filepath.Join(dir, pairingsFile), nil
}

// load reads every pairing, keyed by service address.
func (p *pairings) load() (map[string]Pairing, error) {
	path, err := p.path()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]Pairing{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the paired servers from %s: %w", path, err)
	}
	var file struct {
		Servers []Pairing `json:"servers"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, uiText(apitext.New("error.pairings_damaged", "the paired servers file {{.File}} is damaged ({{.Err}}): remove it and pair again", "File", path, "Err", err.Error()), err)
	}
	out := make(map[string]Pairing, len(file.Servers))
	for _, s := range file.Servers {
		out[s.Service] = s
	}
	return out, nil
}

// save writes every pairing through a synced temp file and a rename, mode
// 0600 in a 0700 folder, so a crash leaves the old file or the new one.
func (p *pairings) save(all map[string]Pairing) error {
	path, err := p.path()
	if err != nil {
		return err
	}
	var file struct {
		Servers []Pairing `json:"servers"`
	}
	for _, s := range all {
		file.Servers = append(file.Servers, s)
	}
	if err := writeJSONFile(path, file); err != nil {
		return fmt.Errorf("keep the pairing in %s: %w", path, err)
	}
	return nil
}

// get is the pairing of service, if any.
func (p *pairings) get(service string) (Pairing, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	all, err := p.load()
	if err != nil {
		return Pairing{}, false, err
	}
	pr, ok := all[service]
	return pr, ok, nil
}

// put pins fp for service; a different pin already there is refused (it
// must be forgotten first, on purpose).
func (p *pairings) put(service, fp string, now time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	all, err := p.load()
	if err != nil {
		return err
	}
	if old, ok := all[service]; ok {
		if old.Fingerprint == fp {
			return nil
		}
		return uiText(apitext.New("error.paired_other", "this computer is already paired with {{.Service}} under another fingerprint: choose \"Forget this server\" first, then compare again", "Service", service), nil)
	}
	all[service] = Pairing{Service: service, Fingerprint: fp, Paired: now.UTC()}
	return p.save(all)
}

// remove forgets the pairing of service (nothing if there was none).
func (p *pairings) remove(service string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	all, err := p.load()
	if err != nil {
		return err
	}
	if _, ok := all[service]; !ok {
		return nil
	}
	delete(all, service)
	return p.save(all)
}

// ServerCheck is what the Connect screen learns of an address before
// anyone types a password.
type ServerCheck struct {
	// Service is the address as the control panel will use it.
	Service string `json:"service"`
	// Trust is how the connection is trusted:
	//   - "local": plain HTTP to this computer (the panel on the server);
	//   - "ca": HTTPS with a certificate from a certificate authority;
	//   - "paired": the staff listener, paired earlier: its certificate is
	//     the pinned one;
	//   - "unpaired": a certificate no authority vouches for, not paired
	//     yet: compare Fingerprint with the one the server shows, then Pair;
	//   - "changed": paired earlier, but the server now presents another
	//     certificate (Fingerprint, not Pinned): refused.
	Trust string `json:"trust"`
	// Fingerprint is the certificate's SHA-256 as presented now, and Spoken
	// the same in groups of four, for reading aloud; Pinned is the paired
	// one, if any.
	Fingerprint string `json:"fingerprint"`
	Spoken      string `json:"spoken"`
	Pinned      string `json:"pinned"`
	PinnedWords string `json:"pinnedSpoken"`
}

// officeAddress checks the address the user typed and returns it as the
// service's base URL. A bare host (192.168.1.10, office-server:8443) means
// the staff listener: https, port 8443 unless given. Plain http is
// allowed only for this computer: a password must not cross the network in
// clear.
func officeAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", uiText(apitext.New("error.address_empty", "enter the portal service's address, such as 192.168.1.10 (the office server) or https://portal.example.org"), nil)
	}
	bare := !strings.Contains(s, "://")
	if bare {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", uiText(apitext.New("error.address_bad", "{{.Address}} is not a service address: write it as 192.168.1.10, office-server:8443 or https://portal.example.org", "Address", strconv.Quote(strings.TrimPrefix(s, "https://"))), err)
	}
	if bare && u.Port() == "" {
		u.Host = net.JoinHostPort(u.Hostname(), staffPort)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", uiText(apitext.New("error.address_plain_http", "use https://{{.Host}}: plain http would send the password unencrypted (it is allowed only for a service on this computer)", "Host", u.Host), nil)
	}
	u.Host = strings.ToLower(u.Host)
	return strings.TrimSuffix(u.String(), "/"), nil
}

// spoken writes a fingerprint in groups of four hex digits ("AB12 CD34 …").
func spoken(fp string) string {
	h := strings.ReplaceAll(fp, ":", "")
	var b strings.Builder
	for i := 0; i < len(h); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i:min(i+4, len(h))])
	}
	return b.String()
}

// notPairedError is an https address whose certificate no authority vouches
// for and that this computer has not paired with: nothing was sent.
type notPairedError struct{ service string }

func (e *notPairedError) Error() string { return e.text().String() }

func (e *notPairedError) text() apitext.Text {
	return apitext.New("error.not_paired", "{{.Service}} is not paired with this computer yet: its certificate is not signed by an authority, so compare its fingerprint with the one the server shows before logging in", "Service", e.service)
}

// pinWarning is the plain words for a paired server presenting another
// certificate.
func pinWarning(pe *apiclient.PinError, service string) error {
	return uiText(apitext.New("error.pin_changed", "Refused: the server at {{.Service}} presented a different certificate from the one this computer paired with "+
		"(paired {{.Paired}}, presented now {{.Now}}). It may be a different machine, or someone intercepting the connection; nothing was sent to it. "+
		"Ask your office's administrator whether the server's certificate was replaced. Only if they confirm it, choose "+
		"\"Forget this server\" and compare the new fingerprint with the one they read to you from the server.",
		"Service", service, "Paired", spoken(pe.Want), "Now", spoken(pe.Got)), pe)
}

// clientFor makes the staff API client for service: plain HTTP on this
// computer, the pinned certificate of a paired server, or else the
// system's roots (or the test's client). The address must have passed
// officeAddress.
func (s *Session) clientFor(service string, opts ...apiclient.Option) (*apiclient.Client, error) {
	opts = append([]apiclient.Option{apiclient.WithHTTPClient(s.link.httpClient()), apiclient.WithLanguage(s.link.language())}, opts...)
	if strings.HasPrefix(service, "http://") {
		return apiclient.New(service, opts...)
	}
	pr, ok, err := s.pairs.get(service)
	if err != nil {
		return nil, err
	}
	if ok {
		opts = append(opts, apiclient.WithPinnedFingerprint(pr.Fingerprint))
	}
	return apiclient.New(service, opts...)
}

// certificateUnknown tells a TLS failure that no trusted authority vouches
// for the certificate (a self-signed staff listener, say).
func certificateUnknown(err error) bool {
	var ve *tls.CertificateVerificationError
	return errors.As(err, &ve)
}

// Check looks at the server at address before anyone logs in: how the
// connection would be trusted and, for the staff listener, the fingerprint
// it presents, to compare with the one the server shows. It sends no
// password and no token.
func (s *Session) Check(address string) (ServerCheck, error) {
	service, err := officeAddress(address)
	if err != nil {
		return ServerCheck{}, err
	}
	out := ServerCheck{Service: service}
	if strings.HasPrefix(service, "http://") {
		out.Trust = "local"
		return out, nil
	}
	ctx, cancel := context.WithTimeout(s.link.context(), callTimeout)
	defer cancel()
	fp, err := apiclient.FetchFingerprint(ctx, service)
	if err != nil {
		return ServerCheck{}, uiText(apitext.New("error.check_unreachable", "cannot reach {{.Service}}: check the address (the staff listener's port is {{.Port}} unless the administrator chose another) and that the service runs", "Service", service, "Port", staffPort), err)
	}
	out.Fingerprint, out.Spoken = fp, spoken(fp)
	pr, ok, err := s.pairs.get(service)
	if err != nil {
		return ServerCheck{}, err
	}
	if ok {
		out.Pinned, out.PinnedWords = pr.Fingerprint, spoken(pr.Fingerprint)
		out.Trust = "paired"
		if pr.Fingerprint != fp {
			out.Trust = "changed"
		}
		return out, nil
	}
	// Not paired: a certificate an authority vouches for (the public
	// domain) needs no pairing. Any answer over that TLS connection (401
	// without a token) says so; the request carries nothing secret.
	c, err := apiclient.New(service, apiclient.WithHTTPClient(s.link.httpClient()), apiclient.WithLanguage(s.link.language()))
	if err != nil {
		return ServerCheck{}, uiText(apitext.New("error.address_unusable", "the service address is not usable"), err)
	}
	_, err = c.Version(ctx)
	var answer *api.Error
	switch {
	case err == nil, errors.As(err, &answer):
		out.Trust = "ca"
	case certificateUnknown(err):
		out.Trust = "unpaired"
	default:
		return ServerCheck{}, explain(service, apitext.New("doing.reach_service", "reach the service"), err)
	}
	return out, nil
}

// Pair pins the certificate whose fingerprint the person compared with the
// server's and found equal. The server must still present that very
// certificate; a server already paired under another fingerprint must be
// forgotten first.
func (s *Session) Pair(address, fingerprint string) (ServerCheck, error) {
	service, err := officeAddress(address)
	if err != nil {
		return ServerCheck{}, err
	}
	if strings.HasPrefix(service, "http://") {
		return ServerCheck{}, uiText(apitext.New("error.pair_local", "a service on this computer over plain http needs no pairing"), nil)
	}
	want, err := apiclient.ParseFingerprint(fingerprint)
	if err != nil {
		return ServerCheck{}, err
	}
	ctx, cancel := context.WithTimeout(s.link.context(), callTimeout)
	defer cancel()
	got, err := apiclient.FetchFingerprint(ctx, service)
	if err != nil {
		return ServerCheck{}, uiText(apitext.New("error.pair_unreachable", "cannot reach {{.Service}} to pair: check that the service runs", "Service", service), err)
	}
	if got != want {
		return ServerCheck{}, uiText(apitext.New("error.pair_changed", "the server at {{.Service}} now presents another certificate ({{.Got}}) than the one you compared ({{.Want}}): nothing was paired; check the address and compare again", "Service", service, "Got", spoken(got), "Want", spoken(want)), nil)
	}
	if err := s.pairs.put(service, want, time.Now()); err != nil {
		return ServerCheck{}, err
	}
	return ServerCheck{Service: service, Trust: "paired", Fingerprint: got, Spoken: spoken(got), Pinned: want, PinnedWords: spoken(want)}, nil
}

// Forget removes the pairing with the server at address (and a kept
// session there): the next connection compares the fingerprint again.
func (s *Session) Forget(address string) error {
	service, err := officeAddress(address)
	if err != nil {
		return err
	}
	if k, ok := s.keep.read(); ok && k.Service == service {
		s.keep.remove()
	}
	return s.pairs.remove(service)
}

// SetConfigDir keeps the paired servers in dir instead of this user's
// config folder (tests).
func (p *Panel) SetConfigDir(dir string) { p.Session.pairs.dir = dir }
