// Package setup gives a new office its first administrator, and a locked-out
// administrator a new password. A service that starts with no staff issues a
// single-use setup code: its SHA-256 goes into the store with an expiry, the
// code itself into a file in the data folder that only the service's OS user
// can read. POST /api/v1/setup redeems it from the server itself (Handler).
// The command line's `admin create` and `admin reset-password` call
// CreateAdmin and ResetPassword with the service stopped.
package setup

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/password"
	"clientportal/store"
)

const (
	// FileName is the setup code's file in the data folder.
	FileName = api.SetupCodeFile
	// Lifetime is how long a setup code is valid.
	Lifetime = 24 * time.Hour
)

// codeAlphabet is Crockford's base32: no I, L, O or U to misread. Twenty
// characters carry 100 random bits.
const (
	codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeLen      = 20
)

// Code is an issued setup code: where its file is and until when it works.
type Code struct {
	Path    string
	Expires time.Time
}

// FilePath is the setup code's file for the store s.
func FilePath(s *store.Store) string { return filepath.Join(filepath.Dir(s.Path()), FileName) }

// Issue gives an office with no staff a fresh setup code (replacing any
// earlier one, whose file may have been lost) and reports it with ok true.
// For an office that has staff it removes any leftover code and file and
// returns ok false.
func Issue(ctx context.Context, s *store.Store) (c Code, ok bool, err error) {
	code, err := newCode()
	if err != nil {
		return Code{}, false, err
	}
	c.Path = FilePath(s)
	err = s.Update(ctx, func(tx *store.Tx) error {
		if tx.HasStaff() {
			return tx.DeleteSetupCode()
		}
		ok = true
		c.Expires = tx.Now().Add(Lifetime)
		return tx.PutSetupCode(store.SetupCode{Hash: hashCode(code), Expires: c.Expires})
	})
	if err != nil {
		return Code{}, false, fmt.Errorf("issue setup code: %w", err)
	}
	if !ok {
		return Code{}, false, removeFile(c.Path)
	}
	if err := writeFile(c.Path, code+"\n"); err != nil {
		return Code{}, false, fmt.Errorf("write setup code: %w", err)
	}
	return c, true, nil
}

func newCode() (string, error) {
	b := make([]byte, codeLen)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("setup code: %w", err)
	}
	var sb strings.Builder
	for i, v := range b {
		if i > 0 && i%5 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[v&31]) // 256 is a multiple of 32: no bias
	}
	return sb.String(), nil
}

// normalize lets the code be typed in lower case, with or without dashes and
// spaces, and with the letters Crockford's base32 reads as digits.
func normalize(code string) string {
	return strings.Map(func(r rune) rune {
		switch r = unicode.ToUpper(r); r {
		case '-', ' ', '\t', '\n', '\r':
			return -1
		case 'O':
			return '0'
		case 'I', 'L':
			return '1'
		}
		return r
	}, code)
}

func hashCode(code string) []byte {
	h := sha256.Sum256([]byte(normalize(code)))
	return h[:]
}

// writeFile writes the code readable by its owner only: a temp file, synced,
// then renamed over the old one, so a reader never sees half a code.
func writeFile(path, content string) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".setup-code-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.WriteString(content); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove used setup code: %w", err)
	}
	return nil
}

// Admin is a new administrator's login.
type Admin struct {
	Email    string
	Name     string
	Password string
}

// CheckIdentity checks and normalises the email and name; its errors are
// api.Errors naming the field.
func (in *Admin) CheckIdentity() error {
	var err error
	if in.Email, err = checkEmail(in.Email); err != nil {
		return err
	}
	in.Name, err = checkName(in.Name)
	return err
}

// CheckPassword applies the staff password rules (NIST SP 800-63B: long, and
// not common or guessable from the name or email).
func CheckPassword(pw, name, email string) error {
	if problems := password.Check(store.PolicyNIST, pw, name, email); len(problems) > 0 {
		return api.Invalid("password", password.SummaryText(problems))
	}
	return nil
}

// Actor is who runs a setup action, for the audit log: the command line
// ("cli", with the OS user in Detail) or the setup code (with the address).
type Actor struct {
	Name   string
	IP     string
	Detail string
}

func (a Actor) entry(action, target, detail string) store.AuditEntry {
	if a.Detail != "" {
		detail = strings.TrimPrefix(detail+"; "+a.Detail, "; ")
	}
	return store.AuditEntry{ActorKind: "system", ActorName: a.Name, IP: a.IP, Action: action, Target: target, Detail: detail}
}

// ErrEmailTaken means a staff member already has the new administrator's
// email.
var ErrEmailTaken = api.Conflict("email", apitext.New("setup.staff_member_already_has", "a staff member already has this email; to give them a new password, use `clientportal admin reset-password`"))

// CreateAdmin adds an administrator (any number of staff may exist) and
// retires the setup code, which an office with staff no longer needs.
func CreateAdmin(ctx context.Context, s *store.Store, h password.Hasher, in Admin, by Actor) (store.Staff, error) {
	if err := in.CheckIdentity(); err != nil {
		return store.Staff{}, err
	}
	if err := CheckPassword(in.Password, in.Name, in.Email); err != nil {
		return store.Staff{}, err
	}
	hash, err := h.Hash(in.Password)
	if err != nil {
		return store.Staff{}, err
	}
	st := store.Staff{Email: in.Email, Name: in.Name, Role: store.RoleAdmin, PasswordHash: hash}
	err = s.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutStaff(&st); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return ErrEmailTaken
			}
			return err
		}
		if err := tx.DeleteSetupCode(); err != nil {
			return err
		}
		return tx.Audit(by.entry("staff.create", target(st.ID), "administrator"))
	})
	if err != nil {
		return store.Staff{}, err
	}
	return st, removeFile(FilePath(s))
}

// Administrator finds the administrator with this email, for
// ResetPassword's caller to check before asking for the password.
func Administrator(ctx context.Context, s *store.Store, email string) (store.Staff, error) {
	var st store.Staff
	var admins []string
	err := s.View(ctx, func(tx *store.Tx) error {
		var err error
		st, err = tx.StaffByEmail(email)
		if err == nil && st.Role == store.RoleAdmin {
			return nil
		}
		all, lerr := tx.ListStaff()
		if lerr != nil {
			return lerr
		}
		for _, a := range all {
			if a.Role == store.RoleAdmin {
				admins = append(admins, a.Email)
			}
		}
		return err
	})
	known := "this office has no administrator yet: create one with `clientportal admin create`"
	if len(admins) > 0 {
		known = "its administrators are " + strings.Join(admins, ", ")
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Staff{}, fmt.Errorf("no staff member has the email %s; %s", store.NormalizeEmail(email), known)
	case err != nil:
		return store.Staff{}, err
	case st.Role != store.RoleAdmin:
		return store.Staff{}, fmt.Errorf("%s is not an administrator: an administrator sets their password in the control panel (PATCH /api/v1/staff/%d); %s", st.Email, st.ID, known)
	}
	return st, nil
}

// ResetPassword gives the administrator with this email a new password and
// ends their sessions.
func ResetPassword(ctx context.Context, s *store.Store, h password.Hasher, email, pw string, by Actor) (store.Staff, error) {
	st, err := Administrator(ctx, s, email)
	if err != nil {
		return store.Staff{}, err
	}
	if err := CheckPassword(pw, st.Name, st.Email); err != nil {
		return store.Staff{}, err
	}
	hash, err := h.Hash(pw)
	if err != nil {
		return store.Staff{}, err
	}
	err = s.Update(ctx, func(tx *store.Tx) error {
		// Read again inside the write: only the hash changes.
		cur, err := tx.Staff(st.ID)
		if err != nil {
			return err
		}
		cur.PasswordHash = hash
		cur.Lockout.Clear() // a locked-out administrator gets back in at once
		if err := tx.PutStaff(&cur); err != nil {
			return err
		}
		n, err := tx.DeleteSessionsOf(store.SessionStaff, cur.ID)
		if err != nil {
			return err
		}
		st = cur
		return tx.Audit(by.entry("staff.password_reset", target(cur.ID), fmt.Sprintf("administrator's password reset; %d sessions ended", n)))
	})
	if err != nil {
		return store.Staff{}, err
	}
	return st, nil
}

func target(id uint64) string { return fmt.Sprintf("staff:%d", id) }

// checkEmail follows the staff API's rule for emails.
func checkEmail(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", api.Invalid("email", apitext.New("setup.email_required", "email is required"))
	}
	addr, err := mail.ParseAddress(v)
	if err != nil || addr.Address != v || len(v) > 254 || !strings.Contains(v[strings.LastIndexByte(v, '@'):], ".") {
		return "", api.Invalid("email", apitext.New("setup.email_plain_email_address", "email must be a plain email address like name@example.org"))
	}
	return store.NormalizeEmail(v), nil
}

// checkName follows the staff API's rule for a staff member's name.
func checkName(v string) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", api.Invalid("name", apitext.New("setup.name_required", "name is required"))
	case utf8.RuneCountInString(v) > 120:
		return "", api.Invalid("name", apitext.New("setup.name_most_120_characters", "name must be at most 120 characters"))
	case !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl):
		return "", api.Invalid("name", apitext.New("setup.name_one_line_text", "name must be one line of text without control characters"))
	}
	return v, nil
}
