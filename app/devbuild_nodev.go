//go:build !dev

package app

// devBuild: this binary runs under `wails dev`.
const devBuild = false
