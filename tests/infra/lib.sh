# Shared by the scripts that start test servers: install missing Debian packages, the start/stop command line
# of a one-server script, starting a server in its own session, stopping it by its PID file, and waiting for
# it to answer. Source it; it defines functions only.

# apt_install WHAT PACKAGE...: installs the PACKAGEs not yet installed with apt-get (needs root), saying
# so in one line; apt's and dpkg's own output goes to a log that is shown only when the install fails.
# One install at a time across the scripts (test fixtures start servers in parallel, and apt-get update
# fails at once on a lock another one holds); a package another script installed meanwhile is skipped.
apt_install() {
  local what=$1
  shift
  (
    flock 8
    missing=()
    for package in "$@"; do
      dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && exit 0
    if [ "$(id -u)" != 0 ]; then
      echo "Installing $what needs root: run 'sudo apt-get install -y --no-install-recommends ${missing[*]}' once." >&2
      exit 1
    fi
    echo "Installing $what with apt-get (${missing[*]})..." >&2
    log=$(mktemp "${TMPDIR:-/tmp}/weir-apt.XXXXXX")
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >"$log" 2>&1 \
      && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
      rm -f "$log"
      exit 0
    fi
    tail -n 30 "$log" >&2
    echo "Installing $what with apt-get failed; its whole output is in $log." >&2
    exit 1
  ) 8>"${TMPDIR:-/tmp}/weir-apt.lock"
}

# npm_ci WHAT FOLDER MARKER: unless FOLDER/MARKER exists, installs FOLDER's package-lock.json with npm ci
# (installing Node.js and npm with apt-get first when npm is missing), saying so in one line; npm's
# output is shown only when it fails. One install per folder at a time (fixtures start together).
npm_ci() {
  local what=$1 folder=$2 marker=$3
  (
    flock 9
    [ -e "$folder/$marker" ] && exit 0
    command -v npm >/dev/null 2>&1 || apt_install "Node.js and npm" nodejs npm || exit 1
    echo "Installing $what with npm ci..." >&2
    log=$(mktemp "${TMPDIR:-/tmp}/weir-npm.XXXXXX")
    if npm ci --prefix "$folder" --no-audit --no-fund >"$log" 2>&1; then
      rm -f "$log"
      exit 0
    fi
    tail -n 30 "$log" >&2
    echo "npm ci in $folder failed; its whole output is in $log." >&2
    exit 1
  ) 9>"${TMPDIR:-/tmp}/weir-npm-$(printf '%s' "$folder" | cksum | cut -d' ' -f1).lock"
}

# stop_by_pidfile FILE: ends the process (and its process group, when it leads one) whose PID is in
# FILE, with TERM and then, after 5 s, KILL; removes FILE.
stop_by_pidfile() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
  rm -f "$file"
}

# wait_for_port NAME PORT PIDFILE LOG SECONDS [URL]: prints URL (default http://127.0.0.1:PORT) once
# something answers on the port; fails with the log when the process dies or the time runs out.
wait_for_port() {
  local name=$1 port=$2 pidfile=$3 log=$4 seconds=$5 url=${6:-http://127.0.0.1:$2}
  for _ in $(seq 1 $((seconds * 20))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$url"
      return 0
    fi
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.05
  done
  echo "$name did not answer on 127.0.0.1:$port within $seconds s; see $log" >&2
  return 1
}

# server_main NAME USAGE "$@": the command line of a script that runs one server for tests, NAME:
#   SCRIPT start DIR PORT [ARGS...]  sets $dir (absolute) and $port and calls the script's start_server with ARGS
#   SCRIPT stop DIR                  stops what start_in_background started, by the PID in DIR/NAME.pid
# Anything else prints USAGE and exits 2.
server_main() {
  local name=$1 usage=$2 command
  shift 2
  command=${1:-}
  dir=$(realpath -m "${2:?$usage}")
  case "$command" in
    start)
      port=${3:?$usage}
      shift 3
      start_server "$@"
      ;;
    stop)
      stop_by_pidfile "$dir/$name.pid"
      ;;
    *)
      echo "$usage" >&2
      exit 2
      ;;
  esac
}

# start_in_background NAME SECONDS URL COMMAND...: stops an earlier NAME in $dir, then starts COMMAND in its own
# session (setsid execs in place, so the recorded PID is COMMAND's, and stop_by_pidfile ends what it starts too) with
# its output in $dir/NAME.log and its PID in $dir/NAME.pid, and waits for $port (wait_for_port), printing URL.
start_in_background() {
  local name=$1 seconds=$2 url=$3
  shift 3
  stop_by_pidfile "$dir/$name.pid"
  setsid "$@" >"$dir/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
  wait_for_port "$name" "$port" "$dir/$name.pid" "$dir/$name.log" "$seconds" "$url"
}
