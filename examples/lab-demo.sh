#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# examples/lab-demo.sh - psvm's main job, end to end, on an x86_64 Debian 12 machine:
# installs what it needs, builds psvm for ppc64le, boots the POWER lab (a ppc64le L1 with
# KVM-HV under TCG) and launches Debian's stock ppc64el kernel under psvm inside it,
# printing that guest's console. On a POWER host, run psvm directly (see README).
#
#   LAB_MACHINES=powernv9 examples/lab-demo.sh     bare-metal KVM-HV instead of nested
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export LAB_MACHINES=${LAB_MACHINES:-pseries-p9}

"$ROOT"/tests/lab/power/run linux | grep -v '^#   LAB-'
for m in $LAB_MACHINES; do
	echo
	echo "=== console of the guest psvm ran in the $m L1 (psvm run --kernel vmlinux --initrd ... --cpus 2):"
	grep -a '^LAB-OUT linux| ' "$ROOT/build/lab/power/$m.log" | sed 's/^LAB-OUT linux| //'
	grep -a '^LAB-END linux ' "$ROOT/build/lab/power/$m.log" |
		sed 's/^LAB-END linux rc=\([0-9]*\).*start=\([0-9.]*\) end=\([0-9.]*\)/=== psvm exit status \1 (the guest powered off), \2 s .. \3 s of L1 uptime/'
done
