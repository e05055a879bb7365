package tlsmgr

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The staff listener's certificate and key, in the data folder.
const (
	StaffCertFile = "staff-cert.pem"
	StaffKeyFile  = "staff-key.pem"
)

// staffValidity is long: office computers pin the certificate itself, so a
// new one would mean pairing every computer again.
const staffValidity = 20 * 365 * 24 * time.Hour

// StaffCert is the staff listener's certificate.
type StaffCert struct {
	TLS         tls.Certificate
	Fingerprint string // SHA-256 of the certificate, colon-separated hex
}

// LoadOrCreateStaff loads the staff listener's certificate from dataDir, or
// makes it at first start: ECDSA P-256, self-signed, valid 20 years, for
// this machine's names and addresses (the key readable by the service's
// user only). Clients pin its fingerprint, not its names.
func LoadOrCreateStaff(dataDir string) (StaffCert, error) {
	certPath, keyPath := filepath.Join(dataDir, StaffCertFile), filepath.Join(dataDir, StaffKeyFile)
	c, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err == nil {
		return StaffCert{TLS: c, Fingerprint: Fingerprint(c.Certificate[0])}, nil
	}
	if _, statErr := os.Stat(certPath); !errors.Is(statErr, fs.ErrNotExist) {
		return StaffCert{}, fmt.Errorf("the staff listener's certificate %s cannot be read (%w): restore it from a backup, or remove %s and %s to make a new one (every office computer must then pair again)",
			certPath, err, certPath, keyPath)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return StaffCert{}, fmt.Errorf("staff certificate: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return StaffCert{}, fmt.Errorf("staff certificate: %w", err)
	}
	host, _ := os.Hostname()
	dns, ips := machineNames(host)
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "clientportal staff listener " + host, Organization: []string{"clientportal"}},
		NotBefore:    now.Add(-time.Hour), NotAfter: now.Add(staffValidity),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    dns, IPAddresses: ips,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return StaffCert{}, fmt.Errorf("staff certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return StaffCert{}, fmt.Errorf("staff certificate: %w", err)
	}
	// The key first: a certificate without its key would be unusable.
	if err := writeFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return StaffCert{}, err
	}
	if err := writeFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return StaffCert{}, err
	}
	c, err = tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return StaffCert{}, fmt.Errorf("staff certificate: read back: %w", err)
	}
	return StaffCert{TLS: c, Fingerprint: Fingerprint(der)}, nil
}

// machineNames are the names and addresses this machine is reached at.
func machineNames(host string) ([]string, []net.IP) {
	dns := []string{"localhost"}
	if host != "" && host != "localhost" {
		dns = append(dns, host)
	}
	ips := []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			ips = append(ips, n.IP)
		}
	}
	return dns, ips
}

// writeFile writes data to path through a synced temp file and a rename, so
// a crash leaves the old file or the whole new one.
func writeFile(path string, data []byte, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Fingerprint is the SHA-256 of a DER certificate as colon-separated
// upper-case hex ("AB:CD:..."), the form serve prints.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// StaffTLSConfig is the staff listener's configuration: its own
// certificate, TLS 1.2 or later, modern suites, HTTP/2.
func StaffTLSConfig(c StaffCert) *tls.Config {
	cfg := modernTLS()
	cfg.Certificates = []tls.Certificate{c.TLS}
	return cfg
}
