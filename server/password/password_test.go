package password_test

import (
	"slices"
	"strings"
	"testing"

	"clientportal/server/password"
	"clientportal/store"
)

func rules(ps []password.Problem) []password.Rule {
	var out []password.Rule
	for _, p := range ps {
		out = append(out, p.Rule)
	}
	return out
}

func TestCheckOfficePolicy(t *testing.T) {
	office := store.PolicyOffice
	nist := store.PolicyNIST
	tests := []struct {
		name   string
		policy store.PasswordPolicy
		pw     string
		want   []password.Rule
	}{
		{"meets everything", office, "Tr4vel!Mango#92", nil},
		{"short", office, "Ab1!Ab1!", []password.Rule{password.RuleLength, password.RuleGuessable}},
		{"no upper, no special", office, "vkq4zpwmt92x", []password.Rule{password.RuleUpper, password.RuleSpecial}},
		{"one of each is not two", office, "RQvkzpwmt!4x", []password.Rule{password.RuleDigit, password.RuleSpecial}},
		{"common password", store.PasswordPolicy{MinLength: 8}, "baseball", []password.Rule{password.RuleCommon}},
		{"repeated word", nist, "passwordpassword", []password.Rule{password.RuleGuessable}},
		{"common password in any case", office, "PASSWORD", []password.Rule{password.RuleLength, password.RuleLower, password.RuleDigit, password.RuleSpecial, password.RuleCommon}},
		{"nist: long passphrase", nist, "lantern orchard velvet canoe", nil},
		{"nist: no composition rules", nist, "quietriverbendsslowly", nil},
		{"nist: too short", nist, "Tr4vel!Mango#9", []password.Rule{password.RuleLength}},
		{"unicode counts as characters", office, "ÁÉíóñü¡¿42Zxq!", nil},
		{"64 characters accepted", nist, strings.Repeat("Zq7!", 16), nil},
		{"control characters refused", office, "Tr4vel!Mango#92\x00", []password.Rule{password.RuleInvalid}},
		{"invalid utf-8 refused", office, "Tr4vel!Mango#92\xff", []password.Rule{password.RuleInvalid}},
		{"too long", nist, strings.Repeat("a", password.MaxLength+1), []password.Rule{password.RuleTooLong}},
		{"keyboard walk", nist, "qwertyuiopasdfghjkl", []password.Rule{password.RuleGuessable}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rules(password.Check(tt.policy, tt.pw))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Check(%q) = %v, want %v", tt.pw, got, tt.want)
			}
		})
	}
}

func TestCheckRefusesPersonalDetails(t *testing.T) {
	pw := "Rosalind.Okafor99"
	if got := password.Check(store.PolicyNIST, pw+"xx"); len(got) != 0 && got[0].Rule != password.RuleLength {
		t.Fatalf("unexpected: %v", got)
	}
	got := rules(password.Check(store.PasswordPolicy{MinLength: 10}, pw, "Rosalind Okafor", "rosalind.okafor@example.org"))
	if !slices.Contains(got, password.RuleGuessable) {
		t.Errorf("a password made of the client's name was accepted: %v", got)
	}
}

func TestSummaryNamesEveryRule(t *testing.T) {
	s := password.Summary(password.Check(store.PolicyOffice, "abc"))
	for _, want := range []string{"at least 10 characters", "2 upper-case", "2 digits", "2 special"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary %q does not say %q", s, want)
		}
	}
}

func TestHashVerify(t *testing.T) {
	h := password.Hasher{Params: password.TestParams}
	enc, err := h.Hash("Tr4vel!Mango#92")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash format: %s", enc)
	}
	if enc2, _ := h.Hash("Tr4vel!Mango#92"); enc2 == enc {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for pw, want := range map[string]bool{"Tr4vel!Mango#92": true, "tr4vel!Mango#92": false, "": false} {
		ok, stale, err := h.Verify(enc, pw)
		if err != nil || ok != want || stale {
			t.Errorf("Verify(%q) = %v, %v, %v; want %v", pw, ok, stale, err, want)
		}
	}
	// Composed and decomposed accents are the same password.
	enc, _ = h.Hash("Canci\u00f3n!Larga#2026")
	if ok, _, _ := h.Verify(enc, "Cancio\u0301n!Larga#2026"); !ok {
		t.Error("decomposed form of the same password does not match")
	}
	strong := password.Hasher{Params: password.DefaultParams}
	if _, stale, _ := strong.Verify(enc, "x"); !stale {
		t.Error("a hash with weaker parameters is not reported stale")
	}
}

func TestVerifyMalformed(t *testing.T) {
	h := password.Hasher{Params: password.TestParams}
	for _, enc := range []string{"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=0,t=0,p=0$AAAA$AAAAAAAAAAAAAAAAAAAAAA", "$argon2id$v=19$m=1024,t=1,p=1$!!$AAAAAAAAAAAAAAAAAAAAAA"} {
		if _, _, err := h.Verify(enc, "x"); err == nil {
			t.Errorf("Verify(%q) accepted a malformed hash", enc)
		}
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"", "Tr4vel!Mango#92", "ÁÉíóñü¡¿42Zxq!", "\xff\xfe", "password"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		problems := password.Check(store.PolicyOffice, pw)
		if len(problems) == 0 && len([]rune(pw)) < store.PolicyOffice.MinLength {
			t.Errorf("accepted %q shorter than the minimum", pw)
		}
		_ = password.Summary(problems)
	})
}

func FuzzVerify(f *testing.F) {
	h := password.Hasher{Params: password.TestParams}
	good, _ := h.Hash("x")
	f.Add(good, "x")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAA", "")
	f.Fuzz(func(t *testing.T, enc, pw string) {
		h.Verify(enc, pw) // must not panic or hang on any input
	})
}

// TestGuessabilityReadsTheFirst100Characters: the estimate is bounded by
// judging a long password by its start, so a weak start is refused however
// random the rest.
func TestGuessabilityReadsTheFirst100Characters(t *testing.T) {
	const random = "q8#Vw2!mZ4@pL7$xR1%tN6^bH3&kJ9*cF5(yD0)gS8-uA2+eW4=iO7?lK1/nM3;"
	weakStart := strings.Repeat("a", 100) + random + random
	if got := rules(password.Check(store.PolicyNIST, weakStart)); !slices.Contains(got, password.RuleGuessable) {
		t.Errorf("a password starting with 100 a's: %v, want it refused as guessable", got)
	}
	if got := rules(password.Check(store.PolicyNIST, random+random+random)); len(got) != 0 {
		t.Errorf("a long random password: %v, want accepted", got)
	}
}

func TestFits(t *testing.T) {
	tests := []struct {
		pw   string
		want bool
	}{
		{strings.Repeat("a", password.MaxLength), true},
		{strings.Repeat("a", password.MaxLength+1), false},
		{strings.Repeat("😀", password.MaxLength), true},
		{strings.Repeat("e\u0301", password.MaxLength), true}, // composes to 256 é
		{strings.Repeat("x", 1<<20), false},
	}
	for _, tt := range tests {
		if got := password.Fits(tt.pw); got != tt.want {
			t.Errorf("Fits(%d bytes) = %v, want %v", len(tt.pw), got, tt.want)
		}
	}
}
