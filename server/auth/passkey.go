package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"clientportal/store"
)

// Passkeys (WebAuthn) for clients: added from the account page while signed
// in, used instead of the password and code. The relying party is the host
// the browser reached the portal by (RelyingParty), unless the service
// names one. Each ceremony's challenge and state are kept server-side as a
// short-lived token (store.ShortToken), whose value the page sends back.

const ceremonyLife = 5 * time.Minute

// ErrPasskey is the one answer to a passkey that could not be added or did
// not sign in (the details are in the service's log and the audit log).
var ErrPasskey = errors.New("the passkey did not work")

// RelyingParty is who passkeys are for: the RP ID (a host name, never an
// IP address) and the web origin pages are served from.
type RelyingParty struct {
	ID     string // "portal.example.org"
	Origin string // "https://portal.example.org"
	Name   string // shown by the browser: the office's name
}

func (rp RelyingParty) webauthn() (*webauthn.WebAuthn, error) {
	name := rp.Name
	if name == "" {
		name = "Client portal"
	}
	return webauthn.New(&webauthn.Config{RPID: rp.ID, RPDisplayName: name, RPOrigins: []string{rp.Origin},
		Timeouts: webauthn.TimeoutsConfig{Login: webauthn.TimeoutConfig{Enforce: true, Timeout: ceremonyLife},
			Registration: webauthn.TimeoutConfig{Enforce: true, Timeout: ceremonyLife}}})
}

// RelyingPartyFor is the relying party of an origin ("https://host:port").
func RelyingPartyFor(origin, name string) (RelyingParty, error) {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return RelyingParty{}, fmt.Errorf("passkey origin %q: want scheme://host", origin)
	}
	return RelyingParty{ID: u.Hostname(), Origin: u.Scheme + "://" + u.Host, Name: name}, nil
}

// passkeyUser is a client as WebAuthn sees them.
type passkeyUser struct {
	handle []byte
	name   string
	creds  []webauthn.Credential
	keys   []store.Passkey
}

func (u *passkeyUser) WebAuthnID() []byte                         { return u.handle }
func (u *passkeyUser) WebAuthnName() string                       { return u.name }
func (u *passkeyUser) WebAuthnDisplayName() string                { return u.name }
func (u *passkeyUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

// loadPasskeyUser reads a client's passkeys; with create, it gives the
// client a user handle when they have none: their id (8 bytes) then 24
// random bytes, so a sign-in finds the client from the handle.
func loadPasskeyUser(tx *store.Tx, c store.Client, create bool) (*passkeyUser, error) {
	f, err := tx.SecondFactor(store.SessionClient, c.ID)
	if err != nil {
		return nil, err
	}
	if len(f.UserHandle) == 0 && create {
		h := make([]byte, 32)
		binary.BigEndian.PutUint64(h, c.ID)
		rand.Read(h[8:])
		f.UserHandle = h
		if err := tx.PutSecondFactor(f); err != nil {
			return nil, err
		}
	}
	keys, err := tx.Passkeys(store.SessionClient, c.ID)
	if err != nil {
		return nil, err
	}
	u := &passkeyUser{handle: f.UserHandle, name: c.Email, keys: keys}
	for _, k := range keys {
		var cred webauthn.Credential
		if err := json.Unmarshal(k.Credential, &cred); err != nil {
			return nil, fmt.Errorf("passkey of client %d: %w", c.ID, err)
		}
		u.creds = append(u.creds, cred)
	}
	return u, nil
}

// Ceremony is what a page needs to run a passkey ceremony: the browser's
// options (JSON for navigator.credentials) and the token to send back.
type Ceremony struct {
	Token   string          `json:"ceremony"`
	Options json.RawMessage `json:"options"`
}

// BeginPasskeyAdd starts adding a passkey to a signed-in client.
func (a *Authenticator) BeginPasskeyAdd(ctx context.Context, rp RelyingParty, clientID uint64) (Ceremony, error) {
	w, err := rp.webauthn()
	if err != nil {
		return Ceremony{}, err
	}
	var out Ceremony
	err = a.store.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Client(clientID)
		if err != nil {
			return err
		}
		u, err := loadPasskeyUser(tx, c, true)
		if err != nil {
			return err
		}
		var exclude []protocol.CredentialDescriptor
		for i := range u.creds {
			exclude = append(exclude, u.creds[i].Descriptor())
		}
		creation, session, err := w.BeginRegistration(u,
			webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired),
			webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
				ResidentKey: protocol.ResidentKeyRequirementRequired, RequireResidentKey: protocol.ResidentKeyRequired(),
				UserVerification: protocol.VerificationRequired}),
			webauthn.WithExclusions(exclude))
		if err != nil {
			return fmt.Errorf("begin passkey registration: %w", err)
		}
		out, err = a.putCeremony(tx, store.TokenPasskeyAdd, clientID, creation, session)
		return err
	})
	return out, err
}

func (a *Authenticator) putCeremony(tx *store.Tx, purpose store.TokenPurpose, clientID uint64, options any, session *webauthn.SessionData) (Ceremony, error) {
	opts, err := json.Marshal(options)
	if err != nil {
		return Ceremony{}, err
	}
	data, err := json.Marshal(session)
	if err != nil {
		return Ceremony{}, err
	}
	token, hash := NewToken()
	now := tx.Now()
	err = tx.PutShortToken(store.ShortToken{Hash: hash, Purpose: purpose, Kind: store.SessionClient, SubjectID: clientID,
		Created: now, Expires: now.Add(ceremonyLife), Data: data})
	return Ceremony{Token: token, Options: opts}, err
}

// takeCeremony reads and ends a ceremony (one use).
func takeCeremony(tx *store.Tx, token string, purpose store.TokenPurpose) (store.ShortToken, webauthn.SessionData, error) {
	var session webauthn.SessionData
	t, err := tx.ShortToken(HashToken(token), purpose)
	if err != nil {
		return t, session, err
	}
	if err := tx.DeleteShortToken(t.Hash); err != nil {
		return t, session, err
	}
	return t, session, json.Unmarshal(t.Data, &session)
}

// FinishPasskeyAdd checks the browser's answer (credential: the
// PublicKeyCredential as JSON) and keeps the new passkey.
func (a *Authenticator) FinishPasskeyAdd(ctx context.Context, rp RelyingParty, clientID uint64, ceremony string, credential []byte, ip string) error {
	w, err := rp.webauthn()
	if err != nil {
		return err
	}
	parsed, perr := protocol.ParseCredentialCreationResponseBytes(credential)
	var failure error
	err = a.store.Update(ctx, func(tx *store.Tx) error {
		t, session, err := takeCeremony(tx, ceremony, store.TokenPasskeyAdd)
		if errors.Is(err, store.ErrNotFound) || (err == nil && t.SubjectID != clientID) {
			failure = errors.New("no such ceremony, or it expired")
			return nil
		}
		if err != nil {
			return err
		}
		if perr != nil {
			failure = perr
			return tx.Audit(accountEntry(store.SessionClient, clientID, ip, "passkey_add_failed", "unreadable answer: "+protocolDetail(perr)))
		}
		c, err := tx.Client(clientID)
		if err != nil {
			return err
		}
		u, err := loadPasskeyUser(tx, c, false)
		if err != nil {
			return err
		}
		cred, err := w.CreateCredential(u, session, parsed)
		if err != nil {
			failure = err
			return tx.Audit(accountEntry(store.SessionClient, clientID, ip, "passkey_add_failed", protocolDetail(err)))
		}
		data, err := json.Marshal(cred)
		if err != nil {
			return err
		}
		if err := tx.PutPasskey(store.Passkey{Kind: store.SessionClient, SubjectID: clientID, ID: cred.ID, Credential: data, Created: tx.Now()}); err != nil {
			return err
		}
		return tx.Audit(accountEntry(store.SessionClient, clientID, ip, "passkey_add", fmt.Sprintf("passkey added for %s", rp.ID)))
	})
	if err != nil {
		return err
	}
	if failure != nil {
		a.log.Info("passkey not added", "client", clientID, "err", protocolDetail(failure))
		return ErrPasskey
	}
	return nil
}

// BeginPasskeyLogin starts a sign-in with a passkey (the browser offers the
// passkeys it has for this site: no email needed).
func (a *Authenticator) BeginPasskeyLogin(ctx context.Context, rp RelyingParty) (Ceremony, error) {
	w, err := rp.webauthn()
	if err != nil {
		return Ceremony{}, err
	}
	assertion, session, err := w.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return Ceremony{}, fmt.Errorf("begin passkey login: %w", err)
	}
	var out Ceremony
	err = a.store.Update(ctx, func(tx *store.Tx) error {
		out, err = a.putCeremony(tx, store.TokenPasskeyLogin, 0, assertion, session)
		return err
	})
	return out, err
}

// FinishPasskeyLogin checks the browser's answer and opens a session for the
// passkey's client, when they may log in now (not locked, allowed, not
// locked out). replaceToken is the session the browser had before.
func (a *Authenticator) FinishPasskeyLogin(ctx context.Context, rp RelyingParty, ceremony string, credential []byte, ip, replaceToken string) (store.Client, Login, error) {
	w, err := rp.webauthn()
	if err != nil {
		return store.Client{}, Login{}, err
	}
	parsed, perr := protocol.ParseCredentialRequestResponseBytes(credential)
	var login Login
	var cl store.Client
	ok := false
	err = a.store.Update(ctx, func(tx *store.Tx) error {
		_, session, err := takeCeremony(tx, ceremony, store.TokenPasskeyLogin)
		if errors.Is(err, store.ErrNotFound) {
			return tx.Audit(store.AuditEntry{ActorKind: "client", IP: ip, Action: "client.login_failed", Detail: "passkey: no such ceremony, or it expired"})
		}
		if err != nil {
			return err
		}
		if perr != nil {
			return tx.Audit(store.AuditEntry{ActorKind: "client", IP: ip, Action: "client.login_failed", Detail: "passkey: unreadable answer: " + protocolDetail(perr)})
		}
		var u *passkeyUser
		handler := func(rawID, handle []byte) (webauthn.User, error) {
			if len(handle) != 32 {
				return nil, errors.New("not one of this portal's user handles")
			}
			c, err := tx.Client(binary.BigEndian.Uint64(handle))
			if err != nil {
				return nil, err
			}
			if u, err = loadPasskeyUser(tx, c, false); err != nil {
				return nil, err
			}
			if !bytes.Equal(u.handle, handle) {
				return nil, errors.New("user handle does not match the client's")
			}
			cl = c
			return u, nil
		}
		_, cred, err := w.ValidatePasskeyLogin(handler, session, parsed)
		if err != nil {
			e := store.AuditEntry{ActorKind: "client", IP: ip, Action: "client.login_failed", Detail: "passkey: " + protocolDetail(err)}
			if cl.ID != 0 {
				e.ActorID, e.ActorName, e.Target = cl.ID, cl.Name, "client:"+strconv.FormatUint(cl.ID, 10)
			}
			return tx.Audit(e)
		}
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		audit := func(action, detail string) error {
			return tx.Audit(store.AuditEntry{ActorKind: "client", ActorID: cl.ID, ActorName: cl.Name, IP: ip, Action: "client." + action,
				Target: "client:" + strconv.FormatUint(cl.ID, 10), Detail: detail})
		}
		now := tx.Now()
		switch {
		case cl.Access.Locked:
			return audit("login_refused", "account locked by staff (passkey)")
		case !cl.Access.AllowedToLogOn:
			return audit("login_refused", "not allowed to log on (passkey)")
		case cl.Access.Lockout.Blocks(now):
			return audit("login_refused", lockoutText(cl.Access.Lockout, "locked out")+" (passkey)")
		}
		// Keep the signature counter and last use.
		for _, k := range u.keys {
			if bytes.Equal(k.ID, cred.ID) {
				data, err := json.Marshal(cred)
				if err != nil {
					return err
				}
				k.Credential, k.LastUsed = data, now
				if err := tx.PutPasskey(k); err != nil {
					return err
				}
			}
		}
		ok = true
		cl.Access.Lockout.Clear()
		cl.Access.LastLoginAt, cl.Access.LastLoginIP, cl.Access.Activated = now, ip, true
		if err := tx.PutClient(&cl); err != nil {
			return err
		}
		if replaceToken != "" {
			if err := tx.DeleteSession(HashToken(replaceToken)); err != nil {
				return err
			}
		}
		if login, err = a.openSession(tx, store.SessionClient, cl.ID, ip, set); err != nil {
			return err
		}
		detail := "with a passkey"
		if cred.Authenticator.CloneWarning {
			detail += "; its signature counter went back: the passkey may have been copied"
		}
		return audit("login", detail)
	})
	if err != nil {
		return store.Client{}, Login{}, fmt.Errorf("passkey login: %w", err)
	}
	if !ok {
		return store.Client{}, Login{}, ErrBadLogin
	}
	return cl, login, nil
}

// protocolDetail is an error of the WebAuthn library with its details.
func protocolDetail(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		s := pe.Type + ": " + pe.Details
		if pe.DevInfo != "" {
			s += " (" + pe.DevInfo + ")"
		}
		return s
	}
	return err.Error()
}
