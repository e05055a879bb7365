package auth

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"clientportal/store"
)

// What staff see and change of second factors: an account's state, the
// office's policy, a client's requirement, and the reset after a lost phone.

// SecondFactorState is what an account's own page and staff see of its
// second factor.
type SecondFactorState struct {
	On              bool
	Required        bool // by the office or by staff
	RequiredByStaff bool
	RecoveryLeft    int
	Passkeys        int
	Since           time.Time
}

// State reads an account's second factor state.
func (a *Authenticator) State(ctx context.Context, kind store.SessionKind, id uint64) (SecondFactorState, error) {
	var st SecondFactorState
	err := a.store.View(ctx, func(tx *store.Tx) error {
		f, err := tx.SecondFactor(kind, id)
		if err != nil {
			return err
		}
		pol, err := tx.TwoFactorPolicy()
		if err != nil {
			return err
		}
		keys, err := tx.Passkeys(kind, id)
		if err != nil {
			return err
		}
		st = SecondFactorState{On: f.On(), RequiredByStaff: f.Required, RecoveryLeft: len(f.Recovery), Passkeys: len(keys), Since: f.Enabled,
			Required: f.Required || (kind == store.SessionClient && pol.Clients) || (kind == store.SessionStaff && pol.Staff)}
		return nil
	})
	return st, err
}

// Reset turns an account's second factor off and removes its passkeys,
// for someone who lost their phone and recovery codes, after staff checked
// who they are (checked says how; it is audited). The account's sessions
// and waiting logins end. The staff member by is named in the audit entry.
func (a *Authenticator) Reset(ctx context.Context, kind store.SessionKind, id uint64, by store.Staff, ip, checked string) (SecondFactorState, error) {
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		var err error
		if kind == store.SessionStaff {
			_, err = tx.Staff(id)
		} else {
			_, err = tx.Client(id)
		}
		if err != nil {
			return err
		}
		f, err := tx.SecondFactor(kind, id)
		if err != nil {
			return err
		}
		had := f.On()
		f.Secret, f.PendingSecret, f.Recovery, f.LastStep, f.Enabled = "", "", nil, 0, time.Time{}
		if err := tx.PutSecondFactor(f); err != nil {
			return err
		}
		n, err := tx.DeletePasskeys(kind, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteShortTokensOf(kind, id, store.TokenSecondFactor, store.TokenEnrol, store.TokenPasskeyLogin, store.TokenPasskeyAdd); err != nil {
			return err
		}
		ended, err := tx.DeleteSessionsOf(kind, id)
		if err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorKind: "staff", ActorID: by.ID, ActorName: by.Name, IP: ip, Action: string(kind) + ".two_factor_reset",
			Target: string(kind) + ":" + strconv.FormatUint(id, 10),
			Detail: fmt.Sprintf("identity checked: %s; authenticator was on: %t; %d passkeys removed; %d sessions ended", checked, had, n, ended)})
	})
	if err != nil {
		return SecondFactorState{}, err
	}
	return a.State(ctx, kind, id)
}

// SetPolicy changes the office's second factor policy; by is the
// administrator, named in the audit entry.
func (a *Authenticator) SetPolicy(ctx context.Context, p store.TwoFactorPolicy, by store.Staff, ip string) error {
	return a.store.Update(ctx, func(tx *store.Tx) error {
		old, err := tx.TwoFactorPolicy()
		if err != nil {
			return err
		}
		if old == p {
			return nil
		}
		if err := tx.PutTwoFactorPolicy(p); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorKind: "staff", ActorID: by.ID, ActorName: by.Name, IP: ip, Action: "settings.two_factor",
			Detail: fmt.Sprintf("required of clients %t -> %t, of staff %t -> %t", old.Clients, p.Clients, old.Staff, p.Staff)})
	})
}

// Policy reads the office's second factor policy.
func (a *Authenticator) Policy(ctx context.Context) (store.TwoFactorPolicy, error) {
	var p store.TwoFactorPolicy
	err := a.store.View(ctx, func(tx *store.Tx) (err error) { p, err = tx.TwoFactorPolicy(); return err })
	return p, err
}

// SetRequired requires (or no longer requires) a second factor of one
// client; by is named in the audit entry.
func (a *Authenticator) SetRequired(ctx context.Context, clientID uint64, required bool, by store.Staff, ip string) (SecondFactorState, error) {
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.Client(clientID); err != nil {
			return err
		}
		f, err := tx.SecondFactor(store.SessionClient, clientID)
		if err != nil || f.Required == required {
			return err
		}
		f.Required = required
		if err := tx.PutSecondFactor(f); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorKind: "staff", ActorID: by.ID, ActorName: by.Name, IP: ip, Action: "client.two_factor_required",
			Target: "client:" + strconv.FormatUint(clientID, 10), Detail: fmt.Sprintf("required %t", required)})
	})
	if err != nil {
		return SecondFactorState{}, err
	}
	return a.State(ctx, store.SessionClient, clientID)
}
