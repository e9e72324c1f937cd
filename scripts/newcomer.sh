#!/usr/bin/env bash
# What a newcomer tries, on this checkout's committed HEAD, as CI runs it (.ci/run):
#   1. a clean clone, an empty HOME and no Prefect settings: `make demo` must pass the first time;
#      the install and the demo are timed apart, then a second `make demo` is timed;
#   2. the wheel, built and installed into a new virtual environment as a board's IT team would, run from
#      a folder outside the repository: `scr --version`, `scr init` + `scr check` on the shipped example,
#      and `scr demo`.
# Everything happens in a temporary folder, removed at the end.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
say() { echo "newcomer.sh: $*"; }
seconds() { echo $(( $(date +%s) - $1 )); }

git clone --quiet "$ROOT" "$WORK/clone"
mkdir -p "$WORK/home"
export HOME="$WORK/home"
unset PREFECT_HOME PREFECT_API_URL PREFECT_PROFILE
cd "$WORK/clone"

say "make demo from a clean clone (empty HOME, no Prefect database)"
start=$(date +%s); make install; install_s=$(seconds "$start")
start=$(date +%s); make demo; demo_s=$(seconds "$start")
test -f demo-output/SCR-2026-014/terms-of-reference.docx
test -f demo-output/prefect/prefect.db
start=$(date +%s); make demo >/dev/null; again_s=$(seconds "$start")

say "the wheel, installed into a new virtual environment, run outside the repository"
.venv/bin/python -m pip wheel --no-deps --quiet -w "$WORK/dist" .
python3 -m venv "$WORK/wheel-venv"
"$WORK/wheel-venv/bin/python" -m pip install --quiet --progress-bar off "$WORK"/dist/scr_commissioning-*.whl
mkdir "$WORK/elsewhere"
cd "$WORK/elsewhere"
SCR="$WORK/wheel-venv/bin/scr"
"$SCR" --version
"$SCR" init board
"$SCR" check board/board.yaml
start=$(date +%s); "$SCR" demo --out demo; wheel_demo_s=$(seconds "$start")
test -f demo/SCR-2026-014/terms-of-reference.docx
test -f demo/prefect/prefect.db

say "passed. make demo from a clean clone: install ${install_s} s, demo ${demo_s} s (cold Prefect database);" \
    "second make demo ${again_s} s; installed wheel's scr demo ${wheel_demo_s} s"
