#!/usr/bin/env bash
# A real git server over SSH, for tests: OpenSSH's sshd on 127.0.0.1 with its own host key and
# configuration, accepting one client key (no passwords). Installs openssh-server when missing.
#
#   ssh-server.sh start DIR PORT   serves DIR/repos as ssh://USER@127.0.0.1:PORT/DIR/repos/NAME.git;
#                                  writes the client's private key to DIR/client_key; prints the base URL
#   ssh-server.sh stop DIR         stops sshd by the PID recorded in DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

start_server() {
  # git too: the server side of git over SSH is git-upload-pack.
  if [ ! -x /usr/sbin/sshd ] || ! command -v git >/dev/null 2>&1; then
    apt_install "an SSH server for git" openssh-server openssh-client git
  fi
  local user
  user=$(id -un)
  mkdir -p "$dir/repos"
  stop_by_pidfile "$dir/sshd.pid"
  rm -f "$dir/host_key" "$dir/host_key.pub" "$dir/client_key" "$dir/client_key.pub"
  ssh-keygen -q -t ed25519 -N '' -C weir-test-host -f "$dir/host_key"
  ssh-keygen -q -t ed25519 -N '' -C weir-test-client -f "$dir/client_key"
  cp "$dir/client_key.pub" "$dir/authorized_keys"
  chmod 600 "$dir/authorized_keys"
  cat >"$dir/sshd_config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AllowUsers $user
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PrintMotd no
CONFIG
  # sshd refuses to start without its privilege-separation folder (root only creates it).
  [ -d /run/sshd ] || mkdir -p /run/sshd 2>/dev/null || true
  # -D: stay in the foreground so the PID recorded is sshd's own; -e: log to the log file.
  start_in_background sshd 10 "ssh://$user@127.0.0.1:$port" /usr/sbin/sshd -D -e -f "$dir/sshd_config"
}

server_main sshd "usage: ssh-server.sh start DIR PORT | stop DIR" "$@"
