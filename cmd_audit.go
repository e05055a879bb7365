package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"clientportal/installer"
	"clientportal/store"
)

// errChainBroken is the exit of `audit verify` on a broken chain (exit code 1;
// the break was printed).
var errChainBroken = errors.New("the audit log's chain is broken")

// cmdAudit runs `clientportal audit verify`.
func cmdAudit(args []string, stdout io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "verify":
		return cmdAuditVerify(args[1:], stdout)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, "Usage:\n  clientportal audit verify [--data DIR]\n")
		return errHelp
	}
	return &usageError{cmd: "audit", msg: fmt.Sprintf("want `audit verify`, got %q", sub)}
}

// cmdAuditVerify checks the hash chain of a stopped service's audit log,
// reading the store without changing it.
func cmdAuditVerify(args []string, stdout io.Writer) error {
	c := newCommand("audit verify", "[--data DIR]")
	data := c.flags.String("data", installer.DefaultDataDir(), "the service's data folder")
	if err := c.parse(args, stdout); err != nil {
		return err
	}
	rep, err := store.VerifyAuditChain(context.Background(), *data)
	if errors.Is(err, store.ErrInUse) {
		return fmt.Errorf("the data folder %s is in use by the running portal service: stop the service first, then run `clientportal audit verify` again", *data)
	}
	if err != nil {
		return err
	}
	if rep.Break != nil {
		fmt.Fprintf(stdout, "BROKEN at audit entry %d: %s (%d entries before it are intact)\n", rep.Break.Entry, rep.Break.Reason, min(rep.Entries, rep.Break.Entry-1))
		return errChainBroken
	}
	fmt.Fprintf(stdout, "ok: %d audit entries, chain intact; head %s\n", rep.Entries, rep.Head)
	return nil
}
