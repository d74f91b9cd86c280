#!/usr/bin/env bash
# A real container registry for tests (Debian's docker-registry), on 127.0.0.1 only, with its own
# config and storage under DIR; with USER and PASSWORD it requires that login (htpasswd, bcrypt).
# Docker treats 127.0.0.0/8 registries as insecure (plain HTTP) by default, so no TLS is needed.
#
#   docker-registry.sh start DIR PORT [USER PASSWORD]   prints the registry's host:port
#   docker-registry.sh stop DIR                         stops it by the PID recorded in DIR
set -euo pipefail
. "$(dirname "$0")/lib.sh"

start_server() {
  local user=${1:-} password=${2:-}
  if ! command -v docker-registry >/dev/null 2>&1 || { [ -n "$user" ] && ! command -v htpasswd >/dev/null 2>&1; }; then
    apt_install "an OCI registry" docker-registry apache2-utils
  fi
  mkdir -p "$dir/data"
  cat >"$dir/config.yml" <<CONF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
CONF
  if [ -n "$user" ]; then
    printf %s "$password" | htpasswd -iBn "$user" >"$dir/htpasswd"
    printf 'auth:\n  htpasswd:\n    realm: weir-test\n    path: %s\n' "$dir/htpasswd" >>"$dir/config.yml"
  fi
  start_in_background registry 30 "127.0.0.1:$port" docker-registry serve "$dir/config.yml"
}

server_main registry "usage: docker-registry.sh start DIR PORT [USER PASSWORD] | stop DIR" "$@"
