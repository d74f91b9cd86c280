#!/usr/bin/env bash
# Debian's Chromium for the web UI's end-to-end tests (Playwright drives it; no browser is ever
# downloaded). Installs the package with apt-get when /usr/bin/chromium is missing; prints its path.
#
#   chromium.sh install
set -euo pipefail

case "${1:-install}" in
  install)
    if [ ! -x /usr/bin/chromium ]; then
      echo "Installing chromium with apt-get..." >&2
      export DEBIAN_FRONTEND=noninteractive
      # A lock held by another installer is waited for, not failed on.
      apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
      apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
    fi
    echo /usr/bin/chromium
    ;;
  *)
    echo "usage: chromium.sh install" >&2
    exit 2
    ;;
esac
