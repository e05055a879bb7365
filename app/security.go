package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// Security is bound to the frontend as window.go.app.Security: a client's
// second factor, "preview as the client", and the audit trails of a client
// and of a case with their CSV export.
type Security struct {
	link *link
}

// ClientTwoFactor reads client id's second factor: on, required, recovery
// codes left, passkeys.
func (s *Security) ClientTwoFactor(id uint64) (api.TwoFactorState, error) {
	return fetch(s.link, apitext.New("doing.read_client_s_second_factor", "read the client's second factor"), func(ctx context.Context, c *apiclient.Client) (api.TwoFactorState, error) {
		return c.ClientTwoFactor(ctx, id)
	})
}

// RequireTwoFactor makes client id set up and use a second factor (or
// lifts that requirement; the office's own policy still applies).
func (s *Security) RequireTwoFactor(id uint64, required bool) (api.TwoFactorState, error) {
	return fetch(s.link, apitext.New("doing.change_requirement", "change the requirement"), func(ctx context.Context, c *apiclient.Client) (api.TwoFactorState, error) {
		return c.SetClientTwoFactorRequired(ctx, id, required)
	})
}

// ResetTwoFactor turns off client id's second factor (they lost their
// phone, say) after staff checked who the client is: checked says how, and
// the service audits it.
func (s *Security) ResetTwoFactor(id uint64, checked string) (api.TwoFactorState, error) {
	return fetch(s.link, apitext.New("doing.reset_client_s_second_factor", "reset the client's second factor"), func(ctx context.Context, c *apiclient.Client) (api.TwoFactorState, error) {
		return c.ResetClientTwoFactor(ctx, id, strings.TrimSpace(checked))
	})
}

// Preview opens the client's portal, read-only, as they see it, in the
// system's browser (a one-time link that works once, within two minutes),
// and answers the link.
func (s *Security) Preview(id uint64) (api.PreviewLink, error) {
	d, err := s.link.desk.get()
	if err != nil {
		return api.PreviewLink{}, err
	}
	var out api.PreviewLink
	err = s.link.call(apitext.New("doing.open_preview", "open the preview"), func(ctx context.Context, c *apiclient.Client) error {
		var err error
		out, err = c.PreviewClient(ctx, id)
		return err
	})
	if err != nil {
		return out, err
	}
	d.OpenURL(out.URL)
	return out, nil
}

// AuditRow is one line of an audit trail.
type AuditRow struct {
	ID     uint64 `json:"id"`
	At     string `json:"at"` // RFC 3339
	Actor  string `json:"actor"`
	Kind   string `json:"kind"` // "staff", "client", "system"
	IP     string `json:"ip"`
	Action string `json:"action"`
	Target string `json:"target"`
	Detail string `json:"detail"`
}

// Trail names one audit trail: kind "client" or "case", and the record's id.
func trail(kind string, id uint64) (apiclient.AuditTrail, error) {
	switch kind {
	case "client":
		return apiclient.AuditTrail{Client: id}, nil
	case "case":
		return apiclient.AuditTrail{Case: id}, nil
	}
	return apiclient.AuditTrail{}, fmt.Errorf("an audit trail is a client's or a case's, not a %q's", kind)
}

// AuditTrail reads the audit trail of a client or a case (kind "client"
// or "case"), newest first. The service counts each reading as an export
// (it is the same trail, in the same words).
func (s *Security) AuditTrail(kind string, id uint64) ([]AuditRow, error) {
	t, err := trail(kind, id)
	if err != nil {
		return nil, err
	}
	var out []AuditRow
	err = s.link.call(apitext.New("doing.read_audit_trail", "read the audit trail"), func(ctx context.Context, c *apiclient.Client) error {
		data, err := c.AuditCSV(ctx, t)
		if err != nil {
			return err
		}
		out, err = auditRows(data)
		return err
	})
	return out, err
}

// ExportAudit asks where to save the audit trail of a client or a case
// with the system's Save dialog and writes it there as CSV. It answers
// the file written ("" when the person cancelled).
func (s *Security) ExportAudit(kind string, id uint64) (string, error) {
	t, err := trail(kind, id)
	if err != nil {
		return "", err
	}
	d, err := s.link.desk.get()
	if err != nil {
		return "", err
	}
	file, err := d.SaveFile(s.link.say(apitext.New("dialog.save_audit", "Save the audit trail")), fmt.Sprintf("audit-%s-%d.csv", kind, id), FileFilter{Name: s.link.say(apitext.New("dialog.csv_files", "CSV files")), Patterns: "*.csv"})
	if err != nil {
		return "", uiText(apitext.New("error.save_dialog", "could not open the save dialog: {{.Err}}", "Err", err.Error()), err)
	}
	if file == "" {
		return "", nil
	}
	var data []byte
	err = s.link.call(apitext.New("doing.export_audit_trail", "export the audit trail"), func(ctx context.Context, c *apiclient.Client) error {
		data, err = c.AuditCSV(ctx, t)
		return err
	})
	if err != nil {
		return "", err
	}
	if err := writeFileSynced(file, data); err != nil {
		return "", uiText(apitext.New("error.audit_save", "could not save the audit trail to {{.File}}: {{.Err}}; choose another folder", "File", file, "Err", err.Error()), err)
	}
	return file, nil
}

// auditRows reads the service's audit CSV (oldest first) into rows,
// newest first.
func auditRows(data []byte) ([]AuditRow, error) {
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("the audit trail is not CSV: %w", err)
	}
	if len(records) == 0 || len(records[0]) < 9 || records[0][0] != "id" {
		return nil, fmt.Errorf("the audit trail does not start with its header line")
	}
	out := make([]AuditRow, 0, len(records)-1)
	for i := len(records) - 1; i >= 1; i-- {
		r := records[i]
		if len(r) < 9 {
			return nil, fmt.Errorf("line %d of the audit trail has %d fields, not 10", i+1, len(r))
		}
		id, _ := strconv.ParseUint(r[0], 10, 64)
		out = append(out, AuditRow{ID: id, At: r[1], Kind: unformula(r[2]), Actor: unformula(r[4]), IP: unformula(r[5]),
			Action: unformula(r[6]), Target: unformula(r[7]), Detail: unformula(r[8])})
	}
	return out, nil
}

// unformula undoes the ' the service puts before a cell a spreadsheet
// would run as a formula: the window shows text, never runs it.
func unformula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}
