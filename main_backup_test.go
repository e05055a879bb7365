package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"clientportal/server/api"
	"clientportal/server/apiclient"
)

// officeView is what a service serves of the office: every client (name and
// email) and every document of the demo cases with the SHA-256 of what it
// downloads.
func officeView(t *testing.T, base, email, pw string) (clients []string, docs map[string]string) {
	t.Helper()
	ctx := context.Background()
	c, err := apiclient.New(base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(ctx, email, pw); err != nil {
		t.Fatal(err)
	}
	page, err := c.ListClients(ctx, apiclient.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, cl := range page.Items {
		clients = append(clients, cl.Name+" <"+cl.Email+">")
	}
	sort.Strings(clients)
	docs = map[string]string{}
	cases, err := c.ListCases(ctx, apiclient.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range cases.Items {
		list, err := c.Documents(ctx, cs.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range list {
			resp, err := c.DocumentContent(ctx, d.ID, "")
			if err != nil {
				t.Fatalf("download %s: %v", d.FileName, err)
			}
			h := sha256.New()
			io.Copy(h, resp.Body)
			resp.Body.Close()
			got := fmt.Sprintf("%x", h.Sum(nil))
			if got != d.SHA256 {
				t.Errorf("%s downloads with SHA-256 %s, its record says %s", d.FileName, got, d.SHA256)
			}
			docs[fmt.Sprintf("case %d %s", cs.ID, d.FileName)] = got
		}
	}
	return clients, docs
}

// The backup round trip through the real program: `clientportal backup`
// while the service runs and staff upload documents; `restore` refuses the
// running service's folder and a damaged archive (naming the bad file);
// `restore` into an empty folder; a service started on it serves the same
// clients and documents (SHA-256 equal) as the original did at the backup.
func TestBackupRestoreWithTheRealProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real program")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "office")
	sv := startServe(t, dir, "serve", "--demo", "--data", data, "--http", "127.0.0.1:0")
	staff := sv.login("staff")
	ctx := context.Background()
	c, _ := apiclient.New(sv.base)
	if _, err := c.Login(ctx, staff[1], staff[2]); err != nil {
		t.Fatal(err)
	}
	uploadOne := func(name string, size int) error {
		content := bytes.Repeat([]byte(name+" line\n"), size/len(name)+1)
		_, err := c.UploadDocuments(ctx, 1, false, apiclient.UploadFile{Name: name, Content: bytes.NewReader(content)})
		return err
	}
	for i := 0; i < 4; i++ {
		if err := uploadOne(fmt.Sprintf("before-%d.txt", i), 300<<10); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.CreateClient(ctx, api.ClientInput{Name: ptr("Backup Test"), Email: ptr("backup.test@example.org")}); err != nil {
		t.Fatal(err)
	}

	// Backup while uploads keep coming.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := uploadOne(fmt.Sprintf("during-%d-%d.txt", w, i), 200<<10); err != nil {
					t.Errorf("upload during the backup: %v", err)
					return
				}
			}
		}(w)
	}
	archive := filepath.Join(dir, "backups", "office.tar")
	code, out, errOut := run("", "backup", "--data", data, "--to", archive)
	close(stop)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "made by the running service") {
		t.Fatalf("backup while running: exit %d\n%s%s", code, out, errOut)
	}
	// A second backup to the same file is refused.
	if code, _, errOut := run("", "backup", "--data", data, "--to", archive); code != 2 || !strings.Contains(errOut, "exists already") {
		t.Errorf("backup over an existing file: exit %d %s", code, errOut)
	}

	// Restore refuses the running service's folder.
	if code, _, errOut := run("", "restore", "--from", archive, "--data", data); code != 1 || !strings.Contains(errOut, "stop the service first") {
		t.Errorf("restore into the running service: exit %d %s", code, errOut)
	}

	// What the original serves of what the backup holds: stop it (the
	// uploads after the backup are in it too, so compare the restored
	// office with the archive's own records, below, and with the
	// original for everything it held before the backup).
	origClients, origDocs := officeView(t, sv.base, staff[1], staff[2])
	sv.stop(t)

	// A damaged archive is refused, naming the file.
	whole, _ := os.ReadFile(archive)
	bad := bytes.Clone(whole)
	// A document's tar header starts at a 512-byte block with its name;
	// its content follows in the next block.
	var name string
	for _, loc := range regexp.MustCompile(`documents/[0-9a-f]{32}\.age`).FindAllIndex(bad, -1) {
		if loc[0]%512 == 0 {
			name = string(bad[loc[0]:loc[1]])
			bad[loc[0]+512+100] ^= 0xff
			break
		}
	}
	damaged := filepath.Join(dir, "damaged.tar")
	os.WriteFile(damaged, bad, 0o600)
	empty := filepath.Join(dir, "restored")
	if code, _, errOut := run("", "restore", "--from", damaged, "--data", empty); code != 1 || !strings.Contains(errOut, name) || !strings.Contains(errOut, "nothing was changed") {
		t.Errorf("restore of a damaged archive: exit %d %s (want %s named)", code, errOut, name)
	}
	if _, err := os.Stat(empty); err == nil {
		t.Error("a refused restore created the data folder")
	}

	// Restore into an empty folder, and serve it.
	if code, out, errOut := run("", "restore", "--from", archive, "--data", empty); code != 0 {
		t.Fatalf("restore: exit %d\n%s%s", code, out, errOut)
	}
	sv2 := startServe(t, dir, "serve", "--data", empty, "--http", "127.0.0.1:0")
	defer sv2.stop(t)
	gotClients, gotDocs := officeView(t, sv2.base, staff[1], staff[2])
	if strings.Join(gotClients, "\n") != strings.Join(origClients, "\n") {
		t.Errorf("restored clients:\n%s\nwant\n%s", strings.Join(gotClients, "\n"), strings.Join(origClients, "\n"))
	}
	for name, sum := range gotDocs {
		if origDocs[name] != sum {
			t.Errorf("restored %s has SHA-256 %s, the original served %s", name, sum, origDocs[name])
		}
	}
	for name, sum := range origDocs {
		if strings.Contains(name, "before-") && gotDocs[name] != sum {
			t.Errorf("%s, uploaded before the backup, is not restored whole", name)
		}
	}
	t.Logf("restored %d clients and %d documents (the original had %d after the uploads during the backup)", len(gotClients), len(gotDocs), len(origDocs))
}

// `config check` and `backup` work both through the running service and on
// the folder of a stopped one.
func TestConfigCheckAndBackupRunningOrStopped(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real program")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "office")
	sv := startServe(t, dir, "serve", "--demo", "--data", data, "--http", "127.0.0.1:0")
	for _, running := range []bool{true, false} {
		if !running {
			sv.stop(t)
		}
		code, out, errOut := run("", "config", "check", "--data", data)
		if code != 0 {
			t.Errorf("config check (running %v): exit %d\n%s%s", running, code, out, errOut)
		}
		for _, want := range []string{"SKIPPED domain: No domain is set", "ports:", "WARNING mail: No mail server is set", "SKIPPED certificate", "OK      office_key: The office key at " + os.Getenv("CLIENTPORTAL_OFFICE_KEY")} {
			if !strings.Contains(out, want) {
				t.Errorf("config check (running %v) lacks %q:\n%s", running, want, out)
			}
		}
		to := filepath.Join(dir, fmt.Sprintf("backup-%v.tar", running))
		how := map[bool]string{true: "made by the running service", false: "the service is stopped"}[running]
		if code, out, errOut := run("", "backup", "--data", data, "--to", to); code != 0 || !strings.Contains(out, how) {
			t.Errorf("backup (running %v): exit %d\n%s%s", running, code, out, errOut)
		}
	}
	if _, err := os.Stat(filepath.Join(data, ".backup-endpoint.json")); err == nil {
		t.Error("the stopped service left its backup endpoint file")
	}
	if code, _, errOut := run("", "config", "check", "--data", filepath.Join(dir, "nothing")); code != 2 || !strings.Contains(errOut, "holds no portal data") {
		t.Errorf("config check of an empty folder: exit %d %s", code, errOut)
	}
}
