# Shared by scripts/start and scripts/test: install what is missing, then build.
# Sourced, not run. Works as root or through sudo on a fresh Debian 12.

TLSFAULT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TLSFAULT_BUILD="${TLSFAULT_BUILD:-$TLSFAULT_ROOT/build}"
# The same sources under ASan+UBSan (scripts/test) and the libFuzzer targets (scripts/fuzz).
TLSFAULT_ASAN_BUILD="${TLSFAULT_ASAN_BUILD:-$TLSFAULT_ROOT/build-asan}"
TLSFAULT_FUZZ_BUILD="${TLSFAULT_FUZZ_BUILD:-$TLSFAULT_ROOT/build-fuzz}"

# Build tools and libraries (Debian 12 names), then the real clients the tests drive
# (python3-cryptography makes the expired and untrusted client certificates certgen does not).
# clang and its runtime libraries (libFuzzer, only recommended by clang) build the fuzz targets;
# clang-format-14 checks the house style (.clang-format) in the suite.
# ca-certificates-mono gives cert-sync (the lab root into Mono's trust store) and libnss3-tools
# certutil (the lab root into Chromium's NSS database), for the strict-client check tests.
TLSFAULT_PACKAGES=(
  cmake ninja-build g++ pkg-config clang libclang-rt-14-dev clang-format-14
  libboost1.81-dev libssl-dev libyaml-cpp-dev libre2-dev doctest-dev libbenchmark-dev
  openssl curl python3 python3-cryptography python3-pytest gnutls-bin openjdk-17-jdk-headless
  mono-runtime mono-mcs ca-certificates-mono libnss3-tools
  dpkg-dev systemd
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

# ccache when the machine has it: rebuilding after a small edit is then cheap in all three folders.
TLSFAULT_LAUNCHER=()
if command -v ccache >/dev/null; then TLSFAULT_LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

# playwright-core for tests/browser/, at the version package-lock.json pins.
ensure_browser_test_deps() {
  [ -d "$TLSFAULT_ROOT/tests/browser/node_modules/playwright-core" ] ||
    npm ci --prefix "$TLSFAULT_ROOT/tests/browser" --no-audit --no-fund
}

build_tlsfault() {
  cmake -S "$TLSFAULT_ROOT" -B "$TLSFAULT_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${TLSFAULT_LAUNCHER[@]}" >/dev/null
  ninja -C "$TLSFAULT_BUILD"
}

# The whole suite's targets under AddressSanitizer + UndefinedBehaviorSanitizer; no benchmarks.
build_tlsfault_sanitized() {
  cmake -S "$TLSFAULT_ROOT" -B "$TLSFAULT_ASAN_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${TLSFAULT_LAUNCHER[@]}" \
    -DTLSFAULT_SANITIZE=ON -DTLSFAULT_BUILD_BENCHMARKS=OFF >/dev/null
  ninja -C "$TLSFAULT_ASAN_BUILD"
}

# Only the libFuzzer targets and the libraries they need, with clang.
build_tlsfault_fuzzers() {
  cmake -S "$TLSFAULT_ROOT" -B "$TLSFAULT_FUZZ_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${TLSFAULT_LAUNCHER[@]}" \
    -DCMAKE_CXX_COMPILER=clang++ -DTLSFAULT_FUZZ=ON >/dev/null
  ninja -C "$TLSFAULT_FUZZ_BUILD" fuzz_targets
}

# Sanitizer settings for every sanitized process, the tlsfault binary the tests start included.
# Leaks are checked (LeakSanitizer); the suppressions name OpenSSL's and the runtime's
# process-lifetime allocations, one reason per line.
export_sanitizer_options() {
  export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:strict_string_checks=1:check_initialization_order=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$TLSFAULT_ROOT/tests/sanitizers/lsan.supp:print_suppressions=0"
}
