package apiclient

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"clientportal/server/api"
)

// TLS reads the state of the service's certificates, and the staff
// listener's fingerprint.
func (c *Client) TLS(ctx context.Context) (api.TLSStatus, error) {
	var out api.TLSStatus
	return out, c.call(ctx, http.MethodGet, api.PathTLS, nil, nil, &out)
}

// DomainSettings reads the office's domain and certificate settings (admin only).
func (c *Client) DomainSettings(ctx context.Context) (api.DomainSettings, error) {
	var out api.DomainSettings
	return out, c.call(ctx, http.MethodGet, api.PathSettingsDomain, nil, nil, &out)
}

// PutDomainSettings changes the fields in sets (admin only); a new domain
// takes effect at once, its certificate coming in the background (TLS).
func (c *Client) PutDomainSettings(ctx context.Context, in api.DomainInput) (api.DomainSettings, error) {
	var out api.DomainSettings
	return out, c.call(ctx, http.MethodPut, api.PathSettingsDomain, nil, in, &out)
}

// WithPinnedFingerprint connects over HTTPS trusting exactly the
// certificate whose SHA-256 fingerprint is fp (as FetchFingerprint answers
// and `serve` prints; hex, colons optional), instead of the system's roots:
// the staff listener's self-signed certificate. A service presenting
// another certificate is refused with a *PinError. New refuses an fp that
// is not a SHA-256 fingerprint, and a base URL that is not https.
func WithPinnedFingerprint(fp string) Option { return func(c *Client) { c.pin = &fp } }

// PinError is a service whose certificate is not the pinned one.
type PinError struct {
	Host      string
	Want, Got string // fingerprints, colon-separated hex
}

func (e *PinError) Error() string {
	return fmt.Sprintf("the service at %s presented a certificate with fingerprint %s, not the paired %s: "+
		"this is not the office's service, or its certificate was replaced; pair again only after the administrator confirms the new fingerprint on the server",
		e.Host, e.Got, e.Want)
}

// ParseFingerprint reads a SHA-256 fingerprint (64 hex digits, colons and
// spaces ignored, any case) into its colon-separated upper-case form.
func ParseFingerprint(fp string) (string, error) {
	h := strings.NewReplacer(":", "", " ", "", "-", "").Replace(strings.TrimSpace(fp))
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != sha256.Size {
		return "", fmt.Errorf("fingerprint %q: want a SHA-256 fingerprint, 64 hex digits (colons optional), as the service printed it", fp)
	}
	return formatFingerprint(b), nil
}

func formatFingerprint(sum []byte) string {
	parts := make([]string, len(sum))
	for i, x := range sum {
		parts[i] = fmt.Sprintf("%02X", x)
	}
	return strings.Join(parts, ":")
}

// pinnedTLS trusts only the certificate whose fingerprint is want.
func pinnedTLS(host, want string) *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The chain is not checked against roots: the pin is the trust.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return &PinError{Host: host, Want: want, Got: "(none)"}
			}
			sum := sha256.Sum256(cs.PeerCertificates[0].Raw)
			if got := formatFingerprint(sum[:]); got != want {
				return &PinError{Host: host, Want: want, Got: got}
			}
			return nil
		},
	}
}

// usePin gives c a transport that trusts only its pinned certificate.
func (c *Client) usePin(u *url.URL) error {
	want, err := ParseFingerprint(*c.pin)
	if err != nil {
		return err
	}
	if u.Scheme != "https" {
		return fmt.Errorf("service address %s: a pinned fingerprint needs an https:// address", u.Redacted())
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = pinnedTLS(u.Host, want)
	hc := *c.http
	hc.Transport = tr
	c.http = &hc
	return nil
}

// FetchFingerprint connects to the service at baseURL (https) without
// trusting anything yet and answers the SHA-256 fingerprint of the
// certificate it presents: what the person pairing compares with the one
// the service printed, before pinning it with WithPinnedFingerprint.
func FetchFingerprint(ctx context.Context, baseURL string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("service address %q: want https://HOST:PORT, the staff listener's address", baseURL)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "443")
	}
	d := tls.Dialer{NetDialer: &net.Dialer{Timeout: 10 * time.Second}, Config: &tls.Config{
		MinVersion: tls.VersionTLS12, InsecureSkipVerify: true, ServerName: u.Hostname()}}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("connect to %s: %w", addr, err)
	}
	defer conn.Close()
	certs := conn.(*tls.Conn).ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return "", errors.New("the service presented no certificate")
	}
	sum := sha256.Sum256(certs[0].Raw)
	return formatFingerprint(sum[:]), nil
}
