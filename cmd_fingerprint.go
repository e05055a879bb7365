package main

import (
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"clientportal/installer"
	"clientportal/server/tlsmgr"
)

// cmdStaffFingerprint runs `clientportal staff-fingerprint`: the staff
// listener's certificate fingerprint, read from the data folder, so the
// administrator can compare it with what an office computer shows while
// pairing, whether the service runs or not. Only the certificate is read
// (it is public); the key stays untouched.
func cmdStaffFingerprint(args []string, stdout io.Writer) error {
	c := newCommand("staff-fingerprint", "[--data DIR]")
	data := c.flags.String("data", installer.DefaultDataDir(), "the service's data folder")
	if err := c.parse(args, stdout); err != nil {
		return err
	}
	if c.flags.NArg() > 0 {
		return &usageError{cmd: "staff-fingerprint", msg: fmt.Sprintf("unexpected argument %q", c.flags.Arg(0))}
	}
	path := filepath.Join(*data, tlsmgr.StaffCertFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s does not exist: the service makes the staff listener's certificate when it first opens the staff listener "+
			"(once a domain is set, or with --staff-listen); start it, then run this again (check --data if the data folder is elsewhere)", path)
	}
	if err != nil {
		return fmt.Errorf("read the staff listener's certificate: %w", err)
	}
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "CERTIFICATE" {
		return fmt.Errorf("%s holds no PEM certificate: restore it from a backup, or remove %s and %s so the service makes a new one (every office computer must then pair again)",
			path, path, filepath.Join(*data, tlsmgr.StaffKeyFile))
	}
	fp := tlsmgr.Fingerprint(block.Bytes)
	fmt.Fprintf(stdout, "The staff listener's certificate SHA-256 fingerprint (compare it with the one the control panel shows when pairing):\n  %s\nRead aloud: %s\n", fp, groupFingerprint(fp))
	return nil
}

// groupFingerprint writes a fingerprint as the control panel shows it:
// groups of four hex digits.
func groupFingerprint(fp string) string {
	var hex []rune
	for _, r := range fp {
		if r != ':' {
			hex = append(hex, r)
		}
	}
	out := make([]rune, 0, len(hex)+len(hex)/4)
	for i, r := range hex {
		if i > 0 && i%4 == 0 {
			out = append(out, ' ')
		}
		out = append(out, r)
	}
	return string(out)
}
