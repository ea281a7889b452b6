# Shared by the scripts: install-what-is-missing helpers. Each step is a no-op when its tool is
# already there at the right version, so a second run is fast.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# The wasm-bindgen CLI must match the crate's pinned version exactly.
wasm_bindgen_version() {
  sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' "$ROOT/Cargo.toml"
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Installing the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen_cli() {
  local want; want="$(wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $want"; then
    step "Installing wasm-bindgen-cli $want (about 2 minutes, once)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

# Debian packages: installed only when the command they provide is missing.
ensure_apt() { # ensure_apt COMMAND PACKAGE...
  local cmd="$1"; shift
  if ! command -v "$cmd" >/dev/null 2>&1; then
    step "Installing Debian packages: $*"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
  fi
}

ensure_npm_packages() {
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    step "Installing npm packages"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}
