// Command clientportal is the whole product in one binary: with no arguments it
// opens the desktop control panel; its subcommands run the portal service and
// its tools (see `clientportal help`).
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	// The office's time zone must load on every OS, Windows included, which
	// ships no zone database of its own.
	_ "time/tzdata"

	"clientportal/app"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

//go:embed all:frontend/dist
var frontendDist embed.FS

// noDesktop is what a binary built without the window says when asked for it.
const noDesktop = `This clientportal binary was built without the desktop control panel, so it has no window to open.
Run the portal service instead:  clientportal serve      (clientportal help lists every command)
Or build the control panel (needs cgo, GTK and WebKit; see the README):
  CGO_ENABLED=1 go build -tags desktop,production .
`

func main() {
	if len(os.Args) < 2 {
		if !app.Desktop {
			fmt.Fprint(os.Stderr, noDesktop)
			os.Exit(2)
		}
		assets, err := fs.Sub(frontendDist, "frontend/dist")
		if err != nil {
			fmt.Fprintln(os.Stderr, "clientportal:", err)
			os.Exit(1)
		}
		if err := app.Run(assets, version); err != nil {
			fmt.Fprintln(os.Stderr, "clientportal:", err)
			os.Exit(1)
		}
		return
	}
	os.Exit(runCommand(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
