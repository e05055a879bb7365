package office

import (
	"context"

	"clientportal/server/apitext"
	"clientportal/server/password"
	"clientportal/store"
)

// StaffFields are a staff member's details; nil fields are left as they are.
type StaffFields struct {
	Email    *string
	Name     *string
	Title    *string
	Role     *string
	Phone    *string
	Address  *string
	Password *string
	Disabled *bool
	// MailAlerts false stops the emails that tell this staff member a client wrote.
	MailAlerts *bool
}

// checked is StaffFields validated, with the password already hashed.
type checkedStaff struct {
	StaffFields
	hash string
}

func (o *Office) checkStaff(ctx context.Context, in StaffFields) (checkedStaff, error) {
	out := checkedStaff{StaffFields: StaffFields{Disabled: in.Disabled, MailAlerts: in.MailAlerts}}
	for _, f := range []struct {
		name  string
		in    *string
		out   **string
		check func(string) (string, error)
	}{
		{"email", in.Email, &out.Email, func(v string) (string, error) { return email("email", v) }},
		{"name", in.Name, &out.Name, func(v string) (string, error) { return text("name", v, 120, true) }},
		{"title", in.Title, &out.Title, func(v string) (string, error) { return text("title", v, 120, false) }},
		{"phone", in.Phone, &out.Phone, func(v string) (string, error) { return text("phone", v, 40, false) }},
		{"address", in.Address, &out.Address, func(v string) (string, error) { return text("address", v, 300, false) }},
		{"role", in.Role, &out.Role, func(v string) (string, error) {
			if r := store.Role(v); r != store.RoleAdmin && r != store.RoleStaff {
				return "", invalid("role", apitext.New("staff.role_admin_staff", `role must be "admin" or "staff"`))
			}
			return v, nil
		}},
	} {
		if f.in == nil {
			continue
		}
		v, err := f.check(*f.in)
		if err != nil {
			return out, err
		}
		*f.out = &v
	}
	if in.Password != nil {
		// Staff passwords follow the NIST rules: long, and not common.
		var name, mail string
		if in.Name != nil {
			name = *in.Name
		}
		if in.Email != nil {
			mail = *in.Email
		}
		if problems := password.Check(store.PolicyNIST, *in.Password, name, mail); len(problems) > 0 {
			return out, invalid("password", password.SummaryText(problems))
		}
		hash, err := o.passwords.Hash(ctx, *in.Password)
		if err != nil {
			return out, err
		}
		out.Password, out.hash = in.Password, hash
	}
	return out, nil
}

func (f checkedStaff) apply(s *store.Staff) {
	for _, x := range []struct{ in, out *string }{{f.Email, &s.Email}, {f.Name, &s.Name}, {f.Title, &s.Title}, {f.Phone, &s.Phone}, {f.Address, &s.Address}} {
		if x.in != nil {
			*x.out = *x.in
		}
	}
	if f.Role != nil {
		s.Role = store.Role(*f.Role)
	}
	if f.Disabled != nil {
		s.Disabled = *f.Disabled
	}
	if f.hash != "" {
		// A new password set by an administrator also lifts a lockout:
		// that is how a locked-out colleague gets back in at once.
		s.PasswordHash = f.hash
		s.Lockout.Clear()
	}
	if f.MailAlerts != nil {
		s.AlertsOff = !*f.MailAlerts
	}
}

func (f StaffFields) names() []string {
	var out []string
	for _, x := range []struct {
		name string
		set  bool
	}{{"email", f.Email != nil}, {"name", f.Name != nil}, {"title", f.Title != nil}, {"role", f.Role != nil},
		{"phone", f.Phone != nil}, {"address", f.Address != nil}, {"password", f.Password != nil}, {"disabled", f.Disabled != nil},
		{"mail_alerts", f.MailAlerts != nil}} {
		if x.set {
			out = append(out, x.name)
		}
	}
	return out
}

// CreateStaff adds a staff member (role staff unless given).
func (o *Office) CreateStaff(ctx context.Context, a Actor, in StaffFields) (store.Staff, error) {
	for _, req := range []struct {
		name string
		set  bool
	}{{"email", in.Email != nil}, {"name", in.Name != nil}, {"password", in.Password != nil}} {
		if !req.set {
			return store.Staff{}, invalid(req.name, apitext.New("staff.email_name_password_are", "email, name and password are required"))
		}
	}
	f, err := o.checkStaff(ctx, in)
	if err != nil {
		return store.Staff{}, err
	}
	s := store.Staff{Role: store.RoleStaff}
	f.apply(&s)
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		if err := tx.PutStaff(&s); err != nil {
			return change{}, conflictAs(err, "email", apitext.New("staff.another_staff_member_has", "another staff member has this email"))
		}
		return did("staff.create", target("staff", s.ID), fieldsDetail(in.names())), nil
	})
	return s, err
}

// UpdateStaff changes the fields that are set, and only those. Disabling a
// staff member or setting a new password ends their sessions. Nobody removes
// their own administrator role or disables themselves, so the administrator
// making the change is always one that remains.
func (o *Office) UpdateStaff(ctx context.Context, a Actor, id uint64, in StaffFields) (store.Staff, error) {
	demotes := (in.Role != nil && *in.Role != string(store.RoleAdmin)) || (in.Disabled != nil && *in.Disabled)
	if id == a.ID && a.Kind == "staff" && demotes {
		return store.Staff{}, invalid("role", apitext.New("staff.you_cannot_remove_your", "you cannot remove your own administrator role or disable yourself; ask another administrator"))
	}
	f, err := o.checkStaff(ctx, in)
	if err != nil {
		return store.Staff{}, err
	}
	var s store.Staff
	err = o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		if s, err = tx.Staff(id); err != nil {
			return change{}, err
		}
		f.apply(&s)
		if err := tx.PutStaff(&s); err != nil {
			return change{}, conflictAs(err, "email", apitext.New("staff.another_staff_member_has", "another staff member has this email"))
		}
		if s.Disabled || f.hash != "" {
			if err := endSessions(tx, store.SessionStaff, s.ID); err != nil {
				return change{}, err
			}
		}
		return did("staff.update", target("staff", s.ID), fieldsDetail(in.names())), nil
	})
	return s, err
}
