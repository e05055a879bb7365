package staffapi

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"clientportal/server/api"
	"clientportal/server/apitext"
	"clientportal/server/branding"
	"clientportal/store"
)

// Branding: the office's colour and logo on the portal and in emails, and
// the snippet for its website. Changes are admin only and audited.

func brandingView(set store.Settings) api.Branding {
	b := api.Branding{OfficeName: set.OfficeName, Color: set.Brand.Color, Logo: set.Brand.LogoHash != "", LogoType: set.Brand.LogoType}
	if b.Logo {
		b.LogoURL = "/branding/logo?v=" + set.Brand.LogoHash[:16]
	}
	return b
}

func (a *API) getBranding(w http.ResponseWriter, r request) error {
	return read(a, w, r, func(tx *store.Tx) (api.Branding, error) {
		set, err := tx.Settings()
		return brandingView(set), err
	})
}

func (a *API) putBranding(w http.ResponseWriter, r request) error {
	var in api.BrandingInput
	if err := decode(w, r.Request, &in); err != nil {
		return err
	}
	if in.Color == nil {
		return api.Invalid("color", apitext.New("staffapi.color_needed_rrggbb_portal", "color is needed: \"#rrggbb\", or \"\" for the portal's own"))
	}
	color := ""
	if strings.TrimSpace(*in.Color) != "" {
		c, err := branding.Check(*in.Color)
		if err != nil {
			return api.Invalid("color", brandingWords(err))
		}
		color = c.String()
	}
	var out api.Branding
	err := a.store.Update(r.ctx(), func(tx *store.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		old := set.Brand.Color
		set.Brand.Color = color
		out = brandingView(set)
		if old == color {
			return nil
		}
		if err := tx.PutSettings(set); err != nil {
			return err
		}
		return tx.Audit(a.entry(r, "settings.branding", "", "colour "+quoteOrNone(old)+" -> "+quoteOrNone(color)))
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func quoteOrNone(s string) string {
	if s == "" {
		return "(the portal's own)"
	}
	return s
}

func (a *API) entry(r request, action, tgt, detail string) store.AuditEntry {
	return store.AuditEntry{ActorKind: "staff", ActorID: r.me.ID, ActorName: r.me.Name, IP: r.ip, Action: action, Target: tgt, Detail: detail}
}

// putLogo takes the logo as the raw body (a PNG or JPEG image).
func (a *API) putLogo(w http.ResponseWriter, r request) error {
	body := http.MaxBytesReader(w, r.Body, branding.MaxLogoBytes+1)
	data, err := io.ReadAll(body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return api.Refusal(http.StatusRequestEntityTooLarge, "too_large", "", apitext.New("staffapi.logo_may_most_256", "the logo may be at most 256 KB: make it smaller (a logo 400 pixels wide is plenty)"))
	}
	if err != nil {
		return api.BadRequest(apitext.New("staffapi.logo_unreadable", "could not read the logo: {{.Err}}", "Err", err.Error()))
	}
	ctype, err := branding.CheckLogo(data)
	if err != nil {
		return api.Refusal(http.StatusUnsupportedMediaType, "unsupported_type", "logo", brandingWords(err))
	}
	return a.changeLogo(w, r, data, ctype)
}

// brandingWords are the words of a colour or logo the branding package
// refused, in the language asked.
func brandingWords(err error) apitext.Text {
	if p, ok := errors.AsType[*branding.Problem](err); ok {
		return p.Text
	}
	return apitext.New("staffapi.detail", "{{.Detail}}", "Detail", err.Error())
}

func (a *API) deleteLogo(w http.ResponseWriter, r request) error {
	return a.changeLogo(w, r, nil, "")
}

func (a *API) changeLogo(w http.ResponseWriter, r request, data []byte, ctype string) error {
	var out api.Branding
	err := a.store.Update(r.ctx(), func(tx *store.Tx) error {
		if err := tx.PutLogo(data, ctype); err != nil {
			return err
		}
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		out = brandingView(set)
		detail := "logo removed"
		if data != nil {
			detail = "logo set: " + ctype + ", sha256 " + set.Brand.LogoHash
		}
		return tx.Audit(a.entry(r, "settings.logo", "", detail))
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// brandingSnippet answers the HTML of a "client login" link for the
// office's website: to the office's domain when set, else to the host the
// caller reached the service by.
func (a *API) brandingSnippet(w http.ResponseWriter, r request) error {
	var set store.Settings
	if err := a.store.View(r.ctx(), func(tx *store.Tx) (err error) { set, err = tx.Settings(); return err }); err != nil {
		return err
	}
	base := "http://" + r.Host
	if r.TLS != nil {
		base = "https://" + r.Host
	}
	if set.Domain != "" {
		base = "https://" + set.Domain
	}
	c := branding.Default
	if set.Brand.Color != "" {
		if pc, err := branding.ParseColor(set.Brand.Color); err == nil {
			c = pc
		}
	}
	u := base + "/login"
	html, err := branding.Snippet(u, "Client login", c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.BrandingSnippet{HTML: html, URL: u})
	return nil
}
