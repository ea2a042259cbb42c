# Sourced by the benchmarks, from the repository root with ROOT and DVD_STACK set: brings the services of the stack
# up and reads their settings. Sets HOME_DIR, PG_HOST, PG_PORT, CH (ClickHouse's HTTP address), PORT (a free port for
# the server) and PASS (its operator password); ch, src and state run a statement on ClickHouse, the source and the
# server's state database; server_jar builds the server's jar and prints it; wait_ready waits for the
# server on PORT; free_port prints a free port, cpu_ms the CPU time (ms) a process has used.
HOME_DIR=$ROOT/.local/$DVD_STACK

echo "==> services of stack $DVD_STACK"
./dvd services up >/dev/null
set -a; source "$HOME_DIR/services.env"; set +a
pg_host_port=${DVD_SOURCE_URL#jdbc:postgresql://}; pg_host_port=${pg_host_port%%/*}
PG_HOST=${pg_host_port%:*}; PG_PORT=${pg_host_port#*:}
CH=http://${DVD_WAREHOUSE_URL#jdbc:clickhouse://}; CH=${CH%/*}/
ch() { curl -sS --fail-with-body "$CH" --data-binary "$1"; }
src() { psql -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d dvdrental -Atc "$1"; }
state() { psql -q -h "$PG_HOST" -p "$PG_PORT" -U postgres -d pipeline -Atc "$1"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# CPU time (user + system) a process has used, in ms.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }
PORT=$(free_port)
PASS=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir -p "$HOME_DIR/logs"

server_jar() {
  # Built every time (Maven redoes only what changed): a jar left by an older checkout would be measured as this one.
  echo "==> building the server" >&2
  ./mvnw -B -ntp -q -pl routes -am package -DskipTests >&2
  ls routes/target/routes-*-exec.jar | head -1
}

wait_ready() {  # $1: the server's pid, $2: how many seconds at most
  for _ in $(seq 1 "$2"); do
    curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null 2>&1 && return
    kill -0 "$1" 2>/dev/null || { echo "server died, see the log" >&2; exit 1; }
    sleep 1
  done
  echo "server not ready after $2 s" >&2; exit 1
}
