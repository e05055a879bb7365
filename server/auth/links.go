package auth

import (
	"context"
	"fmt"
	"strconv"

	"clientportal/store"
)

// OpenClientSession opens a session for a client who proved who they are
// without a password: an easy login link the office sent them, already spent
// by the office action that checked it. replaceToken, when not empty, is the
// browser's session before: it ends. A client locked or not allowed to log on
// since gets ErrBadLogin. When the office requires a second factor of the
// client (or they have one), the link counts as the first proof only: the
// answer is a *SecondFactorNeeded, as after a right password.
func (a *Authenticator) OpenClientSession(ctx context.Context, clientID uint64, ip, replaceToken, how string) (Login, error) {
	var login Login
	var pending *SecondFactorNeeded
	refused := false
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		c, err := tx.Client(clientID)
		if err != nil {
			return err
		}
		if c.Access.Locked || !c.Access.AllowedToLogOn {
			refused = true
			return nil
		}
		need, on, err := needsSecondFactor(tx, store.SessionClient, c.ID)
		if err != nil {
			return err
		}
		if need {
			pending, err = pendSecondFactor(tx, store.SessionClient, c.ID, c.Name, on, ip, replaceToken, how+"; waiting for the second factor")
			return err
		}
		c.Access.LastLoginAt, c.Access.LastLoginIP, c.Access.Activated = tx.Now(), ip, true
		if err := tx.PutClient(&c); err != nil {
			return err
		}
		if replaceToken != "" {
			if err := tx.DeleteSession(HashToken(replaceToken)); err != nil {
				return err
			}
		}
		if login, err = a.openSession(tx, store.SessionClient, c.ID, ip, set); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorKind: "client", ActorID: c.ID, ActorName: c.Name, IP: ip, Action: "client.login",
			Target: "client:" + strconv.FormatUint(c.ID, 10), Detail: how})
	})
	if err != nil {
		return Login{}, fmt.Errorf("client session: %w", err)
	}
	if refused {
		return Login{}, ErrBadLogin
	}
	if pending != nil {
		return Login{}, pending
	}
	return login, nil
}
