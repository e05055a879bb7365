package app

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"runtime"
	"time"

	"clientportal/installer"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// ServiceControl is the OS service as the dashboard controls it:
// *installer.Manager on the office server. Tests use it to control a
// service installed under a test-only name.
type ServiceControl interface {
	Status() (installer.Status, error)
	Start() error
	Stop() error
	Restart() error
	Platform() string
}

// Dashboard is bound to the frontend as window.go.app.Dashboard: the
// service's state and control (on the office server), the certificate,
// clients online, what waits for staff, failed emails, the last backup and
// the clients' weekly activity.
type Dashboard struct {
	link *link
	// service finds the service manager of this computer (nil: installer's).
	service func() (ServiceControl, error)
}

// SetServiceControl makes the dashboard control the service through fn
// instead of this computer's clientportal service (tests: a service
// installed under a test-only name).
func (d *Dashboard) SetServiceControl(fn func() (ServiceControl, error)) { d.service = fn }

func (d *Dashboard) control() (ServiceControl, error) {
	if d.service != nil {
		return d.service()
	}
	return installer.NewManager(installer.Options{})
}

// ServiceState is the OS service on this computer.
type ServiceState struct {
	// Installed: the service is installed here, so this computer is the
	// office server and the dashboard offers Start, Stop and Restart.
	Installed bool   `json:"installed"`
	State     string `json:"state"` // "running", "stopped", "not installed" or "unknown"
	Platform  string `json:"platform"`
	// Message says in words what the state means (and what to do).
	Message string `json:"message"`
}

// ServiceState asks this computer's service manager about the service.
func (d *Dashboard) ServiceState() ServiceState {
	sc, err := d.control()
	if err != nil {
		return ServiceState{State: "unknown", Message: d.link.say(apitext.New("dashboard.manager_unknown", "This computer's service manager could not be asked about the portal service: {{.Err}}", "Err", err.Error()))}
	}
	st, err := sc.Status()
	out := ServiceState{Platform: sc.Platform(), State: string(st)}
	switch {
	case err != nil:
		out.State, out.Message = "unknown", d.link.say(apitext.New("dashboard.state_unknown", "The service manager did not say whether the portal service runs: {{.Err}}", "Err", err.Error()))
	case st == installer.StatusRunning:
		out.Installed, out.Message = true, d.link.say(apitext.New("dashboard.running", "The portal service runs on this computer."))
	case st == installer.StatusStopped:
		out.Installed, out.Message = true, d.link.say(apitext.New("dashboard.stopped", "The portal service is installed on this computer but stopped: clients cannot reach the portal until it is started."))
	default:
		out.Message = d.link.say(apitext.New("dashboard.not_here", "The portal service is not installed on this computer: it runs on the office server, where its dashboard can start and stop it."))
	}
	return out
}

// StartService starts the service on this computer and answers its state.
func (d *Dashboard) StartService() (ServiceState, error) {
	return d.serviceAction("start", ServiceControl.Start)
}

// StopService stops the service on this computer (clients cannot reach the
// portal until it is started again) and answers its state.
func (d *Dashboard) StopService() (ServiceState, error) {
	return d.serviceAction("stop", ServiceControl.Stop)
}

// RestartService restarts the service on this computer and answers its
// state.
func (d *Dashboard) RestartService() (ServiceState, error) {
	return d.serviceAction("restart", ServiceControl.Restart)
}

func (d *Dashboard) serviceAction(what string, fn func(ServiceControl) error) (ServiceState, error) {
	sc, err := d.control()
	if err != nil {
		return d.ServiceState(), uiText(apitext.New("error.control_no_manager", "could not {{.Doing}} the service: this computer's service manager could not be found ({{.Err}})", "Doing", controlVerb(what), "Err", err.Error()), err)
	}
	if err := fn(sc); err != nil {
		return d.ServiceState(), controlError(what, err)
	}
	return d.ServiceState(), nil
}

// controlError says in plain words why a start, stop or restart failed:
// mostly, the control panel does not run with administrator rights.
func controlError(what string, err error) error {
	switch {
	case errors.Is(err, installer.ErrNotInstalled):
		return uiText(apitext.New("error.control_not_installed", "could not {{.Doing}} the service: it is not installed on this computer (the office server installs it from its first-run wizard, or with the command \"clientportal service install\")", "Doing", controlVerb(what)), err)
	case errors.Is(err, fs.ErrPermission) || !isAdministrator():
		return uiText(apitext.New("error.control_refused", "could not {{.Doing}} the service: the service manager refused. Starting and stopping the service needs administrator rights: {{.Advice}}", "Doing", controlVerb(what), "Advice", adminAdvice()), err)
	}
	return uiText(apitext.New("error.control_failed", "could not {{.Doing}} the service: {{.Err}}", "Doing", controlVerb(what), "Err", err.Error()), err)
}

// isAdministrator reports whether this process may control services (on
// Windows it cannot tell: true, and the error speaks for itself).
func isAdministrator() bool {
	uid := os.Geteuid()
	return uid == 0 || uid == -1
}

func adminAdvice() apitext.Text {
	if runtime.GOOS == "windows" {
		return apitext.New("dashboard.admin_advice_windows", "open the control panel with \"Run as administrator\", or type \"clientportal service start\" in a command prompt opened as administrator.")
	}
	return apitext.New("dashboard.admin_advice", "open the control panel as root (sudo), or type \"sudo clientportal service start\" (or stop, or restart) in a terminal.")
}

// WaitingMessage is a client message no staff member has read.
type WaitingMessage struct {
	ID         uint64 `json:"id"`
	CaseID     uint64 `json:"caseId"`
	CaseNumber string `json:"caseNumber"`
	CaseTitle  string `json:"caseTitle"`
	AuthorName string `json:"authorName"`
	Created    string `json:"created"` // RFC 3339
	Excerpt    string `json:"excerpt"`
}

// WaitingUpload is a client upload waiting for staff: a submitted checklist
// item ("request") or a document sent outside the checklist ("document").
type WaitingUpload struct {
	Kind       string `json:"kind"`
	ID         uint64 `json:"id"`
	CaseID     uint64 `json:"caseId"`
	CaseNumber string `json:"caseNumber"`
	CaseTitle  string `json:"caseTitle"`
	Title      string `json:"title"`
	At         string `json:"at"` // RFC 3339
	Files      int    `json:"files"`
}

// OutboxFailure is an email whose last try failed.
type OutboxFailure struct {
	ID        uint64 `json:"id"`
	To        string `json:"to"`
	Kind      string `json:"kind"` // "notice" (to a client), "alert" (to staff), ...
	LastError string `json:"lastError"`
	Attempts  int    `json:"attempts"`
	NextTry   string `json:"nextTry"` // RFC 3339; "" once given up
	Created   string `json:"created"`
}

// Certificate is the state of the portal's certificate.
type Certificate struct {
	State    string `json:"state"` // "off", "obtaining", "valid", "failed"
	Domain   string `json:"domain"`
	NotAfter string `json:"notAfter"` // RFC 3339; "" without a certificate
	DaysLeft int    `json:"daysLeft"`
	Message  string `json:"message"`
	Error    string `json:"error"`
	// StaffFingerprint is the staff listener's certificate's SHA-256 in
	// groups of four, as the Connect screen of an office PC shows it for
	// comparing ("" when the service has no staff listener).
	StaffFingerprint string `json:"staffFingerprint"` // why it could not be read
}

// BackupState is the last backup and the next.
type BackupState struct {
	// Available false: not shown to this staff member (Note says why).
	Available bool   `json:"available"`
	Note      string `json:"note"`
	HasLast   bool   `json:"hasLast"`
	Finished  string `json:"finished"` // RFC 3339
	Size      int64  `json:"size"`
	OK        bool   `json:"ok"`
	Error     string `json:"error"`
	Next      string `json:"next"` // RFC 3339; "" when nightly backups are off
}

// ActivityWeek is what clients did in one week (from its Monday).
type ActivityWeek struct {
	Week     string `json:"week"` // YYYY-MM-DD
	SignIns  int    `json:"signIns"`
	Messages int    `json:"messages"`
	Uploads  int    `json:"uploads"`
}

// Summary is everything the dashboard shows from the service.
type Summary struct {
	ClientsOnline  int              `json:"clientsOnline"`
	MessagesTotal  int              `json:"messagesTotal"`
	Messages       []WaitingMessage `json:"messages"`
	UploadsTotal   int              `json:"uploadsTotal"`
	Uploads        []WaitingUpload  `json:"uploads"`
	OutboxFailed   int              `json:"outboxFailed"`
	OutboxFailures []OutboxFailure  `json:"outboxFailures"`
	Certificate    Certificate      `json:"certificate"`
	Backup         BackupState      `json:"backup"`
	Activity       []ActivityWeek   `json:"activity"`
	Read           string           `json:"read"` // when it was read, RFC 3339
}

// outboxShown is how many failed emails the dashboard lists.
const outboxShown = 5

// Summary reads what the dashboard shows: the dashboard route, the failed
// emails, the certificate and (administrators) the backups. The certificate
// and backups are parts of their own: when one cannot be read, it says why
// and the rest still shows.
func (d *Dashboard) Summary() (Summary, error) {
	info, _ := d.link.connected()
	var out Summary
	err := d.link.call(apitext.New("doing.read_dashboard", "read the dashboard"), func(ctx context.Context, c *apiclient.Client) error {
		db, err := c.Dashboard(ctx, 0)
		if err != nil {
			return err
		}
		out = summaryOf(db)
		failed, err := c.Outbox(ctx, apiclient.OutboxOptions{State: "failed", Limit: outboxShown})
		if err != nil {
			return err
		}
		for _, e := range failed.Items {
			out.OutboxFailures = append(out.OutboxFailures, OutboxFailure{ID: e.ID, To: e.To, Kind: e.Kind, LastError: e.LastError,
				Attempts: e.Attempts, NextTry: optRFC3339(e.NextTry), Created: rfc3339(e.Created)})
		}
		out.Certificate = certificateOf(ctx, c, d.link.say)
		out.Backup = backupOf(ctx, c, info.Role == "admin", d.link.say)
		return nil
	})
	return out, err
}

func summaryOf(db api.Dashboard) Summary {
	out := Summary{
		ClientsOnline: db.ClientsOnline, MessagesTotal: db.Messages.Total, UploadsTotal: db.Uploads.Total,
		OutboxFailed: db.OutboxFailed, Read: rfc3339(time.Now()),
		Messages: []WaitingMessage{}, Uploads: []WaitingUpload{}, OutboxFailures: []OutboxFailure{}, Activity: []ActivityWeek{},
	}
	for _, m := range db.Messages.Items {
		out.Messages = append(out.Messages, WaitingMessage{ID: m.ID, CaseID: m.CaseID, CaseNumber: m.CaseNumber, CaseTitle: m.CaseTitle,
			AuthorName: m.AuthorName, Created: rfc3339(m.Created), Excerpt: m.Excerpt})
	}
	for _, u := range db.Uploads.Items {
		out.Uploads = append(out.Uploads, WaitingUpload{Kind: u.Kind, ID: u.ID, CaseID: u.CaseID, CaseNumber: u.CaseNumber,
			CaseTitle: u.CaseTitle, Title: u.Title, At: rfc3339(u.At), Files: u.Files})
	}
	for _, w := range db.Activity {
		out.Activity = append(out.Activity, ActivityWeek{Week: w.Week, SignIns: w.SignIns, Messages: w.Messages, Uploads: w.Uploads})
	}
	return out
}

func certificateOf(ctx context.Context, c *apiclient.Client, say func(apitext.Text) string) Certificate {
	st, err := c.TLS(ctx)
	if err != nil {
		return Certificate{State: "unknown", Error: say(apitext.New("dashboard.certificate_unreadable", "The certificate's state could not be read: {{.Why}}", "Why", errorWords(err)))}
	}
	out := Certificate{State: st.State, Domain: st.Domain, Message: st.Message}
	if st.StaffFingerprint != "" {
		out.StaffFingerprint = spoken(st.StaffFingerprint)
	}
	if st.NotAfter != nil {
		out.NotAfter = rfc3339(*st.NotAfter)
		out.DaysLeft = int(time.Until(*st.NotAfter).Hours() / 24)
	}
	return out
}

func backupOf(ctx context.Context, c *apiclient.Client, admin bool, say func(apitext.Text) string) BackupState {
	if !admin {
		return BackupState{Note: say(apitext.New("dashboard.backups_admin_only", "Only an administrator sees the backups."))}
	}
	b, err := c.Backups(ctx)
	if err != nil {
		return BackupState{Note: say(apitext.New("dashboard.backups_unreadable", "The backups could not be read: {{.Why}}", "Why", errorWords(err)))}
	}
	out := BackupState{Available: true, Next: optRFC3339(b.Next)}
	if b.Last != nil {
		out.HasLast, out.Finished, out.Size, out.OK, out.Error = true, rfc3339(b.Last.Finished), b.Last.Size, b.Last.OK, b.Last.Error
	}
	return out
}

// errorWords is the service's own message of an API error.
func errorWords(err error) string {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func optRFC3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return rfc3339(*t)
}

// controlVerb is a service action (start, stop, restart) as a message says it.
func controlVerb(what string) apitext.Text {
	switch what {
	case "start":
		return apitext.New("doing.control_start", "start")
	case "stop":
		return apitext.New("doing.control_stop", "stop")
	case "restart":
		return apitext.New("doing.control_restart", "restart")
	}
	return apitext.Text{English: what}
}
