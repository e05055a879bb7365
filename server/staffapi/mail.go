package staffapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/office"
	"clientportal/server/ratelimit"
	"clientportal/store"
)

// registerMail adds the routes of the mail settings, the test email, the
// outbox, and a staff member's own alert switch.
func (a *API) registerMail(mux Mux) {
	// A test email reaches a real inbox: a few, then one every 10 seconds.
	testLimit := ratelimit.New(10*time.Second, 5)
	mux.Handle("GET "+api.PathSettingsMail, a.staff(a.getMailSettings))
	mux.Handle("PUT "+api.PathSettingsMail, a.admin(a.putMailSettings))
	mux.Handle("POST "+api.PathSettingsMailTest, a.admin(func(w http.ResponseWriter, r request) error {
		if ok, wait := testLimit.Take(strconv.FormatUint(r.me.ID, 10)); !ok {
			return api.ErrRateLimited.WithRetryAfter(wait)
		}
		return a.testMail(w, r)
	}))
	mux.Handle("GET "+api.PathOutbox, a.staff(a.listOutbox))
	mux.Handle("PATCH "+api.PathMe, a.staff(a.updateMe))
}

func mailView(m store.MailSettings) api.MailSettings {
	return api.MailSettings{Host: m.Host, Port: m.Port, Security: m.Security, Username: m.Username, PasswordSet: m.Password != "",
		From: m.From, OfficeAddress: m.OfficeAddress, Notify: api.MailNotify(m.Notify), ClientMessageAlerts: m.ClientAlerts}
}

func (a *API) getMailSettings(w http.ResponseWriter, r request) error {
	return read(a, w, r, func(tx *store.Tx) (api.MailSettings, error) {
		m, err := tx.MailSettings()
		return mailView(m), err
	})
}

func (a *API) putMailSettings(w http.ResponseWriter, r request) error {
	var in api.MailSettingsInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	f := office.MailFields{Host: in.Host, Port: in.Port, Security: in.Security, Username: in.Username, Password: in.Password,
		From: in.From, OfficeAddress: in.OfficeAddress, ClientAlerts: in.ClientMessageAlerts}
	if in.Notify != nil {
		n := store.MailNotify(*in.Notify)
		f.Notify = &n
	}
	m, err := a.office.UpdateMailSettings(r.ctx(), r.actor(), f)
	if err != nil {
		return err
	}
	if a.mail != nil {
		a.mail.Wake() // failed emails are due again
	}
	writeJSON(w, http.StatusOK, mailView(m))
	return nil
}

// testMail sends a test email now and answers what the mail server said.
func (a *API) testMail(w http.ResponseWriter, r request) error {
	var in api.MailTestInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	var res api.MailTestResult
	_, _, err := a.office.SendTestMail(r.ctx(), r.actor(), in.To, func(ctx context.Context, to string) (string, bool) {
		res.Reply, res.Stage, res.Sent = a.mail.SendTest(ctx, to)
		if res.Stage != "" {
			return res.Stage + ": " + res.Reply, res.Sent
		}
		return res.Reply, res.Sent
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

var outboxStates = map[string]bool{"": true, store.OutboxPending: true, store.OutboxSending: true, store.OutboxSent: true, store.OutboxFailed: true}

// listOutbox lists the outbox, newest first: ?state= (pending, sending,
// sent, failed), ?before= (the next of the page before), ?limit=.
func (a *API) listOutbox(w http.ResponseWriter, r request) error {
	q := r.URL.Query()
	state := q.Get("state")
	if !outboxStates[state] {
		return api.Refusal(http.StatusBadRequest, "bad_request", "state", apitext.New("staffapi.state_pending_sending_sent", `state must be "pending", "sending", "sent" or "failed"`))
	}
	var before uint64
	if s := q.Get("before"); s != "" {
		var err error
		if before, err = strconv.ParseUint(s, 10, 64); err != nil {
			return api.Refusal(http.StatusBadRequest, "bad_request", "before", apitext.New("staffapi.before_outbox_entry_id", "before must be an outbox entry id"))
		}
	}
	_, _, limit, err := pageParams(r)
	if err != nil {
		return err
	}
	return read(a, w, r, func(tx *store.Tx) (api.Page[api.OutboxEntry], error) {
		list, err := tx.OutboxInState(state, before, limit)
		page := api.Page[api.OutboxEntry]{Items: make([]api.OutboxEntry, 0, len(list))}
		for _, e := range list {
			page.Items = append(page.Items, outboxView(e))
		}
		if len(list) == limit {
			page.Next = list[len(list)-1].ID
		}
		return page, err
	})
}

func outboxView(e store.OutboxEntry) api.OutboxEntry {
	return api.OutboxEntry{ID: e.ID, MessageID: e.MessageID, To: e.To, Language: e.Language, Kind: e.Kind, Topics: e.Topics,
		CaseIDs: e.CaseIDs, Changes: e.Changes, State: e.State, Attempts: e.Attempts, NextTry: optTime(e.NextTry),
		LastError: e.LastError, Reply: e.Reply, Created: e.Created, Sent: optTime(e.Sent)}
}

// updateMe changes what staff may change of their own account: whether
// emails tell them a client wrote.
func (a *API) updateMe(w http.ResponseWriter, r request) error {
	var in api.MeInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	if in.MailAlerts == nil {
		return api.Invalid("mail_alerts", apitext.New("staffapi.send_mail_alerts_true_false", "send mail_alerts: true or false"))
	}
	s, err := a.office.UpdateStaff(r.ctx(), r.actor(), r.me.ID, office.StaffFields{MailAlerts: in.MailAlerts})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, staffView(s))
	return nil
}
