package portal_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// photo is a real JPEG: a small, noisy picture like a phone's photo of a page.
func photo(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for y := range 120 {
		for x := range 160 {
			img.Set(x, y, color.RGBA{uint8(200 + (x*y)%50), uint8(190 + (x+y)%60), uint8(180 + (x^y)%70), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// reqFile is one file of a multipart body.
type reqFile struct {
	name    string
	content []byte
}

// reqMultipart is a form with a field file for each upload.
func reqMultipart(t testing.TB, files ...reqFile) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.content)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

// sendFiles posts files to the checklist item's upload address u.
func sendFiles(t *testing.T, c *http.Client, u string, files ...reqFile) answer {
	t.Helper()
	ct, body := reqMultipart(t, files...)
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	return do(t, c, req)
}

func requestURL(env *servertest.Env, caseID, rid uint64) string {
	return caseURL(env, caseID, "requests/"+strconv.FormatUint(rid, 10))
}

func addRequests(t *testing.T, staff *apiclient.Client, caseID uint64, items ...api.RequestItem) []api.DocumentRequest {
	t.Helper()
	got, err := staff.AddRequests(context.Background(), caseID, items...)
	if err != nil {
		t.Fatalf("AddRequests: %v", err)
	}
	return got
}

// TestChecklistCycle: staff ask for two documents; the client sees what is
// needed with its due day and an upload form that takes phone photos,
// uploads a photo into one item, sees it waiting; staff download exactly
// what was sent, return it with a reason the client reads, the client sends
// again, staff accept it and the client sees it accepted.
func TestChecklistCycle(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	staff := staffClient(t, env, "marcus@riverside.example")
	id := caseIDs(t, env, amina)[0]
	due := time.Now().AddDate(0, 0, 20)
	items := addRequests(t, staff, id,
		api.RequestItem{Title: "Copy of your lease", Due: due.Format(time.DateOnly), Note: "All pages, signed."},
		api.RequestItem{Title: "Proof of income"})
	lease, income := items[0], items[1]
	c := login(t, env, amina)

	page := get(t, c, caseURL(env, id, ""))
	wantStatus(t, page, 200)
	wantContains(t, page, "Documents the office needs", "2 of 2 still needed", "Still needed", "Copy of your lease",
		"Due by "+englishDate(due), "All pages, signed.", "Proof of income",
		`action="/cases/`+strconv.FormatUint(id, 10)+`/requests/`+strconv.FormatUint(lease.ID, 10)+`"`,
		`enctype="multipart/form-data"`, `name="file" multiple`, `accept="image/*,.heic,.heif`)

	// The client sends a photo.
	jpg := photo(t)
	a := sendFiles(t, c, requestURL(env, id, lease.ID), reqFile{"lease page 1.jpg", jpg})
	wantRedirect(t, a, "/cases/"+strconv.FormatUint(id, 10)+"?sent="+strconv.FormatUint(lease.ID, 10)+"#checklist")
	page = get(t, c, caseURL(env, id, "")+"?sent="+strconv.FormatUint(lease.ID, 10))
	wantContains(t, page, "Thank you. We received your files for “Copy of your lease”", "1 of 2 still needed",
		"Sent: the office will check them", "lease page 1.jpg", "Sent on ")

	got, err := staff.Requests(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].State != "submitted" || len(got[0].DocumentIDs) != 1 || got[1].State != "requested" {
		t.Fatalf("after the upload, staff see %+v", got)
	}
	resp, err := staff.DocumentContent(ctx, got[0].DocumentIDs[0], "")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(body, jpg) || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("staff downloaded %d bytes of %s, want the %d-byte JPEG sent", len(body), resp.Header.Get("Content-Type"), len(jpg))
	}

	// Returned with a reason: the client reads it and can send again.
	if _, err := staff.ReturnRequest(ctx, lease.ID, "The photo is blurred: please take it again in good light."); err != nil {
		t.Fatal(err)
	}
	page = get(t, c, caseURL(env, id, ""))
	wantContains(t, page, "The office returned this. Reason:", "The photo is blurred: please take it again in good light.",
		"request--returned", "2 of 2 still needed")
	second := append([]byte(nil), jpg...)
	second = append(second, 0) // another file
	a = sendFiles(t, c, requestURL(env, id, lease.ID), reqFile{"lease again.jpg", second}, reqFile{"lease page 2.jpg", jpg})
	wantStatus(t, a, http.StatusSeeOther)
	got, _ = staff.Requests(ctx, id)
	if got[0].State != "submitted" || len(got[0].DocumentIDs) != 2 || len(got[0].EarlierDocumentIDs) != 1 {
		t.Fatalf("after sending again, staff see %+v", got[0])
	}
	page = get(t, c, caseURL(env, id, ""))
	wantNotContains(t, page, "The photo is blurred")
	wantContains(t, page, "lease again.jpg", "lease page 2.jpg")

	if _, err := staff.AcceptRequest(ctx, lease.ID); err != nil {
		t.Fatal(err)
	}
	page = get(t, c, caseURL(env, id, ""))
	wantContains(t, page, "Accepted", "request--done", "1 of 2 still needed")
	// An accepted item takes nothing more, and says so.
	a = sendFiles(t, c, requestURL(env, id, lease.ID), reqFile{"more.jpg", jpg})
	wantStatus(t, a, http.StatusConflict)
	wantContains(t, a, "The office already accepted this document.")

	// A cancelled item leaves the client's list.
	if _, err := staff.CancelRequest(ctx, income.ID); err != nil {
		t.Fatal(err)
	}
	page = get(t, c, caseURL(env, id, ""))
	wantContains(t, page, "0 of 1 still needed")
	wantNotContains(t, page, "Proof of income")
}

// TestChecklistSpanish: the checklist speaks the client's language.
func TestChecklistSpanish(t *testing.T) {
	env := servertest.Start(t)
	staff := staffClient(t, env, "marcus@riverside.example")
	id := caseIDs(t, env, jose)[0]
	addRequests(t, staff, id, api.RequestItem{Title: "Pasaporte", Due: time.Now().AddDate(0, 0, 5).Format(time.DateOnly)})
	c := login(t, env, jose)
	page := get(t, c, caseURL(env, id, ""))
	wantContains(t, page, "Documentos que necesita la oficina", "Faltan 1 de 1", "Fecha límite: ", "Elija archivos o tome una foto", "Enviar")
	a := sendFiles(t, c, requestURL(env, id, 1), reqFile{"programa.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")})
	wantStatus(t, a, http.StatusUnsupportedMediaType)
	wantContains(t, a, "«programa.exe» es un tipo de archivo que la oficina no acepta", "No se guardó nada.")
}

// TestChecklistRefusedUpload: a refused upload (a renamed executable, an
// empty file, no file, a file over the limit, too many files, a body that
// is not a form, a cut connection) keeps nothing: no record, no file, the
// item still needed; the page says what was wrong in plain words.
func TestChecklistRefusedUpload(t *testing.T) {
	env := servertest.Start(t, servertest.WithConfig(func(c *server.Config) { c.MaxDocument = 64 << 10 }))
	staff := staffClient(t, env, "marcus@riverside.example")
	id := caseIDs(t, env, amina)[0]
	item := addRequests(t, staff, id, api.RequestItem{Title: "Copy of your lease"})[0]
	c := login(t, env, amina)
	u := requestURL(env, id, item.ID)
	jpg := photo(t)
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0}, 64)...)
	many := make([]reqFile, 21)
	for i := range many {
		many[i] = reqFile{fmt.Sprintf("p%d.jpg", i), jpg}
	}
	cases := []struct {
		name   string
		files  []reqFile
		status int
		want   string
	}{
		{"renamed executable", []reqFile{{"lease.jpg", elf}}, http.StatusUnsupportedMediaType, "“lease.jpg” is a kind of file the office does not accept. Send a PDF, a photo (JPEG, PNG or HEIC), or a Word or Excel file. Nothing was kept."},
		{"a good file, then a refused one", []reqFile{{"ok.jpg", jpg}, {"lease.pdf", elf}}, http.StatusUnsupportedMediaType, "“lease.pdf” is a kind of file"},
		{"empty", []reqFile{{"empty.jpg", nil}}, http.StatusUnprocessableEntity, "“empty.jpg” is empty. Choose the file again."},
		{"no file chosen", []reqFile{{"", nil}}, http.StatusUnprocessableEntity, "Choose a file or take a photo first"},
		{"over the limit", []reqFile{{"big.jpg", append(append([]byte(nil), jpg...), bytes.Repeat([]byte{1}, 64<<10)...)}}, http.StatusRequestEntityTooLarge, "“big.jpg” is larger than 0 MB"},
		{"too many", many, http.StatusRequestEntityTooLarge, "You can send at most 20 files at once."},
	}
	before := snapshotStore(t, env.Store)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := sendFiles(t, c, u, tc.files...)
			wantStatus(t, a, tc.status)
			wantContains(t, a, "Your file was not sent", tc.want, `aria-invalid="true"`, `href="#file-`+strconv.FormatUint(item.ID, 10)+`"`)
		})
	}
	// Not a multipart form at all.
	a := postBody(t, c, u, "file=lease.jpg")
	wantStatus(t, a, http.StatusBadRequest)
	wantContains(t, a, "Your files did not arrive as expected")

	// A cut connection: half a body, then the connection closes.
	ct, body := reqMultipart(t, reqFile{"lease.jpg", append(append([]byte(nil), jpg...), jpg...)})
	conn, err := net.Dial("tcp", strings.TrimPrefix(env.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	cookies := c.Jar.Cookies(mustURL(t, env.URL))
	var cookie []string
	for _, k := range cookies {
		cookie = append(cookie, k.Name+"="+k.Value)
	}
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nCookie: %s\r\nSec-Fetch-Site: same-origin\r\n\r\n",
		mustURL(t, u).Path, strings.TrimPrefix(env.URL, "http://"), ct, len(body), strings.Join(cookie, "; "))
	conn.Write(body[:len(body)/2])
	time.Sleep(100 * time.Millisecond)
	conn.Close()

	// The handler may still be tidying up after the cut connection.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && (len(storedFiles(t, env)) > 0 || snapshotStore(t, env.Store) != before) {
		time.Sleep(20 * time.Millisecond)
	}
	if files := storedFiles(t, env); len(files) != 0 {
		t.Errorf("refused uploads left files: %v", files)
	}
	if snapshotStore(t, env.Store) != before {
		t.Errorf("a refused upload changed the store")
	}
	got, _ := staff.Requests(context.Background(), id)
	if got[0].State != "requested" {
		t.Errorf("after refused uploads the item is %q", got[0].State)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestChecklistAccessWalk: an upload into an item of another client's case,
// an item of another case of one's own, a cancelled, a missing or a forged
// item id, all answer the very bytes of the 404 for a case that does not
// exist, and keep nothing.
func TestChecklistAccessWalk(t *testing.T) {
	env := servertest.Start(t)
	staff := staffClient(t, env, "marcus@riverside.example")
	aminaCase := caseIDs(t, env, amina)[0]
	joseCases := caseIDs(t, env, jose)
	mine := addRequests(t, staff, aminaCase, api.RequestItem{Title: "Lease"}, api.RequestItem{Title: "Cancelled one"})
	theirs := addRequests(t, staff, joseCases[0], api.RequestItem{Title: "Pasaporte"})[0]
	other := addRequests(t, staff, joseCases[1], api.RequestItem{Title: "Otro"})[0]
	if _, err := staff.CancelRequest(context.Background(), mine[1].ID); err != nil {
		t.Fatal(err)
	}
	c := login(t, env, amina)
	jpg := photo(t)
	ref := sendFiles(t, c, env.URL+"/cases/999999/requests/1", reqFile{"a.jpg", jpg})
	wantStatus(t, ref, http.StatusNotFound)
	before := snapshotStore(t, env.Store)
	a, j := strconv.FormatUint(aminaCase, 10), strconv.FormatUint(joseCases[0], 10)
	for _, path := range []string{
		"/cases/" + j + "/requests/" + strconv.FormatUint(theirs.ID, 10),  // another client's case and item
		"/cases/" + j + "/requests/" + strconv.FormatUint(mine[0].ID, 10), // another client's case, one's own item id
		"/cases/" + a + "/requests/" + strconv.FormatUint(theirs.ID, 10),  // one's own case, another case's item
		"/cases/" + a + "/requests/" + strconv.FormatUint(other.ID, 10),   // one's own case, another case's item
		"/cases/" + a + "/requests/" + strconv.FormatUint(mine[1].ID, 10), // cancelled
		"/cases/" + a + "/requests/999999",                                // missing
		"/cases/" + a + "/requests/0", "/cases/" + a + "/requests/01",     // forged
		"/cases/" + a + "/requests/1e2", "/cases/" + a + "/requests/-1", // forged
		"/cases/" + a + "/requests/18446744073709551616",                   // forged: over uint64
		"/cases/" + a + "/requests/%2B1", "/cases/" + a + "/requests/1%20", // forged: escapes
		"/cases/0" + a + "/requests/" + strconv.FormatUint(mine[0].ID, 10), // forged case id
	} {
		got := sendFiles(t, c, env.URL+path, reqFile{"a.jpg", jpg})
		if got.status != http.StatusNotFound || got.body != ref.body {
			t.Errorf("POST %s: %d, want the 404 of a case that does not exist, byte for byte", path, got.status)
		}
	}
	if snapshotStore(t, env.Store) != before || len(storedFiles(t, env)) != 0 {
		t.Errorf("a refused upload kept something")
	}
	// Another client's item never shows on one's page, and the status page of
	// another client's case is the same 404.
	page := get(t, c, caseURL(env, aminaCase, ""))
	wantNotContains(t, page, "Pasaporte", "Otro", "Cancelled one")
	if got := get(t, c, caseURL(env, joseCases[0], "")); got.status != 404 || got.body != get(t, c, env.URL+"/cases/999999").body {
		t.Errorf("another client's status page: %d, want the same 404", got.status)
	}
	// Not logged in: the login page, before anything is read.
	anon := env.Browser()
	if got := sendFiles(t, anon, requestURL(env, aminaCase, mine[0].ID), reqFile{"a.jpg", jpg}); got.status != http.StatusSeeOther || got.resp.Header.Get("Location") != "/login" {
		t.Errorf("an upload without a session: %d to %q, want 303 to /login", got.status, got.resp.Header.Get("Location"))
	}
}

// TestStaffRequestIDsDoNotLeak: the staff API answers a missing, forged or
// case-shaped item id with the very 404 of a missing one, and refuses bad
// changes with what to fix, changing nothing.
func TestStaffRequestIDsDoNotLeak(t *testing.T) {
	env := servertest.Start(t)
	staff := staffClient(t, env, "marcus@riverside.example")
	ctx := context.Background()
	id := caseIDs(t, env, amina)[0]
	item := addRequests(t, staff, id, api.RequestItem{Title: "Lease"})[0]
	token := staff.Token()
	call := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, env.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := env.HTTP.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	_, ref := call("POST", "/api/v1/requests/999999/accept", "")
	for _, p := range []string{"999999", "0", "01x", "-1", "18446744073709551616", strconv.FormatUint(id+1000, 10)} {
		for _, r := range []struct{ method, path, body string }{
			{"PATCH", "/api/v1/requests/" + p, `{"title":"x"}`},
			{"POST", "/api/v1/requests/" + p + "/accept", ""},
			{"POST", "/api/v1/requests/" + p + "/return", `{"reason":"x"}`},
			{"GET", "/api/v1/cases/" + p + "/requests", ""},
			{"POST", "/api/v1/cases/" + p + "/requests", `{"items":[{"title":"x"}]}`},
		} {
			if st, body := call(r.method, r.path, r.body); st != 404 || body != ref {
				t.Errorf("%s %s: %d %s, want the 404 of a missing item", r.method, r.path, st, body)
			}
		}
	}
	before := snapshotStore(t, env.Store)
	for _, r := range []struct {
		method, path, body, field string
	}{
		{"POST", "/api/v1/requests/" + strconv.FormatUint(item.ID, 10) + "/return", `{"reason":"   "}`, "reason"},
		{"POST", "/api/v1/cases/" + strconv.FormatUint(id, 10) + "/requests", `{"items":[]}`, "items"},
		{"POST", "/api/v1/cases/" + strconv.FormatUint(id, 10) + "/requests", `{"items":[{"title":"ok"},{"title":""}]}`, "items[1].title"},
		{"POST", "/api/v1/cases/" + strconv.FormatUint(id, 10) + "/requests", `{"items":[{"title":"ok","due":"2001-01-01"}]}`, "items[0].due"},
		{"POST", "/api/v1/cases/" + strconv.FormatUint(id, 10) + "/requests", `{"items":[{"title":"ok","due":"1 Dec"}]}`, "items[0].due"},
		{"PATCH", "/api/v1/requests/" + strconv.FormatUint(item.ID, 10), `{"state":"accepted"}`, "state"},
		{"PATCH", "/api/v1/requests/" + strconv.FormatUint(item.ID, 10), `{"state":"cancelled","title":"x"}`, "state"},
	} {
		st, body := call(r.method, r.path, r.body)
		if st != 422 || !strings.Contains(body, `"field":"`+r.field+`"`) {
			t.Errorf("%s %s %s: %d %s, want 422 on %s", r.method, r.path, r.body, st, body, r.field)
		}
	}
	if snapshotStore(t, env.Store) != before {
		t.Errorf("a refused change changed the store")
	}
	if _, err := staff.CancelRequest(ctx, item.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := staff.CancelRequest(ctx, item.ID); !apiclient.IsCode(err, "not_active") {
		t.Errorf("cancelling twice: %v, want not_active", err)
	}
}

// TestStatusPageNextAppointment: the status page shows the next upcoming
// portal appointment (never a staff-only, cancelled or past one) and links
// to the Appointments tab.
func TestStatusPageNextAppointment(t *testing.T) {
	env := servertest.Start(t)
	staff := staffClient(t, env, "marcus@riverside.example")
	id := caseIDs(t, env, amina)[0]
	c := login(t, env, amina)
	wantNotContains(t, get(t, c, caseURL(env, id, "")), "Your next appointment")
	at := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339) }
	addAppointment(t, staff, id, api.AppointmentInput{Title: "Staff meeting", Start: at(time.Hour), End: at(2 * time.Hour)})
	late := addAppointment(t, staff, id, api.AppointmentInput{Title: "Court date", Start: at(72 * time.Hour), End: at(73 * time.Hour), Portal: true})
	soon := addAppointment(t, staff, id, api.AppointmentInput{Title: "Interview", Start: at(24 * time.Hour), End: at(25 * time.Hour), Portal: true})
	page := get(t, c, caseURL(env, id, ""))
	wantContains(t, page, "Your next appointment", "Interview", `href="/cases/`+strconv.FormatUint(id, 10)+`/appointments#appt-`+strconv.FormatUint(soon.ID, 10)+`"`)
	wantNotContains(t, page, "Staff meeting", "Court date")
	if _, err := staff.CancelAppointment(context.Background(), id, soon.ID); err != nil {
		t.Fatal(err)
	}
	page = get(t, c, caseURL(env, id, ""))
	wantContains(t, page, "Court date", "#appt-"+strconv.FormatUint(late.ID, 10))
	wantNotContains(t, page, "Interview")
}
