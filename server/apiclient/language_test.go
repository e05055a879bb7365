package apiclient_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// TestRefusalsInLanguage: a client that asks for Spanish gets the service's
// refusals in Spanish, with the same status, code and field as in English;
// one that asks for nothing, or a language the service does not speak,
// gets them in English, word for word as before.
func TestRefusalsInLanguage(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	staff := loggedIn(t, env, nil, "marcus@riverside.example")
	if _, err := staff.CreateClient(ctx, api.ClientInput{Name: str("Nadia Karimi"), Email: str("nadia@example.org")}); err != nil {
		t.Fatal(err)
	}
	weak := must[api.Client](t, "CreateClient")(staff.CreateClient(ctx, api.ClientInput{Name: str("Omar Haddad"), Email: str("omar@example.org")}))

	type refusal struct {
		status      int
		code, field string
		en, es      string // the message, or (ending in "…") its start
	}
	calls := []struct {
		name string
		call func(c *apiclient.Client) error
		want refusal
	}{
		{"taken email", func(c *apiclient.Client) error {
			_, err := c.CreateClient(ctx, api.ClientInput{Name: str("Another"), Email: str("nadia@example.org")})
			return err
		}, refusal{409, "conflict", "email",
			"another client has this email: each client logs in with their own address",
			"Otro cliente ya tiene este correo electrónico. Cada cliente entra con su propia dirección; use otra."}},
		{"missing name", func(c *apiclient.Client) error {
			_, err := c.CreateClient(ctx, api.ClientInput{Email: str("new@example.org")})
			return err
		}, refusal{422, "invalid", "name", "name is required", "Falta el nombre. Escríbalo."}},
		{"too long, with its numbers", func(c *apiclient.Client) error {
			_, err := c.CreateClient(ctx, api.ClientInput{Name: str(strings.Repeat("n", 500)), Email: str("long@example.org")})
			return err
		}, refusal{422, "invalid", "name", "name must be at most 120 characters", "name admite como máximo 120 caracteres. Acórtelo."}},
		{"weak password, each problem in the language", func(c *apiclient.Client) error {
			_, err := c.SetPassword(ctx, weak.ID, "abc")
			return err
		}, refusal{422, "invalid", "password", "Password not accepted: use at least …", "Contraseña no aceptada: use al menos …"}},
		{"no such record", func(c *apiclient.Client) error {
			_, err := c.Client(ctx, 987654)
			return err
		}, refusal{404, "not_found", "", "no such record", "Ese registro no existe. Puede que otra persona lo haya borrado; actualice la lista."}},
	}
	for _, lang := range []string{"es", "es-MX", "", "en", "fr"} {
		c := loggedIn(t, env, nil, "marcus@riverside.example")
		c.SetLanguage(lang)
		spanish := strings.HasPrefix(lang, "es")
		for _, tc := range calls {
			err := tc.call(c)
			var e *api.Error
			if !errors.As(err, &e) {
				t.Errorf("%s, %q: err = %v, want an *api.Error", tc.name, lang, err)
				continue
			}
			want := tc.want.en
			if spanish {
				want = tc.want.es
			}
			if e.Status != tc.want.status || e.Code != tc.want.code || e.Field != tc.want.field {
				t.Errorf("%s, %q: %d %s %q, want %d %s %q (the same in every language)", tc.name, lang, e.Status, e.Code, e.Field, tc.want.status, tc.want.code, tc.want.field)
			}
			if start, ok := strings.CutSuffix(want, "…"); ok {
				if !strings.HasPrefix(e.Message, start) {
					t.Errorf("%s, %q: message %q, want it to start %q", tc.name, lang, e.Message, start)
				}
			} else if e.Message != want {
				t.Errorf("%s, %q: message %q, want %q", tc.name, lang, e.Message, want)
			}
		}
	}

	// An administrator's settings refused by the packages under the API
	// (branding, backups) are said in the language too.
	admin := loggedIn(t, env, nil, "dana@riverside.example")
	for _, tc := range []struct {
		name   string
		call   func(c *apiclient.Client) error
		field  string
		en, es string
	}{
		{"pale colour", func(c *apiclient.Client) error { _, err := c.SetBrandColor(ctx, "#777777"); return err }, "color",
			"colour #777777 has a contrast of 4.5:1 with white text; the portal needs at least 4.5:1 so everyone can read its buttons: choose a darker colour, such as #6b6b6b",
			"el color #777777 tiene un contraste de 4.5:1 con texto blanco; el portal necesita al menos 4.5:1 para que todos puedan leer sus botones: elija un color más oscuro, por ejemplo #6b6b6b"},
		{"backup time", func(c *apiclient.Client) error {
			_, err := c.PutBackupSettings(ctx, api.BackupSettingsInput{Time: str("25:00")})
			return err
		}, "time",
			`"25:00" is not a time of day: give HH:MM on the 24-hour clock, such as 02:30`,
			`"25:00" no es una hora del día: indique HH:MM en formato de 24 horas, por ejemplo 02:30`},
	} {
		for _, lang := range []string{"en", "es"} {
			admin.SetLanguage(lang)
			want := map[string]string{"en": tc.en, "es": tc.es}[lang]
			var e *api.Error
			if err := tc.call(admin); !errors.As(err, &e) || e.Status != 422 || e.Field != tc.field || e.Message != want {
				t.Errorf("%s in %s: %v; want 422 on %s saying %q", tc.name, lang, err, tc.field, want)
			}
		}
	}

	// The certificate's state in words follows the language too.
	en := loggedIn(t, env, nil, "marcus@riverside.example")
	es := loggedIn(t, env, nil, "marcus@riverside.example")
	es.SetLanguage("es")
	tEN, err1 := en.TLS(ctx)
	tES, err2 := es.TLS(ctx)
	if err1 != nil || err2 != nil || tEN.Message == "" || tES.Message == tEN.Message || tES.State != tEN.State ||
		!strings.Contains(tES.Message, "HTTP simple") {
		t.Errorf("certificate state: English %q, Spanish %q (%v, %v)", tEN.Message, tES.Message, err1, err2)
	}

	// Before logging in: a wrong password, and the login's own refusal.
	c, err := apiclient.New(env.URL, apiclient.WithHTTPClient(env.HTTP.Client()), apiclient.WithLanguage("es"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Login(ctx, "marcus@riverside.example", "not the password")
	var e *api.Error
	if !errors.As(err, &e) || e.Code != "bad_login" || e.Message != "El correo electrónico o la contraseña no son correctos. Revíselos e inténtelo de nuevo." {
		t.Errorf("Spanish login with a wrong password: %v", err)
	}
}
