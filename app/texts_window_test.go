package app

import (
	"context"
	"strings"
	"testing"

	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// TestErrorsInChosenLanguage: a refusal reaches the window (its
// ErrorFormatter) in the language chosen for this computer: the control
// panel's own words and the service's both, the field it names unchanged;
// switching the language takes effect on the next call.
func TestErrorsInChosenLanguage(t *testing.T) {
	// The choice is kept in this test's own settings folder, so other tests'
	// panels still speak English.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	env := servertest.Start(t)
	p, _ := connect(t, env, "marcus@riverside.example")
	choose := func(l *link, lang string) {
		t.Helper()
		if _, err := l.langs.set(lang); err != nil {
			t.Fatal(err)
		}
	}

	other := staffClient(t, env, "marcus@riverside.example")
	page, err := other.ListClients(context.Background(), apiclient.ListOptions{})
	if err != nil || len(page.Items) < 2 {
		t.Fatalf("demo clients: %d, %v", len(page.Items), err)
	}
	taken := page.Items[0].Email
	id := page.Items[1].ID

	for _, c := range []struct{ lang, want string }{
		{"es", "No se pudo cambiar los datos del cliente: otro cliente ya tiene este correo electrónico. Cada cliente entra con su propia dirección; use otra."},
		{"en", "could not change the client: another client has this email: each client logs in with their own address"},
		{"es", "No se pudo cambiar los datos del cliente: otro cliente ya tiene este correo electrónico. Cada cliente entra con su propia dirección; use otra."},
	} {
		choose(p.link, c.lang)
		_, err := p.Clients.Update(id, ClientInput{Email: &taken})
		if err == nil {
			t.Fatalf("%s: a taken email was accepted", c.lang)
		}
		fe, ok := fieldOf(p.link.formatError(err))
		if !ok || fe.Field != "email" || fe.Message != c.want {
			t.Errorf("%s: the window gets %#v, want field email and %q", c.lang, p.link.formatError(err), c.want)
		}
	}

	// The control panel's own check, before any call.
	choose(p.link, "es")
	_, err = p.Invitations.InviteCases(nil)
	if got := p.link.formatError(err); got != "Elija al menos un caso para invitar a sus clientes." {
		t.Errorf("own check in Spanish: %#v", got)
	}
	// A service that cannot be reached: what was being done, in Spanish.
	gone := New("test")
	choose(gone.link, "es")
	_, err = gone.Session.Connect("http://127.0.0.1:1", "marcus@riverside.example", "whatever it is")
	got, _ := gone.link.formatError(err).(string)
	if !strings.HasPrefix(got, "No se pudo iniciar sesión: no se puede conectar con el servicio en http://127.0.0.1:1.") {
		t.Errorf("service unreachable, in Spanish: %q", got)
	}
}
