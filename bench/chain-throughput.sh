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
# Every gateway is started and warmed up once, then all are timed in ROUNDS rounds (default 3), the rows in a rotated
# order each round; each ratio is the median of the per-round ratios, printed with every round's, because the shared
# machine's speed drifts by more than some of the differences measured here between runs minutes apart. The tracking
# rows are also timed paired (PAIRED_ROUNDS, default ROUNDS): two gateways loaded at once by one client, their rates'
# ratio taken within the same seconds.
#   N=5000 SESSIONS=20 ROUNDS=3 bench/chain-throughput.sh
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
declare -A ROW_PID ROW_PORT ROW_RATES ROW_GW ROW_CLAMD
ROWS=()
stop_rows() { for name in "${ROWS[@]}"; do kill -TERM "${ROW_PID[$name]}" 2>/dev/null || true; done
              for name in "${ROWS[@]}"; do wait "${ROW_PID[$name]}" 2>/dev/null || true; done; ROWS=(); }
stop_postgres() { [ -n "$PG_DIR" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true; }
trap 'stop_rows; stop_postgres; [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null; bash "$ROOT/scripts/clamd.sh" stop "$CLAMD_DIR" >/dev/null 2>&1 || true; remove_discarded' EXIT

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

# The rows: each a gateway started once and warmed up once, then timed in ROUNDS rounds (default 3) of N messages each,
# the rows taken in a rotated order each round, so that a drift of the shared machine's speed falls on every row alike.
# A ratio between two rows is taken within each round and the median of the rounds is printed, with its range.
#   chain        the full chain (the shipped Filters:Order; tracking on, in SQLite under Storage:Root)
#   core         the SMTP core alone, Filters:Order ["None"] (parse, spool, Maildir+fsync)
#   av-only      the core plus clamd: the most any content filter chain with antivirus can reach on this machine
#   no-auth      the chain without the issue-19 stages (SPF, DKIM, ARC, DMARC, S/MIME, DNS lists, attachment policy)
#   tracking-off the full chain with message tracking off; tracking-pg: in a throwaway PostgreSQL on loopback
ROUNDS=${ROUNDS:-3}
rate_of() { sed -n 's/^msgs\/s: \([0-9]*\).*/\1/p' <<<"$1"; }
# start_row NAME ORDER [--Key=Value ...]: ORDER is a JSON array for Filters:Order, or "shipped".
start_row() {
  local name=$1 order=$2; shift 2
  local conf="$OUT/chain-config-$name"; rm -rf "$conf"; cp -r "$CONFIG" "$conf"
  if [ "$order" != shipped ]; then
    python3 - "$conf/appsettings.json" "$order" <<'PY'
import json, re, sys
path = sys.argv[1]
text = re.sub(r"^\s*//.*$", "", open(path).read(), flags=re.M)
settings = json.loads(text)
settings.setdefault("Filters", {})["Order"] = json.loads(sys.argv[2])
json.dump(settings, open(path, "w"), indent=2)
PY
  fi
  local dir=chain; [ "$name" = chain ] || dir="chain-$name"
  MAILGW_CONFIG_DIR="$conf" start_gateway "$dir" --Antivirus:Enabled="${ANTIVIRUS:-true}" \
    --Antivirus:SocketPath="$(clamd_socket "$CLAMD_DIR")" "$@"
  ROW_PID[$name]=$GW_PID; ROW_PORT[$name]=$GW_PORT; ROWS+=("$name")
  [ "$WARMUP" -gt 0 ] && send "$GW_PORT" "$WARMUP" 0 >/dev/null
  return 0
}
# time_row NAME: N timed messages; appends the rate and the gateway's and clamd's CPU per message to the row's lists.
time_row() {
  local name=$1 pid=${ROW_PID[$1]} clamd_pid g0 c0 out
  clamd_pid=$(cat "$CLAMD_DIR/clamd.pid"); g0=$(cpu_ms "$pid"); c0=$(cpu_ms "$clamd_pid")
  out=$(send "${ROW_PORT[$name]}" "$N" 0)
  ROW_RATES[$name]+="$(rate_of "$out") "
  ROW_GW[$name]+="$(echo "($(cpu_ms "$pid") - $g0) / $N" | bc -l) "
  ROW_CLAMD[$name]+="$(echo "($(cpu_ms "$clamd_pid") - $c0) / $N" | bc -l) "
  [ "$name" = chain ] && gw_out=$out
  return 0
}
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# rounds "V1 V2 ...": per-round percentages printed as "median% (rounds V1 V2 ...)".
rounds() { printf '%.1f%% (rounds %s)' "$(median <<<"$1")" "$(for x in $1; do printf '%.1f ' "$x"; done | sed 's/ $//')"; }
# ratio A B: per-round 100*A/B.
ratio() {
  local a=(${ROW_RATES[$1]}) b=(${ROW_RATES[$2]}) r=""
  for i in "${!a[@]}"; do r+="$(echo "100 * ${a[$i]} / ${b[$i]}" | bc -l) "; done
  rounds "$r"
}

ADMIN_PORT=$(free_port)
start_row chain shipped --Admin:Url="http://127.0.0.1:$ADMIN_PORT"
if [ "${FLOOR:-1}" = 1 ]; then
  start_row core '["None"]'
  start_row av-only '["Antivirus"]'
  start_row no-auth '["AllowList","Antivirus","Keywords","Model","ImageHeuristic","Bulk"]'
fi
if [ "${TRACKING:-1}" = 1 ]; then
  start_row tracking-off shipped --Tracking:Enabled=false
  # A throwaway PostgreSQL cluster (PostgreSQL refuses to run as root: initdb and pg_ctl as the postgres user).
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_DIR="$OUT/postgres"; rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"; chown postgres:postgres "$PG_DIR"
  PG_PORT=$(free_port)
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
  start_row tracking-pg shipped --Tracking:ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
fi
client_cpu0=$(child_cpu_ms); chain_timed=0
for round in $(seq 1 "$ROUNDS"); do
  count=${#ROWS[@]}
  for i in $(seq 0 $((count - 1))); do
    name=${ROWS[$(( (i + round - 1) % count ))]}
    if [ "$name" = chain ]; then c0=$(child_cpu_ms); time_row chain; chain_timed=$((chain_timed + $(child_cpu_ms) - c0)); else time_row "$name"; fi
  done
done
client_cpu=$chain_timed
# Paired: two rows timed at once, SESSIONS sessions each from one bench client taking messages from one shared count
# (2N), so that both see the same load of the shared machine at the same moment; the ratio of their rates is taken
# within the run. Alternate rounds swap which port comes first. Only the tracking rows, whose difference is smaller
# than the drift between rounds timed one after the other.
declare -A PAIRED
# Also each side's gateway CPU per message in the same seconds (PAIRED_CPU: on / off).
declare -A PAIRED_CPU
paired() {
  local a=$1 b=$2 round=$3 out r ga gb first second
  first=$a; second=$b; [ $((round % 2)) = 1 ] || { first=$b; second=$a; }
  ga=$(cpu_ms "${ROW_PID[$a]}"); gb=$(cpu_ms "${ROW_PID[$b]}")
  out=$(send "${ROW_PORT[$first]},${ROW_PORT[$second]}" $((2 * N)) 0)
  ga=$(( $(cpu_ms "${ROW_PID[$a]}") - ga )); gb=$(( $(cpu_ms "${ROW_PID[$b]}") - gb ))
  # Both sides ran for the same seconds, so CPU per message compares as CPU / rate.
  local rate_a rate_b
  rate_a=$(sed -n "s/^port ${ROW_PORT[$a]} msgs\/s: \([0-9]*\).*/\1/p" <<<"$out")
  rate_b=$(sed -n "s/^port ${ROW_PORT[$b]} msgs\/s: \([0-9]*\).*/\1/p" <<<"$out")
  r=$(echo "100 * $rate_a / $rate_b" | bc -l)
  PAIRED[$a]+="$r "
  PAIRED_CPU[$a]+="$(echo "100 * ($ga / $rate_a) / ($gb / $rate_b)" | bc -l) "
}
if [ "${TRACKING:-1}" = 1 ]; then
  for round in $(seq 1 "${PAIRED_ROUNDS:-$ROUNDS}"); do
    paired chain tracking-off "$round"; paired tracking-pg tracking-off "$round"
  done
fi
metrics=$(curl -s "http://127.0.0.1:$ADMIN_PORT/metrics")
rss=$(peak_rss_mb "${ROW_PID[chain]}")
stop_rows; stop_postgres
unset MAILGW_CONFIG_DIR
row_rate() { median <<<"${ROW_RATES[$1]}"; }
row_gw() { median <<<"${ROW_GW[$1]}"; }
row_clamd() { median <<<"${ROW_CLAMD[$1]}"; }

sink_rate=$(rate_of "$sink_out"); gw_rate=$(row_rate chain)
count() { find "$OUT/chain/var/$1" -path "$2" -type f 2>/dev/null | wc -l; }
printf '\nchain-throughput: corpus messages from %s, %s cores; %s rounds of %s timed messages per row\n' "$DIRS" "$(nproc)" "$ROUNDS" "$N"
printf -- '-- postfix smtp-sink\n%s\n' "$sink_out"
printf -- '-- mailgw, full chain (the shipped Filters:Order, 10,000 keywords, tracking in SQLite), Maildir+fsync; its last round:\n%s\n' "$gw_out"
printf 'full chain, median of the rounds: %s msgs/s (rounds %s); ratio to smtp-sink %.1f%%   gateway peak RSS: %s MB\n' \
  "$gw_rate" "$(echo ${ROW_RATES[chain]})" "$(echo "100 * $gw_rate / $sink_rate" | bc -l)" "$rss"
printf 'CPU per timed message (medians): gateway %.2f ms, clamd %.2f ms, the bench client (SmtpBench, the whole process, on the same cores) %.2f ms\n' \
  "$(row_gw chain)" "$(row_clamd chain)" "$(echo "$client_cpu / ($N * $ROUNDS)" | bc -l)"
printf -- '-- every row, medians of the rounds\n'
for name in chain core av-only no-auth tracking-off tracking-pg; do
  [ -n "${ROW_RATES[$name]:-}" ] || continue
  printf '  %-13s %6s msgs/s  (rounds %-17s)  CPU/msg gateway %.2f ms, clamd %.2f ms\n' "$name" "$(row_rate "$name")" \
    "$(echo ${ROW_RATES[$name]})" "$(row_gw "$name")" "$(row_clamd "$name")"
done
if [ "${FLOOR:-1}" = 1 ]; then
  printf 'full chain / chain without the sender-level stages (no-auth): %s\n' "$(ratio chain no-auth)"
fi
if [ "${TRACKING:-1}" = 1 ]; then
  printf 'tracking on / off: SQLite (chain / tracking-off) %s, PostgreSQL (tracking-pg / tracking-off) %s\n' \
    "$(ratio chain tracking-off)" "$(ratio tracking-pg tracking-off)"
  printf 'tracking on / off, paired (timed at once, %s sessions each): SQLite %s, PostgreSQL %s\n' "$SESSIONS" \
    "$(rounds "${PAIRED[chain]}")" "$(rounds "${PAIRED[tracking-pg]}")"
  printf 'gateway CPU per message, tracking on / off, paired: SQLite %s, PostgreSQL %s\n' \
    "$(rounds "${PAIRED_CPU[chain]}")" "$(rounds "${PAIRED_CPU[tracking-pg]}")"
fi
printf 'stored (warm-up included): inbox %s, junk %s, archive %s\n' \
  "$(count mail '*/new/*' | awk -v j="$(count mail '*/.Junk/new/*')" '{ print $1 - j }')" \
  "$(count mail '*/.Junk/new/*')" "$(count archive '*.eml')"
printf 'mean latency per filter (ms, over every message the filter ran on, warm-up included):\n'
awk '/^mailgateway_filter_duration_milliseconds_(sum|count)\{/ {
       match($0, /filter="[^"]*"/); f = substr($0, RSTART + 8, RLENGTH - 9)
       if ($0 ~ /_sum\{/) s[f] += $NF; else c[f] += $NF }
     END { for (f in c) if (c[f] > 0) printf "  %-16s %8.3f ms  (%d messages)\n", f, s[f] / c[f], c[f] }' <<<"$metrics" | sort
