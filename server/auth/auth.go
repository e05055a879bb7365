// Package auth answers "who is this request": it logs clients and staff in
// with their passwords (within a memory budget for hashing), counts bad
// attempts and locks accounts out for a while, audits every failure, and
// issues and checks sessions. Session tokens are random, stored only as their SHA-256,
// and expire when idle and at an absolute lifetime. It also keeps the second
// step of a login (secondfactor.go: TOTP and recovery codes), passkeys
// (passkey.go: WebAuthn) and staff previews of a client's portal
// (preview.go), each with short-lived tokens stored the same way.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"clientportal/server/password"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// ErrBadLogin is the one answer to a failed login, whatever the reason
// (unknown email, wrong password, locked or not allowed), so an attacker
// learns nothing about which accounts exist.
var ErrBadLogin = errors.New("the email or password is not correct, or this account cannot log in now")

// ErrNoSession means the token is unknown, expired, or belongs to an account
// that may no longer log in.
var ErrNoSession = errors.New("not logged in")

// touchEvery limits how often a session's last-seen time is written: idle
// timeouts are minutes long, and a write per page view would cost an fsync.
const touchEvery = time.Minute

// ErrBusy means the service is checking as many passwords as its memory
// budget allows: the login was refused unchecked and can be tried again in a
// moment (password.RetryBusy). It is password.ErrBusy.
var ErrBusy = password.ErrBusy

// Bounds on what a login attempt may send; longer input fails unchecked.
const (
	maxEmailLen     = 254 // RFC 5321's longest address
	auditedEmailLen = 100 // an unknown email is recorded up to this many characters
)

// Authenticator logs people in and checks their sessions.
type Authenticator struct {
	store *store.Store
	gate  *password.Gate
	log   *slog.Logger
	// floods lets through one audit entry per address and minute for logins
	// refused unchecked (rate limited, or busy), so a flood cannot grow the
	// audit log without bound.
	floods *ratelimit.Limiter
}

// New returns an Authenticator over s. Every password hash and check it runs
// goes through gate, which bounds the memory hashing uses at once.
func New(s *store.Store, gate *password.Gate, log *slog.Logger) *Authenticator {
	return &Authenticator{store: s, gate: gate, log: log, floods: ratelimit.New(time.Minute, 1)}
}

// Hasher is the password hasher in use, for work outside request paths
// (tests, demo data). Request paths use HashPassword and VerifyPassword, which
// keep within the hashing budget.
func (a *Authenticator) Hasher() password.Hasher { return a.gate.Hasher() }

// HashPassword hashes a new password within the hashing budget; it fails with
// ErrBusy when the budget stays full.
func (a *Authenticator) HashPassword(ctx context.Context, pw string) (string, error) {
	return a.gate.Hash(ctx, pw)
}

// VerifyPassword reports whether pw matches the stored hash, within the
// hashing budget; it fails with ErrBusy when the budget stays full.
func (a *Authenticator) VerifyPassword(ctx context.Context, encoded, pw string) (bool, error) {
	match, _, err := a.gate.Verify(ctx, encoded, pw)
	return match, err
}

// NewToken returns a random session token and the hash under which it is stored.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err)) // the OS has no randomness: nothing is safe
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the stored form of a token.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Login is a new session.
type Login struct {
	Token   string
	Session store.Session
}

// subject is a client or staff record as a login sees it: pointers into the
// record, so that what the login changes lands in it.
type subject struct {
	id      uint64
	name    string
	hash    *string
	lockout *store.Lockout
	lastAt  *time.Time
	lastIP  *string
	refusal string // why this account may not log in at all; "" when it may
	onLogin func() // further changes at a good login
	put     func(tx *store.Tx) error
}

// kind is what differs between client and staff logins.
type kind struct {
	session store.SessionKind
	mode    func(store.Settings) store.LockoutMode
	// load reads the record by email, or by id when id is not 0.
	load func(tx *store.Tx, email string, id uint64) (subject, error)
}

// LoginClient checks a client's email and password and opens a session.
// replaceToken, when not empty, is the session the browser had before: it
// ends, so the session identifier changes at login.
func (a *Authenticator) LoginClient(ctx context.Context, email, pw, ip, replaceToken string) (store.Client, Login, error) {
	var c store.Client
	login, err := a.login(ctx, clientKind(&c), email, pw, ip, replaceToken)
	if err != nil {
		return store.Client{}, Login{}, err
	}
	return c, login, nil
}

// clientKind is a client login; load fills *c.
func clientKind(c *store.Client) kind {
	return kind{
		session: store.SessionClient,
		mode:    func(set store.Settings) store.LockoutMode { return set.LockoutMode },
		load: func(tx *store.Tx, email string, id uint64) (subject, error) {
			var err error
			if id == 0 {
				*c, err = tx.ClientByEmail(email)
			} else {
				*c, err = tx.Client(id)
			}
			if err != nil {
				return subject{}, err
			}
			s := subject{id: c.ID, name: c.Name, hash: &c.Access.PasswordHash, lockout: &c.Access.Lockout,
				lastAt: &c.Access.LastLoginAt, lastIP: &c.Access.LastLoginIP,
				onLogin: func() { c.Access.Activated = true },
				put:     func(tx *store.Tx) error { return tx.PutClient(c) }}
			switch {
			case c.Access.Locked:
				s.refusal = "account locked by staff"
			case !c.Access.AllowedToLogOn:
				s.refusal = "not allowed to log on"
			}
			return s, nil
		},
	}
}

// LoginStaff checks a staff member's email and password and opens a session.
// Staff lockouts are always temporary, whatever the office's client setting:
// an "until unlocked" lockout would let anyone lock out every administrator.
func (a *Authenticator) LoginStaff(ctx context.Context, email, pw, ip string) (store.Staff, Login, error) {
	var s store.Staff
	login, err := a.login(ctx, staffKind(&s), email, pw, ip, "")
	if err != nil {
		return store.Staff{}, Login{}, err
	}
	return s, login, nil
}

// staffKind is a staff login; load fills *s.
func staffKind(s *store.Staff) kind {
	return kind{
		session: store.SessionStaff,
		mode:    func(store.Settings) store.LockoutMode { return store.LockoutTemporary },
		load: func(tx *store.Tx, email string, id uint64) (subject, error) {
			var err error
			if id == 0 {
				*s, err = tx.StaffByEmail(email)
			} else {
				*s, err = tx.Staff(id)
			}
			if err != nil {
				return subject{}, err
			}
			sub := subject{id: s.ID, name: s.Name, hash: &s.PasswordHash, lockout: &s.Lockout,
				lastAt: &s.LastLoginAt, lastIP: &s.LastLoginIP, onLogin: func() {},
				put: func(tx *store.Tx) error { return tx.PutStaff(s) }}
			if s.Disabled {
				sub.refusal = "account disabled"
			}
			return sub, nil
		},
	}
}

// login is the one login procedure for clients and staff:
//  1. refuse input longer than anything stored, unchecked;
//  2. read the account, and verify the password within the hashing budget
//     (an unknown email runs the same hash against nothing, so it costs the
//     same and waits in the same queue);
//  3. in one write transaction, read the account again and judge by what is
//     stored now: a password changed, a lock or a disable that committed while
//     we hashed wins, so no session outlives a reset it raced;
//  4. a bad password counts toward the lockout; a locked-out account is
//     refused even with the right password; every failure is audited.
//
// Every failure is ErrBadLogin, whatever the reason, so the answer says
// nothing about which accounts exist or are locked out.
func (a *Authenticator) login(ctx context.Context, k kind, email, pw, ip, replaceToken string) (Login, error) {
	email = strings.TrimSpace(email)
	if len(email) > maxEmailLen || !password.Fits(pw) {
		return Login{}, a.failed(ctx, k, ip, "email or password longer than any account's; tried "+tried(email))
	}
	// When the stored hash changed while we checked (a concurrent login
	// upgraded it, or someone set a new password), check once more against
	// what is stored now rather than refuse a right password.
	login, err := a.attempt(ctx, k, email, pw, ip, replaceToken, false)
	if errors.Is(err, errHashChanged) {
		login, err = a.attempt(ctx, k, email, pw, ip, replaceToken, true)
	}
	return login, err
}

// errHashChanged means the password hash changed during an attempt.
var errHashChanged = errors.New("the password changed during the login")

// attempt is one pass of login. Unless last, a hash changed meanwhile ends it
// with errHashChanged and nothing written.
func (a *Authenticator) attempt(ctx context.Context, k kind, email, pw, ip, replaceToken string, last bool) (Login, error) {
	var snap subject
	found := false
	err := a.store.View(ctx, func(tx *store.Tx) error {
		s, err := k.load(tx, email, 0)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		snap, found = s, err == nil
		return err
	})
	if err != nil {
		return Login{}, fmt.Errorf("%s login: %w", k.session, err)
	}
	var snapHash string
	if found {
		snapHash = *snap.hash
	}
	var match, stale, unreadable bool
	if snapHash != "" {
		match, stale, err = a.gate.Verify(ctx, snapHash, pw)
		if errors.Is(err, password.ErrMalformedHash) {
			a.log.Error("stored password hash unreadable", "kind", k.session, "id", snap.id, "err", err)
			unreadable, err = true, a.gate.VerifyDummy(ctx, pw)
		}
	} else {
		err = a.gate.VerifyDummy(ctx, pw)
	}
	if errors.Is(err, ErrBusy) {
		a.Refused(ctx, k.session, ip, "busy")
		return Login{}, ErrBusy
	}
	if err != nil {
		return Login{}, fmt.Errorf("%s login: %w", k.session, err)
	}
	if !found {
		return Login{}, a.failed(ctx, k, ip, "unknown email "+tried(email))
	}
	var upgraded string
	if match && stale {
		// Best effort: when the budget is full, the upgrade waits for the next login.
		if h, err := a.gate.Hash(ctx, pw); err == nil {
			upgraded = h
		}
	}
	var login Login
	var pending *SecondFactorNeeded
	refused := true
	err = a.store.Update(ctx, func(tx *store.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		cur, err := k.load(tx, "", snap.id)
		if errors.Is(err, store.ErrNotFound) {
			return tx.Audit(store.AuditEntry{ActorKind: string(k.session), IP: ip, Action: string(k.session) + ".login_failed",
				Detail: "account deleted during the login; tried " + tried(email)})
		}
		if err != nil {
			return err
		}
		now := tx.Now()
		audit := func(action, detail string) error {
			return tx.Audit(store.AuditEntry{ActorKind: string(k.session), ActorID: cur.id, ActorName: cur.name, IP: ip,
				Action: string(k.session) + "." + action, Target: string(k.session) + ":" + strconv.FormatUint(cur.id, 10), Detail: detail})
		}
		switch {
		case *cur.hash == "":
			return audit("login_failed", "no password set")
		case *cur.hash != snapHash:
			if !last {
				return errHashChanged
			}
			return audit("login_failed", errHashChanged.Error())
		case cur.refusal != "":
			return audit("login_refused", cur.refusal)
		case unreadable:
			return audit("login_failed", "stored password hash unreadable (see the service log)")
		case cur.lockout.Blocks(now):
			// Not counted: attempts during a lockout would otherwise lengthen it at the guesser's pace.
			return audit("login_refused", lockoutText(*cur.lockout, "locked out"))
		case !match:
			locked := cur.lockout.Fail(now, set.LockoutThreshold, k.mode(set))
			detail := fmt.Sprintf("bad password (%d of %d)", cur.lockout.BadLoginAttempts, set.LockoutThreshold)
			if locked {
				detail += "; " + lockoutText(*cur.lockout, "now locked out")
			}
			if err := cur.put(tx); err != nil {
				return err
			}
			return audit("login_failed", detail)
		}
		refused = false
		if upgraded != "" {
			*cur.hash = upgraded
		}
		// With a second factor on (or required), the password only opens a
		// short wait for it (secondfactor.go).
		if pending, err = a.holdForSecondFactor(tx, k.session, cur, ip, replaceToken); err != nil || pending != nil {
			return err
		}
		cur.lockout.Clear()
		*cur.lastAt, *cur.lastIP = now, ip
		cur.onLogin()
		if err := cur.put(tx); err != nil {
			return err
		}
		if replaceToken != "" {
			if err := tx.DeleteSession(HashToken(replaceToken)); err != nil {
				return err
			}
		}
		if login, err = a.openSession(tx, k.session, cur.id, ip, set); err != nil {
			return err
		}
		return audit("login", "")
	})
	if errors.Is(err, errHashChanged) {
		return Login{}, err
	}
	if err != nil {
		return Login{}, fmt.Errorf("%s login: %w", k.session, err)
	}
	if refused {
		return Login{}, ErrBadLogin
	}
	if pending != nil {
		return Login{}, pending
	}
	return login, nil
}

// failed audits a login that failed before any account was found, and
// answers ErrBadLogin.
func (a *Authenticator) failed(ctx context.Context, k kind, ip, detail string) error {
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		return tx.Audit(store.AuditEntry{ActorKind: string(k.session), IP: ip, Action: string(k.session) + ".login_failed", Detail: detail})
	})
	if err != nil {
		return fmt.Errorf("%s login: %w", k.session, err)
	}
	return ErrBadLogin
}

// Refused audits a login refused before its password was checked (reason:
// "rate_limited" by the caller's limiter, or "busy"), at most once per
// address (an IPv6 /64) and minute: a flood leaves one entry a minute, not
// one per attempt.
func (a *Authenticator) Refused(ctx context.Context, kind store.SessionKind, ip, reason string) {
	addr := ratelimit.AddressKey(ip)
	if !a.floods.Allow(string(kind) + "|" + reason + "|" + addr) {
		return
	}
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		return tx.Audit(store.AuditEntry{ActorKind: string(kind), IP: ip, Action: string(kind) + ".login_" + reason,
			Detail: "logins from " + addr + " refused unchecked; at most one such entry per address and minute"})
	})
	if err != nil && ctx.Err() == nil {
		a.log.Warn("audit refused login", "err", err)
	}
}

// tried is an email as typed, for the audit log: trimmed, at most
// auditedEmailLen characters, quoted so that control characters show.
func tried(email string) string {
	if utf8.RuneCountInString(email) > auditedEmailLen {
		email = string([]rune(email)[:auditedEmailLen]) + "…"
	}
	return strconv.Quote(email)
}

func lockoutText(l store.Lockout, prefix string) string {
	if l.LockedOut {
		return prefix + " until staff unlock"
	}
	return prefix + " until " + l.LockedUntil.UTC().Format(time.RFC3339)
}

func (a *Authenticator) openSession(tx *store.Tx, kind store.SessionKind, subject uint64, ip string, set store.Settings) (Login, error) {
	token, hash := NewToken()
	now := tx.Now()
	sess := store.Session{Hash: hash, Kind: kind, SubjectID: subject, Created: now, LastSeen: now, Expires: now.Add(set.SessionLifetime), IP: ip}
	if err := tx.PutSession(sess); err != nil {
		return Login{}, err
	}
	return Login{Token: token, Session: sess}, nil
}

// Client returns the client whose live session token is, and touches the session.
func (a *Authenticator) Client(ctx context.Context, token string) (store.Client, error) {
	var c store.Client
	err := a.check(ctx, token, store.SessionClient, func(tx *store.Tx, id uint64) error {
		var err error
		if c, err = tx.Client(id); err != nil {
			return err
		}
		if c.Access.Locked || !c.Access.AllowedToLogOn {
			return ErrNoSession
		}
		return nil
	})
	return c, err
}

// Staff returns the staff member whose live session token is, and touches the session.
func (a *Authenticator) Staff(ctx context.Context, token string) (store.Staff, error) {
	var s store.Staff
	err := a.check(ctx, token, store.SessionStaff, func(tx *store.Tx, id uint64) error {
		var err error
		if s, err = tx.Staff(id); err != nil {
			return err
		}
		if s.Disabled {
			return ErrNoSession
		}
		return nil
	})
	return s, err
}

func (a *Authenticator) check(ctx context.Context, token string, kind store.SessionKind, subject func(*store.Tx, uint64) error) error {
	if token == "" {
		return ErrNoSession
	}
	hash := HashToken(token)
	var sess store.Session
	var touch bool
	err := a.store.View(ctx, func(tx *store.Tx) error {
		var err error
		if sess, err = tx.Session(hash); err != nil {
			return ErrNoSession
		}
		idle, err := tx.SessionIdle()
		if err != nil {
			return err
		}
		now := tx.Now()
		if sess.Kind != kind || !now.Before(sess.Expires) || now.Sub(sess.LastSeen) > idle {
			return ErrNoSession
		}
		if err := subject(tx, sess.SubjectID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return ErrNoSession
			}
			return err
		}
		touch = now.Sub(sess.LastSeen) >= touchEvery
		return nil
	})
	if err != nil {
		return err
	}
	if touch {
		err = a.store.Update(ctx, func(tx *store.Tx) error {
			if _, err := tx.Session(hash); err != nil {
				return nil // ended meanwhile
			}
			sess.LastSeen = tx.Now()
			return tx.PutSession(sess)
		})
	}
	return err
}

// Logout ends the session of token, and records it in the audit log.
func (a *Authenticator) Logout(ctx context.Context, token, ip string) error {
	return a.store.Update(ctx, func(tx *store.Tx) error {
		sess, err := tx.Session(HashToken(token))
		if errors.Is(err, store.ErrNotFound) {
			return nil // already ended
		}
		if err != nil {
			return err
		}
		if err := tx.DeleteSession(sess.Hash); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorKind: string(sess.Kind), ActorID: sess.SubjectID, IP: ip,
			Action: string(sess.Kind) + ".logout", Target: string(sess.Kind) + ":" + strconv.FormatUint(sess.SubjectID, 10)})
	})
}

// Sweep deletes expired sessions; the server calls it now and then.
func (a *Authenticator) Sweep(ctx context.Context) (int, error) {
	var n int
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		if n, err = tx.DeleteExpiredSessions(set.SessionIdle); err != nil {
			return err
		}
		_, err = tx.DeleteExpiredShortTokens()
		return err
	})
	return n, err
}
