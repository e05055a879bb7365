//go:build dev || production || bindings

package app

// Desktop reports whether this binary can open the control panel window: it
// was built with the Wails build tags (production for a release, dev for
// `wails dev`, bindings while the CLI generates the frontend's bindings).
const Desktop = true
