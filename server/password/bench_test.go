package password_test

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"clientportal/server/password"
	"clientportal/store"
)

// BenchmarkCheckLong times the policy check of passwords up to the longest
// accepted: the guessability estimate must stay bounded however long the
// password is.
//
//	go test -run XXX -bench CheckLong -benchtime 3x ./server/password/
func BenchmarkCheckLong(b *testing.B) {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%&*+-=?@ "
	rng := rand.New(rand.NewPCG(1, 2))
	long := make([]byte, password.MaxLength)
	for i := range long {
		long[i] = chars[rng.IntN(len(chars))]
	}
	for _, n := range []int{16, 100, password.MaxLength} {
		pw := string(long[:n])
		b.Run(strconv.Itoa(n)+"chars", func(b *testing.B) {
			for b.Loop() {
				password.Check(store.PolicyNIST, pw, "Amina Yusuf", "amina@example.org")
			}
		})
	}
}
