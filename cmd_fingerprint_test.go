package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clientportal/server/tlsmgr"
)

// TestStaffFingerprint: the command prints the fingerprint of the
// certificate the staff listener serves, without the service running, and
// says what to do when there is none.
func TestStaffFingerprint(t *testing.T) {
	dir := t.TempDir()
	cert, err := tlsmgr.LoadOrCreateStaff(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := runCommand([]string{"staff-fingerprint", "--data", dir}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	grouped := strings.ReplaceAll(cert.Fingerprint, ":", "")
	if !strings.Contains(out.String(), "\n  "+cert.Fingerprint+"\n") || !strings.Contains(out.String(), "Read aloud: "+grouped[:4]+" "+grouped[4:8]+" ") {
		t.Errorf("output %q: want the fingerprint %s, and grouped by four", out.String(), cert.Fingerprint)
	}
	// The key is not needed (the command may run as another user).
	if err := os.Remove(filepath.Join(dir, tlsmgr.StaffKeyFile)); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := runCommand([]string{"staff-fingerprint", "--data", dir}, nil, &out, &errOut); code != 0 || !strings.Contains(out.String(), cert.Fingerprint) {
		t.Errorf("without the key: exit %d, %q", code, out.String())
	}

	for _, tt := range []struct {
		name  string
		setup func(dir string)
		words string
	}{
		{"none yet", func(string) {}, "does not exist: the service makes the staff listener's certificate"},
		{"not a certificate", func(d string) { os.WriteFile(filepath.Join(d, tlsmgr.StaffCertFile), []byte("junk"), 0o644) }, "holds no PEM certificate: restore it from a backup"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := t.TempDir()
			tt.setup(d)
			var out, errOut bytes.Buffer
			if code := runCommand([]string{"staff-fingerprint", "--data", d}, nil, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), tt.words) {
				t.Errorf("exit %d, %q; want 1 and %q", code, errOut.String(), tt.words)
			}
		})
	}
}
