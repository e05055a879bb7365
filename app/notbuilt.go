package app

import (
	"embed"
	"io/fs"
)

//go:embed notbuilt
var notBuiltFiles embed.FS

// notBuiltPage is served by a binary built before its frontend.
var notBuiltPage = func() fs.FS {
	sub, err := fs.Sub(notBuiltFiles, "notbuilt")
	if err != nil {
		panic(err) // the folder is embedded above
	}
	return sub
}()
