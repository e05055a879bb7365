// Package password hashes passwords with argon2id and checks new passwords
// against the office's password policy and a list of common passwords.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams follow RFC 9106's second recommended option scaled to a small
// office server: 64 MiB, one pass, two lanes.
var DefaultParams = Params{Memory: 64 * 1024, Time: 1, Threads: 2}

// TestParams are cheap parameters for tests and demo data loads; still argon2id.
var TestParams = Params{Memory: 1024, Time: 1, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
	// Bounds on parameters read from a stored hash, so a corrupt record cannot
	// make one login allocate gigabytes.
	maxMemory = 1 << 20 // 1 GiB
	maxTime   = 16
)

// ErrMalformedHash means a stored hash is not in the format Hash writes.
var ErrMalformedHash = errors.New("malformed password hash")

// Hasher hashes and verifies passwords with fixed parameters.
type Hasher struct{ Params Params }

// prepare normalises a password so that the same characters typed on
// different keyboards (composed or decomposed accents) give the same hash.
func prepare(pw string) []byte { return []byte(norm.NFKC.String(pw)) }

// Hash returns the PHC-format argon2id hash of pw with a fresh random salt.
func (h Hasher) Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	p := h.Params
	key := argon2.IDKey(prepare(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify reports whether pw matches encoded, and whether encoded was made
// with weaker parameters than h's (the caller should then store a new hash).
func (h Hasher) Verify(encoded, pw string) (match, stale bool, err error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey(prepare(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	match = subtle.ConstantTimeCompare(got, key) == 1
	stale = p.Memory < h.Params.Memory || p.Time < h.Params.Time
	return match, stale, nil
}

// VerifyDummy is run against when there is no account, so that an unknown
// email costs the same time as a wrong password.
func (h Hasher) VerifyDummy(pw string) {
	p := h.Params
	argon2.IDKey(prepare(pw), make([]byte, saltLen), p.Time, p.Memory, p.Threads, keyLen)
}

func decode(encoded string) (Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return Params{}, nil, nil, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return Params{}, nil, nil, ErrMalformedHash
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Time == 0 || p.Time > maxTime || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory {
		return Params{}, nil, nil, ErrMalformedHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return Params{}, nil, nil, ErrMalformedHash
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return Params{}, nil, nil, ErrMalformedHash
	}
	return p, salt, key, nil
}
