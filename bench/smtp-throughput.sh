#!/usr/bin/env bash
# SMTP throughput, side by side in one run: Postfix's smtp-source sends N messages of SIZE bytes over SESSIONS
# parallel sessions to (1) Postfix's smtp-sink, (2) the gateway into Maildir with fsync and no content filter (the
# SMTP core, durable by the default Storage:Sync=FileSystem group commit; again with message tracking off), (3) the same with Storage:Sync=PerFile (an
# fsync of each file and a shared fsync of new/), (4) the full chain with antivirus off, (5) the full chain with
# antivirus on against a local clamd (AV_ROUNDS pairs of off and on). Prints messages/s, ratios and the gateway's peak RSS.
#   N=10000 SESSIONS=20 SIZE=10240 bench/smtp-throughput.sh
source "$(dirname "$0")/lib.sh"
N=${N:-10000}; SESSIONS=${SESSIONS:-20}; SIZE=${SIZE:-10240}
bash "$ROOT/scripts/install-deps.sh"
build_gateway

CLAMD_DIR="$OUT/clamd"; CLAMD_PORT=$(free_port)
bash "$ROOT/scripts/clamd.sh" start "$CLAMD_DIR" "$CLAMD_PORT" >/dev/null
GW_PID=""
trap 'bash "$ROOT/scripts/clamd.sh" stop "$CLAMD_DIR" >/dev/null 2>&1 || true; stop_gateway; remove_discarded' EXIT

SINK_PORT=$(free_port)
/usr/sbin/smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 1000 >/dev/null &
SINK_PID=$!
wait_port "$SINK_PORT"
sink_s=$(time_source "$SINK_PORT" "$N" "$SESSIONS" "$SIZE")
kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true

run_gateway() { # label, extra settings...
  local label=$1; shift
  start_gateway "$label" "$@"
  local s; s=$(time_source "$GW_PORT" "$N" "$SESSIONS" "$SIZE")
  local rss; rss=$(peak_rss_mb "$GW_PID")
  stop_gateway
  local stored; stored=$(find "$OUT/$label/var/mail" -path '*/new/*' -type f | wc -l)
  echo "$s $rss $stored"
}
read -r core_s core_rss core_stored < <(run_gateway gw-core --Antivirus:Enabled=false --Filters:Order:0=None)
# The SMTP core again with message tracking off: what tracking (SQLite, the default) costs where it weighs most.
read -r notrack_s notrack_rss notrack_stored < <(run_gateway gw-core-notrack --Antivirus:Enabled=false --Filters:Order:0=None --Tracking:Enabled=false)
read -r perfile_s perfile_rss perfile_stored < <(run_gateway gw-core-perfile --Antivirus:Enabled=false --Filters:Order:0=None --Storage:Sync=PerFile)
# The full chain runs far more code (MimeKit, ML.NET): with 2,000 warm-up messages perf still showed the runtime's
# tier-1 compiler thread at 11% of the gateway's CPU in the timed run. CHAIN_WARMUP (default 5000) for those rows.
CHAIN_WARMUP=${CHAIN_WARMUP:-5000}
# Antivirus on against off: AV_ROUNDS (default 3) pairs, the order alternating (off-on, on-off, ...), so that the
# machine's drift within a run does not favour one side; the cost quoted is the median of the pairs' costs.
AV_ROUNDS=${AV_ROUNDS:-3}
off_rates=(); on_rates=(); costs=()
run_chain() { # label, antivirus on|off
  if [ "$2" = on ]; then
    WARMUP=$CHAIN_WARMUP run_gateway "$1" --Antivirus:Enabled=true --Antivirus:SocketPath="$(clamd_socket "$CLAMD_DIR")"
  else
    WARMUP=$CHAIN_WARMUP run_gateway "$1" --Antivirus:Enabled=false
  fi
}
for round in $(seq 1 "$AV_ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order="off on"; else order="on off"; fi
  for side in $order; do
    read -r s rss stored < <(run_chain "gw-av-$side" "$side")
    if [ "$side" = on ]; then on_s=$s; on_rss=$rss; on_stored=$stored; else off_s=$s; off_rss=$rss; off_stored=$stored; fi
  done
  off_rates+=("$(rate "$N" "$off_s")"); on_rates+=("$(rate "$N" "$on_s")")
  costs+=("$(echo "100 - 100 * $off_s / $on_s" | bc -l)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
sink_rate=$(rate "$N" "$sink_s"); core_rate=$(rate "$N" "$core_s"); notrack_rate=$(rate "$N" "$notrack_s"); perfile_rate=$(rate "$N" "$perfile_s"); off_rate=$(median "${off_rates[@]}"); on_rate=$(median "${on_rates[@]}")
printf '\nsmtp-throughput: %d messages of %d bytes over %d sessions (smtp-source), %s cores\n' "$N" "$SIZE" "$SESSIONS" "$(nproc)"
printf '(untimed warm-up messages first: %d for smtp-sink and the SMTP core, %d for the full-chain rows; stored counts\n include them; antivirus: clamd over its unix socket, its temporary files on tmpfs)\n' "$WARMUP" "$CHAIN_WARMUP"
printf '%-40s %10s %10s %12s %10s\n' target msgs/s seconds peak_RSS_MB stored
printf '%-40s %10s %10.2f %12s %10s\n' "postfix smtp-sink" "$sink_rate" "$sink_s" - -
printf '%-40s %10s %10.2f %12s %10s\n' "mailgw Maildir (syncfs), no filters" "$core_rate" "$core_s" "$core_rss" "$core_stored"
printf '%-40s %10s %10.2f %12s %10s\n' "  the same, message tracking off" "$notrack_rate" "$notrack_s" "$notrack_rss" "$notrack_stored"
printf '%-40s %10s %10.2f %12s %10s\n' "  the same, fsync per file (PerFile)" "$perfile_rate" "$perfile_s" "$perfile_rss" "$perfile_stored"
printf '%-40s %10s %10s %12s %10s\n' "mailgw Maildir (syncfs), antivirus off" "$off_rate" "median" "$off_rss" "$off_stored"
printf '%-40s %10s %10s %12s %10s\n' "mailgw Maildir (syncfs), antivirus on" "$on_rate" "median" "$on_rss" "$on_stored"
printf 'ratio mailgw(no filters)/smtp-sink: %.1f%% (PerFile: %.1f%%)\n' "$(echo "100 * $core_rate / $sink_rate" | bc -l)" \
  "$(echo "100 * $perfile_rate / $sink_rate" | bc -l)"
printf 'SMTP core, tracking on (SQLite) / off: %.1f%%\n' "$(echo "100 * $core_rate / $notrack_rate" | bc -l)"
printf 'ratio mailgw(av off)/smtp-sink: %.1f%%\n' "$(echo "100 * $off_rate / $sink_rate" | bc -l)"
printf 'antivirus off/on pairs (msgs/s), order alternating: '
for i in "${!costs[@]}"; do printf '%s/%s (cost %.1f%%)  ' "${off_rates[$i]}" "${on_rates[$i]}" "${costs[$i]}"; done
printf '\nantivirus cost, median of %d pairs: %.1f%%\n' "$AV_ROUNDS" "$(median "${costs[@]}")"
