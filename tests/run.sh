#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/run.sh - every psvm test, from a fresh Debian 12 machine (installs what it needs).
#
#   tests/run.sh            all suites
#   tests/run.sh unit lab   only these (unit, asan, cross, fuzz, kernel, lab, iommufd)
#
# Suites: unit (native, criterion, -Werror), asan (the same under ASan+UBSan), cross
# (ppc64le static build, unit tests under qemu-user), fuzz (libFuzzer, clang), kernel
# (kernel-patch/: git am, checkpatch --strict, ppc64le and x86_64 builds), lab (the
# POWER lab: psvm inside ppc64le L1 guests under TCG), iommufd (the x86_64 iommufd lab: kernel
# selftests, psvm bench on a real /dev/iommu). Prints a summary; non-zero on failure.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SUITES=${*:-unit asan cross fuzz kernel lab iommufd}
B=$ROOT/build
declare -a RESULTS=()
failed=0

run_suite() { # name command...
	local name=$1 t0 rc
	shift
	echo "=== $name"
	t0=$(date +%s)
	"$@"
	rc=$?
	RESULTS+=("$name: $([ $rc = 0 ] && echo pass || echo FAIL) ($(($(date +%s) - t0)) s)")
	[ $rc = 0 ] || failed=$((failed + 1))
	return 0
}

setup_build() { # dir meson-args...
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$ROOT" "$@" >/dev/null || return 1
	fi
	ninja -C "$dir" >/dev/null || { ninja -C "$dir"; return 1; }
}

suite_unit() {
	setup_build "$B/native" -Dwerror=true &&
		meson test -C "$B/native" --suite unit --print-errorlogs
}

suite_asan() {
	setup_build "$B/asan" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false &&
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
			meson test -C "$B/asan" --suite unit --print-errorlogs
}

suite_cross() {
	local cross
	cross=$("$ROOT"/tests/setup.sh --print-cross) &&
		setup_build "$B/lab/ppc64" --cross-file "$cross" -Dstatic=true -Dwerror=true &&
		meson test -C "$B/lab/ppc64" --suite unit --print-errorlogs &&
		powerpc64le-linux-gnu-strip -o "$B/lab/psvm.stripped" "$B/lab/ppc64/psvm" &&
		echo "static ppc64le psvm: $(stat -c %s "$B/lab/ppc64/psvm") bytes," \
			"stripped $(stat -c %s "$B/lab/psvm.stripped") bytes"
}

suite_fuzz() {
	CC=clang setup_build "$B/fuzz" -Dfuzz=true &&
		meson test -C "$B/fuzz" --suite fuzz --print-errorlogs
}

suite_kernel() {
	"$ROOT"/tests/kernel/check
}

suite_lab() {
	"$ROOT"/tests/lab/power/run
}

suite_iommufd() {
	"$ROOT"/tests/lab/iommufd/run
}

"$ROOT"/tests/setup.sh || { echo "setup failed"; exit 1; }
for s in $SUITES; do
	case $s in
	unit | asan | cross | fuzz | kernel | lab | iommufd) run_suite "$s" "suite_$s" ;;
	*) echo "unknown suite $s (unit asan cross fuzz kernel lab iommufd)"; exit 2 ;;
	esac
done
echo "=== summary"
printf '%s\n' "${RESULTS[@]}"
n=${#RESULTS[@]}
echo "$((n - failed)) passed, $failed failed"
[ $failed = 0 ]
