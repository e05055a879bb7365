package portal_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"clientportal/server"
	"clientportal/server/api"
	"clientportal/server/apiclient"
	"clientportal/server/servertest"
	"clientportal/store"
)

// upFile is one file of a test upload.
type upFile struct {
	name string
	data []byte
}

// Test files, recognised by their content (docstore sniffs it).
func pdfFile(name, text string) upFile {
	return upFile{name, []byte("%PDF-1.7\n% " + text + "\n" + strings.Repeat("0123456789abcdef", 200))}
}

func jpegFile(name string) upFile {
	b := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00}
	return upFile{name, append(b, bytes.Repeat([]byte{0x42}, 5000)...)}
}

// heicFile is what an iPhone camera writes: an ISO BMFF file whose ftyp box
// names the brand heic.
func heicFile(name string) upFile {
	b := []byte{0x00, 0x00, 0x00, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0x00, 0x00, 0x00, 0x00, 'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'}
	return upFile{name, append(b, bytes.Repeat([]byte{0x07}, 7000)...)}
}

// exeFile is a Linux executable renamed to look like a PDF.
func exeFile(name string) upFile {
	b := []byte{0x7F, 'E', 'L', 'F', 0x02, 0x01, 0x01, 0x00}
	return upFile{name, append(b, bytes.Repeat([]byte{0x90}, 4000)...)}
}

// multipartBody is a browser's multipart form: the text fields first
// (fields, as name, value pairs), then the files, each in the field file.
func multipartBody(t *testing.T, fields []string, files ...upFile) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

// upload posts a multipart form to u as the browser c.
func upload(t *testing.T, c *http.Client, u string, fields []string, files ...upFile) answer {
	t.Helper()
	body, ct := multipartBody(t, fields, files...)
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	return do(t, c, req)
}

// documentsDir is where the service keeps its encrypted files.
func documentsDir(env *servertest.Env) string {
	return filepath.Join(filepath.Dir(env.Store.Path()), "documents")
}

// storedFiles are the names in the documents folder, temp files included.
func storedFiles(t *testing.T, env *servertest.Env) []string {
	t.Helper()
	entries, err := os.ReadDir(documentsDir(env))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func caseDocuments(t *testing.T, env *servertest.Env, caseID uint64) []store.Document {
	t.Helper()
	var docs []store.Document
	err := env.Store.View(context.Background(), func(tx *store.Tx) (err error) {
		docs, err = tx.CaseDocuments(caseID, false)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// download fetches a document from the portal as c.
func download(t *testing.T, c *http.Client, u string, header ...string) answer {
	t.Helper()
	return get(t, c, u, header...)
}

// TestDocumentsUploadAndDownload: the client sends three files at once (a
// PDF, a JPEG and an iPhone's HEIC photo) with a message; each is recorded
// as theirs, on the portal, the message carries all three, and staff see
// the uploads on their event stream. The Documents tab lists them; each
// downloads as an attachment with its safe name, the same SHA-256, an ETag,
// no-store, a Range and a resumed download, and each download is audited.
func TestDocumentsUploadAndDownload(t *testing.T) {
	env := servertest.Start(t)
	staff := staffAPI(t, env, marcus)
	events := watchStaff(t, staff)
	id := caseIDs(t, env, amina)[0]
	c := login(t, env, amina)

	page := get(t, c, caseURL(env, id, "documents"))
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page, "Documents on your case", "The office has not shared any documents on this case yet.",
		`enctype="multipart/form-data"`, `name="file" multiple`, "image/heic", ".docx", "up to 50 MB")

	files := []upFile{pdfFile("Lease 2026.pdf", "lease"), jpegFile("payslip.jpg"), heicFile("IMG_0042.HEIC")}
	a := upload(t, c, caseURL(env, id, "documents"), []string{"body", "Here are the lease, my payslip and the photo."}, files...)
	wantRedirect(t, a, caseURL(env, id, "documents")[len(env.URL):]+"?sent=1#documents")

	docs := caseDocuments(t, env, id)
	if len(docs) != 3 {
		t.Fatalf("%d documents recorded, want 3", len(docs))
	}
	me := readClient(t, env, amina)
	for i, d := range docs {
		if d.FileName != files[i].name || d.UploaderKind != "client" || d.UploaderID != me.ID || !d.Portal || d.SHA256 != sum(files[i].data) || d.Size != int64(len(files[i].data)) {
			t.Errorf("document %d: %+v", i, d)
		}
	}
	if docs[2].ContentType != "image/heic" {
		t.Errorf("the HEIC photo is recorded as %q", docs[2].ContentType)
	}
	notes := readNotes(t, env, id)
	if n := notes[0]; n.Body != "Here are the lease, my payslip and the photo." || !n.FromClient() ||
		!slices.Equal(n.DocumentIDs, []uint64{docs[0].ID, docs[1].ID, docs[2].ID}) {
		t.Errorf("the message: %+v", n)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, d := range docs {
		for !events.has("document.uploaded", id, d.ID) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if !events.has("document.uploaded", id, d.ID) {
			t.Errorf("staff stream has no document.uploaded for %d", d.ID)
		}
	}

	page = get(t, c, caseURL(env, id, "documents")+"?sent=1")
	wantContains(t, page, "Your documents were sent to the office.", "Lease 2026.pdf", "payslip.jpg", "IMG_0042.HEIC",
		"Sent by you on ", "KB")
	for i, d := range docs {
		u := caseURL(env, id, "documents") + "/" + strconv.FormatUint(d.ID, 10)
		if !strings.Contains(page.body, `href="`+u[len(env.URL):]+`"`) {
			t.Errorf("the page does not link %s", u)
		}
		got := download(t, c, u)
		wantStatus(t, got, http.StatusOK)
		if sum([]byte(got.body)) != d.SHA256 {
			t.Errorf("%s: downloaded SHA-256 differs", files[i].name)
		}
		h := got.resp.Header
		_, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
		if err != nil || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || params["filename"] != files[i].name {
			t.Errorf("%s: Content-Disposition %q", files[i].name, h.Get("Content-Disposition"))
		}
		if h.Get("ETag") != `"`+d.SHA256+`"` || h.Get("Cache-Control") != "no-store" || h.Get("Content-Type") != d.ContentType ||
			h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: headers %v", files[i].name, h)
		}
		// A Range, and a resumed download that names what it has.
		part := download(t, c, u, "Range", "bytes=100-1099")
		wantStatus(t, part, http.StatusPartialContent)
		if part.body != string(files[i].data[100:1100]) {
			t.Errorf("%s: Range bytes=100-1099 gave other bytes", files[i].name)
		}
		rest := download(t, c, u, "Range", "bytes=1000-", "If-Range", `"`+d.SHA256+`"`)
		wantStatus(t, rest, http.StatusPartialContent)
		if rest.body != string(files[i].data[1000:]) {
			t.Errorf("%s: the resumed download gave other bytes", files[i].name)
		}
		stale := download(t, c, u, "Range", "bytes=1000-", "If-Range", `"0000"`)
		wantStatus(t, stale, http.StatusOK) // the file changed: all of it
	}
	audited := 0
	for _, e := range auditLog(t, env) {
		if e.Action == "document.download" && e.ActorKind == "client" && e.ActorID == me.ID {
			audited++
		}
	}
	if audited != 4*len(docs) {
		t.Errorf("%d downloads audited, want %d", audited, 4*len(docs))
	}
}

// TestDocumentsRefusedUploadKeepsNothing: when one file of an upload is
// refused, none of them is kept (no record, no file, no temp file, no
// message), and the page names the file and says why, in the client's
// language: over the office's limit, a renamed executable, an empty file,
// too many files, a kind the office turned off, a body cut short.
func TestDocumentsRefusedUploadKeepsNothing(t *testing.T) {
	env := servertest.Start(t)
	admin := staffAPI(t, env, "dana@riverside.example")
	one := 1
	if _, err := admin.UpdateSettings(context.Background(), api.SettingsInput{UploadMaxMB: &one}); err != nil {
		t.Fatal(err)
	}
	big := pdfFile("big scan.pdf", "big")
	big.data = append(big.data, bytes.Repeat([]byte("x"), 1<<20)...)
	good := pdfFile("good.pdf", "good")
	many := make([]upFile, 21)
	for i := range many {
		many[i] = pdfFile(fmt.Sprintf("page-%d.pdf", i), "page")
	}
	tests := []struct {
		name   string
		who    string
		files  []upFile
		status int
		want   []string
	}{
		{"too large", amina, []upFile{good, big}, http.StatusRequestEntityTooLarge,
			[]string{"“big scan.pdf” is larger than 1 MB, the most the office accepts.", "None of the files was kept."}},
		{"too large (es)", jose, []upFile{good, big}, http.StatusRequestEntityTooLarge,
			[]string{"«big scan.pdf» pesa más de 1 MB", "No se guardó ninguno de los archivos."}},
		{"renamed executable", amina, []upFile{good, exeFile("scan.pdf")}, http.StatusUnsupportedMediaType,
			[]string{"“scan.pdf” is not a kind of file the office accepts. Send PDF, Word, Excel, JPEG photos, PNG images, HEIC photos (iPhone), TIFF scans or plain text."}},
		{"renamed executable (es)", jose, []upFile{exeFile("foto.jpg"), good}, http.StatusUnsupportedMediaType,
			[]string{"«foto.jpg» no es un tipo de archivo que acepte la oficina. Envíe PDF, Word, Excel, fotos JPEG"}},
		{"empty", amina, []upFile{good, {"blank.pdf", nil}}, http.StatusUnprocessableEntity,
			[]string{"“blank.pdf” is empty."}},
		{"too many", amina, many, http.StatusUnprocessableEntity,
			[]string{"You can send up to 20 files at once."}},
		{"no file", amina, nil, http.StatusUnprocessableEntity,
			[]string{"Choose at least one file to send."}},
		{"no file chosen", amina, []upFile{{"", nil}}, http.StatusUnprocessableEntity,
			[]string{"Choose at least one file to send."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := login(t, env, tt.who)
			id := caseIDs(t, env, tt.who)[0]
			files, notes := storedFiles(t, env), len(readNotes(t, env, id))
			a := upload(t, c, caseURL(env, id, "documents"), []string{"body", "with a message"}, tt.files...)
			wantStatus(t, a, tt.status)
			wantContains(t, a, tt.want...)
			wantContains(t, a, `class="error-summary"`, `<a href="#file">`, `id="file-error"`, `aria-describedby="file-hint file-error" aria-invalid="true"`)
			if got := storedFiles(t, env); !slices.Equal(got, files) {
				t.Errorf("files in the documents folder: %v, before %v", got, files)
			}
			if len(caseDocuments(t, env, id)) != 0 || len(readNotes(t, env, id)) != notes {
				t.Error("a refused upload left a record")
			}
		})
	}

	// A kind the office turned off.
	pdfOnly := []string{"pdf"}
	if _, err := admin.UpdateSettings(context.Background(), api.SettingsInput{UploadTypes: &pdfOnly}); err != nil {
		t.Fatal(err)
	}
	c := login(t, env, amina)
	id := caseIDs(t, env, amina)[0]
	a := upload(t, c, caseURL(env, id, "documents"), nil, good, jpegFile("photo.jpg"))
	wantStatus(t, a, http.StatusUnsupportedMediaType)
	wantContains(t, a, "“photo.jpg” is not a kind of file the office accepts. Send PDF.")
	page := get(t, c, caseURL(env, id, "documents"))
	wantContains(t, page, `accept=".pdf,application/pdf"`, "You can choose several files at once, up to 20: PDF, each up to 1 MB.")
	wantNotContains(t, page, "image/heic")

	// A body cut short: the connection drops in the middle of the second file.
	body, ct := multipartBody(t, nil, good, pdfFile("second.pdf", "second"))
	cut := body[:len(body)-len(good.data)/2]
	conn, err := net.Dial("tcp", env.HTTP.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	var cookie string
	for _, ck := range c.Jar.Cookies(page.resp.Request.URL) {
		cookie += ck.Name + "=" + ck.Value + "; "
	}
	fmt.Fprintf(conn, "POST /cases/%d/documents HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nCookie: %s\r\n\r\n",
		id, env.HTTP.Listener.Addr(), ct, len(body), cookie)
	conn.Write(cut)
	time.Sleep(200 * time.Millisecond)
	conn.Close()
	files := storedFiles(t, env)
	deadline := time.Now().Add(5 * time.Second)
	for len(files) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		files = storedFiles(t, env)
	}
	if len(files) > 0 || len(caseDocuments(t, env, id)) != 0 {
		t.Errorf("a cut upload left files %v or records", files)
	}
}

// TestUploadSettingsBadInput: the upload settings refuse what they cannot
// mean, say what to send, and change nothing.
func TestUploadSettingsBadInput(t *testing.T) {
	env := servertest.Start(t)
	admin := staffAPI(t, env, "dana@riverside.example")
	set, err := admin.Settings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if set.UploadMaxMB != 50 || !slices.Equal(set.UploadTypes, []string{"pdf", "word", "excel", "jpeg", "png", "heic", "tiff", "text"}) {
		t.Errorf("default upload settings: %d MB, %v", set.UploadMaxMB, set.UploadTypes)
	}
	zero, huge := 0, 5000
	empty, unknown, twice := []string{}, []string{"pdf", "exe"}, []string{"pdf", "pdf"}
	for _, tt := range []struct {
		in   api.SettingsInput
		want string
	}{
		{api.SettingsInput{UploadMaxMB: &zero}, "upload_max_mb must be from 1 to 2048"},
		{api.SettingsInput{UploadMaxMB: &huge}, "upload_max_mb must be from 1 to 2048"},
		{api.SettingsInput{UploadTypes: &empty}, "upload_types needs at least one kind"},
		{api.SettingsInput{UploadTypes: &unknown}, `"exe" is not a kind of file this service knows; the kinds are "pdf", "word", "excel", "jpeg", "png", "heic", "tiff", "text"`},
		{api.SettingsInput{UploadTypes: &twice}, `upload_types names "pdf" twice`},
	} {
		before := snapshotStore(t, env.Store)
		_, err := admin.UpdateSettings(context.Background(), tt.in)
		var ae *api.Error
		if !asAPIError(err, &ae) || ae.Status != http.StatusUnprocessableEntity || !strings.Contains(ae.Message, tt.want) {
			t.Errorf("%+v: %v, want 422 saying %q", tt.in, err, tt.want)
		}
		if snapshotStore(t, env.Store) != before {
			t.Errorf("%+v: a refused change wrote to the store", tt.in)
		}
	}
	ten, kinds := 10, []string{"heic", "pdf"}
	set, err = admin.UpdateSettings(context.Background(), api.SettingsInput{UploadMaxMB: &ten, UploadTypes: &kinds})
	if err != nil || set.UploadMaxMB != 10 || !slices.Equal(set.UploadTypes, []string{"pdf", "heic"}) {
		t.Errorf("set 10 MB, heic and pdf: %+v, %v", set, err)
	}
}

// TestMessagesCarryDocuments: staff upload two documents and send them in
// one portal message (sharing them as part of sending, which they must ask
// for); the client sees both on the Messages page and downloads them; the
// client answers with two files of their own, which staff see on the
// message and download through the API.
func TestMessagesCarryDocuments(t *testing.T) {
	env := servertest.Start(t)
	ctx := context.Background()
	staff := staffAPI(t, env, marcus)
	id := caseIDs(t, env, amina)[0]
	sent := []upFile{pdfFile("Hearing notice.pdf", "notice"), pdfFile("What to bring.pdf", "bring")}
	docs, err := staff.UploadDocuments(ctx, id, false,
		apiclient.UploadFile{Name: sent[0].name, Content: bytes.NewReader(sent[0].data)},
		apiclient.UploadFile{Name: sent[1].name, Content: bytes.NewReader(sent[1].data)})
	if err != nil {
		t.Fatal(err)
	}
	ids := []uint64{docs[0].ID, docs[1].ID}
	// Not shared yet: a portal message may not carry them unless asked to share.
	before := snapshotStore(t, env.Store)
	_, err = staff.PostMessage(ctx, id, api.MessageInput{Body: "Your papers", Visibility: "portal", Documents: ids})
	var ae *api.Error
	if !asAPIError(err, &ae) || ae.Status != http.StatusUnprocessableEntity || ae.Field != "documents" || !strings.Contains(ae.Message, "share_documents") {
		t.Fatalf("portal message with unshared documents: %v, want 422 saying how to share them", err)
	}
	if snapshotStore(t, env.Store) != before {
		t.Fatal("the refused message wrote to the store")
	}
	m, err := staff.PostMessage(ctx, id, api.MessageInput{Body: "Your papers for the hearing.", Visibility: "portal", Documents: ids, ShareDocuments: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Documents) != 2 || m.Documents[0].ID != ids[0] || m.Documents[1].ID != ids[1] || !m.Documents[0].Portal || m.Documents[1].FileName != "What to bring.pdf" {
		t.Errorf("the message's documents: %+v", m.Documents)
	}
	c := login(t, env, amina)
	page := get(t, c, caseURL(env, id, "messages"))
	wantContains(t, page, "Attached files", "Hearing notice.pdf", "What to bring.pdf")
	for i, d := range ids {
		got := download(t, c, caseURL(env, id, "documents")+"/"+strconv.FormatUint(d, 10))
		wantStatus(t, got, http.StatusOK)
		if sum([]byte(got.body)) != sum(sent[i].data) {
			t.Errorf("%s: downloaded SHA-256 differs", sent[i].name)
		}
	}
	docsPage := get(t, c, caseURL(env, id, "documents"))
	wantContains(t, docsPage, "Shared by Marcus", "Hearing notice.pdf")

	// The client answers from the Messages form, with two files.
	mine := []upFile{jpegFile("passport.jpg"), heicFile("IMG_1001.heic")}
	a := upload(t, c, caseURL(env, id, "messages"), []string{"body", "Here is my passport, both pages."}, mine...)
	wantRedirect(t, a, "/cases/"+strconv.FormatUint(id, 10)+"/messages?sent=1#messages")
	list, err := staff.Messages(ctx, id, apiclient.MessagesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	reply := list.Items[0]
	if reply.AuthorKind != "client" || len(reply.Documents) != 2 || reply.Documents[0].FileName != "passport.jpg" || reply.Documents[1].ContentType != "image/heic" {
		t.Fatalf("the client's message as staff see it: %+v", reply)
	}
	for i, d := range reply.Documents {
		resp, err := staff.DocumentContent(ctx, d.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if sum(b) != sum(mine[i].data) {
			t.Errorf("%s: staff download differs", mine[i].name)
		}
	}
	page = get(t, c, caseURL(env, id, "messages"))
	wantContains(t, page, "passport.jpg", "IMG_1001.heic")

	// A refused file on the message form: the error points at the files,
	// the message typed comes back, nothing is kept.
	files0, notes0 := storedFiles(t, env), len(readNotes(t, env, id))
	a = upload(t, c, caseURL(env, id, "messages"), []string{"body", "My ID card, both sides"}, jpegFile("front.jpg"), exeFile("back.jpg"))
	wantStatus(t, a, http.StatusUnsupportedMediaType)
	wantContains(t, a, `<a href="#file">`, "“back.jpg” is not a kind of file the office accepts.", ">My ID card, both sides</textarea>")
	// A message too long for the Documents form: the error points at it.
	a = upload(t, c, caseURL(env, id, "documents"), []string{"body", strings.Repeat("x", 4001)}, jpegFile("front.jpg"))
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantContains(t, a, `<a href="#body">`, "Your message has 4001 characters.", "None of the files was kept.")
	if got := storedFiles(t, env); !slices.Equal(got, files0) || len(readNotes(t, env, id)) != notes0 {
		t.Errorf("refused posts left files %v or messages", got)
	}

	// A message form with files but no message keeps nothing.
	files := storedFiles(t, env)
	a = upload(t, c, caseURL(env, id, "messages"), []string{"body", "  "}, jpegFile("x.jpg"))
	wantStatus(t, a, http.StatusUnprocessableEntity)
	wantContains(t, a, "Write your message before you send it.")
	if got := storedFiles(t, env); !slices.Equal(got, files) {
		t.Errorf("a refused message left files: %v", got)
	}
	// A document withdrawn later no longer shows on the message.
	if _, err := staff.SetDocumentPortal(ctx, ids[1], false); err != nil {
		t.Fatal(err)
	}
	page = get(t, c, caseURL(env, id, "messages"))
	wantContains(t, page, "Hearing notice.pdf")
	wantNotContains(t, page, "What to bring.pdf")
}

// TestUploadsCrossSiteAndRateLimited: a cross-site form post is refused
// before anything is read; a client sending uploads faster than the limit
// gets 429 with Retry-After and nothing is kept.
func TestUploadsCrossSiteAndRateLimited(t *testing.T) {
	env := servertest.Start(t)
	c := login(t, env, amina)
	id := caseIDs(t, env, amina)[0]
	body, ct := multipartBody(t, nil, pdfFile("a.pdf", "a"))
	req, _ := http.NewRequest(http.MethodPost, caseURL(env, id, "documents"), bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	a := do(t, c, req)
	if a.status != http.StatusForbidden || len(caseDocuments(t, env, id)) != 0 || len(storedFiles(t, env)) != 0 {
		t.Fatalf("cross-site upload: %d, %d documents", a.status, len(caseDocuments(t, env, id)))
	}
	for i := range 10 {
		wantRedirect(t, upload(t, c, caseURL(env, id, "documents"), nil, pdfFile("a.pdf", strconv.Itoa(i))), "/cases/"+strconv.FormatUint(id, 10)+"/documents?sent=1#documents")
	}
	files := storedFiles(t, env)
	a = upload(t, c, caseURL(env, id, "documents"), nil, pdfFile("eleventh.pdf", "11"))
	wantStatus(t, a, http.StatusTooManyRequests)
	wantContains(t, a, "You sent many uploads in a short time.")
	if a.resp.Header.Get("Retry-After") == "" || len(caseDocuments(t, env, id)) != 10 || !slices.Equal(storedFiles(t, env), files) {
		t.Errorf("over the rate: Retry-After %q, %d documents", a.resp.Header.Get("Retry-After"), len(caseDocuments(t, env, id)))
	}
	// Another client is not slowed by this one.
	j := login(t, env, jose)
	jid := caseIDs(t, env, jose)[0]
	wantRedirect(t, upload(t, j, caseURL(env, jid, "documents"), nil, pdfFile("b.pdf", "b")), "/cases/"+strconv.FormatUint(jid, 10)+"/documents?sent=1#documents")
}

func asAPIError(err error, target **api.Error) bool { return errors.As(err, target) }

// TestConcurrentUploads: two clients send good and refused uploads at once
// (run with -race) while staff read the documents: every good upload is
// recorded whole with its own files, no refused one leaves anything, and
// the folder holds exactly the recorded files.
func TestConcurrentUploads(t *testing.T) {
	env := servertest.Start(t)
	staff := staffAPI(t, env, marcus)
	type who struct {
		c  *http.Client
		id uint64
	}
	var clients []who
	for _, email := range []string{amina, jose} {
		clients = append(clients, who{login(t, env, email), caseIDs(t, env, email)[0]})
	}
	var wg sync.WaitGroup
	for ci, cl := range clients {
		for g := range 8 {
			wg.Go(func() {
				name := fmt.Sprintf("c%d-g%d", ci, g)
				files := []upFile{pdfFile(name+"-a.pdf", name), jpegFile(name + "-b.jpg")}
				want := http.StatusSeeOther
				if g%2 == 1 {
					files = append(files, exeFile(name+"-c.pdf"))
					want = http.StatusUnsupportedMediaType
				}
				body, ct := multipartBody(t, []string{"body", "from " + name}, files...)
				req, _ := http.NewRequest(http.MethodPost, caseURL(env, cl.id, "documents"), bytes.NewReader(body))
				req.Header.Set("Content-Type", ct)
				resp, err := cl.c.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("%s: %d, want %d", name, resp.StatusCode, want)
				}
			})
		}
		wg.Go(func() {
			for range 20 {
				if _, err := staff.Documents(context.Background(), cl.id); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	recorded := 0
	for ci, cl := range clients {
		docs := caseDocuments(t, env, cl.id)
		recorded += len(docs)
		if len(docs) != 8 {
			t.Errorf("client %d: %d documents, want 8 (4 uploads of 2)", ci, len(docs))
		}
		for _, d := range docs {
			if strings.Contains(d.FileName, "-c.pdf") || !strings.HasPrefix(d.FileName, fmt.Sprintf("c%d-g", ci)) {
				t.Errorf("client %d: unexpected document %q", ci, d.FileName)
			}
			var c, g int
			if _, err := fmt.Sscanf(d.FileName, "c%d-g%d-", &c, &g); err != nil || g%2 == 1 {
				t.Errorf("a refused upload's file %q was kept", d.FileName)
			}
		}
		for _, n := range readNotes(t, env, cl.id) {
			if len(n.DocumentIDs) != 0 && len(n.DocumentIDs) != 2 {
				t.Errorf("client %d: message %q carries %d documents", ci, n.Body, len(n.DocumentIDs))
			}
		}
	}
	if files := storedFiles(t, env); len(files) != recorded {
		t.Errorf("%d files in the folder for %d records: %v", len(files), recorded, files)
	}
}

// TestSlowUploadOutlastsTheServiceDeadline: an upload from a slow phone may
// take longer than the service's per-request deadline (1 s here): the
// upload route has its own.
func TestSlowUploadOutlastsTheServiceDeadline(t *testing.T) {
	env := servertest.Start(t, servertest.WithConfig(func(c *server.Config) { c.ReadTimeout, c.WriteTimeout = time.Second, time.Second }))
	c := login(t, env, amina)
	id := caseIDs(t, env, amina)[0]
	body, ct := multipartBody(t, nil, pdfFile("slow.pdf", "slow"))
	pr, pw := io.Pipe()
	go func() {
		for i := 0; i < len(body); i += len(body)/10 + 1 {
			pw.Write(body[i:min(i+len(body)/10+1, len(body))])
			time.Sleep(250 * time.Millisecond) // 2.5 s in all
		}
		pw.Close()
	}()
	req, _ := http.NewRequest(http.MethodPost, caseURL(env, id, "documents"), pr)
	req.Header.Set("Content-Type", ct)
	a := do(t, c, req)
	wantRedirect(t, a, "/cases/"+strconv.FormatUint(id, 10)+"/documents?sent=1#documents")
	if docs := caseDocuments(t, env, id); len(docs) != 1 || docs[0].FileName != "slow.pdf" {
		t.Errorf("documents after a slow upload: %+v", docs)
	}
}
