package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"image/png"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"clientportal/store"
)

// Second factors: a TOTP key (RFC 6238, 30-second steps, 6 digits, SHA-1:
// what every authenticator app reads) with ten one-time recovery codes.
//
// A login whose password is right, for an account with a second factor on
// (or required by the office or by staff), opens no session: it stores a
// short-lived token (SHA-256 of a random value; store.ShortToken) and answers
// *SecondFactorNeeded. The second step sends that token with a code. A wrong
// code counts toward the account's lockout like a wrong password; a token
// takes at most maxCodeTries codes; a code's time step is remembered, so the
// same code (or an older one) is refused within its window.

// Bounds of the second step.
const (
	pendingLife    = 5 * time.Minute // from the password to the code
	enrolLife      = EnrolLife
	maxCodeTries   = 5 // codes one waiting login may try
	recoveryCodes  = 10
	totpPeriod     = 30
	maxCodeLen     = 64
	recoveryGroups = 2 // "abcde-fghij"
)

// EnrolLife is how long a key shown for set-up waits for its code.
const EnrolLife = 15 * time.Minute

// SecondFactorNeeded answers a login whose password was right but which
// needs its second factor: send Pending with a code (SecondFactor). Enrol
// means the account has none yet and must set one up first (EnrolKey gives
// the key to show).
type SecondFactorNeeded struct {
	Pending string
	Enrol   bool
	Expires time.Time
}

func (e *SecondFactorNeeded) Error() string {
	if e.Enrol {
		return "the password is right; this account must set up a second factor to sign in"
	}
	return "the password is right; a second factor is required to sign in"
}

// ErrBadCode is the one answer to a wrong, reused or expired code, or a
// waiting login that ended (expired, too many tries, account locked).
var ErrBadCode = errors.New("the code is not correct, or this sign-in has expired: start again")

// ErrCodeRequired means a code must be sent; ErrSecondFactorRequired means
// the office requires a second factor so it cannot be turned off.
var (
	ErrCodeRequired         = errors.New("send the 6-digit code from the authenticator app, or a recovery code")
	ErrSecondFactorRequired = errors.New("the office requires a second factor for this account: it cannot be turned off")
	ErrNoEnrolment          = errors.New("no second factor set-up is under way: start it again")
)

// needsSecondFactor reports whether the account must pass a second factor,
// and whether it has one set up.
func needsSecondFactor(tx *store.Tx, kind store.SessionKind, id uint64) (need, on bool, err error) {
	f, err := tx.SecondFactor(kind, id)
	if err != nil {
		return false, false, err
	}
	pol, err := tx.TwoFactorPolicy()
	if err != nil {
		return false, false, err
	}
	required := f.Required || (kind == store.SessionClient && pol.Clients) || (kind == store.SessionStaff && pol.Staff)
	return f.On() || required, f.On(), nil
}

// holdForSecondFactor is called by a login whose password was right: when
// the account needs a second factor it stores the waiting login and answers
// what to send, else nil.
func (a *Authenticator) holdForSecondFactor(tx *store.Tx, kind store.SessionKind, cur subject, ip, replaceToken string) (*SecondFactorNeeded, error) {
	need, on, err := needsSecondFactor(tx, kind, cur.id)
	if err != nil || !need {
		return nil, err
	}
	if err := cur.put(tx); err != nil { // an upgraded hash
		return nil, err
	}
	detail := "password right; waiting for the second factor"
	if !on {
		detail = "password right; a second factor is required and must be set up"
	}
	return pendSecondFactor(tx, kind, cur.id, cur.name, on, ip, replaceToken, detail)
}

// pendSecondFactor stores a waiting login for an account whose first proof
// (a password, an easy login link) was right, and audits it.
func pendSecondFactor(tx *store.Tx, kind store.SessionKind, id uint64, name string, on bool, ip, replaceToken, detail string) (*SecondFactorNeeded, error) {
	token, hash := NewToken()
	now := tx.Now()
	t := store.ShortToken{Hash: hash, Purpose: store.TokenSecondFactor, Kind: kind, SubjectID: id, Created: now,
		Expires: now.Add(pendingLife), IP: ip}
	if replaceToken != "" {
		t.ReplaceHash = HashToken(replaceToken)
	}
	if !on {
		t.Purpose, t.Expires = store.TokenEnrol, now.Add(enrolLife)
	}
	if err := tx.PutShortToken(t); err != nil {
		return nil, err
	}
	err := tx.Audit(store.AuditEntry{ActorKind: string(kind), ActorID: id, ActorName: name, IP: ip,
		Action: string(kind) + ".login_password", Target: string(kind) + ":" + strconv.FormatUint(id, 10), Detail: detail})
	return &SecondFactorNeeded{Pending: token, Enrol: !on, Expires: t.Expires}, err
}

// Pending reads a waiting login without changing it: who it is for and
// whether it must enrol. A missing or expired one is ErrBadCode.
func (a *Authenticator) Pending(ctx context.Context, kind store.SessionKind, pending string) (store.ShortToken, error) {
	var t store.ShortToken
	err := a.store.View(ctx, func(tx *store.Tx) error {
		var err error
		t, err = tx.ShortToken(HashToken(pending), store.TokenSecondFactor, store.TokenEnrol)
		if err == nil && t.Kind != kind {
			err = store.ErrNotFound
		}
		return err
	})
	if errors.Is(err, store.ErrNotFound) || pending == "" {
		return store.ShortToken{}, ErrBadCode
	}
	return t, err
}

// EnrolKey is what an authenticator app needs: the key as text and as an
// otpauth:// URL (the QR code's content).
type EnrolKey struct {
	Secret string
	URL    string
}

// StartEnrolment gives the account a new key to confirm (replacing one not
// yet confirmed); an account with a key on keeps it until the new one is
// confirmed.
func (a *Authenticator) StartEnrolment(ctx context.Context, kind store.SessionKind, id uint64) (EnrolKey, error) {
	var key EnrolKey
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		f, err := tx.SecondFactor(kind, id)
		if err != nil {
			return err
		}
		secret := make([]byte, 20)
		rand.Read(secret)
		f.PendingSecret = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret)
		f.PendingAt = tx.Now()
		if err := tx.PutSecondFactor(f); err != nil {
			return err
		}
		key, err = enrolKey(tx, kind, id, f.PendingSecret)
		return err
	})
	return key, err
}

// PendingEnrolment is the key being set up, or ErrNoEnrolment.
func (a *Authenticator) PendingEnrolment(ctx context.Context, kind store.SessionKind, id uint64) (EnrolKey, error) {
	var key EnrolKey
	err := a.store.View(ctx, func(tx *store.Tx) error {
		f, err := tx.SecondFactor(kind, id)
		if err != nil {
			return err
		}
		if f.PendingSecret == "" || tx.Now().Sub(f.PendingAt) > enrolLife {
			return ErrNoEnrolment
		}
		key, err = enrolKey(tx, kind, id, f.PendingSecret)
		return err
	})
	return key, err
}

// EnrolmentQR is the PNG of the key being set up, as a QR code of its
// otpauth URL.
func (a *Authenticator) EnrolmentQR(ctx context.Context, kind store.SessionKind, id uint64) ([]byte, error) {
	k, err := a.PendingEnrolment(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	key, err := otp.NewKeyFromURL(k.URL)
	if err != nil {
		return nil, fmt.Errorf("enrolment key: %w", err)
	}
	img, err := key.Image(256, 256)
	if err != nil {
		return nil, fmt.Errorf("enrolment QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("enrolment QR code: %w", err)
	}
	return buf.Bytes(), nil
}

// enrolKey builds the otpauth URL of secret: the office's name as issuer,
// the account's email as its name.
func enrolKey(tx *store.Tx, kind store.SessionKind, id uint64, secret string) (EnrolKey, error) {
	set, err := tx.Settings()
	if err != nil {
		return EnrolKey{}, err
	}
	account := ""
	if kind == store.SessionClient {
		c, err := tx.Client(id)
		if err != nil {
			return EnrolKey{}, err
		}
		account = c.Email
	} else {
		s, err := tx.Staff(id)
		if err != nil {
			return EnrolKey{}, err
		}
		account = s.Email
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return EnrolKey{}, fmt.Errorf("enrolment key: %w", err)
	}
	issuer := set.OfficeName
	if issuer == "" {
		issuer = "Client portal"
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Secret: raw, Period: totpPeriod})
	if err != nil {
		return EnrolKey{}, fmt.Errorf("enrolment key: %w", err)
	}
	return EnrolKey{Secret: groups(secret), URL: key.URL()}, nil
}

// groups writes a key in groups of four for reading aloud or typing.
func groups(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ConfirmEnrolment turns the second factor on with the key being set up,
// once code shows the app has it; it answers the ten recovery codes, which
// are shown once (only their hashes are kept). by is who is acting (the
// account itself).
func (a *Authenticator) ConfirmEnrolment(ctx context.Context, kind store.SessionKind, id uint64, code, ip string) ([]string, error) {
	var codes []string
	ok := false
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		f, err := tx.SecondFactor(kind, id)
		if err != nil {
			return err
		}
		if f.PendingSecret == "" || tx.Now().Sub(f.PendingAt) > enrolLife {
			return ErrNoEnrolment
		}
		step, match := checkTOTP(f.PendingSecret, code, tx.Now(), 0)
		if !match {
			return tx.Audit(accountEntry(kind, id, ip, "two_factor_enrol_failed", "wrong code while setting up"))
		}
		ok = true
		codes, err = turnOn(tx, &f, step)
		if err != nil {
			return err
		}
		return tx.Audit(accountEntry(kind, id, ip, "two_factor_on", "authenticator app set up; 10 recovery codes issued"))
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrBadCode
	}
	return codes, nil
}

// turnOn makes f's pending key its key, with new recovery codes.
func turnOn(tx *store.Tx, f *store.SecondFactor, step uint64) ([]string, error) {
	codes, hashes := newRecoveryCodes()
	f.Secret, f.PendingSecret, f.PendingAt = f.PendingSecret, "", time.Time{}
	f.Enabled, f.LastStep, f.Recovery = tx.Now(), step, hashes
	return codes, tx.PutSecondFactor(*f)
}

func accountEntry(kind store.SessionKind, id uint64, ip, action, detail string) store.AuditEntry {
	t := string(kind) + ":" + strconv.FormatUint(id, 10)
	return store.AuditEntry{ActorKind: string(kind), ActorID: id, IP: ip, Action: string(kind) + "." + action, Target: t, Detail: detail}
}

// TurnOff turns an account's second factor off, after a current code (or
// recovery code); refused when the office or staff require one.
func (a *Authenticator) TurnOff(ctx context.Context, kind store.SessionKind, id uint64, code, ip string) error {
	ok := false
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		f, err := tx.SecondFactor(kind, id)
		if err != nil || !f.On() {
			ok = err == nil
			return err
		}
		pol, err := tx.TwoFactorPolicy()
		if err != nil {
			return err
		}
		if f.Required || (kind == store.SessionClient && pol.Clients) || (kind == store.SessionStaff && pol.Staff) {
			return ErrSecondFactorRequired
		}
		if _, how := matchCode(&f, code, tx.Now()); how == "" {
			return tx.Audit(accountEntry(kind, id, ip, "two_factor_off_failed", "wrong code"))
		}
		ok = true
		f.Secret, f.Recovery, f.LastStep, f.Enabled = "", nil, 0, time.Time{}
		if err := tx.PutSecondFactor(f); err != nil {
			return err
		}
		return tx.Audit(accountEntry(kind, id, ip, "two_factor_off", "turned off by the account"))
	})
	if err == nil && !ok {
		return ErrBadCode
	}
	return err
}

// matchCode checks code against f's key (a code of a step after the last
// one used) and then its unused recovery codes. On a match it updates f
// (the step used, or the recovery code removed) and says how: "code" or
// "recovery"; else "".
func matchCode(f *store.SecondFactor, code string, now time.Time) (left int, how string) {
	if len(code) > maxCodeLen {
		return 0, ""
	}
	if step, ok := checkTOTP(f.Secret, code, now, f.LastStep); ok {
		f.LastStep = step
		return len(f.Recovery), "code"
	}
	h := recoveryHash(code)
	for i, r := range f.Recovery {
		if subtle.ConstantTimeCompare(r, h) == 1 {
			f.Recovery = append(f.Recovery[:i:i], f.Recovery[i+1:]...)
			return len(f.Recovery), "recovery"
		}
	}
	return 0, ""
}

// SecondStepClient completes a client's login with its second factor: a
// code (or recovery code) for the waiting login pending. For a login that
// had to set one up, the code confirms the key from StartEnrolment, and the
// recovery codes come back (shown once).
func (a *Authenticator) SecondStepClient(ctx context.Context, pending, code, ip string) (store.Client, Login, []string, error) {
	var c store.Client
	login, codes, err := a.secondStep(ctx, clientKind(&c), pending, code, ip)
	if err != nil {
		return store.Client{}, Login{}, nil, err
	}
	return c, login, codes, nil
}

// SecondStepStaff is SecondStepClient for staff.
func (a *Authenticator) SecondStepStaff(ctx context.Context, pending, code, ip string) (store.Staff, Login, []string, error) {
	var s store.Staff
	login, codes, err := a.secondStep(ctx, staffKind(&s), pending, code, ip)
	if err != nil {
		return store.Staff{}, Login{}, nil, err
	}
	return s, login, codes, nil
}

func (a *Authenticator) secondStep(ctx context.Context, k kind, pending, code, ip string) (Login, []string, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return Login{}, nil, ErrCodeRequired
	}
	var login Login
	var codes []string
	done := false
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		t, err := tx.ShortToken(HashToken(pending), store.TokenSecondFactor, store.TokenEnrol)
		if errors.Is(err, store.ErrNotFound) || (err == nil && t.Kind != k.session) {
			return nil
		}
		if err != nil {
			return err
		}
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		cur, err := k.load(tx, "", t.SubjectID)
		if errors.Is(err, store.ErrNotFound) {
			return tx.DeleteShortToken(t.Hash)
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
		case cur.refusal != "":
			if err := tx.DeleteShortToken(t.Hash); err != nil {
				return err
			}
			return audit("login_refused", cur.refusal+" (at the second factor)")
		case cur.lockout.Blocks(now):
			return audit("login_refused", lockoutText(*cur.lockout, "locked out")+" (at the second factor)")
		}
		f, err := tx.SecondFactor(k.session, cur.id)
		if err != nil {
			return err
		}
		how, left := "", 0
		var step uint64
		if t.Purpose == store.TokenEnrol {
			if f.PendingSecret != "" && now.Sub(f.PendingAt) <= enrolLife {
				var ok bool
				if step, ok = checkTOTP(f.PendingSecret, code, now, 0); ok {
					how = "enrol"
				}
			}
		} else {
			left, how = matchCode(&f, code, now)
		}
		if how == "" {
			t.Attempts++
			if t.Attempts >= maxCodeTries {
				err = tx.DeleteShortToken(t.Hash)
			} else {
				err = tx.PutShortToken(t)
			}
			if err != nil {
				return err
			}
			locked := cur.lockout.Fail(now, set.LockoutThreshold, k.mode(set))
			detail := fmt.Sprintf("wrong second factor code (%d of %d)", cur.lockout.BadLoginAttempts, set.LockoutThreshold)
			if locked {
				detail += "; " + lockoutText(*cur.lockout, "now locked out")
			}
			if err := cur.put(tx); err != nil {
				return err
			}
			return audit("login_failed", detail)
		}
		done = true
		detail := ""
		switch how {
		case "enrol":
			if codes, err = turnOn(tx, &f, step); err != nil {
				return err
			}
			if err := audit("two_factor_on", "authenticator app set up at sign-in; 10 recovery codes issued"); err != nil {
				return err
			}
			detail = "second factor set up"
		case "code":
			detail = "with an authenticator code"
		case "recovery":
			detail = fmt.Sprintf("with a recovery code (%d left)", left)
		}
		if how != "enrol" {
			if err := tx.PutSecondFactor(f); err != nil {
				return err
			}
		}
		if err := tx.DeleteShortToken(t.Hash); err != nil {
			return err
		}
		cur.lockout.Clear()
		*cur.lastAt, *cur.lastIP = now, ip
		cur.onLogin()
		if err := cur.put(tx); err != nil {
			return err
		}
		if len(t.ReplaceHash) > 0 {
			if err := tx.DeleteSession(t.ReplaceHash); err != nil {
				return err
			}
		}
		if login, err = a.openSession(tx, k.session, cur.id, ip, set); err != nil {
			return err
		}
		return audit("login", detail)
	})
	if err != nil {
		return Login{}, nil, fmt.Errorf("%s second factor: %w", k.session, err)
	}
	if !done {
		return Login{}, nil, ErrBadCode
	}
	return login, codes, nil
}

// newRecoveryCodes makes recoveryCodes codes like "k7m2p-x9q4r" (50 bits
// each) and their SHA-256 hashes.
func newRecoveryCodes() ([]string, [][]byte) {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789" // no 0/o, 1/l/i
	codes := make([]string, recoveryCodes)
	hashes := make([][]byte, recoveryCodes)
	buf := make([]byte, 10)
	for i := range codes {
		var b strings.Builder
		for j := range buf {
			var r [1]byte
			for {
				rand.Read(r[:])
				if int(r[0]) < 256-256%len(alphabet) { // no modulo bias
					break
				}
			}
			if j == 5 {
				b.WriteByte('-')
			}
			b.WriteByte(alphabet[int(r[0])%len(alphabet)])
		}
		codes[i] = b.String()
		hashes[i] = recoveryHash(codes[i])
	}
	return codes, hashes
}

// recoveryHash is the stored form of a recovery code, as typed: case, spaces
// and dashes do not matter.
func recoveryHash(code string) []byte {
	norm := strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, code)
	h := sha256.Sum256([]byte(norm))
	return h[:]
}

// checkTOTP finds the time step (now, or one step either side for clock
// drift) whose code is code, later than last: a code already used (or an
// older one) does not match again.
func checkTOTP(secret, code string, now time.Time, last uint64) (uint64, bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, false
	}
	step := uint64(now.Unix()) / totpPeriod
	for _, s := range []uint64{step - 1, step, step + 1} {
		if s <= last {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, s, hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}
