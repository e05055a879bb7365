// Package auth answers "who is this request": it logs clients and staff in
// with their passwords, counts bad attempts and locks accounts, and issues and
// checks sessions. Session tokens are random, stored only as their SHA-256,
// and expire when idle and at an absolute lifetime.
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
	"time"

	"clientportal/server/password"
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

// Authenticator logs people in and checks their sessions.
type Authenticator struct {
	store  *store.Store
	hasher password.Hasher
	log    *slog.Logger
}

// New returns an Authenticator over s.
func New(s *store.Store, h password.Hasher, log *slog.Logger) *Authenticator {
	return &Authenticator{store: s, hasher: h, log: log}
}

// Hasher is the password hasher in use.
func (a *Authenticator) Hasher() password.Hasher { return a.hasher }

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

// LoginClient checks a client's email and password and opens a session. A
// wrong password counts toward the lockout threshold. replaceToken, when not
// empty, is the session the browser had before: it ends, so the session
// identifier changes at login.
func (a *Authenticator) LoginClient(ctx context.Context, email, pw, ip, replaceToken string) (store.Client, Login, error) {
	var c store.Client
	err := a.store.View(ctx, func(tx *store.Tx) error {
		var err error
		c, err = tx.ClientByEmail(email)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || (err == nil && c.Access.PasswordHash == "") {
		a.hasher.VerifyDummy(pw)
		return store.Client{}, Login{}, ErrBadLogin
	}
	if err != nil {
		return store.Client{}, Login{}, fmt.Errorf("client login: %w", err)
	}
	match, stale, err := a.hasher.Verify(c.Access.PasswordHash, pw)
	if err != nil {
		a.log.Error("stored client password hash unreadable", "client", c.ID, "err", err)
		return store.Client{}, Login{}, ErrBadLogin
	}
	var login Login
	var refused bool
	err = a.store.Update(ctx, func(tx *store.Tx) error {
		cur, err := tx.Client(c.ID)
		if err != nil {
			return err
		}
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		target := "client:" + strconv.FormatUint(cur.ID, 10)
		audit := func(action, detail string) error {
			return tx.Audit(store.AuditEntry{ActorKind: "client", ActorID: cur.ID, ActorName: cur.Name, IP: ip, Action: action, Target: target, Detail: detail})
		}
		// The password may have changed while we hashed: judge by what is stored now.
		if cur.Access.PasswordHash != c.Access.PasswordHash {
			refused = true
			return nil
		}
		if cur.Access.Locked || !cur.Access.AllowedToLogOn {
			refused = true
			return audit("client.login_refused", "account locked or not allowed to log on")
		}
		if !match {
			refused = true
			cur.Access.BadLoginAttempts++
			detail := fmt.Sprintf("bad password (%d of %d)", cur.Access.BadLoginAttempts, set.LockoutThreshold)
			if set.LockoutThreshold > 0 && cur.Access.BadLoginAttempts >= set.LockoutThreshold {
				cur.Access.Locked, cur.Access.LockedAt = true, tx.Now()
				detail += "; account locked"
				if _, err := tx.DeleteSessionsOf(store.SessionClient, cur.ID); err != nil {
					return err
				}
			}
			if err := tx.PutClient(&cur); err != nil {
				return err
			}
			return audit("client.login_failed", detail)
		}
		if stale {
			if h, err := a.hasher.Hash(pw); err == nil {
				cur.Access.PasswordHash = h
			}
		}
		cur.Access.BadLoginAttempts = 0
		cur.Access.Activated = true
		cur.Access.LastLoginAt, cur.Access.LastLoginIP = tx.Now(), ip
		if err := tx.PutClient(&cur); err != nil {
			return err
		}
		if replaceToken != "" {
			if err := tx.DeleteSession(HashToken(replaceToken)); err != nil {
				return err
			}
		}
		login, err = a.openSession(tx, store.SessionClient, cur.ID, ip, set)
		if err != nil {
			return err
		}
		c = cur
		return audit("client.login", "")
	})
	if err != nil {
		return store.Client{}, Login{}, fmt.Errorf("client login: %w", err)
	}
	if refused {
		return store.Client{}, Login{}, ErrBadLogin
	}
	return c, login, nil
}

// LoginStaff checks a staff member's email and password and opens a session.
func (a *Authenticator) LoginStaff(ctx context.Context, email, pw, ip string) (store.Staff, Login, error) {
	var s store.Staff
	err := a.store.View(ctx, func(tx *store.Tx) error {
		var err error
		s, err = tx.StaffByEmail(email)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || (err == nil && (s.PasswordHash == "" || s.Disabled)) {
		a.hasher.VerifyDummy(pw)
		return store.Staff{}, Login{}, ErrBadLogin
	}
	if err != nil {
		return store.Staff{}, Login{}, fmt.Errorf("staff login: %w", err)
	}
	match, _, err := a.hasher.Verify(s.PasswordHash, pw)
	if err != nil || !match {
		a.store.Update(ctx, func(tx *store.Tx) error {
			return tx.Audit(store.AuditEntry{ActorKind: "staff", ActorID: s.ID, ActorName: s.Name, IP: ip, Action: "staff.login_failed"})
		})
		return store.Staff{}, Login{}, ErrBadLogin
	}
	var login Login
	err = a.store.Update(ctx, func(tx *store.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		if login, err = a.openSession(tx, store.SessionStaff, s.ID, ip, set); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorKind: "staff", ActorID: s.ID, ActorName: s.Name, IP: ip, Action: "staff.login"})
	})
	if err != nil {
		return store.Staff{}, Login{}, fmt.Errorf("staff login: %w", err)
	}
	return s, login, nil
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
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		now := tx.Now()
		if sess.Kind != kind || !now.Before(sess.Expires) || now.Sub(sess.LastSeen) > set.SessionIdle {
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
		n, err = tx.DeleteExpiredSessions(set.SessionIdle)
		return err
	})
	return n, err
}
