#!/usr/bin/env bash
# A real git server over HTTP with basic auth, for tests: nginx + fcgiwrap + git-http-backend,
# listening on 127.0.0.1 only. Installs the Debian packages it needs when they are missing.
#
#   git-server.sh start DIR PORT   serves DIR/repos; users come from DIR/users ("name:{PLAIN}password"
#                                  lines, nginx's format); prints the base URL. A realm file DIR/realms/NAME
#                                  (same format) makes the repositories under /NAME/ accept only its users,
#                                  e.g. a "gitlab" realm that takes only oauth2 and deploy-token user names.
#   git-server.sh stop DIR         stops nginx and fcgiwrap by the PIDs recorded in DIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command=${1:?usage: git-server.sh start DIR PORT | stop DIR}
dir=$(realpath -m "${2:?usage: git-server.sh start DIR PORT | stop DIR}")

install_if_missing() {
  if ! command -v nginx >/dev/null 2>&1 || ! command -v fcgiwrap >/dev/null 2>&1 || [ ! -x /usr/lib/git-core/git-http-backend ]; then
    apt_install "the git server" nginx-light fcgiwrap git
  fi
}

stop() {
  for name in nginx fcgiwrap; do
    if [ -f "$dir/$name.pid" ]; then
      pid=$(cat "$dir/$name.pid")
      kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
}

case "$command" in
  start)
    port=${3:?usage: git-server.sh start DIR PORT}
    install_if_missing
    mkdir -p "$dir/repos" "$dir/tmp"
    touch "$dir/users"
    stop
    rm -f "$dir/fcgiwrap.sock"
    # Its own session, so that stop can end the workers it forks together with it.
    setsid fcgiwrap -c 4 -s "unix:$dir/fcgiwrap.sock" >"$dir/fcgiwrap.log" 2>&1 &
    echo $! >"$dir/fcgiwrap.pid"
    for _ in $(seq 1 100); do [ -S "$dir/fcgiwrap.sock" ] && break; sleep 0.05; done
    git_backend="fastcgi_pass unix:$dir/fcgiwrap.sock;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT $dir/repos;
      fastcgi_param GIT_HTTP_EXPORT_ALL \"\";
      fastcgi_param PATH_INFO \$uri;
      fastcgi_param REMOTE_USER \$remote_user;"
    realms=""
    for realm in "$dir"/realms/*; do
      [ -f "$realm" ] || continue
      realms+="
    location /$(basename "$realm")/ {
      auth_basic \"weir test git $(basename "$realm")\";
      auth_basic_user_file $realm;
      $git_backend
    }"
    done
    cat >"$dir/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 256; }
http {
  access_log $dir/nginx-access.log;
  client_body_temp_path $dir/tmp/body;
  fastcgi_temp_path $dir/tmp/fastcgi;
  proxy_temp_path $dir/tmp/proxy;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    client_max_body_size 0;
    location / {
      auth_basic "weir test git";
      auth_basic_user_file $dir/users;
      $git_backend
    }$realms
  }
}
CONF
    nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/nginx-error.log"
    for _ in $(seq 1 100); do [ -s "$dir/nginx.pid" ] && break; sleep 0.05; done
    echo "http://127.0.0.1:$port"
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: git-server.sh start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
