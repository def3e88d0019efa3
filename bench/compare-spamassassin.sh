#!/usr/bin/env bash
# Compares the shipped SCL model with SpamAssassin + Bayes on the same files.
#
# SpamAssassin (Debian's spamassassin + spamc) gets its Bayes store trained with sa-learn on exactly the files the
# SCL model was trained on (mailgw corpus-split), then spamd runs with local tests only (-L) on a loopback port and
# spamc scores the SpamAssassin validation split and the modern evaluation half. The SCL model scores the same
# files in-process (mailgw eval, which also writes each message's log-odds and SCL). One table per split: AUC, recall at FPR <= 0.1% and
# <= 1%, false positives at each system's default threshold (SA: score >= 5.0; SCL: SCL >= 4), messages/s.
#
# Usage: bench/compare-spamassassin.sh [CORPUS_DIR]      (default ../shared/corpus beside the repository)
# Environment: SPAMD_PORT (default 17830), TIME_LIMIT seconds for the whole run (default 3600), KEEP_WORK=1,
# BUILD_LOCK (default /tmp/mailgw-build.lock: the build waits for any other dotnet build on the machine).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=$(cd "${1:-$ROOT/../shared/corpus}" && pwd)
PORT=${SPAMD_PORT:-17830}
TIME_LIMIT=${TIME_LIMIT:-3600}
WORK=$(mktemp -d /tmp/compare-sa.XXXXXX)
SPAMD_PID=""

cleanup() {
    if [[ -n "$SPAMD_PID" ]] && kill -0 "$SPAMD_PID" 2>/dev/null; then
        kill "$SPAMD_PID" 2>/dev/null || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$SPAMD_PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$SPAMD_PID" 2>/dev/null || true
    fi
    [[ "${KEEP_WORK:-0}" == 1 ]] && echo "work files kept in $WORK" >&2 || rm -rf "$WORK"
}
# The whole run is bounded: past TIME_LIMIT the script stops itself (and the EXIT trap stops spamd).
sleep "$TIME_LIMIT" &
WATCHDOG_SLEEP=$!
( wait "$WATCHDOG_SLEEP" 2>/dev/null; while kill -0 "$WATCHDOG_SLEEP" 2>/dev/null; do sleep 1; done
  echo "compare-spamassassin: time limit ${TIME_LIMIT}s reached" >&2; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!
trap 'kill "$WATCHDOG" "$WATCHDOG_SLEEP" 2>/dev/null || true; cleanup' EXIT

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

if ! command -v spamd >/dev/null || ! command -v spamc >/dev/null || ! command -v sa-learn >/dev/null; then
    log "installing spamassassin and spamc"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq spamassassin spamc >/dev/null
fi
SA_VERSION=$(spamassassin --version | head -1)

log "building mailgw (Release)"
flock "${BUILD_LOCK:-/tmp/mailgw-build.lock}" dotnet build "$ROOT/src/Gateway/Gateway.csproj" -c Release -o "$WORK/mailgw" -v quiet -nologo >/dev/null
MAILGW=("dotnet" "$WORK/mailgw/mailgw.dll")

log "splitting the corpus"
"${MAILGW[@]}" corpus-split --corpus "$CORPUS" > "$WORK/split.tsv"
# Folders of symlinks, one per side and label, so both systems read the very same files.
python3 - "$WORK" <<'PY'
import os, sys
work = sys.argv[1]
for line in open(f"{work}/split.tsv"):
    part, set_, label, path = line.rstrip("\n").split("\t")
    os.makedirs(f"{work}/{part}/{label}", exist_ok=True)
    os.symlink(path, f"{work}/{part}/{label}/{set_}-{os.path.basename(path)}")
PY
for part in train validation evaluation; do
    log "$part: $(ls "$WORK/$part/spam" | wc -l) spam, $(ls "$WORK/$part/ham" | wc -l) ham"
done

mkdir -p "$WORK/site" "$WORK/bayes"
# Our own site config directory, but with Debian's *.pre files: they load the plugins (Bayes among them).
cp /etc/spamassassin/*.pre "$WORK/site/"
cat > "$WORK/site/local.cf" <<CF
use_bayes 1
bayes_auto_learn 0
bayes_path $WORK/bayes/bayes
bayes_file_mode 0666
lock_method flock
CF
# Debian keeps the stock rules in /usr/share/spamassassin (sa-update needs the network, which we do not have).
SA_ARGS=(--siteconfigpath="$WORK/site")

log "sa-learn: spam"
sa-learn "${SA_ARGS[@]}" --no-sync --spam "$WORK/train/spam" >&2
log "sa-learn: ham"
sa-learn "${SA_ARGS[@]}" --no-sync --ham "$WORK/train/ham" >&2
sa-learn "${SA_ARGS[@]}" --sync >&2
sa-learn "${SA_ARGS[@]}" --dump magic 2>/dev/null | grep -E "nspam|nham" >&2 || true

log "starting spamd -L on 127.0.0.1:$PORT"
# spamd hands each message to an unprivileged child (nobody), which must read the site config and Bayes store.
chmod a+rx "$WORK"
chmod -R a+rwX "$WORK/bayes" "$WORK/site"
spamd "${SA_ARGS[@]}" -L -x -i 127.0.0.1 -p "$PORT" -m 2 --min-children=2 --min-spare=1 --max-spare=2 \
    -u nobody -s stderr >"$WORK/spamd.log" 2>&1 &
SPAMD_PID=$!
for _ in $(seq 1 120); do
    grep -q "server started" "$WORK/spamd.log" 2>/dev/null && break
    kill -0 "$SPAMD_PID" 2>/dev/null || { cat "$WORK/spamd.log" >&2; exit 1; }
    sleep 1
done
grep -q "server started" "$WORK/spamd.log" || { log "spamd did not start"; cat "$WORK/spamd.log" >&2; exit 1; }

# One line per file: label <TAB> score. spamc -c prints "score/threshold" (exit 1 = spam, not an error).
sa_score() {
    local part=$1 label
    for label in spam ham; do
        find "$WORK/$part/$label" -type l -print0 |
            xargs -0 -P 2 -I{} sh -c 'printf "%s\t%s\n" "$0" "$(spamc -d 127.0.0.1 -p '"$PORT"' -c -t 120 < "{}" | cut -d/ -f1)"' "$label"
    done
}

for part in validation evaluation; do
    log "SpamAssassin scoring $part"
    start=$(date +%s%N)
    sa_score "$part" > "$WORK/sa-$part.tsv"
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 ))" > "$WORK/sa-$part.ms"

    log "SCL model scoring $part"
    # The model alone (mailgw eval), not the whole filter chain of mailgw score: keywords or the allow-list would
    # decide some messages before the model is asked.
    "${MAILGW[@]}" eval --spam "$WORK/$part/spam" --ham "$WORK/$part/ham" --scores "$WORK/scl-$part.tsv" > "$WORK/scl-$part.eval"
done

python3 - "$WORK" "$SA_VERSION" <<'PY'
import re, sys
work, sa_version = sys.argv[1], sys.argv[2]

def metrics(rows, default_flag):
    # rows: (is_spam, score); default_flag(score) -> flagged at the system's default threshold
    spam = sum(1 for s, _ in rows if s); ham = len(rows) - spam
    ranked = sorted(rows, key=lambda r: r[1])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][1] == ranked[i][1]:
            j += 1
        avg = (i + j + 2) / 2
        rank_sum += avg * sum(1 for k in range(i, j + 1) if ranked[k][0])
        i = j + 1
    auc = (rank_sum - spam * (spam + 1) / 2) / (spam * ham)
    def recall_at(max_fpr):
        allowed = int(ham * max_fpr + 1e-9)
        desc = sorted(rows, key=lambda r: -r[1]); tp = fp = best = 0; i = 0
        while i < len(desc):
            j = i
            while j < len(desc) and desc[j][1] == desc[i][1]:
                tp += desc[j][0]; fp += not desc[j][0]; j += 1
            if fp > allowed: break
            best = tp; i = j
        return best / spam
    fp = sum(1 for s, v in rows if not s and default_flag(v))
    tp = sum(1 for s, v in rows if s and default_flag(v))
    return dict(n=len(rows), spam=spam, ham=ham, auc=auc, r01=recall_at(0.001), r1=recall_at(0.01),
                fp=fp, tp=tp)

for part, title in (("validation", "SpamAssassin validation split"), ("evaluation", "modern evaluation half")):
    sa_rows = []
    for line in open(f"{work}/sa-{part}.tsv"):
        label, score = line.rstrip("\n").split("\t")
        try: sa_rows.append((label == "spam", float(score)))
        except ValueError: pass
    sa_seconds = float(open(f"{work}/sa-{part}.ms").read()) / 1000
    scl_rows = []
    for line in open(f"{work}/scl-{part}.tsv"):
        # Ranked by log-odds: the probability rounds to 1.000000 for the spammiest mail.
        path, label, log_odds, scl = line.rstrip("\n").split("\t")[:4]
        scl_rows.append((label == "spam", float(log_odds), int(scl)))
    rate = float(re.search(r"messages/s (\d+)", open(f"{work}/scl-{part}.eval").read()).group(1))
    sa = metrics(sa_rows, lambda v: v >= 5.0)
    # SCL >= 4 is the default junk threshold.
    scl = metrics([(s, p) for s, p, _ in scl_rows], lambda v: False)
    scl["fp"] = sum(1 for s, _, c in scl_rows if not s and c >= 4)
    scl["tp"] = sum(1 for s, _, c in scl_rows if s and c >= 4)
    sa_rate = len(sa_rows) / sa_seconds
    print(f"\n{title}: {scl['n']} messages ({scl['spam']} spam, {scl['ham']} ham)")
    print(f"| system | n scored | AUC | recall @ FPR<=0.1% | recall @ FPR<=1% | FP at default (recall) | messages/s |")
    print(f"|---|---|---|---|---|---|---|")
    print(f"| SCL model (SCL>=4) | {scl['n']} | {scl['auc']:.5f} | {scl['r01']:.2%} | {scl['r1']:.2%} | {scl['fp']} of {scl['ham']} ({scl['tp']/scl['spam']:.2%}) | {rate:.0f} |")
    print(f"| {sa_version.replace('SpamAssassin version', 'SpamAssassin')} -L + Bayes (score>=5) | {sa['n']} | {sa['auc']:.5f} | {sa['r01']:.2%} | {sa['r1']:.2%} | {sa['fp']} of {sa['ham']} ({sa['tp']/sa['spam']:.2%}) | {sa_rate:.1f} |")
    print(f"speed ratio (SCL in-process / spamd via spamc, both on 2 cores): {rate / sa_rate:.0f}x")
PY
