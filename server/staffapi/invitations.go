package staffapi

import (
	"net/http"
	"time"

	"clientportal/server/api"
	"clientportal/server/office"
	"clientportal/store"
)

// Onboarding: invitations (one client, or every client of some cases), the
// list of clients waiting for one, password reset emails, temporary
// passwords, and the onboarding settings.

func (a *API) registerInvitations(mux Mux) {
	const get, post, put, del = "GET ", "POST ", "PUT ", "DELETE "
	mux.Handle(get+api.PathClientInvitation, a.staff(a.getInvitation))
	mux.Handle(post+api.PathClientInvitation, a.staff(a.sendInvitation))
	mux.Handle(del+api.PathClientInvitation, a.staff(a.revokeInvitation))
	mux.Handle(post+api.PathClientReset, a.staff(a.sendReset))
	mux.Handle(put+api.PathClientTemporaryPassword, a.staff(a.setTemporaryPassword))
	mux.Handle(post+api.PathInvitations, a.staff(a.bulkInvite))
	mux.Handle(get+api.PathInvitationsWaiting, a.staff(a.waitingList))
	mux.Handle(get+api.PathSettingsOnboarding, a.staff(a.getOnboarding))
	mux.Handle(put+api.PathSettingsOnboarding, a.admin(a.putOnboarding))
}

// linkState is a link as staff see it at now; nil for none.
func linkState(t *store.LinkToken, now time.Time) *api.LinkState {
	if t == nil || t.Issued.IsZero() {
		return nil
	}
	return &api.LinkState{Active: t.Active(now), Expired: t.Expired(now), Attempts: t.Attempts, Voided: t.Voided, Email: t.Email,
		Issued: t.Issued, Expires: t.Expires, Used: optTime(t.Used), Revoked: optTime(t.Revoked), EasyLogin: t.EasyLogin, Sends: t.Sends}
}

func (a *API) invitationView(c store.Client, invite, reset *store.LinkToken) api.Invitation {
	now := a.store.Now()
	return api.Invitation{ClientID: c.ID, HasAccount: c.Access.PasswordHash != "", Activated: c.Access.Activated,
		MustChange: c.Access.MustChangePassword, Invitation: linkState(invite, now), Reset: linkState(reset, now)}
}

func (a *API) answerInvitation(w http.ResponseWriter, r request, status int, id uint64) error {
	c, invite, reset, err := a.office.Links(r.ctx(), id)
	if err != nil {
		return err
	}
	writeJSON(w, status, a.invitationView(c, invite, reset))
	return nil
}

func (a *API) getInvitation(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return a.answerInvitation(w, r, http.StatusOK, id)
}

func (a *API) sendInvitation(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.office.Invite(r.ctx(), r.actor(), id); err != nil {
		return err
	}
	return a.answerInvitation(w, r, http.StatusCreated, id)
}

func (a *API) revokeInvitation(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.office.RevokeInvitation(r.ctx(), r.actor(), id); err != nil {
		return err
	}
	return a.answerInvitation(w, r, http.StatusOK, id)
}

func (a *API) sendReset(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.office.SendReset(r.ctx(), r.actor(), id); err != nil {
		return err
	}
	return a.answerInvitation(w, r, http.StatusCreated, id)
}

func (a *API) setTemporaryPassword(w http.ResponseWriter, r request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in api.PasswordInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	c, err := a.office.SetTemporaryPassword(r.ctx(), r.actor(), id, in.Password)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, clientView(c).Access)
	return nil
}

func outcomes(in []office.InviteOutcome, now time.Time) api.BulkInviteResult {
	out := api.BulkInviteResult{Items: make([]api.InviteOutcome, 0, len(in))}
	for _, o := range in {
		it := api.InviteOutcome{ClientID: o.Client.ID, Name: o.Client.Name, Email: o.Client.Email, Outcome: o.Outcome}
		if o.Outcome == office.Invited || o.Outcome == office.AlreadyInvited {
			it.Invitation = linkState(&o.Link, now)
		}
		if o.Outcome == office.Invited {
			out.Invited++
		}
		out.Items = append(out.Items, it)
	}
	return out
}

func (a *API) bulkInvite(w http.ResponseWriter, r request) error {
	var in api.BulkInviteInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	res, err := a.office.InviteCases(r.ctx(), r.actor(), in.Cases)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, outcomes(res, a.store.Now()))
	return nil
}

func (a *API) waitingList(w http.ResponseWriter, r request) error {
	list, err := a.office.WaitingForInvitation(r.ctx())
	if err != nil {
		return err
	}
	now := a.store.Now()
	page := api.Page[api.WaitingClient]{Items: make([]api.WaitingClient, 0, len(list))}
	for _, x := range list {
		page.Items = append(page.Items, api.WaitingClient{ClientID: x.Client.ID, Name: x.Client.Name, Email: x.Client.Email,
			Cases: x.Cases, Invitation: linkState(x.Link, now)})
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func onboardingView(s store.OnboardingSettings) api.OnboardingSettings {
	return api.OnboardingSettings{Fact: s.Fact, InviteExpiryHours: int(s.InviteExpiry / time.Hour),
		ResetExpiryMinutes: int(s.ResetExpiry / time.Minute), MaxAttempts: s.MaxAttempts, AutoInvite: s.AutoInvite, EasyLogin: s.EasyLogin}
}

func (a *API) getOnboarding(w http.ResponseWriter, r request) error {
	return read(a, w, r, func(tx *store.Tx) (api.OnboardingSettings, error) {
		s, err := tx.OnboardingSettings()
		return onboardingView(s), err
	})
}

func (a *API) putOnboarding(w http.ResponseWriter, r request) error {
	var in api.OnboardingInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	ch := office.OnboardingChange{Fact: in.Fact, MaxAttempts: in.MaxAttempts, AutoInvite: in.AutoInvite, EasyLogin: in.EasyLogin}
	if in.InviteExpiryHours != nil {
		d := time.Duration(*in.InviteExpiryHours) * time.Hour
		ch.InviteExpiry = &d
	}
	if in.ResetExpiryMinutes != nil {
		d := time.Duration(*in.ResetExpiryMinutes) * time.Minute
		ch.ResetExpiry = &d
	}
	s, err := a.office.SetOnboarding(r.ctx(), r.actor(), ch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, onboardingView(s))
	return nil
}
