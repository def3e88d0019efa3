#!/usr/bin/env bash
# The full filter chain over SMTP with corpus messages, side by side in one run: bench/SmtpBench sends the same
# message files (the SpamAssassin corpus from ../shared/corpus, else the test fixtures) over SESSIONS sessions, one message per
# connection, to (1) Postfix's smtp-sink and (2) the gateway with every filter on: antivirus against a local clamd,
# a keyword list of 10,000 phrases, the SCL model and the image heuristic. Prints messages/s, latency percentiles,
# the ratio, where the messages went, and each filter's mean latency (from the gateway's /metrics). Unless FLOOR=0,
# the same load also goes through the SMTP core alone and through antivirus alone (no other filter), so the run shows
# how much of the machine the parts outside our filters take, and through the chain without the sender-authentication
# stages (their cost; their DNS lookups are answered NXDOMAIN by a loopback dnsmasq, bench/lib.sh). CPU per timed message is printed for the gateway, clamd
# and the bench client, which share the 2 cores. Unless TRACKING=0, the full chain also runs with message tracking off
# and with tracking in PostgreSQL (a throwaway cluster on loopback, Debian's postgresql, as the tests start it): the
# main row has tracking on in its default SQLite store, and the ratios to tracking off are printed.
#   N=5000 SESSIONS=20 bench/chain-throughput.sh
# The warm-up is longer than the other benches' (WARMUP, default 10000 here): 3,000 distinct corpus messages run far
# more code paths (MimeKit, the feature extractor, the keyword matcher, the tolerant pass) than smtp-source's one
# message, and the runtime keeps recompiling hot methods at tier 1 long after start. Counted in DOTNET_PerfMapEnabled's
# map: after 2,000 warm-up messages about 1,900 methods were still compiled during the timed run (10% of the gateway's
# CPU); after 5,000, 1,135 during the next 5,000 messages (libclrjit 5.2% of the gateway's CPU in perf); after
# 10,000, 29.
WARMUP=${WARMUP:-10000}
source "$(dirname "$0")/lib.sh"
N=${N:-5000}; SESSIONS=${SESSIONS:-20}; FILES=${FILES:-3000}
CORPUS=${CORPUS:-$ROOT/../shared/corpus/spamassassin}
if [ -d "$CORPUS/spam" ] && [ -d "$CORPUS/ham" ]; then
  DIRS="$CORPUS/spam,$CORPUS/ham"
else
  DIRS="$ROOT/tests/Gateway.Tests/Fixtures/corpus"
fi
bash "$ROOT/scripts/install-deps.sh"
build_gateway
dotnet build "$ROOT/bench/SmtpBench/SmtpBench.csproj" -c Release -nologo -v quiet >/dev/null
# send PORT [MESSAGES WARMUP]
send() { dotnet "$ROOT/bench/SmtpBench/bin/Release/net10.0/SmtpBench.dll" --port "$1" --dir "$DIRS" \
  --messages "${2:-$N}" --sessions "$SESSIONS" --warmup "${3:-$WARMUP}" --max-files "$FILES"; }

CLAMD_DIR="$OUT/clamd"; CLAMD_PORT=$(free_port)
bash "$ROOT/scripts/clamd.sh" start "$CLAMD_DIR" "$CLAMD_PORT" >/dev/null
GW_PID=""; SINK_PID=""; PG_DIR=""
stop_postgres() { [ -n "$PG_DIR" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true; }
trap 'stop_gateway; stop_postgres; [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null; bash "$ROOT/scripts/clamd.sh" stop "$CLAMD_DIR" >/dev/null 2>&1 || true; remove_discarded' EXIT

# The configuration: the shipped files, with a keyword list of 10,000 phrases (two or three made-up words each,
# plus a few real spam phrases, so that the matcher does its full work and a few messages do match).
CONFIG="$OUT/chain-config"; rm -rf "$CONFIG"; cp -r "$ROOT/config" "$CONFIG"
python3 - "$CONFIG/keywords.json" <<'PY'
import json, random, sys
random.seed(7)
syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "qu", "sa", "do", "fe", "gu", "hi", "jo"]
word = lambda: "".join(random.choice(syllables) for _ in range(random.randint(2, 4)))
phrases = {" ".join(word() for _ in range(random.randint(2, 3))) for _ in range(12000)}
phrases = sorted(phrases)[:9990]
bad = phrases[:4995] + ["lowest mortgage rates", "100% free", "click here to be removed", "viagra", "work from home"]
good = phrases[4995:] + ["spamassassin-talk", "project phoenix", "exmh-workers", "quarterly report", "build failed"]
json.dump({"good": good, "bad": bad}, open(sys.argv[1], "w"), indent=0)
print(f"keywords: {len(good)} good + {len(bad)} bad phrases", file=sys.stderr)
PY

SINK_PORT=$(free_port)
/usr/sbin/smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 1000 >/dev/null &
SINK_PID=$!
wait_port "$SINK_PORT"
sink_out=$(send "$SINK_PORT")
kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true; SINK_PID=""

# floor LABEL ORDER: the same load through the gateway with only the filters in ORDER (a JSON array), after the same
# warm-up; prints "rate gateway-CPU-ms clamd-CPU-ms" per timed message. With ["None"] it is the SMTP core alone
# (parse, spool, Maildir+fsync), with ["Antivirus"] the core plus clamd: the most any content filter chain with
# antivirus can reach on this machine, whatever the other filters cost.
floor() {
  local conf="$OUT/chain-config-$1"; rm -rf "$conf"; cp -r "$CONFIG" "$conf"
  python3 - "$conf/appsettings.json" "$2" <<'PY'
import json, re, sys
path = sys.argv[1]
text = re.sub(r"^\s*//.*$", "", open(path).read(), flags=re.M)
settings = json.loads(text)
settings.setdefault("Filters", {})["Order"] = json.loads(sys.argv[2])
json.dump(settings, open(path, "w"), indent=2)
PY
  MAILGW_CONFIG_DIR="$conf" start_gateway "$1" --Antivirus:SocketPath="$(clamd_socket "$CLAMD_DIR")"
  [ "$WARMUP" -gt 0 ] && send "$GW_PORT" "$WARMUP" 0 >/dev/null
  local clamd_pid g0 c0 out; clamd_pid=$(cat "$CLAMD_DIR/clamd.pid"); g0=$(cpu_ms "$GW_PID"); c0=$(cpu_ms "$clamd_pid")
  out=$(send "$GW_PORT" "$N" 0)
  echo "$(rate_of "$out") $(echo "($(cpu_ms "$GW_PID") - $g0) / $N" | bc -l) $(echo "($(cpu_ms "$clamd_pid") - $c0) / $N" | bc -l)"
  stop_gateway
}
rate_of() { sed -n 's/^msgs\/s: \([0-9]*\).*/\1/p' <<<"$1"; }
if [ "${FLOOR:-1}" = 1 ]; then
  read -r core_rate core_gw core_clamd < <(floor chain-core '["None"]')
  read -r av_rate av_gw av_clamd < <(floor chain-av-only '["Antivirus"]')
  # The chain as it was before the sender-authentication stages (SPF, DKIM, ARC, DMARC): the row they are compared with.
  read -r noauth_rate noauth_gw noauth_clamd < <(floor chain-no-auth '["AllowList","Antivirus","Keywords","Model","ImageHeuristic","Bulk"]')
fi

# tracking_row NAME [--Key=Value ...]: the full chain again with these tracking settings, after the same warm-up;
# prints "rate gateway-CPU-ms" per timed message.
tracking_row() {
  local name=$1; shift
  MAILGW_CONFIG_DIR="$CONFIG" start_gateway "$name" --Antivirus:Enabled="${ANTIVIRUS:-true}" \
    --Antivirus:SocketPath="$(clamd_socket "$CLAMD_DIR")" "$@"
  [ "$WARMUP" -gt 0 ] && send "$GW_PORT" "$WARMUP" 0 >/dev/null
  local g0 out; g0=$(cpu_ms "$GW_PID")
  out=$(send "$GW_PORT" "$N" 0)
  echo "$(rate_of "$out") $(echo "($(cpu_ms "$GW_PID") - $g0) / $N" | bc -l)"
  stop_gateway
}
if [ "${TRACKING:-1}" = 1 ]; then
  read -r notrack_rate notrack_gw < <(tracking_row chain-tracking-off --Tracking:Enabled=false)
  # A throwaway PostgreSQL cluster (PostgreSQL refuses to run as root: initdb and pg_ctl as the postgres user).
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_DIR="$OUT/postgres"; rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"; chown postgres:postgres "$PG_DIR"
  PG_PORT=$(free_port)
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
  read -r pgtrack_rate pgtrack_gw < <(tracking_row chain-tracking-pg \
    --Tracking:ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres")
  stop_postgres
fi

ADMIN_PORT=$(free_port)
export MAILGW_CONFIG_DIR="$CONFIG"
start_gateway chain --Antivirus:Enabled="${ANTIVIRUS:-true}" --Antivirus:SocketPath="$(clamd_socket "$CLAMD_DIR")" --Admin:Url="http://127.0.0.1:$ADMIN_PORT"
# The warm-up is sent on its own, so that the CPU times below cover the timed messages only.
[ "$WARMUP" -gt 0 ] && send "$GW_PORT" "$WARMUP" 0 >/dev/null
CLAMD_PID=$(cat "$CLAMD_DIR/clamd.pid"); gw_cpu0=$(cpu_ms "$GW_PID"); clamd_cpu0=$(cpu_ms "$CLAMD_PID")
client_cpu0=$(child_cpu_ms)
gw_out=$(send "$GW_PORT" "$N" 0)
client_cpu=$(( $(child_cpu_ms) - client_cpu0 ))
gw_cpu=$(( $(cpu_ms "$GW_PID") - gw_cpu0 )); clamd_cpu=$(( $(cpu_ms "$CLAMD_PID") - clamd_cpu0 ))
metrics=$(curl -s "http://127.0.0.1:$ADMIN_PORT/metrics")
rss=$(peak_rss_mb "$GW_PID")
stop_gateway
unset MAILGW_CONFIG_DIR

sink_rate=$(rate_of "$sink_out"); gw_rate=$(rate_of "$gw_out")
count() { find "$OUT/chain/var/$1" -path "$2" -type f 2>/dev/null | wc -l; }
printf '\nchain-throughput: corpus messages from %s, %s cores\n' "$DIRS" "$(nproc)"
printf -- '-- postfix smtp-sink\n%s\n' "$sink_out"
printf -- '-- mailgw, full chain (antivirus, 10,000 keywords, model, image heuristic), Maildir+fsync\n%s\n' "$gw_out"
printf 'ratio mailgw/smtp-sink: %.1f%%   gateway peak RSS: %s MB\n' "$(echo "100 * $gw_rate / $sink_rate" | bc -l)" "$rss"
printf 'CPU per timed message: gateway %.2f ms, clamd %.2f ms, the bench client (SmtpBench, the whole process, on the same cores) %.2f ms\n' \
  "$(echo "$gw_cpu / $N" | bc -l)" "$(echo "$clamd_cpu / $N" | bc -l)" "$(echo "$client_cpu / $N" | bc -l)"
if [ "${FLOOR:-1}" = 1 ]; then
  printf -- '-- the same load with fewer filters (same warm-up; the ceiling for the rows above on this machine)\n'
  printf '  %-44s %6s msgs/s  CPU/msg gateway %.2f ms, clamd %.2f ms\n' "SMTP core (no filter), Maildir+fsync" "$core_rate" "$core_gw" "$core_clamd"
  printf '  %-44s %6s msgs/s  CPU/msg gateway %.2f ms, clamd %.2f ms\n' "antivirus only (clamd), Maildir+fsync" "$av_rate" "$av_gw" "$av_clamd"
  printf '  %-44s %6s msgs/s  CPU/msg gateway %.2f ms, clamd %.2f ms\n' "chain without SPF/DKIM/ARC/DMARC" "$noauth_rate" "$noauth_gw" "$noauth_clamd"
  printf 'full chain / chain without sender authentication: %.1f%%\n' "$(echo "100 * $gw_rate / $noauth_rate" | bc -l)"
fi
if [ "${TRACKING:-1}" = 1 ]; then
  printf -- '-- message tracking (the full chain above has it on, in SQLite under Storage:Root)\n'
  printf '  %-44s %6s msgs/s  CPU/msg gateway %.2f ms\n' "full chain, tracking off" "$notrack_rate" "$notrack_gw"
  printf '  %-44s %6s msgs/s  CPU/msg gateway %.2f ms\n' "full chain, tracking in SQLite (the row above)" "$gw_rate" "$(echo "$gw_cpu / $N" | bc -l)"
  printf '  %-44s %6s msgs/s  CPU/msg gateway %.2f ms\n' "full chain, tracking in PostgreSQL" "$pgtrack_rate" "$pgtrack_gw"
  printf 'tracking on / off: SQLite %.1f%%, PostgreSQL %.1f%%\n' "$(echo "100 * $gw_rate / $notrack_rate" | bc -l)" \
    "$(echo "100 * $pgtrack_rate / $notrack_rate" | bc -l)"
fi
printf 'stored (warm-up included): inbox %s, junk %s, archive %s\n' \
  "$(count mail '*/new/*' | awk -v j="$(count mail '*/.Junk/new/*')" '{ print $1 - j }')" \
  "$(count mail '*/.Junk/new/*')" "$(count archive '*.eml')"
printf 'mean latency per filter (ms, over every message the filter ran on, warm-up included):\n'
awk '/^mailgateway_filter_duration_milliseconds_(sum|count)\{/ {
       match($0, /filter="[^"]*"/); f = substr($0, RSTART + 8, RLENGTH - 9)
       if ($0 ~ /_sum\{/) s[f] += $NF; else c[f] += $NF }
     END { for (f in c) if (c[f] > 0) printf "  %-16s %8.3f ms  (%d messages)\n", f, s[f] / c[f], c[f] }' <<<"$metrics" | sort
