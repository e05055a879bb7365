package store

import (
	"context"
	"testing"
)

// TestMigrateRequestsTurnsNoticesOn: an office that saved its mail settings
// before document requests existed gets their notices on, like a new office;
// one that never saved them keeps the defaults (which have them on).
func TestMigrateRequestsTurnsNoticesOn(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	err = s.Update(ctx, func(tx *Tx) error {
		ms := DefaultMailSettings()
		ms.Host, ms.Notify = "smtp.example", MailNotify{Status: true}
		if err := tx.PutMailSettings(ms); err != nil {
			return err
		}
		if err := migrateRequests(tx); err != nil {
			return err
		}
		got, err := tx.MailSettings()
		if err != nil {
			return err
		}
		if !got.Notify.Requests || !got.Notify.Status || got.Notify.Messages || got.Host != "smtp.example" {
			t.Errorf("after the migration: %+v, want requests on and the rest kept", got.Notify)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !DefaultMailSettings().Notify.Requests {
		t.Error("a new office's request notices are off")
	}
}
