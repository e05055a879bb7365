package office

import (
	"context"
	"fmt"
	"strings"

	"clientportal/server/apitext"
	"clientportal/server/password"
	"clientportal/store"
)

// ClientFields are a client's details; nil fields are left as they are.
type ClientFields struct {
	Name     *string
	Email    *string
	Phone    *string
	Language *string
	// Identity facts registration asks for ("" clears).
	BirthDate *string
	IDLast4   *string
}

// check validates and normalises the fields that are set.
func (f ClientFields) check() (ClientFields, error) {
	var out ClientFields
	var name, mail, phone, lang string
	if err := optional(f.Name, &name, func(v string) (string, error) { return text("name", v, 120, true) }); err != nil {
		return out, err
	}
	if err := optional(f.Email, &mail, func(v string) (string, error) { return email("email", v) }); err != nil {
		return out, err
	}
	if err := optional(f.Phone, &phone, func(v string) (string, error) { return text("phone", v, 40, false) }); err != nil {
		return out, err
	}
	if err := optional(f.Language, &lang, func(v string) (string, error) { return language("language", v) }); err != nil {
		return out, err
	}
	var bd, id4 string
	if err := optional(f.BirthDate, &bd, checkBirthDate); err != nil {
		return out, err
	}
	if err := optional(f.IDLast4, &id4, checkIDLast4); err != nil {
		return out, err
	}
	set := func(in *string, v string) *string {
		if in == nil {
			return nil
		}
		return &v
	}
	return ClientFields{Name: set(f.Name, name), Email: set(f.Email, mail), Phone: set(f.Phone, phone), Language: set(f.Language, lang),
		BirthDate: set(f.BirthDate, bd), IDLast4: set(f.IDLast4, id4)}, nil
}

func (f ClientFields) apply(c *store.Client) {
	for _, x := range []struct{ in, out *string }{{f.Name, &c.Name}, {f.Email, &c.Email}, {f.Phone, &c.Phone}, {f.Language, &c.Language},
		{f.BirthDate, &c.BirthDate}, {f.IDLast4, &c.IDLast4}} {
		if x.in != nil {
			*x.out = *x.in
		}
	}
}

// names lists the fields that are set, for the audit entry (never values: they
// may be case content).
func (f ClientFields) names() []string {
	var out []string
	for _, x := range []struct {
		name string
		set  bool
	}{{"name", f.Name != nil}, {"email", f.Email != nil}, {"phone", f.Phone != nil}, {"language", f.Language != nil},
		{"birth_date", f.BirthDate != nil}, {"id_last4", f.IDLast4 != nil}} {
		if x.set {
			out = append(out, x.name)
		}
	}
	return out
}

func fieldsDetail(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "fields: " + strings.Join(names, ", ")
}

// NewClient is a client to add. With a password the client can log on at
// once: AllowedToLogOn then defaults to true.
type NewClient struct {
	ClientFields
	Password       *string
	AllowedToLogOn *bool
	EmailNotice    *bool // default true
}

// CreateClient adds a client, with their portal login when a password is given.
func (o *Office) CreateClient(ctx context.Context, a Actor, in NewClient) (store.Client, error) {
	if in.Name == nil {
		return store.Client{}, invalid("name", apitext.New("client.name_required", "name is required"))
	}
	if in.Email == nil {
		return store.Client{}, invalid("email", apitext.New("client.email_required_client_s", "email is required: it is the client's portal login"))
	}
	f, err := in.check()
	if err != nil {
		return store.Client{}, err
	}
	c := store.Client{Access: store.PortalAccess{EmailNotice: true}}
	f.apply(&c)
	if in.EmailNotice != nil {
		c.Access.EmailNotice = *in.EmailNotice
	}
	names := f.names()
	if in.Password != nil {
		if c.Access.PasswordHash, err = o.newClientPassword(ctx, *in.Password, c.Name, c.Email); err != nil {
			return store.Client{}, err
		}
		c.Access.AllowedToLogOn = true
		names = append(names, "password")
	}
	if in.AllowedToLogOn != nil {
		c.Access.AllowedToLogOn = *in.AllowedToLogOn
		names = append(names, "allowed_to_log_on")
	}
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		if c.Access.PasswordHash != "" {
			c.Access.PasswordSet = tx.Now()
		}
		if err := tx.PutClient(&c); err != nil {
			return change{}, conflictAs(err, "email", apitext.New("client.another_client_has_email", "another client has this email: each client logs in with their own address"))
		}
		return did("client.create", target("client", c.ID), fieldsDetail(names)), nil
	})
	return c, err
}

// UpdateClient changes the fields that are set, and only those.
func (o *Office) UpdateClient(ctx context.Context, a Actor, id uint64, in ClientFields) (store.Client, error) {
	f, err := in.check()
	if err != nil {
		return store.Client{}, err
	}
	var c store.Client
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		if c, err = tx.Client(id); err != nil {
			return change{}, err
		}
		before := c.Email
		f.apply(&c)
		if err := tx.PutClient(&c); err != nil {
			return change{}, conflictAs(err, "email", apitext.New("client.another_client_has_email", "another client has this email: each client logs in with their own address"))
		}
		detail := fieldsDetail(f.names())
		if !strings.EqualFold(before, c.Email) {
			// A link sent to the old address (perhaps a wrong one, perhaps
			// someone else's) must not make or reset this account.
			n, err := o.withdrawLinks(tx, c.ID, "the client's email address changed before it was sent")
			if err != nil {
				return change{}, err
			}
			if n > 0 {
				detail += fmt.Sprintf("; %d link(s) sent to the old address withdrawn", n)
			}
		}
		return did("client.update", target("client", c.ID), detail), nil
	})
	return c, err
}

// AccessChange changes a client's portal access; nil fields are left as they are.
type AccessChange struct {
	AllowedToLogOn *bool
	EmailNotice    *bool
	Locked         *bool // false also clears bad login attempts
}

func (ch AccessChange) detail() string {
	var parts []string
	for _, x := range []struct {
		name string
		v    *bool
	}{{"allowed_to_log_on", ch.AllowedToLogOn}, {"email_notice", ch.EmailNotice}, {"locked", ch.Locked}} {
		if x.v != nil {
			parts = append(parts, fmt.Sprintf("%s=%v", x.name, *x.v))
		}
	}
	return strings.Join(parts, " ")
}

// SetAccess changes a client's portal access. Locking the client or turning
// their access off ends their sessions at once.
func (o *Office) SetAccess(ctx context.Context, a Actor, id uint64, ch AccessChange) (store.Client, error) {
	var c store.Client
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		var err error
		if c, err = tx.Client(id); err != nil {
			return change{}, err
		}
		revoke := false
		if ch.AllowedToLogOn != nil {
			c.Access.AllowedToLogOn = *ch.AllowedToLogOn
			revoke = revoke || !*ch.AllowedToLogOn
		}
		if ch.EmailNotice != nil {
			c.Access.EmailNotice = *ch.EmailNotice
		}
		if ch.Locked != nil {
			if *ch.Locked {
				if !c.Access.Locked {
					c.Access.Locked, c.Access.LockedAt = true, tx.Now()
				}
				revoke = true
			} else {
				c.Access.Unlock() // also lifts a lockout by bad guesses
			}
		}
		if err := tx.PutClient(&c); err != nil {
			return change{}, err
		}
		if revoke {
			if err := endSessions(tx, store.SessionClient, c.ID); err != nil {
				return change{}, err
			}
		}
		return did("client.access", target("client", c.ID), ch.detail()), nil
	})
	return c, err
}

// newClientPassword checks pw against the office's policy and hashes it.
func (o *Office) newClientPassword(ctx context.Context, pw, name, mail string) (string, error) {
	if pw == "" {
		return "", invalid("password", apitext.New("client.password_required", "password is required"))
	}
	set, err := o.settings(ctx)
	if err != nil {
		return "", err
	}
	if problems := password.Check(set.PasswordPolicy, pw, name, mail); len(problems) > 0 {
		return "", invalid("password", password.SummaryText(problems))
	}
	return o.passwords.Hash(ctx, pw)
}

// SetClientPassword sets or resets a client's password (checked against the
// office's policy). Every session opened with the old one ends.
func (o *Office) SetClientPassword(ctx context.Context, a Actor, id uint64, pw string) (store.Client, error) {
	var c store.Client
	if err := o.store.View(ctx, func(tx *store.Tx) (err error) { c, err = tx.Client(id); return err }); err != nil {
		return store.Client{}, err
	}
	hash, err := o.newClientPassword(ctx, pw, c.Name, c.Email)
	if err != nil {
		return store.Client{}, err
	}
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		if c, err = tx.Client(id); err != nil {
			return change{}, err
		}
		c.Access.PasswordHash, c.Access.PasswordSet = hash, tx.Now()
		c.Access.MustChangePassword = false // a password staff set for good (SetTemporaryPassword sets one to change)
		if err := tx.PutClient(&c); err != nil {
			return change{}, err
		}
		if err := endSessions(tx, store.SessionClient, c.ID); err != nil {
			return change{}, err
		}
		return did("client.password_set", target("client", c.ID), "password set by staff"), nil
	})
	return c, err
}

// VerifyClientPassword reports whether pw is the client's password, and
// records that staff asked. It is a guessing oracle: the caller rate limits it.
func (o *Office) VerifyClientPassword(ctx context.Context, a Actor, id uint64, pw string) (bool, error) {
	var c store.Client
	if err := o.store.View(ctx, func(tx *store.Tx) (err error) { c, err = tx.Client(id); return err }); err != nil {
		return false, err
	}
	matches := false
	if c.Access.PasswordHash != "" {
		var err error
		if matches, err = o.passwords.Verify(ctx, c.Access.PasswordHash, pw); err != nil {
			return false, fmt.Errorf("verify client %d password: %w", c.ID, err)
		}
	}
	detail := "does not match"
	if matches {
		detail = "matches"
	}
	err := o.commit(ctx, a, func(*store.Tx) (change, error) {
		return did("client.password_verify", target("client", c.ID), detail), nil
	})
	return matches, err
}

// SetLanguage stores the language a client chose with the portal's switcher.
// It writes only when the choice changes.
func (o *Office) SetLanguage(ctx context.Context, a Actor, clientID uint64, lang string) error {
	if _, err := language("lang", lang); err != nil {
		return err
	}
	var c store.Client
	if err := o.store.View(ctx, func(tx *store.Tx) (err error) { c, err = tx.Client(clientID); return err }); err != nil {
		return err
	}
	if c.Language == lang {
		return nil
	}
	return o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		c, err := tx.Client(clientID)
		if err != nil {
			return change{}, err
		}
		old := c.Language
		c.Language = lang
		if err := tx.PutClient(&c); err != nil {
			return change{}, err
		}
		return did("client.language", target("client", c.ID), fmt.Sprintf("preferred language %q -> %q", old, lang)), nil
	})
}

// Missing says what still keeps a client from logging on to the portal, in
// words for staff; empty means they can.
func Missing(c store.Client) []string {
	var out []string
	x := c.Access
	if x.PasswordHash == "" {
		out = append(out, fmt.Sprintf("no password: set one with PUT /api/v1/clients/%d/password", c.ID))
	}
	if !x.AllowedToLogOn {
		out = append(out, fmt.Sprintf("not allowed to log on: set allowed_to_log_on with PATCH /api/v1/clients/%d/access", c.ID))
	}
	if x.Locked {
		out = append(out, fmt.Sprintf("locked by staff: unlock with PATCH /api/v1/clients/%d/access and locked false", c.ID))
	}
	return out
}
