package store

// CountCasesOfClient is how many cases the client has, read from the
// client-case links without decoding a case.
func (tx *Tx) CountCasesOfClient(clientID uint64) int {
	n := 0
	c := tx.bucket(bucketClientCases).Cursor()
	prefix := u64(clientID)
	for k, _ := c.Seek(prefix); len(k) == 16 && string(k[:8]) == string(prefix); k, _ = c.Next() {
		n++
	}
	return n
}
