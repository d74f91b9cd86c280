# Shared by the scripts that start test servers from npm: stop a server by its PID file, and wait
# for it to answer. Source it; it defines functions only.

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
