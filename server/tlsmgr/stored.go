package tlsmgr

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/caddyserver/certmagic"
)

// StoredCertificate reads, without running anything, the newest
// certificate kept in the data folder dataDir for domain (from any CA):
// what a configuration check reports while the service is stopped. No
// certificate kept is an error wrapping fs.ErrNotExist.
func StoredCertificate(dataDir, domain string) (*x509.Certificate, error) {
	safe := certmagic.StorageKeys.Safe(domain)
	// certificates/ISSUER/DOMAIN/DOMAIN.crt, certmagic's layout
	// (StorageKeys.SiteCert), for every issuer.
	pattern := filepath.Join(Dir(dataDir), "certificates", "*", safe, safe+".crt")
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("certificate of %s: %w", domain, err)
	}
	var best *x509.Certificate
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("certificate of %s: %w", domain, err)
		}
		b, _ := pem.Decode(data)
		if b == nil || b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("certificate of %s: %s holds no PEM certificate", domain, p)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("certificate of %s: %s: %w", domain, p, err)
		}
		if best == nil || c.NotAfter.After(best.NotAfter) {
			best = c
		}
	}
	if best == nil {
		return nil, fmt.Errorf("no certificate for %s is kept in %s: %w", domain, Dir(dataDir), fs.ErrNotExist)
	}
	return best, nil
}
