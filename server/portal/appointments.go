package portal

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"clientportal/store"
)

// appointmentsView is the Appointments tab: the case's portal appointments,
// upcoming (soonest first) and past (latest first).
type appointmentsView struct {
	Zone   string // the office's time zone, named
	Groups []appointmentGroup
}

// appointmentGroup is the upcoming or the past appointments.
type appointmentGroup struct {
	ID, Title, Empty string
	Items            []appointmentItem
}

type appointmentItem struct {
	ID        uint64
	Title     string
	ISO       string // start, for <time datetime>
	When      string // day and times in the office's zone, the zone named
	Place     string
	Link      template.URL // http(s) or tel: only
	LinkText  string       // the address, or the phone number as staff wrote it
	LinkTel   bool
	Note      string
	ICS       string // the .ics download
	Cancelled bool
	// Changed: moved or edited since the client may have seen it, so a
	// new time does not pass unnoticed.
	Changed bool
}

// appointmentsPage lists the case's portal appointments in the office's time
// zone; staff-only appointments are never read here.
func (p *Portal) appointmentsPage(w http.ResponseWriter, cr *caseRequest) {
	var list []store.Appointment
	err := p.store.View(cr.r.Context(), func(tx *store.Tx) (err error) {
		list, err = tx.Appointments(cr.c.ID, true)
		return err
	})
	if err != nil {
		p.internal(w, cr.r, err)
		return
	}
	pg := p.casePage(cr, "appointments")
	loc := cr.set.Location()
	av := &appointmentsView{Zone: loc.String()}
	var upcoming, past []appointmentItem
	now := time.Now()
	for _, a := range list {
		it := appointmentItem{ID: a.ID, Title: a.Title, ISO: a.Start.UTC().Format(time.RFC3339),
			When: appointmentWhen(pg.tr, a, loc), Place: a.Place, Note: a.Note,
			ICS: pg.Case.URL + "/appointments/" + strconv.FormatUint(a.ID, 10) + ".ics", Cancelled: !a.Cancelled.IsZero()}
		it.Changed = !it.Cancelled && !a.Updated.IsZero()
		it.Link, it.LinkTel = safeLink(a.Link)
		it.LinkText = a.Link
		if it.LinkTel {
			it.LinkText = strings.TrimPrefix(a.Link, "tel:")
		}
		if a.End.After(now) {
			upcoming = append(upcoming, it)
		} else {
			past = append([]appointmentItem{it}, past...)
		}
	}
	av.Groups = append(av.Groups, appointmentGroup{ID: "upcoming", Title: pg.T("appointments.upcoming"), Empty: pg.T("appointments.none_upcoming"), Items: upcoming})
	if len(past) > 0 {
		av.Groups = append(av.Groups, appointmentGroup{ID: "past", Title: pg.T("appointments.past"), Items: past})
	}
	pg.Appointments = av
	p.render(w, cr.r, http.StatusOK, "appointments", pg)
}

// appointmentWhen is the day and times of a in loc, with the zone's
// abbreviation at that day ("EST" or "EDT").
func appointmentWhen(t *translator, a store.Appointment, loc *time.Location) string {
	start, end := a.Start.In(loc), a.End.In(loc)
	day := func(d time.Time) string {
		return t.T("date.long", "Day", strconv.Itoa(d.Day()), "Month", t.T("month."+strconv.Itoa(int(d.Month()))), "Year", strconv.Itoa(d.Year()))
	}
	zone, _ := start.Zone()
	if start.YearDay() == end.YearDay() && start.Year() == end.Year() {
		return t.T("appointments.when", "Date", day(start), "From", start.Format("15:04"), "To", end.Format("15:04"), "Zone", zone)
	}
	endZone, _ := end.Zone()
	return t.T("appointments.when_days", "From", day(start)+" "+start.Format("15:04"), "To", day(end)+" "+end.Format("15:04"), "Zone", zone+cond(endZone != zone, "/"+endZone))
}

func cond(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

// safeLink is the appointment's link when it is a web address or a phone
// number (the office checked it; this checks again before it becomes an
// href), else "".
func safeLink(s string) (template.URL, bool) {
	u, err := url.Parse(s)
	if err != nil {
		return "", false
	}
	switch u.Scheme {
	case "https", "http":
		if u.Host != "" {
			return template.URL(u.String()), false
		}
	case "tel":
		if tel := telURL(u.Opaque); tel != "" {
			return tel, true
		}
	}
	return "", false
}

var errNoAppointment = errors.New("no such appointment for this client")

// appointmentICS is one portal appointment as an iCalendar file. An id that
// is malformed, of no appointment, of another case's, or of a staff-only
// appointment gets the same 404 as a case that is not the client's.
func (p *Portal) appointmentICS(w http.ResponseWriter, cr *caseRequest) {
	name, ok := strings.CutSuffix(cr.r.PathValue("file"), ".ics")
	id, okID := parseID(name)
	var a store.Appointment
	err := errNoAppointment
	if ok && okID {
		err = p.store.View(cr.r.Context(), func(tx *store.Tx) error {
			var err error
			if a, err = tx.Appointment(cr.c.ID, id); errors.Is(err, store.ErrNotFound) || err == nil && !a.Portal {
				return errNoAppointment
			}
			return err
		})
	}
	if errors.Is(err, errNoAppointment) {
		p.message(w, cr.r, cr.client, http.StatusNotFound, "notfound")
		return
	}
	if err != nil {
		p.internal(w, cr.r, err)
		return
	}
	var buf bytes.Buffer
	if err := appointmentCalendar(a, cr.set).SerializeTo(&buf); err != nil {
		p.internal(w, cr.r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="appointment-`+strconv.FormatUint(a.ID, 10)+`.ics"`)
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(buf.Bytes())
}

// appointmentCalendar is a as a calendar of one VEVENT. Its UID depends only
// on the appointment and the office, so a calendar that imports the file
// again updates the entry instead of adding a second one.
func appointmentCalendar(a store.Appointment, set store.Settings) *ics.Calendar {
	cal := ics.NewCalendar()
	cal.SetProductId("-//clientportal//appointments//EN")
	cal.SetMethod(ics.MethodPublish)
	ev := cal.AddEvent(appointmentUID(a, set))
	ev.SetCreatedTime(a.Created)
	ev.SetDtStampTime(a.Created)
	ev.SetSequence(a.Sequence)
	if !a.Updated.IsZero() {
		// Moved or changed: calendars that compare stamps see a newer one.
		ev.SetDtStampTime(a.Updated)
		ev.SetModifiedAt(a.Updated)
	}
	if !a.Cancelled.IsZero() {
		ev.SetDtStampTime(a.Cancelled)
		ev.SetModifiedAt(a.Cancelled)
		ev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	ev.SetStartAt(a.Start)
	ev.SetEndAt(a.End)
	ev.SetSummary(a.Title)
	if a.Place != "" {
		ev.SetLocation(a.Place)
	}
	if link, _ := safeLink(a.Link); link != "" {
		ev.SetURL(string(link))
	}
	desc := a.Note
	if set.OfficeName != "" {
		desc = strings.TrimSpace(set.OfficeName + "\n\n" + desc)
	}
	if desc != "" {
		ev.SetDescription(desc)
	}
	return cal
}

// appointmentUID names the appointment for calendars: its case and id, and
// the office's public name where it has one.
func appointmentUID(a store.Appointment, set store.Settings) string {
	host := set.Domain
	if host == "" {
		host = "clientportal.invalid"
	}
	return "appointment-" + strconv.FormatUint(a.CaseID, 10) + "-" + strconv.FormatUint(a.ID, 10) + "@" + host
}
