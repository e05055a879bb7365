package store

import "time"

// LockoutMode says what reaching the lockout threshold does to a client.
type LockoutMode string

// Lockout modes.
const (
	// LockoutTemporary (the default) refuses logins for a while that grows
	// with each further bad attempt: a guesser is slowed to a crawl, and the
	// client can still get in later without calling the office.
	LockoutTemporary LockoutMode = "temporary"
	// LockoutUntilUnlocked refuses logins until staff unlock the account.
	LockoutUntilUnlocked LockoutMode = "until_unlocked"
)

// Valid reports whether m is a known mode (empty counts as the default).
func (m LockoutMode) Valid() bool {
	return m == "" || m == LockoutTemporary || m == LockoutUntilUnlocked
}

// Temporary lockout lengths: LockoutFirst at the threshold, doubling with
// each further bad attempt (each made after the previous lockout ended, since
// attempts during a lockout are refused unchecked) up to LockoutMax. With the
// default threshold of 5 that is at most 5 guesses in the first minute, and
// after about seven hours one guess an hour.
const (
	LockoutFirst = time.Minute
	LockoutMax   = time.Hour
)

// Lockout is what bad login attempts did to an account. It only refuses new
// logins: whoever is already signed in stays signed in.
type Lockout struct {
	BadLoginAttempts int       `json:"bad_login_attempts"`
	LockedUntil      time.Time `json:"locked_until,omitzero"` // temporary lockout: no login before this
	LockedOut        bool      `json:"locked_out,omitempty"`  // LockoutUntilUnlocked reached: no login until unlocked
}

// Blocks reports whether the lockout refuses a login at now.
func (l Lockout) Blocks(now time.Time) bool { return l.LockedOut || now.Before(l.LockedUntil) }

// Fail counts one bad attempt at now and, from threshold attempts on (0: never),
// locks out as mode says. It reports whether this attempt locked the account.
func (l *Lockout) Fail(now time.Time, threshold int, mode LockoutMode) bool {
	l.BadLoginAttempts++
	if threshold <= 0 || l.BadLoginAttempts < threshold {
		return false
	}
	if mode == LockoutUntilUnlocked {
		l.LockedOut = true
		return true
	}
	d := LockoutFirst
	for i := threshold; i < l.BadLoginAttempts && d < LockoutMax; i++ {
		d *= 2
	}
	l.LockedUntil = now.Add(min(d, LockoutMax))
	return true
}

// Clear forgets the bad attempts and any lockout (a good login, or staff unlocking).
func (l *Lockout) Clear() { *l = Lockout{} }
