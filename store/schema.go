package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Bucket names: the one registry of what the file holds.
var (
	bucketMeta          = []byte("meta")
	bucketSettings      = []byte("settings")
	bucketStaff         = []byte("staff")
	bucketStaffByEmail  = []byte("staff_by_email")
	bucketClients       = []byte("clients")
	bucketClientByEmail = []byte("client_by_email")
	bucketCases         = []byte("cases")
	bucketCaseByNumber  = []byte("case_by_number")
	bucketClientCases   = []byte("client_cases")   // clientID|caseID -> nil
	bucketStatusEntries = []byte("status_entries") // caseID|entryID -> StatusEntry
	bucketSessions      = []byte("sessions")       // sha256(token) -> Session
	bucketSessionsBySub = []byte("sessions_by_subject")
	bucketAudit         = []byte("audit")         // sequence -> AuditEntry
	bucketCaseSearch    = []byte("case_search")   // caseID -> folded number, title and client names
	bucketClientSearch  = []byte("client_search") // clientID -> folded name, email and phone
	bucketEvents        = []byte("events")        // sequence -> Event
	bucketOutbox        = []byte("outbox")        // sequence -> OutboxEntry
	bucketOutboxState   = []byte("outbox_state")  // state|0|id -> nil
	bucketOutboxDue     = []byte("outbox_due")    // next try (unix ns)|id -> nil, for open entries
	bucketOutboxKeys    = []byte("outbox_keys")   // recipient key -> its open entry and last sending

	// Case notes and portal messages (notes.go explains the keys).
	bucketNotes             = []byte("notes")
	bucketNotesPortal       = []byte("notes_portal")
	bucketNotesUnreadClient = []byte("notes_unread_client")
	bucketNotesUnreadCount  = []byte("notes_unread_count")
	bucketNotesUnreadStaff  = []byte("notes_unread_staff")
	bucketNotesClientRate   = []byte("notes_client_rate") // clientID -> times of the last messages

	bucketAppointments = []byte("appointments") // caseID|appointmentID -> Appointment
	// Document records (documents.go explains the keys).
	bucketDocuments     = []byte("documents")
	bucketCaseDocuments = []byte("case_documents")
	// Invitation and reset links (invitations.go).
	bucketLinkTokens = []byte("link_tokens") // kind|0|clientID -> LinkToken
	bucketLinkHashes = []byte("link_hashes") // sha256(token) -> kind|0|clientID, active links only
	// Document requests, the checklist (requests.go explains the keys).
	bucketRequests    = []byte("requests")
	bucketRequestCase = []byte("request_case")
	bucketRequestsDue = []byte("requests_due")
)

var keySchemaVersion = []byte("schema_version")

// migrations[i] brings the schema from version i to i+1. Append only: a
// released step never changes.
var migrations = []func(tx *Tx) error{
	migrateCreateBuckets,
	migrateCaseSearch,
	migrateFoldedSearch,
	migrateEventLog,
	migrateOutbox,
	migrateNotes,
	migrateAppointments,
	migrateDocuments,
	migrateLinkTokens,
	migrateAppointmentCases,
	migrateRequests,
	migrateAuditChain,
	migrateAccountSecurity,
	migrateDashboard,
	migrateCaseFacets,
	migrateCaseOrder,
	migrateActivityQuarters,
}

// SchemaVersion is the version this build writes.
func SchemaVersion() int { return len(migrations) }

func (s *Store) migrate() error {
	return s.db.Update(func(btx *bolt.Tx) error {
		meta, err := btx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return fmt.Errorf("create meta bucket: %w", err)
		}
		have := 0
		if v := meta.Get(keySchemaVersion); len(v) == 8 {
			have = int(binary.BigEndian.Uint64(v))
		}
		if have > len(migrations) {
			return fmt.Errorf("schema version %d, this build knows up to %d: %w", have, len(migrations), ErrTooNew)
		}
		tx := &Tx{btx: btx, now: s.now().UTC(), store: s}
		for v := have; v < len(migrations); v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("migrate schema %d to %d: %w", v, v+1, err)
			}
		}
		return meta.Put(keySchemaVersion, u64(uint64(len(migrations))))
	})
}

func migrateCreateBuckets(tx *Tx) error {
	for _, name := range [][]byte{
		bucketSettings, bucketStaff, bucketStaffByEmail, bucketClients, bucketClientByEmail,
		bucketCases, bucketCaseByNumber, bucketClientCases, bucketStatusEntries,
		bucketSessions, bucketSessionsBySub, bucketAudit,
	} {
		if _, err := tx.btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return tx.PutSettings(DefaultSettings())
}

// u64 encodes an id as a sortable 8-byte key.
func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func pairKey(a, b uint64) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, a)
	binary.BigEndian.PutUint64(k[8:], b)
	return k
}

// migrateCaseSearch adds the case search index, so a search reads short
// strings instead of decoding every case.
func migrateCaseSearch(tx *Tx) error {
	if _, err := tx.btx.CreateBucketIfNotExists(bucketCaseSearch); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketCaseSearch, err)
	}
	return tx.bucket(bucketCases).ForEach(func(k, v []byte) error {
		var c Case
		if err := decode(v, &c); err != nil {
			return err
		}
		return tx.indexCase(c)
	})
}

// migrateFoldedSearch rebuilds the case search index with accents folded and
// adds one for clients, so "ramirez" finds "Ramírez" and a client search
// reads short strings instead of decoding every client.
func migrateFoldedSearch(tx *Tx) error {
	if _, err := tx.btx.CreateBucketIfNotExists(bucketClientSearch); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketClientSearch, err)
	}
	err := tx.bucket(bucketClients).ForEach(func(k, v []byte) error {
		var c Client
		if err := decode(v, &c); err != nil {
			return err
		}
		return tx.indexClient(c)
	})
	if err != nil {
		return err
	}
	return migrateCaseSearch(tx)
}

// migrateEventLog adds the event log.
func migrateEventLog(tx *Tx) error {
	if _, err := tx.btx.CreateBucketIfNotExists(bucketEvents); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketEvents, err)
	}
	return nil
}

// migrateOutbox adds the mail outbox and its indexes.
func migrateOutbox(tx *Tx) error {
	for _, name := range [][]byte{bucketOutbox, bucketOutboxState, bucketOutboxDue, bucketOutboxKeys} {
		if _, err := tx.btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// migrateNotes adds case notes and portal messages.
func migrateNotes(tx *Tx) error {
	for _, name := range [][]byte{bucketNotes, bucketNotesPortal, bucketNotesUnreadClient, bucketNotesUnreadCount,
		bucketNotesUnreadStaff, bucketNotesClientRate} {
		if _, err := tx.btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// migrateDocuments adds the document records.
func migrateDocuments(tx *Tx) error {
	for _, name := range [][]byte{bucketDocuments, bucketCaseDocuments} {
		if _, err := tx.btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}
