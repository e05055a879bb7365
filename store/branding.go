package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Branding is how the office's portal and emails look: a colour (for
// buttons, banners and links, on which text is white) and a logo. The logo's
// bytes are kept apart (PutLogo); the settings keep its hash, so a page's
// cached frame changes when the logo does.
type Branding struct {
	Color    string `json:"color,omitempty"`     // "#rrggbb"; "": the portal's own
	LogoHash string `json:"logo_hash,omitempty"` // hex SHA-256 of the logo; "": the portal's own
	LogoType string `json:"logo_type,omitempty"` // "image/png" or "image/jpeg"
}

var keyLogo = []byte("logo")

// PutLogo keeps the office's logo and notes it in the settings; nil data
// removes it.
func (tx *Tx) PutLogo(data []byte, ctype string) error {
	set, err := tx.Settings()
	if err != nil {
		return err
	}
	b := tx.bucket(bucketSecurity)
	if data == nil {
		set.Brand.LogoHash, set.Brand.LogoType = "", ""
		if err := b.Delete(keyLogo); err != nil {
			return err
		}
		return tx.PutSettings(set)
	}
	sum := sha256.Sum256(data)
	set.Brand.LogoHash, set.Brand.LogoType = hex.EncodeToString(sum[:]), ctype
	if err := b.Put(keyLogo, data); err != nil {
		return fmt.Errorf("put logo: %w", err)
	}
	return tx.PutSettings(set)
}

// Logo reads the office's logo; ErrNotFound when it has none.
func (tx *Tx) Logo() ([]byte, string, error) {
	set, err := tx.Settings()
	if err != nil {
		return nil, "", err
	}
	v := tx.bucket(bucketSecurity).Get(keyLogo)
	if v == nil || set.Brand.LogoHash == "" {
		return nil, "", ErrNotFound
	}
	return append([]byte(nil), v...), set.Brand.LogoType, nil
}
