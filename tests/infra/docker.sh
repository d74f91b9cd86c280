#!/usr/bin/env bash
# A private Docker daemon for tests (Debian's docker.io), sharing nothing with a system daemon: its own
# --data-root, --exec-root and unix socket under DIR, no bridge and no iptables rules (containers use
# the host network, so a flow in a container reaches a test server on 127.0.0.1). Runs as root.
#
#   docker.sh start DIR              starts dockerd; prints the DOCKER_HOST to use (unix://DIR/docker.sock)
#   docker.sh stop DIR               stops dockerd (and its containerd and containers) by the PID in DIR
#   docker.sh base-image DIR NAME    imports a base image NAME into the daemon of DIR: a Debian minbase root
#                                    file system (debootstrap, no registry needed) plus this machine's .NET
#                                    runtime at /usr/share/dotnet. The tarball is cached under
#                                    ${WEIR_TEST_CACHE:-~/.cache/weir-test}, so only the first run pays for it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: docker.sh start DIR | stop DIR | base-image DIR NAME"
command=${1:?$usage}
dir=$(realpath -m "${2:?$usage}")
cache=${WEIR_TEST_CACHE:-$HOME/.cache/weir-test}

install_if_missing() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if [ ${#missing[@]} -gt 0 ]; then
    apt_install Docker "${missing[@]}"
  fi
}

docker_cli() { docker -H "unix://$dir/docker.sock" "$@"; }

stop() {
  if [ -f "$dir/daemon.pid" ]; then
    local pid
    pid=$(cat "$dir/daemon.pid")
    # TERM lets dockerd stop its containers and unmount their layers; KILL only if it hangs.
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/daemon.pid"
  fi
  # Anything still mounted under DIR (a daemon that was killed) would keep DIR from being removed.
  local mounts
  mounts=$(awk -v prefix="$dir/" 'index($2, prefix) == 1 { print $2 }' /proc/mounts | sort -r)
  for mount in $mounts; do umount -l "$mount" 2>/dev/null || true; done
}

case "$command" in
  start)
    install_if_missing
    stop
    mkdir -p "$dir/data" "$dir/exec"
    rm -f "$dir/docker.sock" "$dir/dockerd.pid"
    # Its own session, so that stop can end containerd and the shims with it.
    setsid dockerd --data-root "$dir/data" --exec-root "$dir/exec" --host "unix://$dir/docker.sock" --pidfile "$dir/dockerd.pid" \
      --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
      --userland-proxy=false --log-level=warn >"$dir/dockerd.log" 2>&1 &
    echo $! >"$dir/daemon.pid"
    for _ in $(seq 1 600); do
      if [ -S "$dir/docker.sock" ] && docker_cli version >/dev/null 2>&1; then
        echo "unix://$dir/docker.sock"
        exit 0
      fi
      kill -0 "$(cat "$dir/daemon.pid")" 2>/dev/null || { cat "$dir/dockerd.log" >&2; exit 1; }
      sleep 0.05
    done
    echo "dockerd did not answer on $dir/docker.sock within 30 s; see $dir/dockerd.log" >&2
    exit 1
    ;;
  stop)
    stop
    ;;
  base-image)
    name=${3:?$usage}
    install_if_missing
    dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
    version=$(ls "$dotnet_root/shared/Microsoft.NETCore.App" | sort -V | tail -n 1)
    suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    tarball="$cache/base-$suite-minbase-dotnet-$version-v3.tar"
    mkdir -p "$cache"
    (
      flock 9
      if [ ! -f "$tarball" ]; then
        echo "Building the test base image once: debootstrap --variant=minbase $suite, plus .NET $version from $dotnet_root..." >&2
        root="$cache/rootfs-$suite-minbase-v3"
        if [ ! -f "$root/.complete" ]; then
          rm -rf "$root"
          mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
          # What the .NET runtime needs beyond minbase: OpenSSL (else it aborts with "No usable version of
          # libssl was found") and ICU for globalization, by the names this machine's Debian gives them, and
          # the CA certificates.
          runtime=$(dpkg-query -W -f='${Status} ${Package}\n' 'libssl3*' 'libicu[0-9]*' 2>/dev/null \
            | awk '/^install ok installed/ && $4 !~ /-dev$/ {print $4}' | paste -sd, -)
          debootstrap --variant=minbase --include="${runtime:-libssl3,libicu72},ca-certificates" "$suite" "$root" "${mirror:-http://deb.debian.org/debian}" >"$cache/debootstrap.log" 2>&1 \
            || { tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
          rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
          touch "$root/.complete"
        fi
        staging="$cache/dotnet-$version"
        rm -rf "$staging"
        mkdir -p "$staging/usr/share/dotnet" "$staging/usr/bin"
        cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$staging/usr/share/dotnet/"
        ln -s /usr/share/dotnet/dotnet "$staging/usr/bin/dotnet"
        # Documentation and translations only make the image slower to push and pull.
        tar -C "$root" --exclude=./.complete --exclude=./usr/share/doc --exclude=./usr/share/locale --exclude=./usr/share/man \
          --exclude=./usr/share/info -cf "$tarball.tmp" . -C "$staging" ./usr/share/dotnet ./usr/bin/dotnet
        rm -rf "$staging"
        mv "$tarball.tmp" "$tarball"
      fi
    ) 9>"$cache/.lock"
    docker_cli import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$tarball" "$name" >/dev/null
    echo "$name"
    ;;
  *)
    echo "$usage" >&2
    exit 2
    ;;
esac
