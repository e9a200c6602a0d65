#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A long fuzzing run, as the figures in tests/README.md were made: each harness runs until
# it has executed RUNS inputs in all, two harnesses at a time at idle priority; then every
# corpus is replayed through a coverage build and llvm-cov reports line coverage per file.
#
#   tests/fuzz/campaign.sh [-n RUNS] [-j JOBS] [harness ...]   # default: 100 M, 2, all
#   tests/fuzz/campaign.sh devtree devtree                     # one harness on two cores
#   tests/fuzz/campaign.sh -c                                  # coverage only
#   tests/fuzz/campaign.sh -s                                  # the totals so far
#   tests/fuzz/campaign.sh -r                                  # record this machine's runs
#
# Needs build/fuzz (tests/run.sh fuzz). Corpora, crashes and logs are kept under
# ~/.cache/psvm/fuzz/ (<harness>.log: one line per chunk, "<date> <inputs> <seconds> <edges>
# <rc>"), so a campaign cut short goes on where it stopped. Machines come and go: -r moves
# those lines into tests/fuzz/campaign.log, committed, which counts as done on any machine.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${BUILD:-$ROOT/build}
C=${PSVM_CACHE:-$HOME/.cache/psvm}/fuzz
RUNS=100000000
CHUNK=${CHUNK:-5000000}
JOBS=2
MODE=run
REC=$ROOT/tests/fuzz/campaign.log # "<harness> <date> <inputs> <seconds> <edges> <rc>"
ALL="rtas cli config hcall loader tce pci pci-mt devtree"
while getopts n:j:csr1: o; do
	case $o in
	1) MODE=one; ONE=$OPTARG ;; # internal: one harness, as the queue runs it
	n) RUNS=$OPTARG ;;
	j) JOBS=$OPTARG ;;
	c) MODE=cov ;;
	s) MODE=sum ;;
	r) MODE=rec ;;
	*) echo "usage: $0 [-n RUNS] [-j JOBS] [-c] [-s] [-r] [harness ...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
LIST=${*:-$ALL}
UNIQ=$(echo "$LIST" | tr ' ' '\n' | awk '!seen[$0]++') # a harness named twice runs twice
mkdir -p "$C/bin"

runs_of() { # harness $1's chunks, recorded and on this machine: "<date> <inputs> <seconds> <edges> <rc>"
	awk -v h="$1" '$1 == h { $1 = ""; print }' "$REC"
	cat "$C/$1.log" 2>/dev/null || true
}

done_so_far() { # inputs executed by earlier chunks of harness $1
	runs_of "$1" | awk '{ n += $2 } END { print n + 0 }'
}

summary() {
	printf '%-12s %14s %10s %8s %8s\n' harness inputs seconds edges failures
	for h in $UNIQ; do
		runs_of "$h" | awk -v h="fuzz-$h" -v f="$(ls "$C/crash-$h" 2>/dev/null | wc -l)" \
			'{ n += $2; s += $3; e = $4 > e ? $4 : e }
			END { if (NR) printf "%-12s %14d %10d %8d %8d\n", h, n, s, e, f }'
	done
}

record() { # this machine's chunks into the committed log, once
	for h in $UNIQ; do
		[ -s "$C/$h.log" ] || continue
		awk -v h="$h" '{ print h, $0 }' "$C/$h.log" >>"$REC"
		: >"$C/$h.log"
	done
}

one() { # run harness $1 until RUNS inputs in all, in chunks so a cut costs little
	h=$1
	out=$C/$h.$$.out # a harness named twice runs on two cores, sharing its corpus
	mkdir -p "$C/corpus-$h" "$C/crash-$h"
	dict=
	[ "$h" = config ] && dict=-dict=$ROOT/tests/fuzz/config.dict
	while left=$((RUNS - $(done_so_far "$h"))) && [ "$left" -gt 0 ]; do
		[ "$left" -gt "$CHUNK" ] && left=$CHUNK
		t0=$(date +%s)
		rc=0
		# shellcheck disable=SC2086
		"$C/bin/fuzz-$h" -runs="$left" -print_final_stats=1 -close_fd_mask=3 \
			-artifact_prefix="$C/crash-$h/" $dict "$C/corpus-$h" >"$out" 2>&1 ||
			rc=$?
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -n 1)
		e=$(grep -o 'cov: [0-9]*' "$out" | tail -n 1 | tr -dc 0-9)
		echo "$(date -u +%FT%TZ) ${n:-0} $(($(date +%s) - t0)) ${e:-0} $rc" >>"$C/$h.log"
		[ "$rc" = 0 ] || { echo "fuzz-$h: failed, see $out" >&2; return 1; }
		mv "$out" "$C/$h.out" # the last chunk's output, whichever worker ran it
	done
}

coverage() {
	[ -d "$B/fuzzcov" ] || CC=clang meson setup "$B/fuzzcov" "$ROOT" -Dfuzz=true \
		-Dc_args='-fprofile-instr-generate -fcoverage-mapping' \
		-Dc_link_args=-fprofile-instr-generate >/dev/null
	ninja -C "$B/fuzzcov" >/dev/null
	rm -f "$C"/cov-*.profraw
	objs=
	for h in $UNIQ; do
		[ -d "$C/corpus-$h" ] || continue
		LLVM_PROFILE_FILE="$C/cov-$h.profraw" "$B/fuzzcov/tests/fuzz/fuzz-$h" -runs=0 \
			-close_fd_mask=3 "$C/corpus-$h" >/dev/null 2>&1 || true
		# llvm-cov: the first binary by itself, the others after -object
		objs="$objs${objs:+ -object} $B/fuzzcov/tests/fuzz/fuzz-$h"
	done
	llvm-profdata-14 merge -o "$C/cov.profdata" "$C"/cov-*.profraw
	# shellcheck disable=SC2086
	llvm-cov-14 report $objs -instr-profile="$C/cov.profdata" \
		"$ROOT/src" "$ROOT/devices" | sed "s|$ROOT/||"
}

case $MODE in
sum) summary; exit 0 ;;
rec) record; summary; exit 0 ;;
cov) coverage; exit 0 ;;
one) one "$ONE"; exit 0 ;;
esac
[ -d "$B/fuzz" ] || { echo "no $B/fuzz: run tests/run.sh fuzz first" >&2; exit 1; }
ninja -C "$B/fuzz" >/dev/null
# copies: a rebuild during the campaign must not change what runs
for h in $UNIQ; do cp "$B/fuzz/tests/fuzz/fuzz-$h" "$C/bin/"; done
echo "$LIST" | tr ' ' '\n' |
	xargs -P "$JOBS" -I{} chrt -i 0 nice -n 19 "$0" -n "$RUNS" -1 {} || true
summary
