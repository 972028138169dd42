# Debian packages the project needs, installed only when missing.
# Sourced by scripts/run-kiosk and scripts/test-all.

RUNTIME_PACKAGES=(pkg-config fonts-noto-core)
TEST_PACKAGES=()

apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_runtime_deps() {
    command -v cargo >/dev/null || { echo "cargo not found: install Rust (https://rustup.rs) first" >&2; exit 1; }
    apt_install "${RUNTIME_PACKAGES[@]}"
}

install_test_deps() {
    install_runtime_deps
    [ ${#TEST_PACKAGES[@]} -gt 0 ] && apt_install "${TEST_PACKAGES[@]}"
    return 0
}
