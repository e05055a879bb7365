package store

import "fmt"

// DocumentFiles answers the stored file names (Document.StoredName) that
// document records name: what the start-up sweep of the documents folder
// keeps.
func (tx *Tx) DocumentFiles() (map[string]bool, error) {
	names := map[string]bool{}
	err := tx.bucket(bucketDocuments).ForEach(func(k, v []byte) error {
		var d struct {
			StoredName string `json:"stored_name"`
		}
		if err := decode(v, &d); err != nil {
			return fmt.Errorf("document record %x: %w", k, err)
		}
		names[d.StoredName] = true
		return nil
	})
	return names, err
}
