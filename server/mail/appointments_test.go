package mail_test

import (
	"testing"
	"time"

	"clientportal/server/api"
	"clientportal/server/mail/mailtest"
	"clientportal/server/servertest"
)

// TestAppointmentNotice: a portal appointment added through the staff API
// queues the client's notice (kind "appointments"); a staff-only one queues
// nothing.
func TestAppointmentNotice(t *testing.T) {
	smtp := mailtest.Start(t)
	svc := startService(t, t.TempDir(), servertest.NewClock(time.Now()), smtp)
	dana := svc.staff(t, admin)
	configure(t, dana, smtp, func(in *api.MailSettingsInput) {
		in.Notify = &api.MailNotify{Appointments: true}
	})
	in := api.AppointmentInput{Title: "Interview", Start: "2030-12-01T15:00:00-05:00", End: "2030-12-01T16:00:00-05:00"}
	if _, err := dana.AddAppointment(ctx, 1, in); err != nil {
		t.Fatal(err)
	}
	if all := outbox(t, svc, ""); len(all) != 0 {
		t.Fatalf("a staff-only appointment queued %+v", all)
	}
	in.Portal = true
	if _, err := dana.AddAppointment(ctx, 1, in); err != nil {
		t.Fatal(err)
	}
	if all := outbox(t, svc, ""); len(all) != 1 || all[0].To != "amina@example.org" || all[0].Topics[0] != "appointments" {
		t.Fatalf("outbox %+v, want Amina's notice of an appointment", all)
	}
}
