package server_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/password"
	"clientportal/server/servertest"
	"clientportal/store"
)

// A known login and an unknown email of the same length, for the portal and
// for the staff API: the same length makes the answers' sizes comparable.
const (
	knownClient  = "amina@example.org"
	unknownSame  = "zorba@example.org"
	knownStaff   = "dana@riverside.example"
	unknownStaff = "nora@riverside.example"
	wrongGuess   = "Wrong-Guess-2026!xq"
)

// loginEndpoint is one login route as the timing bench and the sameness
// test see it.
type loginEndpoint struct {
	name           string
	known, unknown string
	login          func(t testing.TB, c *http.Client, env *servertest.Env, email, pw string) httpReply
}

var loginEndpoints = []loginEndpoint{
	{"portal POST /login", knownClient, unknownSame, portalLoginFrom},
	{"staff API POST /api/v1/session", knownStaff, unknownStaff, apiLoginFrom},
}

// sameAnswer is a reply with what it may differ by taken out: the Date
// header, and the typed email where the page shows it again in its form.
func sameAnswer(r httpReply, email string) string {
	h := r.header.Clone()
	h.Del("Date")
	var b strings.Builder
	h.WriteSubset(&b, nil)
	return fmt.Sprintf("%d\n%s\n%s", r.status, b.String(), strings.ReplaceAll(r.body, email, "TYPED-EMAIL"))
}

// TestLoginAnswersAlike: on both login routes, a known email with a wrong
// password, an unknown email, and a known email locked out after too many
// bad passwords get the same answer: status, headers (but Date) and body,
// byte for byte but for the email the form shows again.
func TestLoginAnswersAlike(t *testing.T) {
	env := servertest.Start(t)
	ip := 0
	from := func() *http.Client {
		ip++
		return fromIP(fmt.Sprintf("127.0.9.%d", ip)) // one address per attempt: no rate limit in the way
	}
	for _, ep := range loginEndpoints {
		t.Run(ep.name, func(t *testing.T) {
			unknown := ep.login(t, from(), env, ep.unknown, wrongGuess)
			if unknown.status != http.StatusUnauthorized {
				t.Fatalf("unknown email: %d %s", unknown.status, unknown.body)
			}
			want := sameAnswer(unknown, ep.unknown)
			for i := range 7 { // the lockout starts at the 5th bad password
				known := ep.login(t, from(), env, ep.known, wrongGuess)
				if got := sameAnswer(known, ep.known); got != want {
					t.Errorf("bad password %d for %s answers\n%s\nan unknown email answers\n%s", i+1, ep.known, got, want)
				}
			}
			if again := sameAnswer(ep.login(t, from(), env, ep.unknown, wrongGuess), ep.unknown); again != want {
				t.Errorf("an unknown email answers differently the second time:\n%s\nthe first:\n%s", again, want)
			}
		})
	}
	// The known accounts were locked out by the bad passwords above.
	err := env.Store.View(loginCtx, func(tx *store.Tx) error {
		c, err := tx.ClientByEmail(knownClient)
		if err != nil {
			return err
		}
		s, err := tx.StaffByEmail(knownStaff)
		if err != nil {
			return err
		}
		if !c.Access.Lockout.Blocks(tx.Now()) || !s.Lockout.Blocks(tx.Now()) {
			t.Errorf("after 7 bad passwords the client's lockout blocks: %v, the staff member's: %v; want both locked out",
				c.Access.Lockout.Blocks(tx.Now()), s.Lockout.Blocks(tx.Now()))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkLoginTiming measures the answer time of both login routes for a
// known email with a wrong password and for an unknown email, alternating,
// 100 of each per route (run with -benchtime 1x), against the real service
// hashing as `serve` does: argon2id at password.DefaultParams (64 MiB, one
// pass, two lanes) within the default hashing budget, with the known
// accounts' passwords stored at those parameters as `serve --demo` stores
// them. Each request comes from its own loopback address on a new
// connection, so the per-address login limit does not interfere. It
// reports each route's medians and their difference, in ms:
//
//	go test -run '^$' -bench LoginTiming -benchtime 1x ./server/
func BenchmarkLoginTiming(b *testing.B) {
	hasher := password.Hasher{Params: password.DefaultParams}
	env := servertest.Start(b, servertest.WithConfig(func(c *server.Config) { c.Hasher = hasher }))
	// servertest fills the demo office with cheap test hashes: store the
	// known accounts' at the service's parameters.
	err := env.Store.Update(loginCtx, func(tx *store.Tx) error {
		c, err := tx.ClientByEmail(knownClient)
		if err != nil {
			return err
		}
		if c.Access.PasswordHash, err = hasher.Hash(env.Login(b, "client", knownClient).Password); err != nil {
			return err
		}
		if err := tx.PutClient(&c); err != nil {
			return err
		}
		s, err := tx.StaffByEmail(knownStaff)
		if err != nil {
			return err
		}
		if s.PasswordHash, err = hasher.Hash(env.Login(b, "staff", knownStaff).Password); err != nil {
			return err
		}
		return tx.PutStaff(&s)
	})
	if err != nil {
		b.Fatal(err)
	}
	const n = 100
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	median := func(ds []time.Duration) time.Duration { return slices.Sorted(slices.Values(ds))[len(ds)/2] }
	for range b.N {
		for e, ep := range loginEndpoints {
			// Wall time and this process's CPU time (service and client both
			// run here, one request at a time) of each answer; the CPU time
			// does not count the waits that other programs on the machine
			// cause.
			var wall, cpu [2][]time.Duration // [0] known email, [1] unknown
			var paired []time.Duration       // known minus unknown, pair by pair
			for i := range 2 * n {
				// Pairs in turn known-unknown and unknown-known, so that
				// neither always comes first.
				unknown := (i%2 == 1) != (i/2%2 == 1)
				email := ep.known
				if unknown {
					email = fmt.Sprintf("x%03d-%s", i, ep.unknown)
				}
				c := fromIP(fmt.Sprintf("127.0.%d.%d", 10+2*e+i/250, 1+i%250))
				cpu0 := processCPU(b)
				start := time.Now()
				r := ep.login(b, c, env, email, wrongGuess)
				d := time.Since(start)
				cd := processCPU(b) - cpu0
				c.CloseIdleConnections()
				if r.status != http.StatusUnauthorized {
					b.Fatalf("%s as %s: %d %s", ep.name, email, r.status, r.body)
				}
				k := 0
				if unknown {
					k = 1
				}
				wall[k], cpu[k] = append(wall[k], d), append(cpu[k], cd)
				if i%2 == 1 {
					pair := d - wall[1-k][len(wall[1-k])-1]
					if unknown {
						pair = -pair
					}
					paired = append(paired, pair)
				}
			}
			mk, mu := median(wall[0]), median(wall[1])
			unit := strings.Fields(ep.name)[0] // portal, staff
			b.ReportMetric(ms(mk), unit+"-known-median-ms")
			b.ReportMetric(ms(mu), unit+"-unknown-median-ms")
			b.ReportMetric(ms(mk-mu), unit+"-difference-ms")
			b.Logf("%s: known email, wrong password: median %.2f ms (p10 %.2f, p90 %.2f); unknown email: median %.2f ms (p10 %.2f, p90 %.2f); "+
				"difference of the medians %.2f ms; median of the %d paired differences %.2f ms; CPU time medians %.2f and %.2f ms, difference %.2f ms",
				ep.name, ms(mk), ms(slices.Sorted(slices.Values(wall[0]))[n/10]), ms(slices.Sorted(slices.Values(wall[0]))[n*9/10]),
				ms(mu), ms(slices.Sorted(slices.Values(wall[1]))[n/10]), ms(slices.Sorted(slices.Values(wall[1]))[n*9/10]),
				ms(mk-mu), len(paired), ms(median(paired)), ms(median(cpu[0])), ms(median(cpu[1])), ms(median(cpu[0])-median(cpu[1])))
		}
	}
}
