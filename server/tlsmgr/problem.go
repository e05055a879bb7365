package tlsmgr

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strings"

	"github.com/mholt/acmez/v3/acme"
)

// Kinds of failed issuance (Status.Problem), so that staff read what went
// wrong and what to do in plain words rather than the CA's error.
const (
	// ProblemDomain: the CA could not reach this server at the domain, or
	// found something else there (the domain does not point here, the
	// router does not forward ports 80 and 443, another program answers).
	ProblemDomain = "domain"
	// ProblemCAUnreachable: the service could not reach the CA (no
	// internet, a firewall, a wrong CA address).
	ProblemCAUnreachable = "ca_unreachable"
	// ProblemRateLimited: the CA refuses for now: too many certificates or
	// failures for this domain lately.
	ProblemRateLimited = "rate_limited"
	// ProblemRefused: the CA refused the request for another reason (its
	// policy, the contact email, a CAA record).
	ProblemRefused = "refused"
	// ProblemOther: anything else.
	ProblemOther = "other"
)

// Classify says which kind of problem err, a failed issuance, is.
func Classify(err error) string {
	if err == nil {
		return ""
	}
	var p acme.Problem
	if errors.As(err, &p) {
		return problemKind(p)
	}
	var pp *acme.Problem
	if errors.As(err, &pp) && pp != nil {
		return problemKind(*pp)
	}
	// Reaching the CA itself failed: the request never got an ACME answer.
	var (
		ue    *url.Error
		ne    net.Error
		oe    *net.OpError
		de    *net.DNSError
		ca    x509.UnknownAuthorityError
		he    x509.HostnameError
		re    *tls.RecordHeaderError
		cverr *tls.CertificateVerificationError
	)
	if errors.As(err, &oe) || errors.As(err, &de) || errors.As(err, &ca) || errors.As(err, &he) || errors.As(err, &re) ||
		errors.As(err, &cverr) || errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return ProblemCAUnreachable
	}
	// Some paths flatten the error into its text.
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "urn:ietf:params:acme:error:ratelimited"):
		return ProblemRateLimited
	case strings.Contains(msg, "urn:ietf:params:acme:error:connection"), strings.Contains(msg, "urn:ietf:params:acme:error:dns"),
		strings.Contains(msg, "urn:ietf:params:acme:error:unauthorized"), strings.Contains(msg, "urn:ietf:params:acme:error:incorrectresponse"),
		strings.Contains(msg, "urn:ietf:params:acme:error:tls"):
		return ProblemDomain
	case strings.Contains(msg, "connection refused"), strings.Contains(msg, "no such host"), strings.Contains(msg, "i/o timeout"),
		strings.Contains(msg, "certificate signed by unknown authority"):
		return ProblemCAUnreachable
	}
	return ProblemOther
}

// problemKind sorts an ACME problem document, the subproblems first (a
// failed order carries the failed challenge's problem there).
func problemKind(p acme.Problem) string {
	for _, sub := range p.Subproblems {
		if k := typeKind(sub.Type); k != ProblemOther && k != ProblemRefused {
			return k
		}
	}
	return typeKind(p.Type)
}

func typeKind(t string) string {
	switch strings.TrimPrefix(t, "urn:ietf:params:acme:error:") {
	case "connection", "dns", "unauthorized", "incorrectResponse", "tls":
		return ProblemDomain
	case "rateLimited":
		return ProblemRateLimited
	case "caa", "rejectedIdentifier", "invalidContact", "unsupportedContact", "userActionRequired", "accountDoesNotExist":
		return ProblemRefused
	}
	return ProblemOther
}
