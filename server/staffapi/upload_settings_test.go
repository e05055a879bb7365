package staffapi_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
)

// TestStaffUploadsFollowTheOfficeSettings: the office's upload_max_mb and
// upload_types bound staff uploads too: a limit above the service's own
// lets a larger file in, a kind turned off is refused naming what to send,
// and nothing of a refused upload is kept.
func TestStaffUploadsFollowTheOfficeSettings(t *testing.T) {
	env, dir, _ := docEnv(t) // the service's own limit: 1 MB
	ctx := context.Background()
	c := firstCase(t, env)
	staff := staffClient(t, env, staffEmail)
	admin := staffClient(t, env, "dana@riverside.example")
	big := pdfBytes(1<<20 + 500<<10)
	if _, err := staff.UploadDocuments(ctx, c.ID, false, apiclient.UploadFile{Name: "big.pdf", Content: bytes.NewReader(big)}); err == nil {
		t.Fatal("a 1.5 MB upload passed the service's 1 MB limit")
	}
	two, pdfOnly := 2, []string{"pdf"}
	set, err := admin.UpdateSettings(ctx, api.SettingsInput{UploadMaxMB: &two, UploadTypes: &pdfOnly})
	if err != nil || set.UploadMaxMB != 2 {
		t.Fatalf("settings: %+v, %v", set, err)
	}
	if _, err := staff.UploadDocuments(ctx, c.ID, false, apiclient.UploadFile{Name: "big.pdf", Content: bytes.NewReader(big)}); err != nil {
		t.Fatalf("a 1.5 MB upload under a 2 MB office limit: %v", err)
	}
	before := dirFiles(t, dir)
	_, err = staff.UploadDocuments(ctx, c.ID, false, apiclient.UploadFile{Name: "ok.pdf", Content: bytes.NewReader(pdfBytes(2000))},
		apiclient.UploadFile{Name: "note.txt", Content: strings.NewReader("Call me after 5.\n")})
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Status != http.StatusUnsupportedMediaType || !strings.Contains(ae.Message, "note.txt: this kind of file is not accepted: send PDF") {
		t.Fatalf("a text file with only PDF allowed: %v", err)
	}
	if got := dirFiles(t, dir); len(got) != len(before) {
		t.Errorf("a refused upload left files: %v", got)
	}

	// With several kinds allowed, the refusal lists them as people say
	// them, in the language the panel asks.
	three := []string{"pdf", "jpeg", "text"}
	if _, err := admin.UpdateSettings(ctx, api.SettingsInput{UploadTypes: &three}); err != nil {
		t.Fatal(err)
	}
	zip := []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")
	for lang, want := range map[string]string{
		"en": "case.zip: this kind of file is not accepted: send PDF, JPEG photos or plain text (this file is application/zip)",
		"es": "case.zip: no se acepta este tipo de archivo: envíe PDF, fotos JPEG o texto sin formato (este archivo es application/zip)",
	} {
		staff.SetLanguage(lang)
		_, err := staff.UploadDocuments(ctx, c.ID, false, apiclient.UploadFile{Name: "case.zip", Content: bytes.NewReader(zip)})
		if !errors.As(err, &ae) || ae.Message != want {
			t.Errorf("a zip file in %s: %v; want %q", lang, err, want)
		}
	}
	staff.SetLanguage("")
}
