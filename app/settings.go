package app

import (
	"context"
	"io"
	"os"
	"strings"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/apitext"
)

// Settings is bound to the frontend as window.go.app.Settings: the office's
// settings, which administrators change (the service refuses anyone else,
// and the screen shows its refusal). The forms use the staff API's own
// types, so a refusal's field (FieldError) is the form's field.
type Settings struct {
	link *link
}

// maxLogo is the largest logo the panel reads from disk; the service
// itself takes at most 256 KB and says so.
const maxLogo = 4 << 20

// Office reads the office settings: name, contact, lockout, staff
// language, time zone, upload limits (and the status list and policy).
func (s *Settings) Office() (api.Settings, error) {
	return fetch(s.link, apitext.New("doing.read_office_settings", "read the office settings"), func(ctx context.Context, c *apiclient.Client) (api.Settings, error) {
		return c.Settings(ctx)
	})
}

// SaveOffice changes the settings in gives (fields left out keep their
// value) and answers them as they now stand.
func (s *Settings) SaveOffice(in api.SettingsInput) (api.Settings, error) {
	return fetch(s.link, apitext.New("doing.save_office_settings", "save the office settings"), func(ctx context.Context, c *apiclient.Client) (api.Settings, error) {
		trim(&in.OfficeName, &in.OfficePhone, &in.OfficeEmail, &in.OfficeAddress, &in.TimeZone)
		return c.UpdateSettings(ctx, in)
	})
}

// Statuses reads the office's status list, retired statuses included.
func (s *Settings) Statuses() ([]api.Status, error) {
	var out []api.Status
	err := s.link.call(apitext.New("doing.read_status_list", "read the status list"), func(ctx context.Context, c *apiclient.Client) error {
		page, err := c.Statuses(ctx)
		out = page.Items
		return err
	})
	return out, err
}

// SaveStatuses replaces the status list with list, in its order. A status
// left out or retired stays in the history of the cases that had it.
func (s *Settings) SaveStatuses(list []api.Status) ([]api.Status, error) {
	var out []api.Status
	err := s.link.call(apitext.New("doing.save_status_list", "save the status list"), func(ctx context.Context, c *apiclient.Client) error {
		for i := range list {
			for lang, name := range list[i].Names {
				list[i].Names[lang] = strings.TrimSpace(name)
			}
		}
		page, err := c.PutStatuses(ctx, list)
		out = page.Items
		return err
	})
	return out, err
}

// PasswordPolicy reads the client password policy.
func (s *Settings) PasswordPolicy() (api.PasswordPolicy, error) {
	return fetch(s.link, apitext.New("doing.read_password_policy", "read the password policy"), func(ctx context.Context, c *apiclient.Client) (api.PasswordPolicy, error) {
		return c.PasswordPolicy(ctx)
	})
}

// SavePasswordPolicy sets the policy: the preset ("nist": long passwords,
// no rules on kinds of character; "office": the office's classic rules) or,
// with preset "", the numbers of p.
func (s *Settings) SavePasswordPolicy(preset string, p api.PasswordPolicy) (api.PasswordPolicy, error) {
	return fetch(s.link, apitext.New("doing.save_password_policy", "save the password policy"), func(ctx context.Context, c *apiclient.Client) (api.PasswordPolicy, error) {
		return c.PutPasswordPolicy(ctx, api.PolicyInput{Preset: preset, PasswordPolicy: p})
	})
}

// Mail reads the mail server and what the portal emails about. The
// password is never read back: PasswordSet says whether there is one.
func (s *Settings) Mail() (api.MailSettings, error) {
	return fetch(s.link, apitext.New("doing.read_mail_settings", "read the mail settings"), func(ctx context.Context, c *apiclient.Client) (api.MailSettings, error) {
		return c.MailSettings(ctx)
	})
}

// SaveMail changes the mail settings in gives. A password left out (or
// empty) keeps the one the service has: the form cannot show it, so an
// empty box means "unchanged", never "none".
func (s *Settings) SaveMail(in api.MailSettingsInput) (api.MailSettings, error) {
	return fetch(s.link, apitext.New("doing.save_mail_settings", "save the mail settings"), func(ctx context.Context, c *apiclient.Client) (api.MailSettings, error) {
		if in.Password != nil && *in.Password == "" {
			in.Password = nil
		}
		trim(&in.Host, &in.Username, &in.From, &in.OfficeAddress)
		return c.PutMailSettings(ctx, in)
	})
}

// TestMail sends a test email to the address to through the saved mail
// server and answers what the server said, accepted or not.
func (s *Settings) TestMail(to string) (api.MailTestResult, error) {
	return fetch(s.link, apitext.New("doing.send_test_email", "send a test email"), func(ctx context.Context, c *apiclient.Client) (api.MailTestResult, error) {
		return c.TestMail(ctx, strings.TrimSpace(to))
	})
}

// Domain reads the portal's domain, the certificate authority's contact
// email and whether the public address serves the staff API.
func (s *Settings) Domain() (api.DomainSettings, error) {
	return fetch(s.link, apitext.New("doing.read_domain_settings", "read the domain settings"), func(ctx context.Context, c *apiclient.Client) (api.DomainSettings, error) {
		return c.DomainSettings(ctx)
	})
}

// SaveDomain changes the domain settings in gives.
func (s *Settings) SaveDomain(in api.DomainInput) (api.DomainSettings, error) {
	return fetch(s.link, apitext.New("doing.save_domain_settings", "save the domain settings"), func(ctx context.Context, c *apiclient.Client) (api.DomainSettings, error) {
		trim(&in.Domain, &in.ACMEEmail, &in.ACMECA)
		return c.PutDomainSettings(ctx, in)
	})
}

// Certificate reads the state of the portal's certificate.
func (s *Settings) Certificate() (api.TLSStatus, error) {
	return fetch(s.link, apitext.New("doing.read_certificate_s_state", "read the certificate's state"), func(ctx context.Context, c *apiclient.Client) (api.TLSStatus, error) {
		return c.TLS(ctx)
	})
}

// Backups reads the backup settings, the last backup and when the next
// one runs.
func (s *Settings) Backups() (api.Backups, error) {
	return fetch(s.link, apitext.New("doing.read_backups", "read the backups"), func(ctx context.Context, c *apiclient.Client) (api.Backups, error) {
		return c.Backups(ctx)
	})
}

// SaveBackup changes the backup settings in gives.
func (s *Settings) SaveBackup(in api.BackupSettingsInput) (api.BackupSettings, error) {
	return fetch(s.link, apitext.New("doing.save_backup_settings", "save the backup settings"), func(ctx context.Context, c *apiclient.Client) (api.BackupSettings, error) {
		trim(&in.Folder, &in.Time)
		return c.PutBackupSettings(ctx, in)
	})
}

// BackupNow makes a backup now and answers its outcome (OK false with
// Error saying what went wrong and what to do).
func (s *Settings) BackupNow() (api.BackupResult, error) {
	return fetch(s.link, apitext.New("doing.make_backup", "make a backup"), func(ctx context.Context, c *apiclient.Client) (api.BackupResult, error) {
		return c.BackupNow(ctx)
	})
}

// Onboarding reads how clients are invited: the identity fact, the
// links' expiry, the attempts, automatic invitations and easy login.
func (s *Settings) Onboarding() (api.OnboardingSettings, error) {
	return fetch(s.link, apitext.New("doing.read_invitation_settings", "read the invitation settings"), func(ctx context.Context, c *apiclient.Client) (api.OnboardingSettings, error) {
		return c.OnboardingSettings(ctx)
	})
}

// SaveOnboarding changes the invitation settings in gives.
func (s *Settings) SaveOnboarding(in api.OnboardingInput) (api.OnboardingSettings, error) {
	return fetch(s.link, apitext.New("doing.save_invitation_settings", "save the invitation settings"), func(ctx context.Context, c *apiclient.Client) (api.OnboardingSettings, error) {
		return c.PutOnboardingSettings(ctx, in)
	})
}

// TwoFactorSettings is who must use a second factor, and whether the
// person at the window has their own (the service refuses requiring it of
// staff until they do, so that nobody locks themselves out).
type TwoFactorSettings struct {
	Clients bool `json:"clients"`
	Staff   bool `json:"staff"`
	MineOn  bool `json:"mineOn"`
}

// TwoFactor reads the office's second-factor requirements.
func (s *Settings) TwoFactor() (TwoFactorSettings, error) {
	var out TwoFactorSettings
	err := s.link.call(apitext.New("doing.read_two_factor_requirements", "read the two-factor requirements"), func(ctx context.Context, c *apiclient.Client) error {
		p, err := c.TwoFactorPolicy(ctx)
		if err != nil {
			return err
		}
		mine, err := c.MyTwoFactor(ctx)
		if err != nil {
			return err
		}
		out = TwoFactorSettings{Clients: p.Clients != nil && *p.Clients, Staff: p.Staff != nil && *p.Staff, MineOn: mine.On}
		return nil
	})
	return out, err
}

// SaveTwoFactor sets whether clients and staff must use a second factor.
func (s *Settings) SaveTwoFactor(clients, staff bool) (TwoFactorSettings, error) {
	var out TwoFactorSettings
	err := s.link.call(apitext.New("doing.save_two_factor_requirements", "save the two-factor requirements"), func(ctx context.Context, c *apiclient.Client) error {
		p, err := c.PutTwoFactorPolicy(ctx, api.TwoFactorPolicy{Clients: &clients, Staff: &staff})
		if err != nil {
			return ownFirst(s.link, err)
		}
		mine, err := c.MyTwoFactor(ctx)
		if err != nil {
			return err
		}
		out = TwoFactorSettings{Clients: p.Clients != nil && *p.Clients, Staff: p.Staff != nil && *p.Staff, MineOn: mine.On}
		return nil
	})
	return out, err
}

// ownFirst says the service's refusal to require a second factor of staff
// in the window's words (the service names its own route).
func ownFirst(l *link, err error) error {
	if e, ok := err.(*api.Error); ok && e.Field == "staff" {
		c := *e
		c.Message = l.say(apitext.New("settings.own_second_factor_first", "set up your own second factor first (an authenticator app on your phone, asked for when you next log in once it is required of you, or by another administrator), so that requiring it of staff cannot lock you out"))
		return &c
	}
	return err
}

// Branding reads the office's name, colour and logo.
func (s *Settings) Branding() (api.Branding, error) {
	return fetch(s.link, apitext.New("doing.read_branding", "read the branding"), func(ctx context.Context, c *apiclient.Client) (api.Branding, error) {
		return c.Branding(ctx)
	})
}

// SetColor sets the office's colour ("#rrggbb", "" for the portal's own).
// The service refuses a colour white text cannot be read on, naming a
// darker one.
func (s *Settings) SetColor(color string) (api.Branding, error) {
	return fetch(s.link, apitext.New("doing.save_colour", "save the colour"), func(ctx context.Context, c *apiclient.Client) (api.Branding, error) {
		return c.SetBrandColor(ctx, strings.TrimSpace(color))
	})
}

// LogoResult is the branding after "Choose a logo": Chosen false when the
// person closed the dialog without choosing.
type LogoResult struct {
	Chosen   bool         `json:"chosen"`
	File     string       `json:"file"`
	Branding api.Branding `json:"branding"`
}

// ChooseLogo asks for a PNG or JPEG file with the system's file dialog and
// uploads it as the office's logo.
func (s *Settings) ChooseLogo() (LogoResult, error) {
	d, err := s.link.desk.get()
	if err != nil {
		return LogoResult{}, err
	}
	file, err := d.OpenFile(s.link.say(apitext.New("dialog.choose_logo", "Choose the office's logo")), FileFilter{Name: s.link.say(apitext.New("dialog.images", "Images (PNG, JPEG)")), Patterns: "*.png;*.jpg;*.jpeg"})
	if err != nil {
		return LogoResult{}, uiText(apitext.New("error.file_dialog_err", "could not open the file dialog: {{.Err}}", "Err", err.Error()), err)
	}
	if file == "" {
		return LogoResult{}, nil
	}
	image, err := readSmall(file, maxLogo)
	if err != nil {
		return LogoResult{}, err
	}
	out := LogoResult{Chosen: true, File: file}
	err = s.link.call(apitext.New("doing.upload_logo", "upload the logo"), func(ctx context.Context, c *apiclient.Client) error {
		var err error
		out.Branding, err = c.SetLogo(ctx, image)
		return err
	})
	return out, err
}

// RemoveLogo goes back to the portal's own logo.
func (s *Settings) RemoveLogo() (api.Branding, error) {
	return fetch(s.link, apitext.New("doing.remove_logo", "remove the logo"), func(ctx context.Context, c *apiclient.Client) (api.Branding, error) {
		return c.RemoveLogo(ctx)
	})
}

// Snippet is the HTML for the office's website: a "client login" link to
// the portal in the office's colour.
func (s *Settings) Snippet() (api.BrandingSnippet, error) {
	return fetch(s.link, apitext.New("doing.read_website_snippet", "read the website snippet"), func(ctx context.Context, c *apiclient.Client) (api.BrandingSnippet, error) {
		return c.BrandingSnippet(ctx)
	})
}

// readSmall reads a file the person chose, refusing one over limit bytes
// before reading it all.
func readSmall(file string, limit int64) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, uiText(apitext.New("error.read_file", "could not read {{.File}}: {{.Err}}", "File", file, "Err", err.Error()), err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, uiText(apitext.New("error.read_file", "could not read {{.File}}: {{.Err}}", "File", file, "Err", err.Error()), err)
	}
	if int64(len(data)) > limit {
		return nil, uiText(apitext.New("error.image_too_large", "{{.File}} is larger than {{.MB}} MB: choose a smaller image", "File", file, "MB", limit>>20), nil)
	}
	return data, nil
}

// trim trims the text fields given.
func trim(fields ...**string) {
	for _, f := range fields {
		if *f != nil {
			t := strings.TrimSpace(**f)
			*f = &t
		}
	}
}
