// Command clientportal is the whole product in one binary: with no arguments it
// opens the desktop control panel; its subcommands run the portal service and
// its tools (see `clientportal help`).
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"

	"clientportal/app"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

//go:embed all:frontend/dist
var frontendDist embed.FS

func main() {
	if len(os.Args) < 2 {
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
	os.Exit(runCommand(os.Args[1:], os.Stdout, os.Stderr))
}
