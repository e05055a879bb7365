package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// NormalizeEmail is the form emails are stored and looked up in.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Staff reads a staff member by ID.
func (tx *Tx) Staff(id uint64) (Staff, error) {
	var s Staff
	if err := tx.store.decoded.staff.get(tx, tx.bucket(bucketStaff), u64(id), &s); err != nil {
		return Staff{}, fmt.Errorf("staff %d: %w", id, err)
	}
	return s, nil
}

// StaffByEmail reads a staff member by login email.
func (tx *Tx) StaffByEmail(email string) (Staff, error) {
	id := tx.bucket(bucketStaffByEmail).Get([]byte(NormalizeEmail(email)))
	if id == nil {
		return Staff{}, fmt.Errorf("staff %q: %w", email, ErrNotFound)
	}
	var s Staff
	if err := tx.store.decoded.staff.get(tx, tx.bucket(bucketStaff), id, &s); err != nil {
		return Staff{}, fmt.Errorf("staff %q: %w", email, err)
	}
	return s, nil
}

// PutStaff creates (ID 0) or replaces a staff member. The email must be unused
// by any other staff member.
func (tx *Tx) PutStaff(s *Staff) error {
	s.Email = NormalizeEmail(s.Email)
	var old Staff
	if s.ID != 0 {
		var err error
		if old, err = tx.Staff(s.ID); err != nil {
			return err
		}
		s.Created = old.Created
	}
	if err := tx.claimEmail(bucketStaffByEmail, bucketStaff, old.Email, s.Email, &s.ID); err != nil {
		return fmt.Errorf("staff email %q: %w", s.Email, err)
	}
	if s.Created.IsZero() {
		s.Created = tx.now
	}
	s.Updated = tx.now
	return putJSON(tx.bucket(bucketStaff), u64(s.ID), s)
}

// ListStaff returns every staff member in ID order.
func (tx *Tx) ListStaff() ([]Staff, error) {
	var out []Staff
	err := tx.bucket(bucketStaff).ForEach(func(k, v []byte) error {
		var s Staff
		if err := decode(v, &s); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// claimEmail moves a unique email index entry from oldEmail to newEmail for the
// record *id, allocating the ID from records when it is 0.
func (tx *Tx) claimEmail(index, records []byte, oldEmail, newEmail string, id *uint64) error {
	idx := tx.bucket(index)
	if owner := idx.Get([]byte(newEmail)); owner != nil && (*id == 0 || !bytes.Equal(owner, u64(*id))) {
		return ErrConflict
	}
	if *id == 0 {
		seq, err := tx.bucket(records).NextSequence()
		if err != nil {
			return err
		}
		*id = seq
	}
	if oldEmail != "" && oldEmail != newEmail {
		if err := idx.Delete([]byte(oldEmail)); err != nil {
			return err
		}
	}
	return idx.Put([]byte(newEmail), u64(*id))
}

// Client reads a client by ID.
func (tx *Tx) Client(id uint64) (Client, error) {
	var c Client
	if err := tx.store.decoded.clients.get(tx, tx.bucket(bucketClients), u64(id), &c); err != nil {
		return Client{}, fmt.Errorf("client %d: %w", id, err)
	}
	return c, nil
}

// ClientByEmail reads a client by login email.
func (tx *Tx) ClientByEmail(email string) (Client, error) {
	id := tx.bucket(bucketClientByEmail).Get([]byte(NormalizeEmail(email)))
	if id == nil {
		return Client{}, fmt.Errorf("client %q: %w", email, ErrNotFound)
	}
	var c Client
	if err := tx.store.decoded.clients.get(tx, tx.bucket(bucketClients), id, &c); err != nil {
		return Client{}, fmt.Errorf("client %q: %w", email, err)
	}
	return c, nil
}

// PutClient creates (ID 0) or replaces a client. The email must be unused by
// any other client.
func (tx *Tx) PutClient(c *Client) error {
	c.Email = NormalizeEmail(c.Email)
	var old Client
	if c.ID != 0 {
		var err error
		if old, err = tx.Client(c.ID); err != nil {
			return err
		}
		c.Created = old.Created
	}
	if err := tx.claimEmail(bucketClientByEmail, bucketClients, old.Email, c.Email, &c.ID); err != nil {
		return fmt.Errorf("client email %q: %w", c.Email, err)
	}
	if c.Created.IsZero() {
		c.Created = tx.now
	}
	c.Updated = tx.now
	if err := putJSON(tx.bucket(bucketClients), u64(c.ID), c); err != nil {
		return err
	}
	if err := tx.indexClient(*c); err != nil {
		return err
	}
	if old.ID != 0 && old.Name != c.Name {
		cases, err := tx.CasesOfClient(c.ID)
		if err != nil {
			return err
		}
		for _, cs := range cases {
			if err := tx.indexCase(cs); err != nil {
				return err
			}
			if err := tx.indexOrder(cs); err != nil {
				return err
			}
		}
	}
	return nil
}

// SearchClients returns up to limit clients with an ID above after whose name,
// email or phone contains q (ignoring case and accents; empty q matches all),
// in ID order. It reads the client search index, and decodes only the clients
// it returns.
func (tx *Tx) SearchClients(q string, after uint64, limit int) ([]Client, error) {
	needle := []byte(Fold(strings.TrimSpace(q)))
	var out []Client
	c := tx.bucket(bucketClientSearch).Cursor()
	for k, v := c.Seek(u64(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
		if !bytes.Contains(v, needle) {
			continue
		}
		cl, err := tx.Client(binary.BigEndian.Uint64(k))
		if err != nil {
			return nil, err
		}
		out = append(out, cl)
	}
	return out, nil
}

// indexClient writes the client's search text: name, email and phone.
func (tx *Tx) indexClient(c Client) error {
	return tx.bucket(bucketClientSearch).Put(u64(c.ID), []byte(Fold(c.Name+"\n"+c.Email+"\n"+c.Phone)))
}
