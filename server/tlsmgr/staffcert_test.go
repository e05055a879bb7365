package tlsmgr_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"clientportal/server/tlsmgr"
)

// The staff certificate is made once (ECDSA P-256, long-lived, key readable
// by the service only) and then kept: a pinned fingerprint holds across
// restarts, and a damaged file is reported, never silently replaced (which
// would break every office computer's pairing).
func TestStaffCertificateKept(t *testing.T) {
	dir := t.TempDir()
	c, err := tlsmgr.LoadOrCreateStaff(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^([0-9A-F]{2}:){31}[0-9A-F]{2}$`).MatchString(c.Fingerprint) {
		t.Errorf("fingerprint %q: want 32 colon-separated upper-case hex bytes", c.Fingerprint)
	}
	leaf, err := x509.ParseCertificate(c.TLS.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		t.Errorf("key %T: want ECDSA P-256", leaf.PublicKey)
	}
	if time.Until(leaf.NotAfter) < 19*365*24*time.Hour {
		t.Errorf("valid until %s: want about 20 years", leaf.NotAfter)
	}
	if len(leaf.IPAddresses) == 0 || !strings.Contains(strings.Join(leaf.DNSNames, ","), "localhost") {
		t.Errorf("names %v addresses %v: want this machine's", leaf.DNSNames, leaf.IPAddresses)
	}
	if fi, err := os.Stat(filepath.Join(dir, tlsmgr.StaffKeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file %v, %v: want mode 0600", fi, err)
	}
	again, err := tlsmgr.LoadOrCreateStaff(dir)
	if err != nil || again.Fingerprint != c.Fingerprint {
		t.Errorf("second start: %s, %v; want the same certificate %s", again.Fingerprint, err, c.Fingerprint)
	}
	if err := os.WriteFile(filepath.Join(dir, tlsmgr.StaffCertFile), []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tlsmgr.LoadOrCreateStaff(dir); err == nil || !strings.Contains(err.Error(), "pair again") {
		t.Errorf("damaged certificate: %v; want an error saying what to do", err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, tlsmgr.StaffCertFile)); string(data) != "damaged" {
		t.Error("a damaged certificate was replaced")
	}
}
