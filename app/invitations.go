package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// Invitations is bound to the frontend as window.go.app.Invitations: a
// client's invitation and reset emails, the clients waiting for an
// invitation, and inviting the clients of several cases at once.
type Invitations struct {
	link *link
}

// LinkState is a single-use link (an invitation or a password reset) as
// staff see it; the link itself exists only in the email. Times are RFC
// 3339, "" when there is none.
type LinkState struct {
	Active    bool   `json:"active"`  // can be used now
	Expired   bool   `json:"expired"` // ran out of time unused
	Voided    bool   `json:"voided"`  // too many wrong answers to the identity question
	Attempts  int    `json:"attempts"`
	Email     string `json:"email"` // where it was sent
	Issued    string `json:"issued"`
	Expires   string `json:"expires"`
	Used      string `json:"used"`
	Revoked   string `json:"revoked"`
	EasyLogin bool   `json:"easyLogin"`
	Sends     int    `json:"sends"` // how many times it was sent (resends replace the link)
}

// Onboarding is a client's invitation and reset state.
type Onboarding struct {
	ClientID           uint64     `json:"clientId"`
	HasAccount         bool       `json:"hasAccount"` // a password is set
	Activated          bool       `json:"activated"`  // has signed in at least once
	MustChangePassword bool       `json:"mustChangePassword"`
	Invitation         *LinkState `json:"invitation,omitempty"` // nil: never invited
	Reset              *LinkState `json:"reset,omitempty"`      // nil: no reset email sent
}

// WaitingClient is a client with cases and no account.
type WaitingClient struct {
	ClientID   uint64     `json:"clientId"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Cases      int        `json:"cases"`
	Invitation *LinkState `json:"invitation,omitempty"`
}

// InviteOutcome is what inviting a selection of cases did for one client:
// "invited", "has_account", "already_invited", "no_email" or
// "missing_fact".
type InviteOutcome struct {
	ClientID   uint64     `json:"clientId"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Outcome    string     `json:"outcome"`
	Invitation *LinkState `json:"invitation,omitempty"`
}

// BulkInvite lists each client of the invited cases once.
type BulkInvite struct {
	Invited int             `json:"invited"`
	Items   []InviteOutcome `json:"items"`
}

// MaxBulkCases is the most cases one bulk invitation takes (the service's
// limit).
const MaxBulkCases = 1000

// Get reads the client's invitation and reset state.
func (iv *Invitations) Get(clientID uint64) (Onboarding, error) {
	var out Onboarding
	err := iv.call(apitext.New("doing.read_invitation", "read the invitation"), func(ctx context.Context, c *apiclient.Client) error {
		inv, err := c.Invitation(ctx, clientID)
		out = onboarding(inv)
		return err
	})
	return out, err
}

// Send emails the client an invitation to register, or a new one whose
// link replaces the one before.
func (iv *Invitations) Send(clientID uint64) (Onboarding, error) {
	var out Onboarding
	err := iv.call(apitext.New("doing.send_invitation", "send the invitation"), func(ctx context.Context, c *apiclient.Client) error {
		inv, err := c.Invite(ctx, clientID)
		out = onboarding(inv)
		return err
	})
	return out, err
}

// Revoke ends the client's invitation: its link stops working, and an
// email not sent yet is not sent.
func (iv *Invitations) Revoke(clientID uint64) (Onboarding, error) {
	var out Onboarding
	err := iv.call(apitext.New("doing.revoke_invitation", "revoke the invitation"), func(ctx context.Context, c *apiclient.Client) error {
		inv, err := c.RevokeInvitation(ctx, clientID)
		out = onboarding(inv)
		return err
	})
	return out, err
}

// SendReset emails the client a link to choose a new password.
func (iv *Invitations) SendReset(clientID uint64) (Onboarding, error) {
	var out Onboarding
	err := iv.call(apitext.New("doing.send_reset_email", "send the reset email"), func(ctx context.Context, c *apiclient.Client) error {
		inv, err := c.SendReset(ctx, clientID)
		out = onboarding(inv)
		return err
	})
	return out, err
}

// Waiting lists the clients who have cases and no account, with their
// invitation if one was sent.
func (iv *Invitations) Waiting() ([]WaitingClient, error) {
	var out []WaitingClient
	err := iv.call(apitext.New("doing.read_clients_waiting_for_invitation", "read the clients waiting for an invitation"), func(ctx context.Context, c *apiclient.Client) error {
		page, err := c.WaitingForInvitation(ctx)
		out = make([]WaitingClient, 0, len(page.Items))
		for _, w := range page.Items {
			out = append(out, WaitingClient{ClientID: w.ClientID, Name: w.Name, Email: w.Email, Cases: w.Cases, Invitation: linkState(w.Invitation)})
		}
		return err
	})
	return out, err
}

// InviteCases invites every client of the cases who has no account and no
// active invitation yet, each once, and says per client what it did. An
// unknown case refuses the whole selection.
func (iv *Invitations) InviteCases(caseIDs []uint64) (BulkInvite, error) {
	if len(caseIDs) == 0 {
		return BulkInvite{}, uiText(apitext.New("error.invite_none", "choose at least one case to invite its clients"), nil)
	}
	if len(caseIDs) > MaxBulkCases {
		return BulkInvite{}, uiText(apitext.Plural("error.invite_too_many", "{{.Count}} case is chosen; invite at most {{.Max}} at once", "{{.Count}} cases are chosen; invite at most {{.Max}} at once", len(caseIDs), "Max", MaxBulkCases), nil)
	}
	var out BulkInvite
	err := iv.call(apitext.New("doing.invite_clients", "invite the clients"), func(ctx context.Context, c *apiclient.Client) error {
		res, err := c.InviteCases(ctx, caseIDs)
		out = BulkInvite{Invited: res.Invited, Items: make([]InviteOutcome, 0, len(res.Items))}
		for _, o := range res.Items {
			out.Items = append(out.Items, InviteOutcome{ClientID: o.ClientID, Name: o.Name, Email: o.Email, Outcome: o.Outcome, Invitation: linkState(o.Invitation)})
		}
		return err
	})
	return out, err
}

// call is link.call with the API's pointers to its own routes ("add one with
// PATCH /api/v1/clients/{id}") said as the window's people act.
func (iv *Invitations) call(doing apitext.Text, fn func(ctx context.Context, c *apiclient.Client) error) error {
	return iv.link.call(doing, func(ctx context.Context, c *apiclient.Client) error {
		err := fn(ctx, c)
		var e *api.Error
		if errors.As(err, &e) {
			said := *e
			said.Message = apiRoutes.Replace(e.Message)
			return &said
		}
		return err
	})
}

// apiRoutes are the service's pointers to its routes in English and in
// Spanish (server/apitext/locales/es.json), and what the window says instead.
var apiRoutes = strings.NewReplacer(
	"set one with PUT /api/v1/settings/mail, then invite", "an administrator sets the office's mail server in the settings first",
	"add one with PATCH /api/v1/clients/{id}", "add one under the client's details",
	"set it with PATCH /api/v1/clients/{id}", "add it under the client's details",
	"send a password reset (POST /api/v1/clients/{id}/reset) or set a temporary password", "send a reset email or set a temporary password",
	"Configúrelo con PUT /api/v1/settings/mail y luego invite", "Un administrador debe configurar primero el servidor de correo de la oficina en la configuración",
	"Agréguelo con PATCH /api/v1/clients/{id}", "Agréguelo en los datos del cliente",
	"Envíele un cambio de contraseña (POST /api/v1/clients/{id}/reset) o fije una contraseña temporal", "Envíele un correo para cambiar la contraseña o fije una contraseña temporal",
)

func onboarding(inv api.Invitation) Onboarding {
	return Onboarding{ClientID: inv.ClientID, HasAccount: inv.HasAccount, Activated: inv.Activated, MustChangePassword: inv.MustChange,
		Invitation: linkState(inv.Invitation), Reset: linkState(inv.Reset)}
}

func linkState(l *api.LinkState) *LinkState {
	if l == nil {
		return nil
	}
	opt := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return stamp(*t)
	}
	return &LinkState{Active: l.Active, Expired: l.Expired, Voided: l.Voided, Attempts: l.Attempts, Email: l.Email,
		Issued: stamp(l.Issued), Expires: stamp(l.Expires), Used: opt(l.Used), Revoked: opt(l.Revoked), EasyLogin: l.EasyLogin, Sends: l.Sends}
}
