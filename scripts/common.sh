# Shared by scripts/start and scripts/test: install what is missing, then build.
# Sourced, not run. Works as root or through sudo on a fresh Debian 12.

TLSFAULT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TLSFAULT_BUILD="${TLSFAULT_BUILD:-$TLSFAULT_ROOT/build}"

# Build tools and libraries (Debian 12 names), then the real clients the tests drive
# (python3-cryptography makes the expired and untrusted client certificates certgen does not).
TLSFAULT_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libboost1.81-dev libssl-dev libyaml-cpp-dev doctest-dev libbenchmark-dev
  openssl curl python3 python3-cryptography gnutls-bin openjdk-17-jdk-headless
  chromium
)
# The board's browser test runs node (playwright-core from npm drives Debian's chromium). A node
# from elsewhere (e.g. NodeSource, which bundles npm) is kept; only a machine without one gets
# Debian's `nodejs npm`, whose npm would conflict with such a node.
command -v npm >/dev/null 2>&1 || TLSFAULT_PACKAGES+=(nodejs npm)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
  local missing=()
  for package in "${TLSFAULT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "tlsfault: installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# playwright-core for tests/browser/, at the version package-lock.json pins.
ensure_browser_test_deps() {
  [ -d "$TLSFAULT_ROOT/tests/browser/node_modules/playwright-core" ] ||
    npm ci --prefix "$TLSFAULT_ROOT/tests/browser" --no-audit --no-fund
}

build_tlsfault() {
  cmake -S "$TLSFAULT_ROOT" -B "$TLSFAULT_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  ninja -C "$TLSFAULT_BUILD"
}
