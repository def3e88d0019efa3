#!/usr/bin/env bash
# Runs a private clamd with the project's own test signature database.
#
#   scripts/clamd.sh start DIR PORT   install clamd if missing, build DIR/db, write DIR/clamd.conf, start clamd on
#                                     127.0.0.1:PORT and on the unix socket DIR/clamd.sock, wait until it answers PING
#   scripts/clamd.sh stop DIR         stop the clamd started with DIR
#   scripts/clamd.sh status DIR       exit 0 when that clamd answers PING
#
# Environment: CLAMD_STREAM_MAX_LENGTH (default 50M, above Smtp:MaxMessageBytes), CLAMD_START_TIMEOUT seconds (default 120),
# CLAMD_MAX_THREADS (default 1: see docs/antivirus.md).
# Used by the test fixture, the quick start and CI. Idempotent: a second start with the same DIR and PORT returns at
# once when that clamd already answers. Production uses freshclam's official databases instead (docs/antivirus.md).
set -euo pipefail

usage() {
    echo "usage: $0 start DIR PORT | stop DIR | status DIR" >&2
    exit 2
}

log() { echo "clamd.sh: $*" >&2; }

install_if_missing() {
    if command -v clamd >/dev/null 2>&1 && command -v sigtool >/dev/null 2>&1 \
        && [ -f /usr/share/clamav-testfiles/clam.exe ]; then
        return
    fi
    # Two test runs may start at once: one installs, the other waits and then finds it installed.
    exec 9>/tmp/mailgateway-clamav-install.lock
    flock -w 600 9 || { log "timed out waiting for another install"; exit 1; }
    if command -v clamd >/dev/null 2>&1 && command -v sigtool >/dev/null 2>&1 \
        && [ -f /usr/share/clamav-testfiles/clam.exe ]; then
        exec 9>&-
        return
    fi
    log "installing clamav-daemon, clamav, clamav-testfiles"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q >&2
    $sudo apt-get install -y -q -o DPkg::Lock::Timeout=300 clamav-daemon clamav clamav-testfiles >&2
    exec 9>&-
    # The packaged clamd (unix socket /run/clamav/clamd.ctl, no TCP) and freshclam have no database or no network
    # here and only fail; keep them from restarting. Ours uses its own socket, port and database.
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        $sudo systemctl disable --now clamav-daemon.socket clamav-daemon clamav-freshclam >/dev/null 2>&1 || true
    fi
}

# The EICAR test string, assembled here so that no file in the repository is itself a test virus.
eicar() {
    printf '%s%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$' 'EICAR-STANDARD-ANTIVIRUS' '-TEST-FILE!$H+H*'
}

build_database() {
    local db="$1"
    local tmp
    tmp="$(mktemp -d)"
    # Matches the string anywhere in any scanned target (raw message, decoded attachment, archive member).
    echo "Eicar-Test-Signature:0:*:$(eicar | od -An -v -tx1 | tr -d ' \n')" >"$tmp/mailgateway-test.ndb"
    : >"$tmp/mailgateway-test.hdb"
    local f
    for f in /usr/share/clamav-testfiles/*; do
        [ -f "$f" ] || continue
        # sigtool names each signature after the file (clam.exe, clam.zip, ...).
        (cd "$(dirname "$f")" && sigtool --md5 "$(basename "$f")") >>"$tmp/mailgateway-test.hdb"
    done
    mkdir -p "$db"
    mv -f "$tmp/mailgateway-test.ndb" "$tmp/mailgateway-test.hdb" "$db/"
    rmdir "$tmp"
}

write_config() {
    local dir="$1" port="$2"
    cat >"$dir/clamd.conf" <<CONF
# Written by scripts/clamd.sh; test signatures only.
Foreground yes
LogFile $dir/clamd.log
LogTime yes
LogVerbose no
PidFile $dir/clamd.pid
DatabaseDirectory $dir/db
TemporaryDirectory $(cat "$dir/tmpdir")
TCPSocket $port
TCPAddr 127.0.0.1
LocalSocket $dir/clamd.sock
LocalSocketMode 660
StreamMaxLength ${CLAMD_STREAM_MAX_LENGTH:-50M}
MaxThreads ${CLAMD_MAX_THREADS:-1}
MaxQueue 100
ReadTimeout 30
CommandReadTimeout 10
SelfCheck 0
ScanMail yes
ScanArchive yes
ScanPE yes
ScanOLE2 yes
ScanPDF yes
ScanHTML yes
AlertBrokenExecutables no
CONF
}

# PING over TCP with bash's /dev/tcp (no client package needed); succeeds when clamd answers PONG.
ping_clamd() {
    local dir="$1"
    [ -f "$dir/port" ] || return 1
    local port reply=""
    port="$(cat "$dir/port")"
    (
        exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
        printf 'zPING\0' >&3
        IFS= read -r -d '' -t 5 reply <&3 || true
        [ "$reply" = "PONG" ]
    ) 2>/dev/null
}

pid_alive() {
    local dir="$1"
    [ -f "$dir/clamd.pid.launcher" ] && kill -0 "$(cat "$dir/clamd.pid.launcher")" 2>/dev/null
}

start() {
    local dir="$1" port="$2"
    [[ "$port" =~ ^[0-9]+$ ]] || usage
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if pid_alive "$dir" && ping_clamd "$dir"; then
        log "already running in $dir"
        return
    fi
    install_if_missing
    # clamd writes every INSTREAM upload and every extracted part to a temporary file. On memory, as with Debian's
    # default TemporaryDirectory /tmp on a tmpfs, that costs no inode churn on the disk the mail store uses.
    local tmpdir="${CLAMD_TMPDIR:-}"
    if [ -z "$tmpdir" ]; then
        if [ -d /dev/shm ] && [ -w /dev/shm ]; then
            tmpdir="$(mktemp -d /dev/shm/mailgw-clamd.XXXXXX)"
        else
            tmpdir="$dir/tmp"
        fi
    fi
    mkdir -p "$tmpdir"
    echo "$tmpdir" >"$dir/tmpdir"
    build_database "$dir/db"
    write_config "$dir" "$port"
    echo "$port" >"$dir/port"
    rm -f "$dir/clamd.sock"
    nohup clamd --config-file="$dir/clamd.conf" >"$dir/clamd.stdout" 2>&1 </dev/null &
    echo $! >"$dir/clamd.pid.launcher"
    local deadline=$((SECONDS + ${CLAMD_START_TIMEOUT:-120}))
    until ping_clamd "$dir"; do
        if ! pid_alive "$dir"; then
            log "clamd exited during start-up; log follows"
            tail -n 30 "$dir/clamd.log" "$dir/clamd.stdout" >&2 2>/dev/null || true
            exit 1
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "clamd did not answer PING in time"
            stop "$dir"
            exit 1
        fi
        sleep 0.2
    done
    log "clamd $(clamd --version) listening on 127.0.0.1:$port and $dir/clamd.sock"
}

stop() {
    local dir="$1"
    [ -d "$dir" ] || return 0
    local pidfile="$dir/clamd.pid.launcher"
    [ -f "$pidfile" ] || return 0
    local pid
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        local i
        for i in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile" "$dir/clamd.sock"
    if [ -f "$dir/tmpdir" ]; then
        local tmpdir
        tmpdir="$(cat "$dir/tmpdir")"
        case "$tmpdir" in /dev/shm/mailgw-clamd.*) rm -rf "$tmpdir" ;; esac
        rm -f "$dir/tmpdir"
    fi
}

case "${1:-}" in
    start) [ $# -eq 3 ] || usage; start "$2" "$3" ;;
    stop) [ $# -eq 2 ] || usage; stop "$2" ;;
    status) [ $# -eq 2 ] || usage; ping_clamd "$(cd "$2" && pwd)" ;;
    *) usage ;;
esac
