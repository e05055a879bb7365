package mail_test

import (
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/mail/mailtest"
	"clientportal/server/servertest"
)

// TestAppointmentMovedNotice: moving a portal appointment queues the
// client's notice (kind "appointments") in the client's language; moving a
// staff-only one queues nothing.
func TestAppointmentMovedNotice(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	// The appointments are made while appointment notices are off.
	configure(t, dana, smtp, func(in *api.MailSettingsInput) { in.Notify = &api.MailNotify{} })
	in := api.AppointmentInput{Title: "Entrevista", Start: "2030-12-01T15:00:00-05:00", End: "2030-12-01T16:00:00-05:00"}
	internal, err := dana.AddAppointment(ctx, 2, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Portal = true
	portal, err := dana.AddAppointment(ctx, 2, in)
	if err != nil {
		t.Fatal(err)
	}
	configure(t, dana, smtp, func(in *api.MailSettingsInput) { in.Notify = &api.MailNotify{Appointments: true} })
	move := api.AppointmentChange{Start: str("2030-12-02T15:00:00-05:00"), End: str("2030-12-02T16:00:00-05:00")}
	if _, err := dana.UpdateAppointment(ctx, internal.ID, move); err != nil {
		t.Fatal(err)
	}
	if all := outbox(t, svc, ""); len(all) != 0 {
		t.Fatalf("moving a staff-only appointment queued %+v", all)
	}
	if _, err := dana.UpdateAppointment(ctx, portal.ID, move); err != nil {
		t.Fatal(err)
	}
	all := outbox(t, svc, "")
	if len(all) != 1 || all[0].To != "jose@example.org" || all[0].Language != "es" || len(all[0].Topics) != 1 || all[0].Topics[0] != "appointments" {
		t.Fatalf("outbox %+v, want José's notice of an appointment, in Spanish", all)
	}
}
