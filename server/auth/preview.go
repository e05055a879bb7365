package auth

import (
	"context"
	"errors"
	"strconv"
	"time"

	"clientportal/store"
)

// Preview as the client: staff open a client's portal read-only. A staff
// call makes a one-time link (PreviewLink); opening it trades the link for
// a preview session (OpenPreview), held by the browser as a random token
// and kept server-side, hashed, for previewLife.

const (
	previewLinkLife = 2 * time.Minute
	previewLife     = 30 * time.Minute
)

// Preview is an open preview: whose portal, and who is looking.
type Preview struct {
	Client    store.Client
	StaffID   uint64
	StaffName string
	Expires   time.Time
}

// PreviewLink makes a one-time link token for by to preview client's portal.
func (a *Authenticator) PreviewLink(ctx context.Context, clientID uint64, by store.Staff, ip string) (string, time.Time, error) {
	token, hash := NewToken()
	var expires time.Time
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Client(clientID)
		if err != nil {
			return err
		}
		now := tx.Now()
		expires = now.Add(previewLinkLife)
		if err := tx.PutShortToken(store.ShortToken{Hash: hash, Purpose: store.TokenPreviewLink, Kind: store.SessionClient, SubjectID: c.ID,
			StaffID: by.ID, StaffName: by.Name, Created: now, Expires: expires, IP: ip}); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorKind: "staff", ActorID: by.ID, ActorName: by.Name, IP: ip, Action: "client.preview_link",
			Target: "client:" + strconv.FormatUint(c.ID, 10), Detail: "one-time preview link made"})
	})
	return token, expires, err
}

// OpenPreview trades a one-time link token for a preview session token.
// A used, expired or unknown link is ErrNoSession.
func (a *Authenticator) OpenPreview(ctx context.Context, link, ip string) (string, Preview, error) {
	token, hash := NewToken()
	var pv Preview
	err := a.store.Update(ctx, func(tx *store.Tx) error {
		t, err := tx.ShortToken(HashToken(link), store.TokenPreviewLink)
		if err != nil {
			return ErrNoSession
		}
		if err := tx.DeleteShortToken(t.Hash); err != nil { // one use
			return err
		}
		if pv, err = previewOf(tx, t); err != nil {
			return err
		}
		now := tx.Now()
		pv.Expires = now.Add(previewLife)
		if err := tx.PutShortToken(store.ShortToken{Hash: hash, Purpose: store.TokenPreview, Kind: store.SessionClient, SubjectID: t.SubjectID,
			StaffID: t.StaffID, StaffName: t.StaffName, Created: now, Expires: pv.Expires, IP: ip}); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorKind: "staff", ActorID: t.StaffID, ActorName: t.StaffName, IP: ip, Action: "client.preview",
			Target: "client:" + strconv.FormatUint(t.SubjectID, 10), Detail: "preview of the client's portal opened (read-only)"})
	})
	if errors.Is(err, ErrNoSession) {
		return "", Preview{}, err
	}
	return token, pv, err
}

// previewOf reads what a preview token stands for; a staff member who was
// disabled meanwhile ends it.
func previewOf(tx *store.Tx, t store.ShortToken) (Preview, error) {
	s, err := tx.Staff(t.StaffID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && s.Disabled) {
		return Preview{}, ErrNoSession
	}
	if err != nil {
		return Preview{}, err
	}
	c, err := tx.Client(t.SubjectID)
	if errors.Is(err, store.ErrNotFound) {
		return Preview{}, ErrNoSession
	}
	return Preview{Client: c, StaffID: s.ID, StaffName: s.Name, Expires: t.Expires}, err
}

// Preview reads an open preview by its token; ErrNoSession when there is
// none.
func (a *Authenticator) Preview(ctx context.Context, token string) (Preview, error) {
	if token == "" {
		return Preview{}, ErrNoSession
	}
	var pv Preview
	err := a.store.View(ctx, func(tx *store.Tx) error {
		t, err := tx.ShortToken(HashToken(token), store.TokenPreview)
		if err != nil {
			return ErrNoSession
		}
		pv, err = previewOf(tx, t)
		return err
	})
	return pv, err
}

// EndPreview ends a preview; ending one that is gone is not an error.
func (a *Authenticator) EndPreview(ctx context.Context, token, ip string) error {
	return a.store.Update(ctx, func(tx *store.Tx) error {
		t, err := tx.ShortToken(HashToken(token), store.TokenPreview)
		if err != nil {
			return nil
		}
		if err := tx.DeleteShortToken(t.Hash); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{ActorKind: "staff", ActorID: t.StaffID, ActorName: t.StaffName, IP: ip, Action: "client.preview_end",
			Target: "client:" + strconv.FormatUint(t.SubjectID, 10)})
	})
}
