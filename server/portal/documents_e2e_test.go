package portal_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"clientportal/server/apiclient"
	"clientportal/server/servertest"
)

// TestBrowserDocuments: in Chromium, at a phone's and a desktop's size, the
// client opens the empty Documents tab; a document staff share appears
// without a reload and is announced; the client picks two files (a PDF and
// an iPhone photo) with a message and sends them, and staff see them arrive
// on their event stream; a renamed executable is refused with the page
// naming it; the message sent with the files lists them on the Messages
// tab. Each state is saved as a screenshot, and no page is wider than the
// screen.
func TestBrowserDocuments(t *testing.T) {
	b := browser(t)
	env := servertest.Start(t)
	dir := screenshotDir(t)
	staff := staffAPI(t, env, marcus)
	events := watchStaff(t, staff)
	id := caseIDs(t, env, amina)[0]
	l := env.Login(t, "client", amina)
	files := t.TempDir()
	write := func(f upFile) string {
		p := filepath.Join(files, f.name)
		if err := os.WriteFile(p, f.data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, v := range []struct {
		name  string
		width int
		vp    chromedp.Action[chromedp.Void]
	}{
		{"phone", 375, chromedp.EmulateViewport(375, 740, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2), chromedp.EmulatePortrait)},
		{"desktop", 1280, chromedp.EmulateViewport(1280, 900)},
	} {
		t.Run(v.name, func(t *testing.T) {
			ctx, problems := tab(t, b)
			fits := func(state string) {
				t.Helper()
				if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > v.width {
					t.Errorf("%s: page is %d px wide at %d px", state, w, v.width)
				}
			}
			err := chromedp.Do(ctx, v.vp,
				chromedp.Navigate(env.URL+"/login"),
				chromedp.WaitVisible(chromedp.ID("email")),
				chromedp.SendKeys(chromedp.ID("email"), l.Email),
				chromedp.SendKeys(chromedp.ID("password"), l.Password+kb.Enter),
				chromedp.WaitVisible(chromedp.CSS(".status-panel__name")),
				chromedp.Navigate(caseURL(env, id, "documents")),
				chromedp.WaitVisible(chromedp.ID("file")),
			)
			if err != nil {
				t.Fatal(err)
			}
			if v.name == "phone" {
				fits("empty")
				shoot(t, ctx, dir, v.name+"-documents-empty")
			}
			// Shared while the page is open: it appears, announced, without a reload.
			eval[bool](t, ctx, `window.__noReload = true`)
			waitJS(t, ctx, "live script loaded", `performance.getEntriesByType("resource").some(e => e.name.includes("/static/live.js"))`, 10*time.Second)
			time.Sleep(500 * time.Millisecond)
			notice := pdfFile("Notice of hearing "+v.name+".pdf", "notice")
			shared, err := staff.UploadDocuments(context.Background(), id, true, apiclient.UploadFile{Name: notice.name, Content: bytes.NewReader(notice.data)})
			if err != nil {
				t.Fatal(err)
			}
			waitJS(t, ctx, "shared document on the open page", `document.getElementById("documents").textContent.includes(`+strconv.Quote(notice.name)+`)`, 15*time.Second)
			waitJS(t, ctx, "announced", `document.getElementById("live-note").textContent === "New document on your case"`, 5*time.Second)
			if !eval[bool](t, ctx, `window.__noReload === true`) {
				t.Error("the page reloaded to show the shared document")
			}
			if got := eval[string](t, ctx, `document.querySelector("#doc-`+strconv.FormatUint(shared[0].ID, 10)+` a").getAttribute("href")`); got != "/cases/"+strconv.FormatUint(id, 10)+"/documents/"+strconv.FormatUint(shared[0].ID, 10) {
				t.Errorf("the shared document links %q", got)
			}

			// Two files and a message, as a phone's file picker gives them.
			lease, photo := write(pdfFile("Lease "+v.name+".pdf", "lease")), write(heicFile("IMG_"+v.name+".HEIC"))
			err = chromedp.Do(ctx,
				chromedp.SetUploadFiles(chromedp.ID("file"), []string{lease, photo}),
				chromedp.SendKeys(chromedp.ID("body"), "The lease and a photo of the eviction notice."),
				chromedp.Click(chromedp.CSS(".upload-form .button")),
				chromedp.WaitVisible(chromedp.CSS(".notice")),
			)
			if err != nil {
				t.Fatalf("upload: %v", err)
			}
			for _, name := range []string{filepath.Base(lease), filepath.Base(photo)} {
				if !eval[bool](t, ctx, `document.getElementById("documents").textContent.includes(`+strconv.Quote(name)+`)`) {
					t.Errorf("%s is not listed after the upload", name)
				}
			}
			docs := caseDocuments(t, env, id)
			last := docs[len(docs)-1]
			deadline := time.Now().Add(10 * time.Second)
			for !events.has("document.uploaded", id, last.ID) && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if !events.has("document.uploaded", id, last.ID) || last.ContentType != "image/heic" {
				t.Errorf("staff stream: no document.uploaded for the photo %+v", last)
			}
			fits("with documents")
			shoot(t, ctx, dir, v.name+"-documents")

			// A renamed executable: refused, named, nothing kept.
			exe := write(exeFile("scan " + v.name + ".pdf"))
			err = chromedp.Do(ctx,
				chromedp.SetUploadFiles(chromedp.ID("file"), []string{lease, exe}),
				chromedp.Click(chromedp.CSS(".upload-form .button")),
				chromedp.WaitVisible(chromedp.CSS(".error-summary")),
			)
			if err != nil {
				t.Fatalf("refused upload: %v", err)
			}
			if got := text(t, ctx, ".error-summary__list"); !strings.Contains(got, "“scan "+v.name+".pdf” is not a kind of file the office accepts") {
				t.Errorf("the error says %q", got)
			}
			if n := len(caseDocuments(t, env, id)); n != len(docs) {
				t.Errorf("%d documents after a refused upload, want %d", n, len(docs))
			}
			fits("error")
			shoot(t, ctx, dir, v.name+"-documents-error")

			// The message sent with the files carries them on the Messages tab.
			err = chromedp.Do(ctx, chromedp.Navigate(caseURL(env, id, "messages")), chromedp.WaitVisible(chromedp.CSS(".attachments")))
			if err != nil {
				t.Fatalf("messages: %v", err)
			}
			if got := text(t, ctx, ".message--client .attachments__list"); !strings.Contains(got, filepath.Base(lease)) || !strings.Contains(got, filepath.Base(photo)) {
				t.Errorf("the message's attachments read %q", got)
			}
			fits("messages")
			shoot(t, ctx, dir, v.name+"-messages-attachments")
			if p := problems(); len(p) > 0 {
				var other []string
				for _, s := range p {
					if !strings.Contains(s, "status of 415") {
						other = append(other, s)
					}
				}
				if len(other) > 0 {
					t.Errorf("browser console problems:\n%s", strings.Join(other, "\n"))
				}
			}
		})
	}
}
