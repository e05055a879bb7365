package password

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ccojocar/zxcvbn-go"
	"github.com/ccojocar/zxcvbn-go/frequency"
	"golang.org/x/text/unicode/norm"

	"clientportal/server/apitext"
	"clientportal/store"
)

// MaxLength is the longest password accepted, in characters. NIST asks for at
// least 64; the cap keeps hashing and the strength estimate bounded.
const MaxLength = 256

// Rule names a requirement a password failed. Each has a message in the
// portal's catalog ("password.<rule>") and in English here.
type Rule string

// Rules.
const (
	RuleInvalid   Rule = "invalid"   // not valid UTF-8 or has control characters
	RuleLength    Rule = "length"    // shorter than the policy's minimum
	RuleTooLong   Rule = "too_long"  // longer than MaxLength
	RuleUpper     Rule = "upper"     // too few upper-case letters
	RuleLower     Rule = "lower"     // too few lower-case letters
	RuleDigit     Rule = "digit"     // too few digits
	RuleSpecial   Rule = "special"   // too few special characters
	RuleCommon    Rule = "common"    // on the common-password list
	RuleGuessable Rule = "guessable" // a simple pattern, a word or the person's own details
)

// Problem is one unmet rule; Need is the count the policy asks for.
type Problem struct {
	Rule Rule `json:"rule"`
	Need int  `json:"need,omitempty"`
}

// English says the problem in English, for the staff API.
func (p Problem) English() string { return p.Text().String() }

// Text is the problem in the staff API's catalog of texts.
func (p Problem) Text() apitext.Text {
	switch p.Rule {
	case RuleInvalid:
		return apitext.New("password.invalid", "use only printable characters")
	case RuleLength:
		return apitext.New("password.length", "use at least {{.Need}} characters", "Need", p.Need)
	case RuleTooLong:
		return apitext.New("password.too_long", "use at most {{.Need}} characters", "Need", p.Need)
	case RuleUpper:
		return apitext.New("password.upper", "use at least {{.Need}} upper-case letters", "Need", p.Need)
	case RuleLower:
		return apitext.New("password.lower", "use at least {{.Need}} lower-case letters", "Need", p.Need)
	case RuleDigit:
		return apitext.New("password.digit", "use at least {{.Need}} digits", "Need", p.Need)
	case RuleSpecial:
		return apitext.New("password.special", "use at least {{.Need}} special characters (such as ! ? # or a space)", "Need", p.Need)
	case RuleCommon:
		return apitext.New("password.common", "this password is on a list of common passwords; choose another")
	case RuleGuessable:
		return apitext.New("password.guessable", "this password is too easy to guess (a word, a pattern, or your own name or email); make it longer or less predictable")
	}
	return apitext.New("password.other", "{{.Rule}}", "Rule", string(p.Rule))
}

// Summary joins the problems' English texts.
func Summary(problems []Problem) string { return SummaryText(problems).String() }

// SummaryText is the problems as one text of the staff API's catalog.
func SummaryText(problems []Problem) apitext.Text {
	texts := make([]apitext.Text, len(problems))
	for i, p := range problems {
		texts[i] = p.Text()
	}
	return apitext.New("password.not_accepted", "Password not accepted: {{.Problems}}.", "Problems", texts)
}

// minScore is the least zxcvbn score (0-4) accepted: 3 means an online and
// slow-hash offline attack are both out of reach.
const minScore = 3

var common = func() map[string]bool {
	list := frequency.Lists["Passwords"].List
	m := make(map[string]bool, len(list))
	for _, w := range list {
		m[w] = true
	}
	return m
}()

// Check returns every rule of policy that pw does not meet (none: the password
// is accepted). personal lists the person's own details (name, email) that a
// password must not be built from.
func Check(policy store.PasswordPolicy, pw string, personal ...string) []Problem {
	if !utf8.ValidString(pw) || strings.ContainsFunc(pw, unicode.IsControl) {
		return []Problem{{Rule: RuleInvalid}}
	}
	pw = norm.NFKC.String(pw)
	var problems []Problem
	n := utf8.RuneCountInString(pw)
	if n > MaxLength {
		return []Problem{{Rule: RuleTooLong, Need: MaxLength}}
	}
	if n < policy.MinLength {
		problems = append(problems, Problem{Rule: RuleLength, Need: policy.MinLength})
	}
	var upper, lower, digit, special int
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			lower++
		case unicode.IsDigit(r):
			digit++
		case !unicode.IsLetter(r) && !unicode.IsMark(r):
			special++
		}
	}
	for _, c := range []struct {
		rule      Rule
		have, min int
	}{
		{RuleUpper, upper, policy.MinUpper},
		{RuleLower, lower, policy.MinLower},
		{RuleDigit, digit, policy.MinDigit},
		{RuleSpecial, special, policy.MinSpecial},
	} {
		if c.have < c.min {
			problems = append(problems, Problem{Rule: c.rule, Need: c.min})
		}
	}
	if common[strings.ToLower(pw)] {
		return append(problems, Problem{Rule: RuleCommon})
	}
	var inputs []string
	for _, p := range personal {
		inputs = append(inputs, strings.ToLower(p))
		inputs = append(inputs, strings.FieldsFunc(strings.ToLower(p), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})...)
	}
	if zxcvbn.PasswordStrength(guessPrefix(pw), inputs).Score < minScore {
		problems = append(problems, Problem{Rule: RuleGuessable})
	}
	return problems
}

// guessChars is how much of a password the guessability estimate reads:
// zxcvbn's matching grows much faster than the length (a 256-character
// password took seconds), and 100 random-looking characters are far beyond
// the score the check asks for, so a longer one is judged by its start.
const guessChars = 100

// guessPrefix is the first guessChars characters of pw.
func guessPrefix(pw string) string {
	n := 0
	for i := range pw {
		if n == guessChars {
			return pw[:i]
		}
		n++
	}
	return pw
}

// Fits reports whether pw is no longer than MaxLength characters once
// normalised, the way Check counts: a longer one can never have been set, so
// a login with it fails without hashing.
func Fits(pw string) bool {
	if len(pw) > 16*MaxLength { // no password that fits is this many bytes: do not normalise megabytes
		return false
	}
	return utf8.RuneCountInString(norm.NFKC.String(pw)) <= MaxLength
}

// ValidPolicy reports what is wrong with a policy an administrator entered,
// or "" when it is usable.
func ValidPolicy(p store.PasswordPolicy) string { return ValidPolicyText(p).String() }

// ValidPolicyText is ValidPolicy as a text of the staff API's catalog (ID
// "" when the policy is usable).
func ValidPolicyText(p store.PasswordPolicy) apitext.Text {
	switch {
	case p.MinLength < 8:
		return apitext.New("password.policy_min_length_low", "min_length must be at least 8")
	case p.MinLength > 64:
		return apitext.New("password.policy_min_length_high", "min_length must be at most 64")
	case p.MinUpper < 0 || p.MinLower < 0 || p.MinDigit < 0 || p.MinSpecial < 0:
		return apitext.New("password.policy_negative", "character counts cannot be negative")
	case p.MinUpper+p.MinLower+p.MinDigit+p.MinSpecial > p.MinLength:
		return apitext.New("password.policy_counts_exceed", "the character counts add up to more than min_length")
	}
	return apitext.Text{}
}
