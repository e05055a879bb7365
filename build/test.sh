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
step "go test ${race[*]} -count=1 -timeout 20m ./..." go test "${race[@]}" -count=1 -timeout 20m ./...

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
