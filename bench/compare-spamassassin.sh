#!/usr/bin/env bash
# Compares the SCL model's cross-validated figures with SpamAssassin + Bayes on the very same folds.
#
# The folds are those of `mailgw eval --cv` (FNV-1a of "seed:file name", spam and ham hashed apart): the script reads
# them, with the model's out-of-fold log-odds and SCL, from that command's --scores file. For each fold it runs, a fresh
# SpamAssassin Bayes store is trained with sa-learn on the training files of the other folds, spamd runs with local
# tests only (-L) on a loopback port, and spamc scores the fold's files. Both systems are then judged on the same
# held-out files: AUC, recall at FPR <= 0.1% / 0.5% / 1%, and what each does at its default (SpamAssassin: score >= 5;
# the model: junk at SCL >= 4, archive at SCL >= 7, as config/thresholds.json ships), per fold and over all folds run.
#
# Usage: bench/compare-spamassassin.sh [CORPUS_DIR]       (default ../shared/corpus beside the repository)
# Environment:
#   CV_SCORES   an existing `mailgw eval --cv --scores FILE` file; without it the script builds mailgw and runs
#               `eval --cv --folds $FOLDS --seeds $SEED --learner $LEARNER $EVAL_ARGS --scores ...` itself
#   SEED        the repeat whose folds are used (default 42); FOLDS (default 5); LEARNER (default linear)
#   EVAL_ARGS   more eval arguments, e.g. "--tree-rounds 100 --tree-learning-rate 0.2"
#   RUN_FOLDS   which folds to run, 0-based, space-separated (default all): sa-learn of ~7,900 messages and spamd
#               scoring of ~2,000 per fold take several minutes each even on a quiet 2-core machine
#   SPAMD_PORT (default 17830), TIME_LIMIT seconds for the whole run (default 7200), KEEP_WORK=1,
#   BUILD_LOCK (default /tmp/mailgw-build.lock: the build waits for any other dotnet build on the machine)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=$(cd "${1:-$ROOT/../shared/corpus}" && pwd)
PORT=${SPAMD_PORT:-17830}
TIME_LIMIT=${TIME_LIMIT:-7200}
SEED=${SEED:-42}
FOLDS=${FOLDS:-5}
LEARNER=${LEARNER:-linear}
WORK=$(mktemp -d /tmp/compare-sa.XXXXXX)
SPAMD_PID=""

stop_spamd() {
    if [[ -n "$SPAMD_PID" ]] && kill -0 "$SPAMD_PID" 2>/dev/null; then
        kill "$SPAMD_PID" 2>/dev/null || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$SPAMD_PID" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$SPAMD_PID" 2>/dev/null || true
    fi
    SPAMD_PID=""
}
cleanup() {
    stop_spamd
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

if [[ -n "${CV_SCORES:-}" ]]; then
    cp "$CV_SCORES" "$WORK/cv-scores.tsv"
    log "folds and model scores from $CV_SCORES"
else
    log "building mailgw (Release)"
    flock "${BUILD_LOCK:-/tmp/mailgw-build.lock}" dotnet build "$ROOT/src/Gateway/Gateway.csproj" -c Release -o "$WORK/mailgw" -v quiet -nologo >/dev/null
    log "mailgw eval --cv --folds $FOLDS --seeds $SEED --learner $LEARNER ${EVAL_ARGS:-}"
    # shellcheck disable=SC2086 # EVAL_ARGS is a list of arguments
    (cd "$ROOT" && dotnet "$WORK/mailgw/mailgw.dll" eval --corpus "$CORPUS" --cv --folds "$FOLDS" --seeds "$SEED" \
        --learner "$LEARNER" ${EVAL_ARGS:-} --scores "$WORK/cv-scores.tsv") > "$WORK/cv.txt"
    cat "$WORK/cv.txt" >&2
fi

# Folders of symlinks per fold: train/{spam,ham} = the seed's other folds, test/{spam,ham} = the fold.
# Paths in the scores file are as mailgw eval was given them: relative ones are relative to the repository root.
python3 - "$WORK" "$SEED" "${RUN_FOLDS:-}" "$ROOT" <<'PY'
import os, sys
work, seed, run, root = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4]
rows = []
with open(f"{work}/cv-scores.tsv") as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        r = dict(zip(header, line.rstrip("\n").split("\t")))
        if r["seed"] == seed:
            rows.append(r)
if not rows:
    sys.exit(f"no rows for seed {seed} in the scores file")
folds = sorted({r["fold"] for r in rows}, key=int)
run = run or folds
for fold in run:
    for i, r in enumerate(rows):
        side = "test" if r["fold"] == fold else "train"
        d = f"{work}/fold{fold}/{side}/{r['label']}"
        os.makedirs(d, exist_ok=True)
        os.symlink(os.path.normpath(os.path.join(root, r["path"])), f"{d}/{i:05d}-{os.path.basename(r['path'])}")
open(f"{work}/run-folds", "w").write(" ".join(run))
PY
read -r -a RUN <<< "$(cat "$WORK/run-folds")"

# One line per file: symlink name <TAB> label <TAB> score. spamc -c prints "score/threshold" (exit 1 = spam).
sa_score() {
    local dir=$1 label
    for label in spam ham; do
        find "$dir/$label" -type l -print0 |
            xargs -0 -P 2 -I{} sh -c 'printf "%s\t%s\t%s\n" "$(basename "$0")" "$1" "$(spamc -d 127.0.0.1 -p '"$PORT"' -c -t 120 < "$0" | cut -d/ -f1)"' {} "$label"
    done
}

for fold in "${RUN[@]}"; do
    F="$WORK/fold$fold"
    log "fold $fold: train $(ls "$F/train/spam" | wc -l) spam, $(ls "$F/train/ham" | wc -l) ham; test $(ls "$F/test/spam" | wc -l) spam, $(ls "$F/test/ham" | wc -l) ham"
    mkdir -p "$F/site" "$F/bayes"
    # Our own site config directory, but with Debian's *.pre files: they load the plugins (Bayes among them).
    cp /etc/spamassassin/*.pre "$F/site/"
    cat > "$F/site/local.cf" <<CF
use_bayes 1
bayes_auto_learn 0
bayes_path $F/bayes/bayes
bayes_file_mode 0666
lock_method flock
CF
    # Debian keeps the stock rules in /usr/share/spamassassin (sa-update needs the network, which we do not have).
    SA_ARGS=(--siteconfigpath="$F/site")
    start=$(date +%s)
    log "fold $fold: sa-learn"
    sa-learn "${SA_ARGS[@]}" --no-sync --spam "$F/train/spam" >&2
    sa-learn "${SA_ARGS[@]}" --no-sync --ham "$F/train/ham" >&2
    sa-learn "${SA_ARGS[@]}" --sync >&2
    magic=$(sa-learn "${SA_ARGS[@]}" --dump magic 2>/dev/null | grep -E "nspam|nham" || true)
    echo "$magic" >&2
    if ! awk '$3 > 0 { n++ } END { exit n == 2 ? 0 : 1 }' <<< "$magic"; then log "fold $fold: sa-learn learned nothing"; exit 1; fi
    echo "$(( $(date +%s) - start ))" > "$F/learn.s"

    log "fold $fold: spamd -L on 127.0.0.1:$PORT"
    # spamd hands each message to an unprivileged child (nobody), which must read the site config and Bayes store.
    chmod a+rx "$WORK" "$F"
    chmod -R a+rwX "$F/bayes" "$F/site"
    spamd "${SA_ARGS[@]}" -L -x -i 127.0.0.1 -p "$PORT" -m 2 --min-children=2 --min-spare=1 --max-spare=2 \
        -u nobody -s stderr >"$F/spamd.log" 2>&1 &
    SPAMD_PID=$!
    for _ in $(seq 1 120); do
        grep -q "server started" "$F/spamd.log" 2>/dev/null && break
        kill -0 "$SPAMD_PID" 2>/dev/null || { cat "$F/spamd.log" >&2; exit 1; }
        sleep 1
    done
    grep -q "server started" "$F/spamd.log" || { log "spamd did not start"; cat "$F/spamd.log" >&2; exit 1; }
    log "fold $fold: SpamAssassin scoring"
    start=$(date +%s%N)
    sa_score "$F/test" > "$F/sa.tsv"
    echo "$(( ($(date +%s%N) - start) / 1000000 ))" > "$F/score.ms"
    stop_spamd
done

python3 - "$WORK" "$SEED" "$SA_VERSION" "$ROOT" <<'PY'
import os, sys
work, seed, sa_version, root = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
run = open(f"{work}/run-folds").read().split()

def metrics(rows):
    """rows: (is_spam, score). AUC (ties count half) and recall at FPR <= 0.1%, 0.5%, 1% (ties never split)."""
    spam = sum(1 for s, _ in rows if s); ham = len(rows) - spam
    ranked = sorted(rows, key=lambda r: r[1]); rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][1] == ranked[i][1]:
            j += 1
        rank_sum += (i + j + 2) / 2 * sum(1 for k in range(i, j + 1) if ranked[k][0]); i = j + 1
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
    return dict(n=len(rows), spam=spam, ham=ham, auc=auc, r01=recall_at(0.001), r05=recall_at(0.005), r1=recall_at(0.01))

model = {}
with open(f"{work}/cv-scores.tsv") as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        r = dict(zip(header, line.rstrip("\n").split("\t")))
        if r["seed"] == seed:
            model[os.path.normpath(os.path.join(root, r["path"]))] = (r["label"] == "spam", float(r["log_odds"]), int(r["scl"]), r["fold"])

def table(title, folds):
    sa_rows, scl_rows, learn, score_ms, unscored = [], [], 0, 0, 0
    for fold in folds:
        F = f"{work}/fold{fold}"
        names = {}
        for label in ("spam", "ham"):
            for name in os.listdir(f"{F}/test/{label}"):
                names[name] = os.readlink(f"{F}/test/{label}/{name}")
        for line in open(f"{F}/sa.tsv"):
            name, label, score = line.rstrip("\n").split("\t")
            try:
                sa_rows.append((label == "spam", float(score)))
            except ValueError:
                unscored += 1
        scl_rows += [model[p] for p in names.values()]
        learn += int(open(f"{F}/learn.s").read()); score_ms += int(open(f"{F}/score.ms").read())
    sa, scl = metrics(sa_rows), metrics([(s, v) for s, v, _, _ in scl_rows])
    sa_fp = sum(1 for s, v in sa_rows if not s and v >= 5); sa_tp = sum(1 for s, v in sa_rows if s and v >= 5)
    junk_fp = sum(1 for s, _, c, _ in scl_rows if not s and c >= 4); junk_tp = sum(1 for s, _, c, _ in scl_rows if s and c >= 4)
    arch_fp = sum(1 for s, _, c, _ in scl_rows if not s and c >= 7); arch_tp = sum(1 for s, _, c, _ in scl_rows if s and c >= 7)
    print(f"\n{title}: {scl['n']} held-out messages ({scl['spam']} spam, {scl['ham']} ham); SpamAssassin scored {sa['n']}"
          + (f", {unscored} without a score" if unscored else ""))
    print("| system | AUC | recall @ FPR <= 0.1% | @ 0.5% | @ 1% | ham flagged at default | spam flagged at default |")
    print("|---|---|---|---|---|---|---|")
    print(f"| SCL model, out of fold | {scl['auc']:.5f} | {scl['r01']:.2%} | {scl['r05']:.2%} | {scl['r1']:.2%} "
          f"| SCL >= 4: {junk_fp} ({junk_fp/scl['ham']:.3%}); SCL >= 7: {arch_fp} | SCL >= 4: {junk_tp/scl['spam']:.2%}; SCL >= 7: {arch_tp/scl['spam']:.2%} |")
    name = sa_version.replace("SpamAssassin version", "SpamAssassin")
    print(f"| {name} -L + Bayes | {sa['auc']:.5f} | {sa['r01']:.2%} | {sa['r05']:.2%} | {sa['r1']:.2%} "
          f"| score >= 5: {sa_fp} ({sa_fp/sa['ham']:.3%}) | score >= 5: {sa_tp/sa['spam']:.2%} |")
    print(f"SpamAssassin: sa-learn {learn} s, spamd scoring {sa['n'] / (score_ms / 1000):.1f} messages/s (2 children)")

for fold in run:
    table(f"seed {seed}, fold {fold}", [fold])
if len(run) > 1:
    table(f"seed {seed}, folds {' '.join(run)} together", run)
PY
