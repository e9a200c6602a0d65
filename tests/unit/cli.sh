#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The command line as a user meets it: every bad input gets one clear line and its exit status.
# usage: cli.sh PATH-TO-PSVM      (TAP)
set -u
PSVM=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0 fail=0
echo "1..24"
check() { # description expected-status expected-stderr-substring psvm-args...
	local d=$1 want=$2 msg=$3 rc
	shift 3
	"$PSVM" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	n=$((n + 1))
	if [ "$rc" = "$want" ] && grep -q -- "$msg" "$T/err" "$T/out"; then
		echo "ok $n - $d"
	else
		echo "not ok $n - $d (status $rc, want $want; stderr: $(head -c 200 "$T/err"))"
		fail=$((fail + 1))
	fi
}
printf 'kernel = vmlinux\nthis is not a setting\n' >"$T/bad.conf"
printf 'kernel = %s\nmemory = 2Q\n' /etc/hostname >"$T/badmem.conf"
check "no arguments: usage" 2 "usage: psvm run"
check "--version" 0 "psvm [0-9]" --version
check "unknown command" 2 "unknown command 'frob'" frob
check "run without a kernel" 2 "no kernel given" run
check "kernel that does not exist" 1 "/nonexistent: No such file" run --kernel /nonexistent
check "kernel that is not an ELF" 1 "not an ELF file" run --kernel /etc/hostname
check "bad memory size" 2 "memory: 'lots' is not a size" run --kernel /etc/hostname --memory lots
check "zero vCPUs" 2 "cpus: '0'" run --kernel /etc/hostname --cpus 0
check "unknown mmu" 2 "mmu: 'paged'" run --kernel /etc/hostname --mmu paged
check "missing config file" 2 "config file $T/none.conf" run --config "$T/none.conf"
check "bad config line names file and line" 2 "bad.conf:2: expected key = value" run --config "$T/bad.conf"
check "bad value in config file" 2 "badmem.conf:2: memory" run --config "$T/badmem.conf"
# inputs that would hold psvm for ever: a FIFO nobody writes, a device with no end
mkfifo "$T/fifo"
printf 'kernel = vmlinux\n\0\0\0\n' >"$T/nul.conf"
check "a FIFO as kernel is refused at once" 1 "fifo: not a regular file" run --kernel "$T/fifo"
check "--config /dev/zero is refused" 2 "/dev/zero: not a regular file" run --config /dev/zero
check "a config file with NUL bytes is refused" 2 "nul.conf:2: not text" run --config "$T/nul.conf"
check "bench without a subcommand" 2 "usage: psvm bench map-unmap" bench
check "bench: batch out of range" 2 "bad value for --batches (1..512): '0'" bench map-unmap --batches 0
check "bench: page size not a power of two" 2 "bad value for --page-sizes: '3K'" bench map-unmap --page-sizes 3K
if [ -e /dev/iommu ]; then
	check "bench: unknown backend" 1 "unknown backend 'tpu'" bench map-unmap --backend tpu
else
	check "bench without /dev/iommu names the missing feature" 1 "no CONFIG_IOMMUFD" bench map-unmap
fi
# PSVM_LOG_TIME=1: ms since start on every log line; without it the lines stay as they were
export PSVM_LOG_TIME=1
check "PSVM_LOG_TIME=1 times log lines" 1 "^psvm: \[ *[0-9]* ms\] kernel /nonexistent" run --kernel /nonexistent
PSVM_LOG_TIME=0
check "PSVM_LOG_TIME=0: plain lines" 1 "^psvm: kernel /nonexistent" run --kernel /nonexistent
unset PSVM_LOG_TIME
# A stop signal during setup ends psvm at once, even inside a long host call: reading a
# 1 GiB initrd (a sparse file) takes seconds, after which psvm would refuse it as too big
# for the real-mode area; told to stop 0.2 s in, it must end by the signal instead.
truncate -s 1G "$T/big-initrd"
for sig in TERM INT HUP; do
	"$PSVM" run --kernel-format flat --kernel /etc/hostname --initrd "$T/big-initrd" \
		--memory 4G >"$T/out" 2>"$T/err" &
	pid=$!
	sleep 0.2
	kill -$sig $pid
	wait $pid 2>/dev/null
	rc=$?
	n=$((n + 1))
	want=$((128 + $(kill -l $sig)))
	if [ "$rc" = "$want" ] && ! grep -q "does not fit" "$T/err"; then
		echo "ok $n - SIG$sig during setup (reading a big initrd) stops psvm with $want"
	else
		echo "not ok $n - SIG$sig during setup: status $rc, want $want; stderr: $(head -c 200 "$T/err")"
		fail=$((fail + 1))
	fi
done
[ $fail = 0 ]
