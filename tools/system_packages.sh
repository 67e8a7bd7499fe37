#!/usr/bin/env bash
# The system (Debian) packages that `make run` and `make test` need, installed when this machine
# allows it (root or passwordless sudo, and apt-get), otherwise one line naming what is missing
# and the command that installs it. Usage: tools/system_packages.sh run|test
set -euo pipefail
purpose=${1:-test}

# command that must exist -> Debian package that provides it
declare -A need=(
  [xmlsec1]=xmlsec1          # SAML signatures (pysaml2), sign-in with SPID/CIE and its tests
)
if [ "$purpose" = test ]; then
  need[curl]=curl            # the SPID validator's throwaway server is probed with curl
  need[chromium]=chromium    # browser tests (Playwright drives Debian's Chromium)
  need[msgfmt]=gettext       # translation catalogues are compiled and checked
fi
for cmd in npm node; do need[$cmd]=npm; done

# shared library that must be installed -> Debian package that provides it
declare -A libs=(
  [libpango-1.0.so.0]=libpango-1.0-0        # WeasyPrint (the Mappa's report as PDF)
  [libpangoft2-1.0.so.0]=libpangoft2-1.0-0  # WeasyPrint's fonts through fontconfig
)

missing=()
for cmd in "${!need[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    pkg=${need[$cmd]}
    [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
  fi
done
if command -v ldconfig >/dev/null 2>&1; then
  known_libs=$(ldconfig -p 2>/dev/null || true)
  for lib in "${!libs[@]}"; do
    if ! grep -qF "$lib" <<<"$known_libs"; then
      pkg=${libs[$lib]}
      [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
    fi
  done
fi
[ ${#missing[@]} -eq 0 ] && exit 0

# SYSTEM_PACKAGES_INSTALL=0 never installs (only names what is missing).
if [ "${SYSTEM_PACKAGES_INSTALL:-1}" != 0 ] && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=none; fi
  fi
  if [ "$sudo" != none ]; then
    echo "== installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if $sudo apt-get update -q >/dev/null && \
       $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
      exit 0
    fi
    echo "error: could not install the system packages ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "error: missing system packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]} (or your system's equivalent)" >&2
exit 1
