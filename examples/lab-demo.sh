#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# examples/lab-demo.sh - psvm's main job, end to end, on an x86_64 Debian 12 machine:
# installs what it needs, builds psvm for ppc64le, boots the POWER lab (a ppc64le L1 with
# KVM-HV under TCG) and launches Debian's stock ppc64el kernel under psvm inside it with
# QEMU's edu PCI device passed through (VFIO, legacy sPAPR container), printing that guest's
# console and what its DMA window cost; then benchmarks the map engines on a real /dev/iommu
# (the iommufd lab: an x86_64 guest with the mock IOMMU and QEMU's edu behind VT-d) and prints
# a summary. On a POWER host, run psvm directly (see README).
#
#   LAB_MACHINES=powernv9 examples/lab-demo.sh     bare-metal KVM-HV instead of nested
#   LAB_DEMO_BENCH=0 examples/lab-demo.sh           skip the benchmark (its kernel: ~10 min cold)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export LAB_MACHINES=${LAB_MACHINES:-pseries-p9}

"$ROOT"/tests/lab/power/run linux-edu | grep -v '^#   LAB-'
for m in $LAB_MACHINES; do
	log=$ROOT/build/lab/power/$m.log
	echo
	echo "=== console of the guest psvm ran in the $m L1 (psvm run --kernel vmlinux --initrd ... --device vfio,host=<edu>):"
	grep -a '^LAB-OUT linux-edu| ' "$log" | sed 's/^LAB-OUT linux-edu| //'
	echo "=== psvm's log:"
	grep -a '^LAB-ERR linux-edu| psvm: \(vfio\|pe\|pci\)' "$log" | sed 's/^LAB-ERR linux-edu| //'
	grep -a '^LAB-END linux-edu ' "$log" |
		sed 's/^LAB-END linux-edu rc=\([0-9]*\).*start=\([0-9.]*\) end=\([0-9.]*\)/=== psvm exit status \1 (the guest powered off), \2 s .. \3 s of L1 uptime/'
done

[ "${LAB_DEMO_BENCH:-1}" = 1 ] || exit 0
echo
echo "=== map/unmap benchmark on a real /dev/iommu (tests/lab/iommufd/run bench)"
"$ROOT"/tests/lab/iommufd/run bench | grep -E '^(ok|not ok)|passed'
python3 - "$ROOT/build/lab/bench.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
def get(be, eng, pat="ddw-fill", ps=4096, b=512):
    for x in r:
        if (x["backend"], x["engine"], x["pattern"], x["page_size"], x["batch"]) == (be, eng, pat, ps, b):
            return x
print("Linux's DDW 1:1 fill, 512 TCEs of 4 KiB (map + unmap ops/s; calls per op):")
for be in ("vfio", "mock", "none"):
    base = get(be, "ioctl")
    if not base:
        continue
    cells = []
    for eng in ("ioctl", "coalesce", "nested", "floor"):
        x = get(be, eng)
        if x:
            cells.append(f"{eng} {x['ops_per_sec']:,.0f} ({x['ops_per_sec'] / base['ops_per_sec']:.1f}x, {x['syscalls_per_op']:.4f})")
    print(f"  {be:5}: " + "; ".join(cells))
print("all results: build/lab/bench.json; plot: build/lab/bench.svg")
PY
