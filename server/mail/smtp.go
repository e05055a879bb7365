package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"clientportal/store"
)

// Failure is a try that did not deliver: the step it failed at and the
// server's words (or, when the server could not be reached, why).
type Failure struct {
	Stage string // "connect", "tls", "auth", "mail from", "rcpt to", "data"
	Words string
	Err   error
}

func (f *Failure) Error() string { return f.Stage + ": " + f.Words }

func (f *Failure) Unwrap() error { return f.Err }

func fail(stage string, err error) *Failure {
	return &Failure{Stage: stage, Words: words(err), Err: err}
}

// words is what the SMTP server said: its code, enhanced code and text, as
// it sent them; for other errors, the error.
func words(err error) string {
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		return err.Error()
	}
	if ec := se.EnhancedCode; ec != smtp.EnhancedCodeNotSet && ec != smtp.NoEnhancedCode {
		return fmt.Sprintf("%d %d.%d.%d %s", se.Code, ec[0], ec[1], ec[2], se.Message)
	}
	return fmt.Sprintf("%d %s", se.Code, se.Message)
}

// deliver sends msg from ms.From to one recipient through the server of ms
// and answers the server's words of acceptance. It never uses the package's
// smtp.SendMail, which ignores certificate errors.
func (m *Mailer) deliver(ctx context.Context, ms store.MailSettings, to string, msg []byte) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, m.opt.Timeout)
	defer cancel()
	addr := net.JoinHostPort(ms.Host, strconv.Itoa(ms.Port))
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", fail("connect", err)
	}
	// Ending ctx (a shutdown, or the time limit) ends the conversation.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	defer conn.Close()
	tlsConfig := &tls.Config{ServerName: ms.Host, RootCAs: m.opt.RootCAs, MinVersion: tls.VersionTLS12}
	var c *smtp.Client
	switch ms.Security {
	case store.MailTLS:
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return "", fail("tls", err)
		}
		c = smtp.NewClient(tc)
	case store.MailNone:
		c = smtp.NewClient(conn)
	default:
		if c, err = smtp.NewClientStartTLS(conn, tlsConfig); err != nil {
			return "", fail("tls", err)
		}
		// The TLS handshake happens at the first command after STARTTLS:
		// make it now, so a certificate error is reported as one.
		if err := c.Noop(); err != nil {
			return "", fail("tls", err)
		}
	}
	defer c.Close()
	c.CommandTimeout, c.SubmissionTimeout = m.opt.Timeout, m.opt.Timeout
	if ms.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", ms.Username, ms.Password)); err != nil {
			return "", fail("auth", err)
		}
	}
	if err := c.Mail(ms.From, nil); err != nil {
		return "", fail("mail from", err)
	}
	if err := c.Rcpt(to, nil); err != nil {
		return "", fail("rcpt to", err)
	}
	w, err := c.Data()
	if err != nil {
		return "", fail("data", err)
	}
	if _, err := bytes.NewReader(msg).WriteTo(w); err != nil {
		return "", fail("data", err)
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return "", fail("data", err)
	}
	c.Quit() // the mail is accepted; a failed goodbye changes nothing
	return "250 " + resp.StatusText, nil
}
