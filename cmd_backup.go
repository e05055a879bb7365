package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"clientportal/installer"
	"clientportal/server/api"
	"clientportal/server/backup"
	"clientportal/server/configcheck"
	"clientportal/store"
)

// keyReminder ends what backup and restore say: a backup is useless
// without the office key.
func keyReminder(stdout io.Writer) {
	fmt.Fprintf(stdout, "The documents in a backup are encrypted with the office key, which no backup holds: keep a copy of the key\n"+
		"(%s for a service run as administrator) apart from the backups; see the README's Documents section.\n", installer.DefaultKeyPath())
}

func cmdBackup(args []string, stdout io.Writer) error {
	c := newCommand("backup", "--data DIR --to FILE")
	data := c.flags.String("data", installer.DefaultDataDir(), "the service's data folder")
	to := c.flags.String("to", "", "the archive to write (required; must not exist yet)")
	if err := c.parse(args, stdout); err != nil {
		return err
	}
	if *to == "" {
		return c.usage("--to FILE is required: where to write the backup archive, such as /media/usb/office-backup.tar")
	}
	if _, err := os.Stat(*to); err == nil {
		return c.usage("--to %s exists already: give a new file name (a backup never overwrites a file)", *to)
	}
	if _, err := os.Stat(filepath.Join(*data, store.FileName)); err != nil {
		return c.usage("--data %s holds no portal data (no %s): give the service's data folder", *data, store.FileName)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	running, err := store.InUse(*data)
	if err != nil {
		return err
	}
	var size int64
	var m backup.Manifest
	if running {
		// The service holds the store: it makes the snapshot, and this
		// command checks every checksum before the file takes its name.
		size, m, err = fetchVerified(ctx, *data, *to)
	} else {
		size, m, err = backupStopped(ctx, *data, *to)
	}
	if err != nil {
		return err
	}
	how := "the service is stopped"
	if running {
		how = "made by the running service"
	}
	fmt.Fprintf(stdout, "Backup written to %s (%d bytes: the store and %d documents, every checksum verified; %s).\n", *to, size, len(m.Files)-1, how)
	keyReminder(stdout)
	return nil
}

// backupStopped backs up the data folder of a stopped service.
func backupStopped(ctx context.Context, data, to string) (int64, backup.Manifest, error) {
	st, err := openStore(data, "")
	if err != nil {
		return 0, backup.Manifest{}, err
	}
	defer st.Close()
	size, err := backup.WriteFile(ctx, to, backup.Source{Store: st, DataDir: data, Version: version})
	if err != nil {
		return 0, backup.Manifest{}, err
	}
	f, err := os.Open(to)
	if err != nil {
		return 0, backup.Manifest{}, err
	}
	defer f.Close()
	m, err := backup.Verify(f)
	return size, m, err
}

// fetchVerified gets the running service's archive into a temp file beside
// to, verifies it, and renames it to to.
func fetchVerified(ctx context.Context, data, to string) (int64, backup.Manifest, error) {
	if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
		return 0, backup.Manifest{}, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(to), "."+filepath.Base(to)+".partial-*")
	if err != nil {
		return 0, backup.Manifest{}, err
	}
	defer func() { tmp.Close(); os.Remove(tmp.Name()) }()
	if err := backup.FetchRunning(ctx, data, tmp); err != nil {
		if errors.Is(err, backup.ErrNoEndpoint) {
			err = fmt.Errorf("the data folder %s is in use by a running service that does not offer backups to the command line "+
				"(an older version, or it is just starting): try again in a moment, or stop the service and run this command again", data)
		}
		return 0, backup.Manifest{}, err
	}
	if err := tmp.Sync(); err != nil {
		return 0, backup.Manifest{}, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return 0, backup.Manifest{}, err
	}
	m, err := backup.Verify(tmp)
	if err != nil {
		return 0, m, fmt.Errorf("the archive the service sent failed its check, so none was written: %w", err)
	}
	fi, err := tmp.Stat()
	if err != nil {
		return 0, m, err
	}
	if err := tmp.Close(); err != nil {
		return 0, m, err
	}
	if err := os.Link(tmp.Name(), to); err != nil { // never replaces a file made meanwhile
		return 0, m, fmt.Errorf("write %s: %w", to, err)
	}
	return fi.Size(), m, nil
}

func cmdRestore(args []string, stdout io.Writer) error {
	c := newCommand("restore", "--from FILE --data DIR")
	from := c.flags.String("from", "", "the backup archive to restore (required)")
	data := c.flags.String("data", installer.DefaultDataDir(), "the data folder to restore into (the service must be stopped)")
	if err := c.parse(args, stdout); err != nil {
		return err
	}
	if *from == "" {
		return c.usage("--from FILE is required: the backup archive to restore")
	}
	f, err := os.Open(*from)
	if errors.Is(err, fs.ErrNotExist) {
		return c.usage("--from %s does not exist", *from)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := backup.Restore(f, *data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Restored the backup of %s (clientportal %s: the store and %d documents, every checksum verified) into %s.\n",
		res.Manifest.Created.Format(time.RFC3339), res.Manifest.Version, len(res.Manifest.Files)-1, *data)
	if res.Previous != "" {
		fmt.Fprintf(stdout, "The data it replaced is kept in %s: delete that folder once the restored office is checked.\n", res.Previous)
	}
	fmt.Fprintln(stdout, "Start the service to use it. The office key must be the one the backup's documents were encrypted with.")
	keyReminder(stdout)
	return nil
}

func cmdConfig(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(stdout, "Usage: clientportal config check --data DIR [--office-key FILE]")
			return errHelp
		}
		return &usageError{cmd: "config", msg: "want `config check`"}
	}
	c := newCommand("config check", "--data DIR [--office-key FILE]")
	data := c.flags.String("data", installer.DefaultDataDir(), "the service's data folder")
	officeKey := c.flags.String("office-key", os.Getenv("CLIENTPORTAL_OFFICE_KEY"), "the office key (default "+installer.DefaultKeyPath()+"); used when the service is stopped")
	if err := c.parse(args[1:], stdout); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(*data, store.FileName)); err != nil {
		return c.usage("--data %s holds no portal data (no %s): give the service's data folder", *data, store.FileName)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var rep api.ConfigReport
	running, err := store.InUse(*data)
	if err != nil {
		return err
	}
	if running {
		// The running service checks itself: its own settings, its key.
		var buf bytes.Buffer
		if err := backup.AskRunning(ctx, *data, "/config-check", &buf); err != nil {
			return err
		}
		if err := json.Unmarshal(buf.Bytes(), &rep); err != nil {
			return fmt.Errorf("the running service's report: %w", err)
		}
	} else {
		st, err := openStore(*data, "")
		if err != nil {
			return err
		}
		defer st.Close()
		key := *officeKey
		if key == "" {
			key = installer.DefaultKeyPath()
		}
		if rep, err = configcheck.New(configcheck.Config{Store: st, DataDir: *data, OfficeKey: key}).Run(ctx); err != nil {
			return err
		}
	}
	printReport(stdout, rep)
	if !rep.OK {
		return errors.New("the configuration check found problems: see above for what to do")
	}
	return nil
}

// printReport prints the check in plain words, one item a paragraph.
func printReport(w io.Writer, rep api.ConfigReport) {
	mark := map[string]string{api.CheckOK: "OK     ", api.CheckWarning: "WARNING", api.CheckProblem: "PROBLEM", api.CheckSkipped: "SKIPPED"}
	for _, ch := range rep.Checks {
		fmt.Fprintf(w, "%s %s: %s\n", mark[ch.Status], ch.Name, ch.Summary)
		if ch.Fix != "" {
			fmt.Fprintf(w, "        What to do: %s\n", ch.Fix)
		}
	}
}
