package api

import "time"

// MailNotify says which kinds of new things make a client's email notice.
type MailNotify struct {
	Status       bool `json:"status"`
	Messages     bool `json:"messages"`
	Appointments bool `json:"appointments"`
	Documents    bool `json:"documents"`
	Requests     bool `json:"requests"` // document requests: new, returned, due soon
}

// MailSettings are the office's SMTP server and what it sends, as the API
// shows them: the password is never read back, only whether one is set.
type MailSettings struct {
	Host          string     `json:"host"`
	Port          int        `json:"port"`
	Security      string     `json:"security"` // "starttls", "tls" or "none"
	Username      string     `json:"username"`
	PasswordSet   bool       `json:"password_set"`
	From          string     `json:"from"`
	OfficeAddress string     `json:"office_address"`
	Notify        MailNotify `json:"notify"`
	// ClientMessageAlerts is who is emailed when a client writes:
	// "advocate", "all_staff", "office" (OfficeAddress) or "none".
	ClientMessageAlerts string `json:"client_message_alerts"`
}

// MailSettingsInput changes the mail settings (PUT /api/v1/settings/mail,
// admin only). Fields left out keep their value; password "" clears it.
type MailSettingsInput struct {
	Host                *string     `json:"host"`
	Port                *int        `json:"port"`
	Security            *string     `json:"security"`
	Username            *string     `json:"username"`
	Password            *string     `json:"password"`
	From                *string     `json:"from"`
	OfficeAddress       *string     `json:"office_address"`
	Notify              *MailNotify `json:"notify"`
	ClientMessageAlerts *string     `json:"client_message_alerts"`
}

// MailTestInput asks for a test email (POST /api/v1/settings/mail/test).
type MailTestInput struct {
	To string `json:"to"`
}

// MailTestResult is what the mail server answered to the test email: Reply
// holds its words as it sent them (acceptance, or the error); Stage, when
// it failed, is the step: "connect", "tls", "auth", "mail from", "rcpt to"
// or "data".
type MailTestResult struct {
	Sent  bool   `json:"sent"`
	Reply string `json:"reply"`
	Stage string `json:"stage,omitempty"`
}

// OutboxEntry is one email of the outbox. It never holds case content.
type OutboxEntry struct {
	ID        uint64     `json:"id"`
	MessageID string     `json:"message_id"`
	To        string     `json:"to"`
	Language  string     `json:"language"`
	Kind      string     `json:"kind"`   // "notice" (to a client) or "alert" (to staff)
	Topics    []string   `json:"topics"` // what is new: "status", "messages", ...
	CaseIDs   []uint64   `json:"case_ids"`
	Changes   int        `json:"changes"`
	State     string     `json:"state"` // "pending", "sending", "sent" or "failed"
	Attempts  int        `json:"attempts"`
	NextTry   *time.Time `json:"next_try,omitempty"` // a failed entry without it was given up
	LastError string     `json:"last_error,omitempty"`
	Reply     string     `json:"reply,omitempty"`
	Created   time.Time  `json:"created"`
	Sent      *time.Time `json:"sent,omitempty"`
}

// MeInput changes what a staff member may change of their own account
// (PATCH /api/v1/me).
type MeInput struct {
	// MailAlerts false stops the emails that tell you a client wrote.
	MailAlerts *bool `json:"mail_alerts"`
}
