package mail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"filippo.io/age"

	"clientportal/store"
)

// Link emails: an invitation to register, and a password reset. Each carries
// a single-use token in its link. The outbox entry holds the token sealed
// (age-encrypted) to the office key, which lives outside the data folder, so
// the database file (and its backups) never hold a usable link; the sender
// opens it when it renders the email, and the seal is wiped once it is sent.

// UseKey gives the mailer the office key that seals link tokens in the outbox
// (the service's office key; see server.Config.OfficeKey).
func (m *Mailer) UseKey(id *age.X25519Identity) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.key = id
}

func (m *Mailer) officeKey() *age.X25519Identity {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.key
}

// ErrNoKey means the mailer was given no office key, so it cannot carry links.
var ErrNoKey = errors.New("mail: no office key to seal links with")

// Link is one link email to queue.
type Link struct {
	Kind     string // store.MailInvite or store.MailReset
	ClientID uint64
	To       string
	Language string // "en" or "es"
	Token    string
	Expires  time.Time
}

// QueueLink queues, in the office's transaction, the email carrying l's link,
// due at once. An unsent email of the same kind to the same client is
// replaced (a resend's new token makes the old one useless anyway).
func (m *Mailer) QueueLink(tx *store.Tx, l Link) error {
	key := m.officeKey()
	if key == nil {
		return ErrNoKey
	}
	ms, err := tx.MailSettings()
	if err != nil {
		return err
	}
	var sealed bytes.Buffer
	w, err := age.Encrypt(&sealed, key.Recipient())
	if err != nil {
		return fmt.Errorf("seal link: %w", err)
	}
	if _, err := io.WriteString(w, l.Token); err != nil {
		return fmt.Errorf("seal link: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("seal link: %w", err)
	}
	okey := linkKey(l.Kind, l.ClientID)
	e, open, err := tx.OpenOutboxEntry(okey)
	if err != nil {
		return err
	}
	if !open {
		e = store.OutboxEntry{MessageID: newMessageID(ms.From), Key: okey, Kind: l.Kind, State: store.OutboxPending}
	}
	e.To, e.Language, e.Sealed, e.LinkExpires, e.Changes = l.To, l.Language, sealed.Bytes(), l.Expires, 1
	e.NextTry = tx.Now()
	if err := tx.PutOutboxEntry(&e); err != nil {
		return fmt.Errorf("queue %s email to client %d: %w", l.Kind, l.ClientID, err)
	}
	tx.OnCommit(m.Wake)
	return nil
}

// CancelLink withdraws an unsent link email (the link was revoked): it is
// marked failed with the reason, never sent, and its seal is wiped.
func (m *Mailer) CancelLink(tx *store.Tx, kind string, clientID uint64, reason string) error {
	e, open, err := tx.OpenOutboxEntry(linkKey(kind, clientID))
	if err != nil || !open {
		return err
	}
	e.State, e.NextTry, e.Sealed, e.LastError = store.OutboxFailed, time.Time{}, nil, reason
	return tx.PutOutboxEntry(&e)
}

func linkKey(kind string, clientID uint64) string {
	return "link:" + kind + ":" + strconv.FormatUint(clientID, 10)
}

// linkOf is the link of a link email: the portal's address and the opened
// token.
func (m *Mailer) linkOf(e store.OutboxEntry, base string) (string, error) {
	key := m.officeKey()
	if key == nil {
		return "", ErrNoKey
	}
	r, err := age.Decrypt(bytes.NewReader(e.Sealed), key)
	if err != nil {
		return "", fmt.Errorf("open the sealed link of outbox entry %d (was the office key replaced?): %w", e.ID, err)
	}
	token, err := io.ReadAll(io.LimitReader(r, 256))
	if err != nil {
		return "", fmt.Errorf("open the sealed link of outbox entry %d: %w", e.ID, err)
	}
	path := "/register/"
	if e.Kind == store.MailReset {
		path = "/reset/"
	}
	return base + path + string(token), nil
}

// isLink reports whether kind is a link email.
func isLink(kind string) bool { return kind == store.MailInvite || kind == store.MailReset }

// linkTexts are the words of a link email. They name the office, and say how
// long the link works and what to do when it no longer does.
func linkTexts(kind, lang, office string, expires, now time.Time) text {
	left := expires.Sub(now)
	switch kind + "/" + lang {
	case store.MailInvite + "/es":
		return text{Subject: office + " le invita a su portal de clientes",
			Lines: []string{"Hola:", office + " le invita a usar su portal de clientes, donde puede ver cómo va su caso y escribir a la oficina.",
				"Para crear su cuenta, abra el enlace, confirme sus datos y elija una contraseña."},
			Action: "Crear mi cuenta",
			After: []string{"El enlace sirve una sola vez y caduca en " + spanishSpan(left) + ". Si ya no funciona, pida uno nuevo a " + office + ".",
				"Si no esperaba este correo, puede ignorarlo."}}
	case store.MailInvite + "/en":
		return text{Subject: office + " invites you to your client portal",
			Lines: []string{"Hello,", office + " invites you to its client portal, where you can see how your case stands and write to the office.",
				"To create your account, open the link, confirm your details and choose a password."},
			Action: "Create my account",
			After: []string{"The link works once and expires in " + englishSpan(left) + ". If it no longer works, ask " + office + " for a new one.",
				"If you did not expect this email, you can ignore it."}}
	case store.MailReset + "/es":
		return text{Subject: "Restablecer su contraseña del portal de " + office,
			Lines:  []string{"Hola:", "Alguien pidió restablecer la contraseña de su cuenta en el portal de clientes de " + office + "."},
			Action: "Elegir una contraseña nueva",
			After: []string{"El enlace sirve una sola vez y caduca en " + spanishSpan(left) + ".",
				"Si no lo pidió usted, ignore este correo: su contraseña no cambia."}}
	}
	return text{Subject: "Reset your password for the " + office + " portal",
		Lines:  []string{"Hello,", "Someone asked to reset the password of your account on the client portal of " + office + "."},
		Action: "Choose a new password",
		After: []string{"The link works once and expires in " + englishSpan(left) + ".",
			"If you did not ask for this, ignore this email: your password stays as it is."}}
}

func englishSpan(d time.Duration) string {
	switch h := int(d.Round(time.Hour).Hours()); {
	case h >= 48:
		return strconv.Itoa(h/24) + " days"
	case h >= 2:
		return strconv.Itoa(h) + " hours"
	}
	if m := int(d.Round(time.Minute).Minutes()); m > 1 {
		return strconv.Itoa(m) + " minutes"
	}
	return "1 minute"
}

func spanishSpan(d time.Duration) string {
	switch h := int(d.Round(time.Hour).Hours()); {
	case h >= 48:
		return strconv.Itoa(h/24) + " días"
	case h >= 2:
		return strconv.Itoa(h) + " horas"
	}
	if m := int(d.Round(time.Minute).Minutes()); m > 1 {
		return strconv.Itoa(m) + " minutos"
	}
	return "1 minuto"
}
