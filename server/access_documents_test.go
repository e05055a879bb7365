package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"clientportal/server/servertest"
	"clientportal/store"
)

// walkDoc is a document of the walk, and what it holds.
type walkDoc struct {
	id, caseID uint64
	portal     bool
	name       string
	content    string
}

// staffUpload uploads one file to a case through the staff API and, when
// withdraw, shares it and withdraws it again (a document the clients once
// saw and no longer may).
func staffUpload(t *testing.T, env *servertest.Env, token string, caseID uint64, name, content string, portal, withdraw bool) walkDoc {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("portal", fmt.Sprint(portal || withdraw))
	w, _ := mw.CreateFormFile("file", name)
	io.WriteString(w, content)
	mw.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/cases/%d/documents", env.URL, caseID), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := env.HTTP.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Items []struct{ ID uint64 } }
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || len(out.Items) != 1 {
		t.Fatalf("staff upload to case %d: %d", caseID, resp.StatusCode)
	}
	d := walkDoc{id: out.Items[0].ID, caseID: caseID, portal: portal, name: name, content: content}
	if withdraw {
		staffJSON(t, env, token, "PATCH", fmt.Sprintf("/api/v1/documents/%d", d.id), `{"portal":false}`, http.StatusOK)
	}
	return d
}

func staffJSON(t *testing.T, env *servertest.Env, token, method, path, body string, want int) string {
	t.Helper()
	req, _ := http.NewRequest(method, env.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := env.HTTP.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	return string(b)
}

// TestClientsSeeOnlyTheirOwnDocuments gives every demo case a shared
// document, a staff-only one and a withdrawn one, and every client an upload
// into each of their cases; then, as every demo client, walks every case id
// with every document id (their own, another client's, staff-only,
// withdrawn, nonexistent, forged) on the download, the listing and the
// upload: a client gets only the portal documents of their own cases, and
// everything else answers the same bytes as a case that does not exist.
// Staff may not attach another case's documents to a message.
func TestClientsSeeOnlyTheirOwnDocuments(t *testing.T) {
	env := servertest.Start(t)
	token := staffToken(t, env, "marcus@riverside.example")
	cases, _ := allCases(t, env)
	var docs []walkDoc
	for _, c := range cases {
		docs = append(docs,
			staffUpload(t, env, token, c.ID, fmt.Sprintf("shared-secret-%d.txt", c.ID), fmt.Sprintf("shared content of case %d", c.ID), true, false),
			staffUpload(t, env, token, c.ID, fmt.Sprintf("staffonly-secret-%d.txt", c.ID), fmt.Sprintf("staff-only content of case %d", c.ID), false, false),
			staffUpload(t, env, token, c.ID, fmt.Sprintf("withdrawn-secret-%d.txt", c.ID), fmt.Sprintf("withdrawn content of case %d", c.ID), false, true))
	}
	type visitor struct {
		email   string
		browser *http.Client
		me      store.Client
	}
	var visitors []visitor
	for _, l := range env.Logins {
		if l.Kind != "client" {
			continue
		}
		b, _ := portalLogin(t, env, l.Email, l.Password)
		v := visitor{email: l.Email, browser: b}
		env.Store.View(t.Context(), func(tx *store.Tx) (err error) { v.me, err = tx.ClientByEmail(l.Email); return err })
		visitors = append(visitors, v)
		// Each client sends a file into each of their cases.
		for _, c := range cases {
			if !c.HasClient(v.me.ID) {
				continue
			}
			name := fmt.Sprintf("client-%d-secret-%d.txt", v.me.ID, c.ID)
			content := fmt.Sprintf("client %d's content for case %d", v.me.ID, c.ID)
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			w, _ := mw.CreateFormFile("file", name)
			io.WriteString(w, content)
			mw.Close()
			resp, err := b.Post(fmt.Sprintf("%s/cases/%d/documents", env.URL, c.ID), mw.FormDataContentType(), &buf)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s uploads into case %d: %d", l.Email, c.ID, resp.StatusCode)
			}
			var id uint64
			env.Store.View(t.Context(), func(tx *store.Tx) error {
				ds, err := tx.CaseDocuments(c.ID, false)
				id = ds[len(ds)-1].ID
				return err
			})
			docs = append(docs, walkDoc{id: id, caseID: c.ID, portal: true, name: name, content: content})
		}
	}
	caseIDs := []string{"0", "999999", "abc", "-1", "01"}
	for _, c := range cases {
		caseIDs = append(caseIDs, fmt.Sprint(c.ID))
	}
	docIDs := []string{"0", "999999", "abc", "-1", "01", "1.0", "1e3", "%2e%2e", "18446744073709551616", "1%00"}
	for _, d := range docs {
		docIDs = append(docIDs, fmt.Sprint(d.id))
	}
	fetch := func(b *http.Client, method, path, ct string, body io.Reader) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, env.URL+path, body)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(data)
	}
	dir := filepath.Join(filepath.Dir(env.Store.Path()), "documents")
	files := func() []string {
		entries, _ := os.ReadDir(dir)
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	stored := func() string {
		var b strings.Builder
		env.Store.View(t.Context(), func(tx *store.Tx) error {
			for _, c := range cases {
				ds, err := tx.CaseDocuments(c.ID, false)
				if err != nil {
					return err
				}
				json.NewEncoder(&b).Encode(ds)
				notes, err := tx.Notes(c.ID, 0, 1000, false)
				if err != nil {
					return err
				}
				json.NewEncoder(&b).Encode(notes)
			}
			return nil
		})
		return b.String()
	}
	beforeRecords, beforeFiles := stored(), files()
	checked := 0
	for _, v := range visitors {
		own := func(caseID string) bool {
			return slices.ContainsFunc(cases, func(c store.Case) bool { return fmt.Sprint(c.ID) == caseID && c.HasClient(v.me.ID) })
		}
		_, missing := fetch(v.browser, "GET", "/cases/999999/documents/1", "", nil)
		if !strings.Contains(missing, "Page not found") && !strings.Contains(missing, "no encontrada") {
			t.Fatalf("%s: the missing case's page: %.300s", v.email, missing)
		}
		for _, cid := range caseIDs {
			// The listing shows the case's portal documents and nothing else.
			status, body := fetch(v.browser, "GET", "/cases/"+cid+"/documents", "", nil)
			if !own(cid) {
				checked++
				if status != http.StatusNotFound || body != missing {
					t.Errorf("%s GET /cases/%s/documents: %d, want the same 404 as a missing case", v.email, cid, status)
				}
			}
			for _, d := range docs {
				shown := strings.Contains(body, d.name)
				if want := own(cid) && fmt.Sprint(d.caseID) == cid && d.portal; shown != want {
					t.Errorf("%s /cases/%s/documents (%d) shows %s: %v, want %v", v.email, cid, status, d.name, shown, want)
				}
			}
			for _, did := range docIDs {
				path := "/cases/" + cid + "/documents/" + did
				status, body := fetch(v.browser, "GET", path, "", nil)
				var want *walkDoc
				for i, d := range docs {
					if own(cid) && fmt.Sprint(d.caseID) == cid && fmt.Sprint(d.id) == did && d.portal {
						want = &docs[i]
					}
				}
				if want != nil {
					if status != http.StatusOK || body != want.content {
						t.Errorf("%s GET %s (own portal document): %d", v.email, path, status)
					}
					continue
				}
				checked++
				if status != http.StatusNotFound || body != missing {
					t.Errorf("%s GET %s: %d, want the same 404 as a missing case", v.email, path, status)
				}
			}
			// Upload into a case that is not theirs: the same 404, nothing kept.
			if !own(cid) {
				for _, route := range []string{"/documents", "/messages"} {
					status, body := fetch(v.browser, "POST", "/cases/"+cid+route, contentType(portalUploadBody), strings.NewReader(portalUploadBody))
					checked++
					if status != http.StatusNotFound || body != missing {
						t.Errorf("%s POST /cases/%s%s: %d, want the same 404 as a missing case", v.email, cid, route, status)
					}
				}
			}
		}
	}
	t.Logf("checked %d refused requests as %d clients over %d documents", checked, len(visitors), len(docs))
	if checked < 500 {
		t.Fatalf("walk checked only %d refused requests", checked)
	}
	if stored() != beforeRecords || !slices.Equal(files(), beforeFiles) {
		t.Error("the walk changed documents, messages or files")
	}

	// Staff: a message may carry only its own case's documents, checked by
	// id against every case; a refusal writes nothing.
	before := stored()
	for _, c := range cases {
		for _, d := range docs {
			if d.caseID == c.ID {
				continue
			}
			body := staffJSON(t, env, token, "POST", fmt.Sprintf("/api/v1/cases/%d/messages", c.ID),
				fmt.Sprintf(`{"body":"see attached","visibility":"internal","documents":[%d]}`, d.id), http.StatusUnprocessableEntity)
			if !strings.Contains(body, fmt.Sprintf("document %d is not a document of case %d", d.id, c.ID)) || strings.Contains(body, d.name) {
				t.Errorf("case %d with document %d: %s", c.ID, d.id, body)
			}
		}
		staffJSON(t, env, token, "POST", fmt.Sprintf("/api/v1/cases/%d/messages", c.ID), `{"body":"x","visibility":"portal","documents":[999999]}`, http.StatusUnprocessableEntity)
	}
	if stored() != before {
		t.Error("refused messages changed the store")
	}
}
