#!/usr/bin/env bash
# Names the system packages FrontDesk needs that are missing, with the line that installs them.
# Usage: tools/check-system-libs.sh [offscreen|window|test]
#   offscreen  Qt's libraries for headless use (missing ones stop the install)
#   window     also the libraries of a real window (xcb)
#   test       offscreen, and the optional parts some tests use: fonts with Chinese and
#              Cyrillic, socat; a missing one only skips its tests (with the reason), so it
#              is named here, not treated as an error
set -u
mode=${1:-window}
declare -A pkg_of=(
  [libGL.so.1]=libgl1 [libEGL.so.1]=libegl1 [libxkbcommon.so.0]=libxkbcommon0
  [libfontconfig.so.1]=libfontconfig1 [libglib-2.0.so.0]=libglib2.0-0 [libdbus-1.so.3]=libdbus-1-3
  [libxcb-cursor.so.0]=libxcb-cursor0 [libxcb-icccm.so.4]=libxcb-icccm4
  [libxcb-image.so.0]=libxcb-image0 [libxcb-keysyms.so.1]=libxcb-keysyms1
  [libxcb-render-util.so.0]=libxcb-render-util0 [libxcb-shape.so.0]=libxcb-shape0
  [libxcb-xkb.so.1]=libxcb-xkb1 [libxkbcommon-x11.so.0]=libxkbcommon-x11-0
)
needed=(libGL.so.1 libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libglib-2.0.so.0 libdbus-1.so.3)
if [ "$mode" = window ]; then
  needed+=(libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-image.so.0 libxcb-keysyms.so.1
           libxcb-render-util.so.0 libxcb-shape.so.0 libxcb-xkb.so.1 libxkbcommon-x11.so.0)
fi
[ "$(uname -s)" = Linux ] || exit 0
known=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null)
missing=()
for lib in "${needed[@]}"; do
  grep -q "$lib" <<<"$known" || missing+=("${pkg_of[$lib]}")
done
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  missing+=("python3-venv")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "FrontDesk needs system packages that are not installed: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "    sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

# Fonts: without them the window shows boxes for Chinese (and PDFs too).
fonts=$(fc-list 2>/dev/null)
optional=()
why=()
if ! grep -qi -e wqy -e 'noto.*cjk' <<<"$fonts"; then
  optional+=(fonts-wqy-microhei)
  why+=("no font with Chinese: Chinese names show as boxes; the Chinese PDF tests skip")
fi
if ! grep -qi -e dejavu <<<"$fonts"; then
  optional+=(fonts-dejavu-core)
  why+=("no DejaVu font: Cyrillic PDF tests skip unless a Chinese font covers them")
fi
if [ "$mode" = test ] && ! command -v socat >/dev/null 2>&1; then
  optional+=(socat)
  why+=("no socat: the tests on a real serial pty pair (scanner, serial printer) skip")
fi
if [ ${#optional[@]} -gt 0 ]; then
  echo "note: optional system packages are missing:" >&2
  for reason in "${why[@]}"; do echo "      - $reason" >&2; done
  echo "      Install them with:" >&2
  echo "          sudo apt-get install -y ${optional[*]}" >&2
fi
if [ "$mode" = test ] && [ -z "${FRONTDESK_TEST_PG_URL:-}" ]; then
  echo "note: FRONTDESK_TEST_PG_URL is not set: the PostgreSQL tests skip." >&2
  echo "      .ci/run shows how to start a server (apt-get install -y postgresql)." >&2
fi
exit 0
