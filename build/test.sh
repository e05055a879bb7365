#!/usr/bin/env bash
# Runs every check and test of clientportal: the control panel frontend's
# npm ci, type check, unit tests and build; gofmt, go vet, staticcheck and
# go test -race. On a machine with only Go, it installs the system packages
# the desktop and browser tests need when it runs as root with apt-get;
# otherwise it says what to install and goes on (those tests then skip,
# except under CI=true, where they fail).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

STATICCHECK=honnef.co/go/tools/cmd/staticcheck@v0.8.2
export SCREENSHOT_DIR="${SCREENSHOT_DIR:-${TMPDIR:-/tmp}/clientportal-screenshots}"

section() { printf '\n==== %s ====\n' "$*"; }

failed=()
# step NAME COMMAND...: runs one check, times it, and remembers a failure.
step() {
	local name=$1 start=$SECONDS
	shift
	section "$name"
	if "$@"; then
		echo "-- $name: ok ($((SECONDS - start))s)"
	else
		echo "-- $name: FAILED ($((SECONDS - start))s)"
		failed+=("$name")
	fi
}

section "environment"
go version
echo "repository: $(pwd)"
echo "CI=${CI:-}"

section "system packages"
mapfile -t packages < <(grep -v '^[[:space:]]*\(#\|$\)' build/debian-packages.txt)
if command -v dpkg >/dev/null 2>&1; then
	missing=()
	for p in "${packages[@]}"; do
		dpkg -s "$p" 2>/dev/null | grep '^Status: install ok installed$' >/dev/null || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		echo "all present: ${packages[*]}"
	elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "installing missing packages (running as root): ${missing[*]}"
		start=$SECONDS
		export DEBIAN_FRONTEND=noninteractive
		apt-get update </dev/null
		apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
		echo "installed in $((SECONDS - start))s"
	else
		echo "missing: ${missing[*]}"
		echo "install them with:"
		echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
		echo "continuing: the tests that need them skip (under CI=true they fail)"
	fi
else
	echo "no dpkg here: install the equivalents of these Debian packages yourself:"
	echo "  ${packages[*]}"
	echo "continuing: the tests that need them skip (under CI=true they fail)"
fi

race=(-race)
if [ "$(go env CGO_ENABLED)" != 1 ] || ! command -v "$(go env CC)" >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		echo "go test -race needs cgo and a C compiler ($(go env CC)); not found" >&2
		exit 1
	fi
	echo "no C compiler for cgo: running go test without -race (install build-essential for it)"
	race=()
fi

gofmt_clean() {
	local out
	out=$(find . -name '*.go' -not -path './.git/*' -not -path '*/node_modules/*' -print0 | xargs -0 -r gofmt -l)
	if [ -n "$out" ]; then
		echo "gofmt would change these files (run gofmt -w):"
		echo "$out"
		return 1
	fi
}

# ---- the control panel's frontend (frontend/: Vite, TypeScript, Svelte 5) ----
# Before the Go tests: the desktop window test embeds frontend/dist. npm ci
# installs the exact versions of package-lock.json; Go alone (go build, vet,
# test) never needs Node: frontend/dist keeps a committed placeholder.
if command -v npm >/dev/null 2>&1; then
	echo "node $(node --version 2>/dev/null || echo missing), npm $(npm --version 2>/dev/null)"
	# Vite 8's lock file does not install with npm 10 (seen on machines whose
	# npm upgrade failed): use npm 11, pinned, through npx there.
	npm=(npm)
	if [ "$(npm --version | cut -d. -f1)" -lt 11 ]; then
		npm=(npx --yes npm@11.19.1)
		echo "npm $(npm --version) is too old for the lock file: using ${npm[*]}"
	fi
	step "frontend: npm ci" "${npm[@]}" --prefix frontend ci --no-audit --no-fund
	step "frontend: type check (svelte-check)" "${npm[@]}" --prefix frontend run check
	step "frontend: unit tests (vitest)" "${npm[@]}" --prefix frontend test
	step "frontend: build into frontend/dist (vite)" "${npm[@]}" --prefix frontend run build
elif [ "${CI:-}" = true ]; then
	section "frontend"
	echo "npm not found: CI must build and test the control panel's frontend (needs Node 20.19 or later)" >&2
	failed+=("frontend: npm not found")
else
	section "frontend"
	echo "npm not found: skipping the frontend's build and tests (install Node 20.19 or later with npm);"
	echo "the desktop window test then skips, since frontend/dist holds only its placeholder"
fi
# ---- end of the frontend steps ----

step "gofmt -l" gofmt_clean
step "go vet ./..." go vet ./...
step "staticcheck ./... ($STATICCHECK)" go run "$STATICCHECK" ./...
# The app package runs about twenty real-window tests one after another
# (several minutes on two cores): its timeout is the longest.
step "go test ${race[*]} -count=1 -timeout 45m ./..." go test "${race[@]}" -count=1 -timeout 45m ./...

# The service (no desktop tags, no cgo) for the other systems offices run it on.
cross_build() {
	local out
	out=$(mktemp -d)
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -o "$out/clientportal.exe" . &&
		GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 go build -o "$out/clientportal-darwin-arm64" . &&
		GOOS=darwin GOARCH=amd64 CGO_ENABLED=0 go build -o "$out/clientportal-darwin-amd64" . &&
		ls -l "$out"
	local rc=$?
	rm -rf "$out"
	return $rc
}
step "cross-build the service: windows/amd64, darwin/arm64, darwin/amd64" cross_build

# ---- the desktop app and its Windows installer (see the README's "Building the installers") ----
WAILS=github.com/wailsapp/wails/v2/cmd/wails@v2.13.0
# The version the installers carry is wails.json's info.productVersion.
app_version=$(sed -n 's/^[[:space:]]*"productVersion":[[:space:]]*"\([^"]*\)".*/\1/p' wails.json)

# is_pe FILE: the file is a Windows program (an MZ header pointing at a PE
# signature), as Windows checks before it runs one.
is_pe() {
	local off
	[ "$(head -c 2 "$1")" = MZ ] || { echo "$1: no MZ header" >&2; return 1; }
	off=$(od -An -tu4 -j 60 -N 4 "$1" | tr -d ' ')
	[ "$(od -An -c -j "$off" -N 4 "$1" | tr -d ' ')" = 'PE\0\0' ] || { echo "$1: no PE signature at $off" >&2; return 1; }
}

# The Linux control panel, as the README documents it (cgo, GTK, WebKit).
desktop_linux() {
	local out rc=0
	if ! pkg-config --exists webkit2gtk-4.0 gtk+-3.0 2>/dev/null; then
		echo "the GTK and WebKit development packages are missing (build/debian-packages.txt lists them)"
		[ "${CI:-}" = true ] && return 1
		echo "skipping the Linux desktop build"
		return 0
	fi
	out=$(mktemp -d)
	CGO_ENABLED=1 go build -tags desktop,production -ldflags "-s -w -X main.version=$app_version" \
		-o "$out/clientportal" . &&
		[ "$(head -c 4 "$out/clientportal" | od -An -c | tr -d ' ')" = '177ELF' ] &&
		ls -l "$out/clientportal" || rc=1
	rm -rf "$out"
	return $rc
}

# The Windows control panel without cgo (Wails uses WebView2 there).
desktop_windows() {
	local out rc=0
	out=$(mktemp -d)
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -tags desktop,production \
		-ldflags "-s -w -H windowsgui -X main.version=$app_version" -o "$out/clientportal.exe" . &&
		is_pe "$out/clientportal.exe" && ls -l "$out/clientportal.exe" || rc=1
	rm -rf "$out"
	return $rc
}

# The Windows installer: the Wails CLI (pinned) builds the app with its icon,
# manifest and version information from build/windows/, then Debian's
# makensis builds build/windows/installer/project.nsi. The frontend was
# built above (-s); the bindings are committed (-skipbindings); go.mod stays
# as it is (-m -nosyncgomod).
windows_installer() {
	local tools installer rc=0
	if ! command -v makensis >/dev/null 2>&1; then
		echo "makensis not found (Debian: apt-get install nsis)"
		[ "${CI:-}" = true ] && return 1
		echo "skipping the Windows installer"
		return 0
	fi
	if [ ! -f frontend/dist/index.html ]; then
		echo "frontend/dist holds no built frontend (needs npm): the installer would carry the placeholder page"
		[ "${CI:-}" = true ] && return 1
		echo "skipping the Windows installer"
		return 0
	fi
	tools=$(mktemp -d)
	GOBIN="$tools" go install "$WAILS" || { rm -rf "$tools"; return 1; }
	installer=build/bin/clientportal-amd64-installer.exe
	rm -f "$installer"
	PATH="$tools:$PATH" wails build -platform windows/amd64 -nsis -s -skipbindings -m -nosyncgomod \
		-ldflags "-X main.version=$app_version" -nocolour || rc=1
	rm -rf "$tools"
	[ $rc -eq 0 ] || return 1
	[ -s "$installer" ] || { echo "$installer was not written" >&2; return 1; }
	is_pe "$installer" || return 1
	ls -l "$installer"
	echo "installer: $installer, $(stat -c %s "$installer") bytes, version $app_version"
	if command -v osslsigncode >/dev/null 2>&1; then
		echo "osslsigncode is here: the installer can be signed with the office's code-signing certificate (see the README); CI has none, so it is unsigned"
	fi
}

# The Debian package of the service: nfpm (pinned) packs the service's
# build; dpkg-deb then reads it back as apt would.
NFPM=github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.48.0
server_deb() {
	local out rc=0 deb
	out=$(mktemp -d)
	deb="$out/clientportal_${app_version}_amd64.deb"
	GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build -ldflags "-s -w -X main.version=$app_version" \
		-o build/bin/linux-server/clientportal . &&
		APP_VERSION=$app_version DEB_ARCH=amd64 \
			go run "$NFPM" package --config build/linux/nfpm.yaml --packager deb --target "$deb" || rc=1
	if [ $rc -eq 0 ] && command -v dpkg-deb >/dev/null 2>&1; then
		dpkg-deb --field "$deb" Package Version Architecture &&
			dpkg-deb --contents "$deb" | grep ' \./usr/bin/clientportal$' &&
			[ -z "$(dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -E 'preinst|postinst|prerm|postrm')" ] &&
			mkdir "$out/root" && dpkg-deb --extract "$deb" "$out/root" &&
			"$out/root/usr/bin/clientportal" version || rc=1
	fi
	[ $rc -eq 0 ] && echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"
	rm -rf "$out"
	return $rc
}

step "Linux server package: .deb ($NFPM)" server_deb
step "desktop app: linux/amd64 (go build -tags desktop,production, cgo)" desktop_linux
step "desktop app: windows/amd64 cross-build (go build -tags desktop,production, no cgo)" desktop_windows
step "Windows installer: wails build -platform windows/amd64 -nsis ($WAILS, makensis)" windows_installer
# ---- end of the desktop app and installer steps ----

if [ -d "$SCREENSHOT_DIR" ]; then
	section "screenshots"
	find "$SCREENSHOT_DIR" -maxdepth 1 -type f -name '*.png' -printf '%p\n' | sort
fi

section "summary"
if [ ${#failed[@]} -gt 0 ]; then
	printf 'FAILED: %s\n' "${failed[@]}"
	exit 1
fi
echo "all checks passed"
