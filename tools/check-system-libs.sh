#!/usr/bin/env bash
# Says which system libraries Qt (PySide6) needs and are missing, and how to install them.
# Usage: tools/check-system-libs.sh [offscreen|window]
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
if ! fc-list 2>/dev/null | grep -qi -e dejavu -e wqy -e noto; then
  echo "note: no DejaVu, WenQuanYi or Noto fonts found; labels may show as boxes." >&2
  echo "      sudo apt-get install -y fonts-dejavu-core fonts-wqy-microhei" >&2
fi
exit 0
