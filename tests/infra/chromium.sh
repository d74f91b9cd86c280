#!/usr/bin/env bash
# Debian's Chromium for the web UI's end-to-end tests (Playwright drives it; no browser is ever
# downloaded). Installs the package with apt-get when /usr/bin/chromium is missing; prints its path.
#
#   chromium.sh install
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-install}" in
  install)
    if [ ! -x /usr/bin/chromium ]; then
      apt_install Chromium chromium fonts-dejavu-core
    fi
    echo /usr/bin/chromium
    ;;
  *)
    echo "usage: chromium.sh install" >&2
    exit 2
    ;;
esac
