package app

import (
	"context"
	"strings"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// Clients is bound to the frontend as window.go.app.Clients: the client list
// and a client's page (details, portal access, password, cases).
type Clients struct {
	link *link
}

// ClientRow is one line of the client list.
type ClientRow struct {
	ID       uint64 `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	CanLogOn bool   `json:"canLogOn"`
	// Locked: locked by staff, locked out until unlocked, or temporarily
	// locked out by bad guesses right now.
	Locked    bool `json:"locked"`
	Activated bool `json:"activated"`
}

// ClientList is a page of the client list. Next, when not 0, is the after
// of the next page.
type ClientList struct {
	Items []ClientRow `json:"items"`
	Next  uint64      `json:"next"`
}

// Access is a client's portal access as the access panel shows it. Times
// are RFC 3339, "" when there is none.
type Access struct {
	PasswordSet    bool   `json:"passwordSet"`
	AllowedToLogOn bool   `json:"allowedToLogOn"`
	EmailNotice    bool   `json:"emailNotice"`
	Activated      bool   `json:"activated"`
	Locked         bool   `json:"locked"` // locked by staff
	LockedAt       string `json:"lockedAt"`
	// TemporarilyLocked: bad guesses keep new logins out until
	// LockedUntil (still in the future when read).
	TemporarilyLocked bool   `json:"temporarilyLocked"`
	LockedUntil       string `json:"lockedUntil"`
	// LockedOut: bad guesses keep new logins out until staff unlock.
	LockedOut          bool     `json:"lockedOut"`
	BadLoginAttempts   int      `json:"badLoginAttempts"`
	LastLoginAt        string   `json:"lastLoginAt"`
	LastLoginIP        string   `json:"lastLoginIp"`
	CanLogOn           bool     `json:"canLogOn"`
	Missing            []string `json:"missing"` // what keeps the client from logging on, in words
	MustChangePassword bool     `json:"mustChangePassword"`
}

// ClientDetail is one client: their details and portal access.
type ClientDetail struct {
	ID        uint64 `json:"id"`
	Name      string `json:"name"`
	Email     string `json:"email"` // the login
	Phone     string `json:"phone"`
	Language  string `json:"language"`  // "en", "es" or "" (the office's)
	BirthDate string `json:"birthDate"` // YYYY-MM-DD
	IDLast4   string `json:"idLast4"`
	Created   string `json:"created"`
	Updated   string `json:"updated"`
	Access    Access `json:"access"`
}

// ClientInput changes a client's details: only the fields given change
// ("" clears phone, language, birth date and ID digits).
type ClientInput struct {
	Name      *string `json:"name,omitempty"`
	Email     *string `json:"email,omitempty"`
	Phone     *string `json:"phone,omitempty"`
	Language  *string `json:"language,omitempty"`
	BirthDate *string `json:"birthDate,omitempty"`
	IDLast4   *string `json:"idLast4,omitempty"`
}

// AccessInput changes a client's portal access: only the fields given
// change. Locked false lifts every lock and lockout and clears the count
// of bad attempts.
type AccessInput struct {
	AllowedToLogOn *bool `json:"allowedToLogOn,omitempty"`
	EmailNotice    *bool `json:"emailNotice,omitempty"`
	Locked         *bool `json:"locked,omitempty"`
}

// PasswordPolicy is the office's client password policy: the least number
// of characters, and of each kind.
type PasswordPolicy struct {
	MinLength  int `json:"minLength"`
	MinUpper   int `json:"minUpper"`
	MinLower   int `json:"minLower"`
	MinDigit   int `json:"minDigit"`
	MinSpecial int `json:"minSpecial"`
}

// List searches the clients (name, email, phone; case and accents ignored;
// "" lists all) and returns the page after the client after (0: the first)
// of at most limit clients (0: 50).
func (cs *Clients) List(query string, after uint64, limit int) (ClientList, error) {
	if limit <= 0 {
		limit = pageSize
	}
	if limit > 500 {
		return ClientList{}, uiText(apitext.New("error.page_clients", "a page holds at most 500 clients, not {{.Limit}}", "Limit", limit), nil)
	}
	var out ClientList
	err := cs.link.call(apitext.New("doing.list_clients", "list the clients"), func(ctx context.Context, c *apiclient.Client) error {
		page, err := c.ListClients(ctx, apiclient.ListOptions{Q: strings.TrimSpace(query), After: after, Limit: limit})
		if err != nil {
			return err
		}
		now := time.Now()
		out = ClientList{Items: make([]ClientRow, 0, len(page.Items)), Next: page.Next}
		for _, k := range page.Items {
			a := access(k.Access, now, cs.link.say)
			out.Items = append(out.Items, ClientRow{ID: k.ID, Name: k.Name, Email: k.Email, Phone: k.Phone, CanLogOn: a.CanLogOn,
				Locked: a.Locked || a.LockedOut || a.TemporarilyLocked, Activated: a.Activated})
		}
		return nil
	})
	return out, err
}

// Get reads one client with their portal access.
func (cs *Clients) Get(id uint64) (ClientDetail, error) {
	var out ClientDetail
	err := cs.link.call(apitext.New("doing.read_client", "read the client"), func(ctx context.Context, c *apiclient.Client) error {
		k, err := c.Client(ctx, id)
		out = clientDetail(k, cs.link.say)
		return err
	})
	return out, err
}

// Update changes the client's details that in gives; a colleague's change
// of another field at the same time stands.
func (cs *Clients) Update(id uint64, in ClientInput) (ClientDetail, error) {
	trim := func(s *string) *string {
		if s == nil {
			return nil
		}
		t := strings.TrimSpace(*s)
		return &t
	}
	var out ClientDetail
	err := cs.link.call(apitext.New("doing.change_client", "change the client"), func(ctx context.Context, c *apiclient.Client) error {
		k, err := c.UpdateClient(ctx, id, api.ClientInput{Name: trim(in.Name), Email: trim(in.Email), Phone: trim(in.Phone),
			Language: trim(in.Language), BirthDate: trim(in.BirthDate), IDLast4: trim(in.IDLast4)})
		out = clientDetail(k, cs.link.say)
		return err
	})
	return out, err
}

// Cases lists the client's cases.
func (cs *Clients) Cases(id uint64) ([]CaseRow, error) {
	var out []CaseRow
	err := cs.link.call(apitext.New("doing.read_client_s_cases", "read the client's cases"), func(ctx context.Context, c *apiclient.Client) error {
		page, err := c.ClientCases(ctx, id)
		if err != nil {
			return err
		}
		names, err := staffNames(ctx, c)
		if err != nil {
			return err
		}
		out = make([]CaseRow, 0, len(page.Items))
		for _, k := range page.Items {
			out = append(out, caseRow(k, names))
		}
		return nil
	})
	return out, err
}

// SetAccess changes the client's portal access (allowed to log on, email
// notice, locked) and answers it as it now stands.
func (cs *Clients) SetAccess(id uint64, in AccessInput) (Access, error) {
	var out Access
	err := cs.link.call(apitext.New("doing.change_client_s_access", "change the client's access"), func(ctx context.Context, c *apiclient.Client) error {
		a, err := c.UpdateAccess(ctx, id, api.AccessInput{AllowedToLogOn: in.AllowedToLogOn, EmailNotice: in.EmailNotice, Locked: in.Locked})
		out = access(a, time.Now(), cs.link.say)
		return err
	})
	return out, err
}

// SetPassword sets or resets the client's password (checked against the
// office's policy; the refusal names each unmet rule). It ends the client's
// open sessions.
func (cs *Clients) SetPassword(id uint64, password string) (Access, error) {
	var out Access
	err := cs.link.call(apitext.New("doing.set_password", "set the password"), func(ctx context.Context, c *apiclient.Client) error {
		a, err := c.SetPassword(ctx, id, password)
		out = access(a, time.Now(), cs.link.say)
		return err
	})
	return out, err
}

// SetTemporaryPassword sets a password the client must change at their
// next sign-in (checked against the office's policy).
func (cs *Clients) SetTemporaryPassword(id uint64, password string) (Access, error) {
	var out Access
	err := cs.link.call(apitext.New("doing.set_temporary_password", "set the temporary password"), func(ctx context.Context, c *apiclient.Client) error {
		a, err := c.SetTemporaryPassword(ctx, id, password)
		out = access(a, time.Now(), cs.link.say)
		return err
	})
	return out, err
}

// VerifyPassword tells whether password is the one the client has (the
// service audits each check and limits how many may be made).
func (cs *Clients) VerifyPassword(id uint64, password string) (bool, error) {
	var ok bool
	err := cs.link.call(apitext.New("doing.check_password", "check the password"), func(ctx context.Context, c *apiclient.Client) error {
		var err error
		ok, err = c.VerifyPassword(ctx, id, password)
		return err
	})
	return ok, err
}

// PasswordPolicy reads the office's client password policy, for the
// password forms' live check.
func (cs *Clients) PasswordPolicy() (PasswordPolicy, error) {
	var out PasswordPolicy
	err := cs.link.call(apitext.New("doing.read_password_policy", "read the password policy"), func(ctx context.Context, c *apiclient.Client) error {
		p, err := c.PasswordPolicy(ctx)
		out = PasswordPolicy{MinLength: p.MinLength, MinUpper: p.MinUpper, MinLower: p.MinLower, MinDigit: p.MinDigit, MinSpecial: p.MinSpecial}
		return err
	})
	return out, err
}

// missingWords says what keeps a client from logging on in the access
// panel's words: the API names its own routes ("no password: set one with
// PUT /api/v1/..."), which mean nothing at the window.
func missingWords(m string) apitext.Text {
	what, _, _ := strings.Cut(m, ":")
	switch what = strings.TrimSpace(what); what {
	case "no password":
		return apitext.New("access.missing_password", "no password yet: send an invitation, or set a password")
	case "not allowed to log on":
		return apitext.New("access.missing_allowed", "not allowed to log on: tick “Allowed to log on”")
	case "locked by staff":
		return apitext.New("access.missing_unlock", "locked by staff: Unlock")
	}
	return apitext.New("access.missing_other", "{{.What}}", "What", what)
}

func clientDetail(k api.Client, say func(apitext.Text) string) ClientDetail {
	return ClientDetail{ID: k.ID, Name: k.Name, Email: k.Email, Phone: k.Phone, Language: k.Language, BirthDate: k.BirthDate,
		IDLast4: k.IDLast4, Created: stamp(k.Created), Updated: stamp(k.Updated), Access: access(k.Access, time.Now(), say)}
}

// access is the API's access facts for the window; a temporary lockout
// counts only while its time has not passed at now.
func access(a api.Access, now time.Time, say func(apitext.Text) string) Access {
	out := Access{PasswordSet: a.PasswordSet, AllowedToLogOn: a.AllowedToLogOn, EmailNotice: a.EmailNotice, Activated: a.Activated,
		Locked: a.Locked, LockedOut: a.LockedOut, BadLoginAttempts: a.BadLoginAttempts, LastLoginIP: a.LastLoginIP,
		CanLogOn: a.CanLogOn, Missing: make([]string, 0, len(a.Missing)), MustChangePassword: a.MustChangePassword}
	for _, m := range a.Missing {
		out.Missing = append(out.Missing, say(missingWords(m)))
	}
	if a.LockedAt != nil {
		out.LockedAt = stamp(*a.LockedAt)
	}
	if a.LockedUntil != nil && a.LockedUntil.After(now) {
		out.TemporarilyLocked, out.LockedUntil = true, stamp(*a.LockedUntil)
	}
	if a.LastLoginAt != nil {
		out.LastLoginAt = stamp(*a.LastLoginAt)
	}
	return out
}
