package office

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"clientportal/server/apitext"
	"clientportal/server/mail"
	"clientportal/server/password"
	"clientportal/store"
)

// Onboarding: invitations to register, registration with an identity fact,
// password resets, temporary passwords and easy login links. A link's token
// is 32 random bytes (base64url); only its SHA-256 is stored, and the email
// carrying it is an outbox entry with the token sealed to the office key.

// LinkMailer queues, in the office's transaction, the email that carries a
// single-use link (mail.Mailer).
type LinkMailer interface {
	QueueLink(tx *store.Tx, l mail.Link) error
	CancelLink(tx *store.Tx, kind string, clientID uint64, reason string) error
}

// WithLinks lets the office send invitation and reset emails through m.
func WithLinks(m LinkMailer) Option { return func(o *Office) { o.links = m } }

// ErrLinkInvalid is the one answer for a link that is unknown, expired, used,
// revoked or voided: the portal says "this link is no longer valid; ask the
// office for a new one" for each alike.
var ErrLinkInvalid = store.ErrLinkInvalid

// FactMismatch is a registration whose identity fact did not match; Left is
// how many more tries the link allows (0: it is now void).
type FactMismatch struct{ Left int }

func (e *FactMismatch) Error() string {
	return fmt.Sprintf("the details do not match the office's records (%d tries left)", e.Left)
}

// WeakPassword is a new password the office's policy refuses; Problems name
// each unmet rule.
type WeakPassword struct{ Problems []password.Problem }

func (e *WeakPassword) Error() string { return password.Summary(e.Problems) }

// newLinkToken returns a random link token and its stored hash.
func newLinkToken() (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24+): it crashes the program instead
	token := base64.RawURLEncoding.EncodeToString(b)
	return token, HashLinkToken(token)
}

// HashLinkToken is the stored form of a link token.
func HashLinkToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// mailLanguage is the language of a client's emails.
func mailLanguage(c store.Client) string {
	if c.Language == "es" {
		return "es"
	}
	return "en"
}

// hasAccount reports whether the client can already sign in with a password
// of their own (a temporary one staff set does not count as registered, but
// it is an account: an invitation would only confuse).
func hasAccount(c store.Client) bool { return c.Access.PasswordHash != "" }

// mailReady refuses link emails while no mail server is set.
func (o *Office) mailReady(ctx context.Context) error {
	if o.links == nil {
		return inactive("", apitext.New("invitation.service_cannot_send_link", "this service cannot send link emails (no office key)"))
	}
	var ms store.MailSettings
	if err := o.store.View(ctx, func(tx *store.Tx) (err error) { ms, err = tx.MailSettings(); return err }); err != nil {
		return err
	}
	if !ms.Configured() {
		return inactive("", apitext.New("invitation.no_mail_server_set", "no mail server is set: set one with PUT /api/v1/settings/mail, then invite"))
	}
	return nil
}

// Invitation outcomes, per client.
const (
	Invited        = "invited"         // the email is queued
	HasAccount     = "has_account"     // the client already has a password: send a reset instead
	AlreadyInvited = "already_invited" // an active invitation exists (bulk leaves it be; POST .../invitation resends)
	NoEmail        = "no_email"        // the client has no email address
	MissingFact    = "missing_fact"    // the office does not hold the identity fact registration asks for
)

// invite issues a new invitation to c in tx and queues its email; it answers
// the outcome, and the link when one was issued.
func (o *Office) invite(tx *store.Tx, a Actor, c store.Client, resendActive bool) (string, store.LinkToken, error) {
	ob, err := tx.OnboardingSettings()
	if err != nil {
		return "", store.LinkToken{}, err
	}
	switch {
	case c.Email == "":
		return NoEmail, store.LinkToken{}, nil
	case hasAccount(c):
		return HasAccount, store.LinkToken{}, nil
	case !ob.EasyLogin && factOf(c, ob.Fact) == "":
		return MissingFact, store.LinkToken{}, nil
	}
	old, err := tx.LinkToken(store.LinkInvite, c.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", store.LinkToken{}, err
	}
	if old.Active(tx.Now()) && !resendActive {
		return AlreadyInvited, old, nil
	}
	token, hash := newLinkToken()
	now := tx.Now()
	t := store.LinkToken{Kind: store.LinkInvite, ClientID: c.ID, Hash: hash, Email: c.Email, Issued: now,
		Expires: now.Add(ob.InviteExpiry), EasyLogin: ob.EasyLogin, Sends: old.Sends + 1}
	if err := tx.PutLinkToken(t); err != nil {
		return "", store.LinkToken{}, err
	}
	if err := o.links.QueueLink(tx, mail.Link{Kind: store.MailInvite, ClientID: c.ID, To: c.Email, Language: mailLanguage(c),
		Token: token, Expires: t.Expires}); err != nil {
		return "", store.LinkToken{}, err
	}
	action := "client.invite"
	if old.Sends > 0 {
		action = "client.invite_resend"
	}
	detail := fmt.Sprintf("invitation %d sent to %s, expires %s", t.Sends, c.Email, t.Expires.Format(time.RFC3339))
	if t.EasyLogin {
		detail += " (easy login link)"
	}
	return Invited, t, tx.Audit(a.entry(did(action, target("client", c.ID), detail)))
}

// Invite sends (or resends, with a new token that replaces the old) the
// client's invitation to register.
func (o *Office) Invite(ctx context.Context, a Actor, clientID uint64) (store.LinkToken, error) {
	if err := o.mailReady(ctx); err != nil {
		return store.LinkToken{}, err
	}
	var t store.LinkToken
	err := o.store.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Client(clientID)
		if err != nil {
			return err
		}
		ob, err := tx.OnboardingSettings()
		if err != nil {
			return err
		}
		outcome, link, err := o.invite(tx, a, c, true)
		if err != nil {
			return err
		}
		switch outcome {
		case NoEmail:
			return invalid("email", apitext.New("invitation.client_has_no_email", "the client has no email address: add one with PATCH /api/v1/clients/{id}"))
		case HasAccount:
			return conflict("client", apitext.New("invitation.client_already_has_account", "the client already has an account: send a password reset (POST /api/v1/clients/{id}/reset) or set a temporary password"))
		case MissingFact:
			return invalid(ob.Fact, apitext.New("invitation.fact_missing", "registration asks the client for their {{.Fact}}, which the office does not hold: set it with PATCH /api/v1/clients/{id}", "Fact", ob.Fact))
		}
		t = link
		return nil
	})
	return t, err
}

// RevokeInvitation ends the client's invitation: its link stops working, and
// an email not sent yet is not sent.
func (o *Office) RevokeInvitation(ctx context.Context, a Actor, clientID uint64) (store.LinkToken, error) {
	var t store.LinkToken
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		if _, err := tx.Client(clientID); err != nil {
			return change{}, err
		}
		var err error
		t, err = tx.LinkToken(store.LinkInvite, clientID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return change{}, err
		}
		if !t.Active(tx.Now()) {
			return change{}, inactive("invitation", apitext.New("invitation.client_has_no_active", "the client has no active invitation to revoke"))
		}
		t.Revoked = tx.Now()
		if err := tx.PutLinkToken(t); err != nil {
			return change{}, err
		}
		if o.links != nil {
			if err := o.links.CancelLink(tx, store.MailInvite, clientID, "the invitation was revoked before it was sent"); err != nil {
				return change{}, err
			}
		}
		return did("client.invite_revoke", target("client", clientID), ""), nil
	})
	return t, err
}

// withdrawLinks revokes the client's active invitation and reset links and
// withdraws their emails not yet sent; it says how many links it revoked.
func (o *Office) withdrawLinks(tx *store.Tx, clientID uint64, why string) (int, error) {
	n := 0
	for _, k := range []struct{ link, mail string }{{store.LinkInvite, store.MailInvite}, {store.LinkReset, store.MailReset}} {
		t, err := tx.LinkToken(k.link, clientID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return n, err
		}
		if !t.Active(tx.Now()) {
			continue
		}
		t.Revoked = tx.Now()
		if err := tx.PutLinkToken(t); err != nil {
			return n, err
		}
		n++
		if o.links != nil {
			if err := o.links.CancelLink(tx, k.mail, clientID, why); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// InviteOutcome is what a bulk invitation did for one client.
type InviteOutcome struct {
	Client  store.Client
	Outcome string // Invited, HasAccount, AlreadyInvited, NoEmail or MissingFact
	Link    store.LinkToken
}

// maxBulkCases bounds one bulk invitation.
const maxBulkCases = 1000

// InviteCases invites every client of the given cases who has no account and
// no active invitation yet, each once, in one transaction, and says per
// client what it did. An unknown case refuses the whole request.
func (o *Office) InviteCases(ctx context.Context, a Actor, caseIDs []uint64) ([]InviteOutcome, error) {
	if len(caseIDs) == 0 {
		return nil, invalid("cases", apitext.New("invitation.cases_list_least_one", "cases must list at least one case id"))
	}
	if len(caseIDs) > maxBulkCases {
		return nil, invalid("cases", apitext.New("invitation.cases_too_many", "cases may list at most {{.Max}} case ids at once", "Max", maxBulkCases))
	}
	if err := o.mailReady(ctx); err != nil {
		return nil, err
	}
	var out []InviteOutcome
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		out = out[:0]
		seen := map[uint64]bool{}
		invited := 0
		for _, id := range caseIDs {
			cs, err := tx.Case(id)
			if errors.Is(err, store.ErrNotFound) {
				return change{}, invalid("cases", apitext.New("invitation.case_missing", "case {{.ID}} does not exist; nobody was invited", "ID", id))
			}
			if err != nil {
				return change{}, err
			}
			for _, cid := range cs.ClientIDs {
				if seen[cid] {
					continue
				}
				seen[cid] = true
				c, err := tx.Client(cid)
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					return change{}, err
				}
				outcome, link, err := o.invite(tx, a, c, false)
				if err != nil {
					return change{}, err
				}
				if outcome == Invited {
					invited++
				}
				out = append(out, InviteOutcome{Client: c, Outcome: outcome, Link: link})
			}
		}
		return did("invitations.bulk", "", fmt.Sprintf("%d cases, %d clients, %d invited", len(caseIDs), len(out), invited)), nil
	})
	return out, err
}

// AutoInvite invites the clients of a case just created who have no account,
// when the staff member asked (ask) or the office's setting says so. It
// answers nil outcomes when neither did.
func (o *Office) AutoInvite(ctx context.Context, a Actor, caseID uint64, ask bool) ([]InviteOutcome, error) {
	if !ask {
		var ob store.OnboardingSettings
		if err := o.store.View(ctx, func(tx *store.Tx) (err error) { ob, err = tx.OnboardingSettings(); return err }); err != nil {
			return nil, err
		}
		if !ob.AutoInvite || o.mailReady(ctx) != nil {
			return nil, nil
		}
	}
	return o.InviteCases(ctx, a, []uint64{caseID})
}

// CanInvite says whether invitations can be sent now (a mail server is set),
// and if not, why: the staff API checks it before a case is created with
// "invite": true, so a refused invitation creates no case.
func (o *Office) CanInvite(ctx context.Context) error { return o.mailReady(ctx) }

// Waiting is a client with cases and no account: waiting for an invitation,
// or for them to use it.
type Waiting struct {
	Client store.Client
	Cases  int
	Link   *store.LinkToken // the invitation, when one was sent
}

// WaitingForInvitation lists clients who have at least one case (every case
// is on the portal) and no account, in client ID order.
func (o *Office) WaitingForInvitation(ctx context.Context) ([]Waiting, error) {
	var out []Waiting
	err := o.store.View(ctx, func(tx *store.Tx) error {
		return tx.ClientsWithCases(func(c store.Client, n int) error {
			if hasAccount(c) {
				return nil
			}
			w := Waiting{Client: c, Cases: n}
			t, err := tx.LinkToken(store.LinkInvite, c.ID)
			if err == nil {
				w.Link = &t
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			out = append(out, w)
			return nil
		})
	})
	return out, err
}

// Links reads the client's invitation and reset links (nil when none was
// ever sent).
func (o *Office) Links(ctx context.Context, clientID uint64) (c store.Client, invite, reset *store.LinkToken, err error) {
	err = o.store.View(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = tx.Client(clientID); err != nil {
			return err
		}
		for _, x := range []struct {
			kind string
			out  **store.LinkToken
		}{{store.LinkInvite, &invite}, {store.LinkReset, &reset}} {
			t, err := tx.LinkToken(x.kind, clientID)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			*x.out = &t
		}
		return nil
	})
	return c, invite, reset, err
}

// LinkInfo is what a link's page needs before the client acts.
type LinkInfo struct {
	Fact      string // the identity fact registration asks for
	EasyLogin bool
	Policy    store.PasswordPolicy
}

// CheckLink reports whether token is an active link of kind, and what its
// page asks for; it changes nothing.
func (o *Office) CheckLink(ctx context.Context, kind, token string) (LinkInfo, error) {
	var info LinkInfo
	err := o.store.View(ctx, func(tx *store.Tx) error {
		t, err := tx.LinkTokenByHash(kind, HashLinkToken(token))
		if err != nil {
			return err
		}
		ob, err := tx.OnboardingSettings()
		if err != nil {
			return err
		}
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		info = LinkInfo{Fact: ob.Fact, EasyLogin: t.EasyLogin, Policy: set.PasswordPolicy}
		return nil
	})
	return info, err
}

// factOf is the client's stored value of an identity fact.
func factOf(c store.Client, fact string) string {
	if fact == store.FactIDLast4 {
		return c.IDLast4
	}
	return c.BirthDate
}

// normalFact is a typed identity fact in its stored form ("" when it cannot
// be one): a birth date as YYYY-MM-DD, the last 4 of an ID in upper case.
func normalFact(fact, v string) string {
	v = strings.TrimSpace(v)
	if fact == store.FactIDLast4 {
		v = strings.ToUpper(strings.ReplaceAll(v, " ", ""))
		if !idLast4RE.MatchString(v) {
			return ""
		}
		return v
	}
	d, err := time.Parse(DateLayout, v)
	if err != nil {
		return ""
	}
	return d.Format(DateLayout)
}

var idLast4RE = regexp.MustCompile(`^[0-9A-Z]{4}$`)

// checkBirthDate and checkIDLast4 validate the identity facts staff store.
func checkBirthDate(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	d, err := time.Parse(DateLayout, v)
	if err != nil || d.Year() < 1900 || d.After(time.Now()) {
		return "", invalid("birth_date", apitext.New("invitation.birth_date_past_day_yyyy", "birth_date must be a past day as YYYY-MM-DD (or empty)"))
	}
	return d.Format(DateLayout), nil
}

func checkIDLast4(v string) (string, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	if v == "" {
		return "", nil
	}
	if !idLast4RE.MatchString(v) {
		return "", invalid("id_last4", apitext.New("invitation.id_last4_last_4_letters", "id_last4 must be the last 4 letters or digits of the client's ID number (or empty)"))
	}
	return v, nil
}

// checkNewPassword checks pw against the office's policy for client c.
func (o *Office) checkNewPassword(ctx context.Context, c store.Client, pw string) error {
	set, err := o.settings(ctx)
	if err != nil {
		return err
	}
	if problems := password.Check(set.PasswordPolicy, pw, c.Name, c.Email); len(problems) > 0 {
		return &WeakPassword{Problems: problems}
	}
	return nil
}

// linkClient finds the client of an active link of kind.
func (o *Office) linkClient(ctx context.Context, kind, token string) (store.LinkToken, store.Client, error) {
	var t store.LinkToken
	var c store.Client
	err := o.store.View(ctx, func(tx *store.Tx) (err error) {
		if t, err = tx.LinkTokenByHash(kind, HashLinkToken(token)); err != nil {
			return err
		}
		c, err = tx.Client(t.ClientID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrLinkInvalid
		}
		return err
	})
	return t, c, err
}

// Register uses an invitation: the client proves the identity fact the
// office holds and chooses a password. A wrong fact counts against the link
// (FactMismatch), and the office's limit of them voids it; a password the
// policy refuses counts nothing (WeakPassword). Two registrations racing on
// one link make one account: the second finds it used.
func (o *Office) Register(ctx context.Context, token, fact, pw, ip string) (store.Client, error) {
	t, c, err := o.linkClient(ctx, store.LinkInvite, token)
	if err != nil {
		return store.Client{}, err
	}
	if t.EasyLogin {
		return store.Client{}, ErrLinkInvalid // an easy login link signs in (EasyLogin), it does not register
	}
	var ob store.OnboardingSettings
	if err := o.store.View(ctx, func(tx *store.Tx) (err error) { ob, err = tx.OnboardingSettings(); return err }); err != nil {
		return store.Client{}, err
	}
	want, got := factOf(c, ob.Fact), normalFact(ob.Fact, fact)
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return store.Client{}, o.factFailed(ctx, t, c, ip, ob)
	}
	if err := o.checkNewPassword(ctx, c, pw); err != nil {
		return store.Client{}, err
	}
	hash, err := o.passwords.Hash(ctx, pw)
	if err != nil {
		return store.Client{}, err
	}
	a := Actor{Kind: "client", ID: c.ID, Name: c.Name, IP: ip}
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		cur, err := tx.LinkTokenByHash(store.LinkInvite, t.Hash)
		if err != nil {
			return change{}, err // used by a racing registration, revoked or expired meanwhile
		}
		if c, err = tx.Client(cur.ClientID); err != nil {
			return change{}, err
		}
		cur.Used = tx.Now()
		if err := tx.PutLinkToken(cur); err != nil {
			return change{}, err
		}
		c.Access.PasswordHash, c.Access.PasswordSet, c.Access.MustChangePassword = hash, tx.Now(), false
		c.Access.AllowedToLogOn = true
		c.Access.Lockout.Clear()
		if err := tx.PutClient(&c); err != nil {
			return change{}, err
		}
		if err := endSessions(tx, store.SessionClient, c.ID); err != nil {
			return change{}, err
		}
		return did("client.register", target("client", c.ID), "registered with invitation sent to "+cur.Email), nil
	})
	return c, err
}

// factFailed counts a wrong identity fact against the link, voiding it at the
// office's limit.
func (o *Office) factFailed(ctx context.Context, t store.LinkToken, c store.Client, ip string, ob store.OnboardingSettings) error {
	a := Actor{Kind: "client", ID: c.ID, Name: c.Name, IP: ip}
	var left int
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		cur, err := tx.LinkTokenByHash(store.LinkInvite, t.Hash)
		if err != nil {
			return change{}, err
		}
		cur.Attempts++
		left = max(ob.MaxAttempts-cur.Attempts, 0)
		detail := fmt.Sprintf("wrong %s (%d of %d)", ob.Fact, cur.Attempts, ob.MaxAttempts)
		if left == 0 {
			cur.Voided = true
			detail += "; the invitation is now void"
		}
		if err := tx.PutLinkToken(cur); err != nil {
			return change{}, err
		}
		return did("client.register_failed", target("client", c.ID), detail), nil
	})
	if err != nil {
		return err
	}
	return &FactMismatch{Left: left}
}

// EasyLogin uses an easy login link: it is spent, and the client must set a
// password at once (MustChangePassword). The caller opens the session.
func (o *Office) EasyLogin(ctx context.Context, token, ip string) (store.Client, error) {
	t, c, err := o.linkClient(ctx, store.LinkInvite, token)
	if err != nil {
		return store.Client{}, err
	}
	if !t.EasyLogin {
		return store.Client{}, ErrLinkInvalid
	}
	a := Actor{Kind: "client", ID: c.ID, Name: c.Name, IP: ip}
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		cur, err := tx.LinkTokenByHash(store.LinkInvite, t.Hash)
		if err != nil {
			return change{}, err
		}
		if c, err = tx.Client(cur.ClientID); err != nil {
			return change{}, err
		}
		if c.Access.Locked {
			return change{}, ErrLinkInvalid
		}
		cur.Used = tx.Now()
		if err := tx.PutLinkToken(cur); err != nil {
			return change{}, err
		}
		c.Access.AllowedToLogOn, c.Access.MustChangePassword = true, true
		if err := tx.PutClient(&c); err != nil {
			return change{}, err
		}
		return did("client.easy_login", target("client", c.ID), "signed in with the easy login link sent to "+cur.Email), nil
	})
	return c, err
}

// resetFor issues a reset link to c in tx and queues its email.
func (o *Office) resetFor(tx *store.Tx, a Actor, c store.Client, action string) error {
	ob, err := tx.OnboardingSettings()
	if err != nil {
		return err
	}
	old, err := tx.LinkToken(store.LinkReset, c.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	token, hash := newLinkToken()
	now := tx.Now()
	t := store.LinkToken{Kind: store.LinkReset, ClientID: c.ID, Hash: hash, Email: c.Email, Issued: now,
		Expires: now.Add(ob.ResetExpiry), Sends: old.Sends + 1}
	if err := tx.PutLinkToken(t); err != nil {
		return err
	}
	if err := o.links.QueueLink(tx, mail.Link{Kind: store.MailReset, ClientID: c.ID, To: c.Email, Language: mailLanguage(c),
		Token: token, Expires: t.Expires}); err != nil {
		return err
	}
	return tx.Audit(a.entry(did(action, target("client", c.ID), "reset link sent to "+c.Email+", expires "+t.Expires.Format(time.RFC3339))))
}

// resettable says why a client gets no reset email ("" when they do): only a
// client with an account who may log on, and is not locked by staff.
func resettable(c store.Client) apitext.Text {
	switch {
	case c.Email == "":
		return apitext.New("invitation.reset_no_email", "the client has no email address")
	case !hasAccount(c):
		return apitext.New("invitation.reset_no_account", "the client has no account yet: send an invitation")
	case c.Access.Locked:
		return apitext.New("invitation.reset_locked", "the client is locked by staff: unlock them first")
	case !c.Access.AllowedToLogOn:
		return apitext.New("invitation.reset_not_allowed", "the client is not allowed to log on: allow it first")
	}
	return apitext.Text{}
}

// resetEvery is the least time between two reset emails a client asks for.
const resetEvery = time.Minute

// RequestReset is the portal's "forgot password": a reset email goes to the
// client whose login email is addr, when there is one who may reset. It
// answers nothing about which: the caller shows the same page either way and
// runs this off the request path, so the time does not tell either.
func (o *Office) RequestReset(ctx context.Context, addr, ip string) error {
	addr = store.NormalizeEmail(addr)
	if o.links == nil || addr == "" || len(addr) > 254 || !utf8.ValidString(addr) {
		return nil
	}
	if o.mailReady(ctx) != nil {
		return nil
	}
	return o.store.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.ClientByEmail(addr)
		if errors.Is(err, store.ErrNotFound) {
			return nil // not audited: the rate limit bounds these, and the log must not fill with guesses
		}
		if err != nil {
			return err
		}
		a := Actor{Kind: "client", ID: c.ID, Name: c.Name, IP: ip}
		if why := resettable(c); why.ID != "" {
			return tx.Audit(a.entry(did("client.reset_refused", target("client", c.ID), why.String())))
		}
		// One reset email a minute per client at most, whatever the
		// number of addresses asking: the inbox cannot be flooded.
		if old, err := tx.LinkToken(store.LinkReset, c.ID); err == nil && old.Active(tx.Now()) && tx.Now().Sub(old.Issued) < resetEvery {
			return nil
		}
		return o.resetFor(tx, a, c, "client.reset_requested")
	})
}

// SendReset sends the client a password reset email on staff's request.
func (o *Office) SendReset(ctx context.Context, a Actor, clientID uint64) (store.LinkToken, error) {
	if err := o.mailReady(ctx); err != nil {
		return store.LinkToken{}, err
	}
	var t store.LinkToken
	err := o.store.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Client(clientID)
		if err != nil {
			return err
		}
		if why := resettable(c); why.ID != "" {
			return inactive("client", why)
		}
		if err := o.resetFor(tx, a, c, "client.reset_sent"); err != nil {
			return err
		}
		t, err = tx.LinkToken(store.LinkReset, clientID)
		return err
	})
	return t, err
}

// Reset uses a reset link: the client's new password replaces the old, every
// session of theirs ends, and a temporary lockout by bad guesses is lifted
// (a lockout "until unlocked" stays for staff to lift).
func (o *Office) Reset(ctx context.Context, token, pw, ip string) (store.Client, error) {
	t, c, err := o.linkClient(ctx, store.LinkReset, token)
	if err != nil {
		return store.Client{}, err
	}
	if err := o.checkNewPassword(ctx, c, pw); err != nil {
		return store.Client{}, err
	}
	hash, err := o.passwords.Hash(ctx, pw)
	if err != nil {
		return store.Client{}, err
	}
	a := Actor{Kind: "client", ID: c.ID, Name: c.Name, IP: ip}
	var ended int
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		cur, err := tx.LinkTokenByHash(store.LinkReset, t.Hash)
		if err != nil {
			return change{}, err
		}
		if c, err = tx.Client(cur.ClientID); err != nil {
			return change{}, err
		}
		if resettable(c).ID != "" {
			return change{}, ErrLinkInvalid // locked or turned off since the link was sent
		}
		cur.Used = tx.Now()
		if err := tx.PutLinkToken(cur); err != nil {
			return change{}, err
		}
		c.Access.PasswordHash, c.Access.PasswordSet, c.Access.MustChangePassword = hash, tx.Now(), false
		if !c.Access.LockedOut {
			c.Access.Lockout.Clear()
		}
		if err := tx.PutClient(&c); err != nil {
			return change{}, err
		}
		if ended, err = tx.DeleteSessionsOf(store.SessionClient, c.ID); err != nil {
			return change{}, err
		}
		return did("client.reset", target("client", c.ID), fmt.Sprintf("password reset with the link sent to %s; %d sessions ended", cur.Email, ended)), nil
	})
	return c, err
}

// SetTemporaryPassword sets a password staff tell the client (who has no
// email, say), which the client must change at their next sign-in. Every
// session of theirs ends.
func (o *Office) SetTemporaryPassword(ctx context.Context, a Actor, clientID uint64, pw string) (store.Client, error) {
	var c store.Client
	if err := o.store.View(ctx, func(tx *store.Tx) (err error) { c, err = tx.Client(clientID); return err }); err != nil {
		return store.Client{}, err
	}
	hash, err := o.newClientPassword(ctx, pw, c.Name, c.Email)
	if err != nil {
		return store.Client{}, err
	}
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		if c, err = tx.Client(clientID); err != nil {
			return change{}, err
		}
		c.Access.PasswordHash, c.Access.PasswordSet, c.Access.MustChangePassword = hash, tx.Now(), true
		if err := tx.PutClient(&c); err != nil {
			return change{}, err
		}
		if err := endSessions(tx, store.SessionClient, c.ID); err != nil {
			return change{}, err
		}
		return did("client.password_temporary", target("client", c.ID), "temporary password set by staff; to be changed at the next sign-in"), nil
	})
	return c, err
}

// ChangePassword is a signed-in client choosing their own password, which a
// temporary password or an easy login requires before anything else. Every
// other session of theirs ends; keep (the session's token hash) stays.
func (o *Office) ChangePassword(ctx context.Context, clientID uint64, pw, ip string, keep []byte) (store.Client, error) {
	var c store.Client
	if err := o.store.View(ctx, func(tx *store.Tx) (err error) { c, err = tx.Client(clientID); return err }); err != nil {
		return store.Client{}, err
	}
	if err := o.checkNewPassword(ctx, c, pw); err != nil {
		return store.Client{}, err
	}
	hash, err := o.passwords.Hash(ctx, pw)
	if err != nil {
		return store.Client{}, err
	}
	a := Actor{Kind: "client", ID: c.ID, Name: c.Name, IP: ip}
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		if c, err = tx.Client(clientID); err != nil {
			return change{}, err
		}
		c.Access.PasswordHash, c.Access.PasswordSet, c.Access.MustChangePassword = hash, tx.Now(), false
		if err := tx.PutClient(&c); err != nil {
			return change{}, err
		}
		n, err := tx.DeleteSessionsOfExcept(store.SessionClient, c.ID, keep)
		if err != nil {
			return change{}, err
		}
		return did("client.password_change", target("client", c.ID), fmt.Sprintf("password changed by the client; %d other sessions ended", n)), nil
	})
	return c, err
}

// OnboardingChange changes the onboarding settings; nil fields keep their value.
type OnboardingChange struct {
	Fact         *string
	InviteExpiry *time.Duration
	ResetExpiry  *time.Duration
	MaxAttempts  *int
	AutoInvite   *bool
	EasyLogin    *bool
}

// SetOnboarding changes the onboarding settings.
func (o *Office) SetOnboarding(ctx context.Context, a Actor, in OnboardingChange) (store.OnboardingSettings, error) {
	switch {
	case in.Fact != nil && *in.Fact != store.FactBirthDate && *in.Fact != store.FactIDLast4:
		return store.OnboardingSettings{}, invalid("fact", apitext.New("invitation.fact_birth_date_id_last4", `fact must be "birth_date" or "id_last4"`))
	case in.InviteExpiry != nil && (*in.InviteExpiry < time.Hour || *in.InviteExpiry > 90*24*time.Hour):
		return store.OnboardingSettings{}, invalid("invite_expiry_hours", apitext.New("invitation.invitations_expire_after_1", "invitations must expire after 1 hour to 90 days"))
	case in.ResetExpiry != nil && (*in.ResetExpiry < 5*time.Minute || *in.ResetExpiry > 7*24*time.Hour):
		return store.OnboardingSettings{}, invalid("reset_expiry_minutes", apitext.New("invitation.reset_links_expire_after", "reset links must expire after 5 minutes to 7 days"))
	case in.MaxAttempts != nil && (*in.MaxAttempts < 1 || *in.MaxAttempts > 20):
		return store.OnboardingSettings{}, invalid("max_attempts", apitext.New("invitation.max_attempts_from_1_20", "max_attempts must be from 1 to 20"))
	}
	var s store.OnboardingSettings
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		var err error
		if s, err = tx.OnboardingSettings(); err != nil {
			return change{}, err
		}
		if in.Fact != nil {
			s.Fact = *in.Fact
		}
		if in.InviteExpiry != nil {
			s.InviteExpiry = *in.InviteExpiry
		}
		if in.ResetExpiry != nil {
			s.ResetExpiry = *in.ResetExpiry
		}
		if in.MaxAttempts != nil {
			s.MaxAttempts = *in.MaxAttempts
		}
		if in.AutoInvite != nil {
			s.AutoInvite = *in.AutoInvite
		}
		if in.EasyLogin != nil {
			s.EasyLogin = *in.EasyLogin
		}
		if err := tx.PutOnboardingSettings(s); err != nil {
			return change{}, err
		}
		return did("settings.onboarding", "", fmt.Sprintf("fact=%s invite_expiry=%s reset_expiry=%s max_attempts=%d auto_invite=%v easy_login=%v",
			s.Fact, s.InviteExpiry, s.ResetExpiry, s.MaxAttempts, s.AutoInvite, s.EasyLogin)), nil
	})
	return s, err
}
