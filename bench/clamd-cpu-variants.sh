#!/usr/bin/env bash
# Runs bench/clamd-cpu.py against clamd variants that differ from scripts/clamd.sh's clamd.conf by the given settings.
#
#   bench/clamd-cpu-variants.sh SETS REPS 'name=Key value[;Key value...]' ...   ('baseline=' for no change)
# SETS: plain, sa or plain,sa (both against the same clamd).
#
# For each repetition and each variant in turn (A B C A B C ...): scripts/clamd.sh start into a fresh DIR, edit
# DIR/clamd.conf, restart clamd with it, run the harness, stop.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
set_name="$1"; reps="$2"; shift 2
port=$((30000 + RANDOM % 20000))

wait_ping() {
    local sock="$1" i
    for i in $(seq 1 600); do
        if python3 - "$sock" <<'PY' 2>/dev/null; then return 0; fi
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1]); s.sendall(b"zPING\0")
sys.exit(0 if s.recv(16).startswith(b"PONG") else 1)
PY
        sleep 0.2
    done
    return 1
}

for rep in $(seq 1 "$reps"); do
    for spec in "$@"; do
        name="${spec%%=*}"; settings="${spec#*=}"
        dir="$(mktemp -d /tmp/clamd-cpu.XXXXXX)"
        "$root/scripts/clamd.sh" start "$dir" "$port" 2>/dev/null
        if [ -n "$settings" ]; then
            pid="$(cat "$dir/clamd.pid.launcher")"
            kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
            IFS=';' read -ra kvs <<<"$settings"
            for kv in "${kvs[@]}"; do
                key="${kv%% *}"
                sed -i "/^$key /d" "$dir/clamd.conf"
                echo "$kv" >>"$dir/clamd.conf"
            done
            rm -f "$dir/clamd.sock"
            nohup clamd --config-file="$dir/clamd.conf" >"$dir/clamd.stdout" 2>&1 </dev/null &
            echo $! >"$dir/clamd.pid.launcher"
            wait_ping "$dir/clamd.sock" || { echo "$name: clamd did not start"; tail "$dir/clamd.log" "$dir/clamd.stdout"; }
        fi
        for s in ${set_name//,/ }; do
            python3 "$root/bench/clamd-cpu.py" --socket "$dir/clamd.sock" --pid "$(cat "$dir/clamd.pid.launcher")" \
                --set "$s" --label "rep$rep $name" ${HARNESS_ARGS:-} || true
        done
        "$root/scripts/clamd.sh" stop "$dir"
        rm -rf "$dir"
    done
done
