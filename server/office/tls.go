package office

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"net"
	"net/url"
	"strings"

	"clientportal/server/apitext"
	"clientportal/store"
)

// DomainFields change the office's domain and how its certificate is got;
// nil fields are left as they are.
type DomainFields struct {
	Domain      *string // "" clears it: plain HTTP again
	ACMEEmail   *string
	ACMECA      *string // "" is Let's Encrypt
	ACMERootPEM *string // "" is none
	// PublicStaffAPI lets the public listener serve the staff API.
	PublicStaffAPI *bool
}

func (f DomainFields) names() []string {
	var out []string
	for _, x := range []struct {
		name string
		set  bool
	}{{"domain", f.Domain != nil}, {"acme_email", f.ACMEEmail != nil}, {"acme_ca", f.ACMECA != nil},
		{"acme_root_pem", f.ACMERootPEM != nil}, {"public_staff_api", f.PublicStaffAPI != nil}} {
		if x.set {
			out = append(out, x.name)
		}
	}
	return out
}

// maxRootPEM bounds the extra trusted root: a few certificates.
const maxRootPEM = 64 << 10

// UpdateDomain changes the office's domain and its certificate settings in
// one transaction, after checking every value: a domain needs a contact
// email, the CA an https URL, the root PEM certificates.
func (o *Office) UpdateDomain(ctx context.Context, a Actor, in DomainFields) (store.Settings, store.TLSSettings, error) {
	var set store.Settings
	var ts store.TLSSettings
	err := o.commit(ctx, a, func(tx *store.Tx) (change, error) {
		var err error
		if set, err = tx.Settings(); err != nil {
			return change{}, err
		}
		if ts, err = tx.TLSSettings(); err != nil {
			return change{}, err
		}
		if err := optional(in.Domain, &set.Domain, DomainName); err != nil {
			return change{}, err
		}
		if in.ACMEEmail != nil {
			if strings.TrimSpace(*in.ACMEEmail) == "" {
				ts.ACMEEmail = ""
			} else if err := optional(in.ACMEEmail, &ts.ACMEEmail, func(v string) (string, error) { return email("acme_email", v) }); err != nil {
				return change{}, err
			}
		}
		if err := optional(in.ACMECA, &ts.ACMECA, acmeDirectory); err != nil {
			return change{}, err
		}
		if err := optional(in.ACMERootPEM, &ts.ACMERootPEM, rootPEM); err != nil {
			return change{}, err
		}
		if in.PublicStaffAPI != nil {
			ts.PublicStaffAPI = *in.PublicStaffAPI
		}
		if set.Domain != "" && ts.ACMEEmail == "" {
			return change{}, invalid("acme_email", apitext.New("tls.acme_email_required_domain_certificate", "acme_email is required with a domain: the certificate authority writes there about expiring or revoked certificates"))
		}
		if err := tx.PutSettings(set); err != nil {
			return change{}, err
		}
		return did("settings.domain", "settings", fieldsDetail(in.names())), tx.PutTLSSettings(ts)
	})
	return set, ts, err
}

// DomainName checks and normalises the office's public domain name: a host
// name of at least two labels, no IP address, no wildcard, no port; "" (no
// domain) is allowed.
func DomainName(v string) (string, error) {
	v = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(v)), ".")
	if v == "" {
		return "", nil
	}
	bad := func(why apitext.Text) (string, error) {
		return "", invalid("domain", apitext.New("tls.domain_bad", `domain {{.Why}}: give the portal's public name only, such as "portal.riverside-law.org" (no https://, no port, no path)`, "Why", why))
	}
	switch {
	case strings.Contains(v, "://") || strings.ContainsAny(v, "/:?#@ "):
		return bad(apitext.New("tls.domain_not_bare", "is not a bare host name"))
	case net.ParseIP(v) != nil:
		return bad(apitext.New("tls.domain_ip", "is an IP address; certificates from an ACME CA need a name"))
	case strings.Contains(v, "*"):
		return bad(apitext.New("tls.domain_wildcard", "has a wildcard"))
	case len(v) > 253:
		return bad(apitext.New("tls.domain_long", "is longer than 253 characters"))
	case !strings.Contains(v, "."), v == "localhost", strings.HasSuffix(v, ".localhost"):
		return bad(apitext.New("tls.domain_not_public", "is not a public name"))
	}
	for _, label := range strings.Split(v, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' ||
			strings.ContainsFunc(label, func(r rune) bool { return !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z') }) {
			return bad(apitext.New("tls.domain_label", "has a part that is not 1 to 63 letters, digits or inner hyphens (an international name goes in its xn-- form)"))
		}
	}
	return v, nil
}

// acmeDirectory checks an ACME directory URL; "" is Let's Encrypt.
func acmeDirectory(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Fragment != "" || len(v) > 2000 {
		return "", invalid("acme_ca", apitext.New("tls.acme_ca_https_url_acme", `acme_ca must be the https URL of an ACME directory, such as "https://acme-staging-v02.api.letsencrypt.org/directory", or "" for Let's Encrypt`))
	}
	return v, nil
}

// rootPEM checks the extra trusted root: PEM certificates only; "" is none.
func rootPEM(v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", nil
	}
	if len(v) > maxRootPEM {
		return "", invalid("acme_root_pem", apitext.New("tls.acme_root_pem_larger_than_64", "acme_root_pem is larger than 64 KiB: give only the CA's root certificate"))
	}
	rest, n := []byte(v), 0
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return "", invalid("acme_root_pem", apitext.New("tls.acme_root_pem_block", "acme_root_pem holds a {{.Type}} block: give only certificates (never a private key)", "Type", b.Type))
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			return "", invalid("acme_root_pem", apitext.New("tls.acme_root_pem_unreadable", "acme_root_pem holds a certificate that cannot be read: {{.Err}}", "Err", err.Error()))
		}
		n++
	}
	if n == 0 || strings.TrimSpace(string(rest)) != "" {
		return "", invalid("acme_root_pem", apitext.New("tls.acme_root_pem_pem_certificates_begin", `acme_root_pem must be PEM certificates ("-----BEGIN CERTIFICATE-----" ...), nothing else`))
	}
	return v, nil
}
