# Debian packages the project needs, installed only when missing.
# Sourced by scripts/run-kiosk, scripts/test-all, scripts/package and scripts/smoke-package.

# libfontconfig1-dev: the Slint build links fontconfig (found with pkg-config); fontconfig needs at
# least one system font at run time (fonts-noto-core), although the app embeds its own.
# libx11-6 … libxi6: loaded by the kiosk window (winit on X11) at run time.
# espeak-ng: the kiosk's audio guide speaks procedure names, papers and fees with it (offline).
RUNTIME_PACKAGES=(pkg-config fonts-noto-core libfontconfig1-dev libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon-x11-0 espeak-ng)
# chromium, chromium-driver: firmware/tests/web.rs drives the counter and display pages.
# postgresql: central/tests/postgres.rs runs the receiver on a real PostgreSQL server.
# python3, python3-venv, curl: scripts/schemathesis installs Schemathesis (PyPI) in a virtualenv
# and drives a real kioskd.
TEST_PACKAGES=(chromium chromium-driver postgresql python3 python3-venv curl xvfb xdotool)

# Run a command as root (with sudo when not root).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Install the Debian packages (name or name:arch) that are not installed yet. Waits for another
# apt or dpkg run to finish instead of failing on its lock.
apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing Debian packages: ${missing[*]}"
    as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
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
