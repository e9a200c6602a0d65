# SPDX-License-Identifier: GPL-2.0-only
# What the POWER lab benchmarks share: Debian's qemu-system-ppc64 (ppc64el) to compare psvm
# with inside the L1, and the helpers that read BENCH lines. Sourced after
# tests/lab/power/lib.sh.

# The median of numbers on stdin (-1 when there are none); field NAME: NAME=value of BENCH lines
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print -1}'; }
field() { sed -n "s/.* $1=\\([-0-9]*\\).*/\\1/p"; }

# QEMU for ppc64el and the libraries it links, extracted once per version.
qemu_stage() {
	local ver dir deps
	ver=$(apt-cache policy qemu-system-ppc:ppc64el | awk '/Candidate:/ {print $2}')
	dir=$CACHE/debs/qemu-system-ppc-ppc64el_${ver//[:~+]/_}
	if [ ! -f "$dir/.done" ]; then
		note "downloading qemu-system-ppc:ppc64el $ver and its libraries" >&2
		rm -rf "$dir" && mkdir -p "$dir/debs"
		deps=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
			--no-breaks --no-replaces --no-enhances qemu-system-ppc:ppc64el 2>/dev/null |
			grep -E '^(lib|zlib)[^ ]*:ppc64el$' | sort -u)
		(cd "$dir/debs" && apt-get download "qemu-system-ppc:ppc64el=$ver" qemu-system-data \
			$deps >/dev/null 2>&1) || { echo "Bail out! cannot download QEMU for ppc64el"; exit 1; }
		for d in "$dir"/debs/*.deb; do dpkg-deb -x "$d" "$dir/x"; done
		rm -rf "$dir/debs"
		touch "$dir/.done"
	fi
	echo "$dir/x"
}
# Put QEMU, its firmware and only the shared libraries it really loads (its NEEDED closure)
# into an L1 root.
qemu_install() { # root
	local root=$1 QX todo next seen l f c
	QX=$(qemu_stage)
	mkdir -p "$root/usr/bin" "$root/usr/share/qemu" "$root/lib64" "$root/lib/$ARCH" \
		"$root/usr/lib/$ARCH"
	$ARCH-strip -o "$root/usr/bin/qemu-system-ppc64" "$QX/usr/bin/qemu-system-ppc64"
	cp "$QX"/usr/share/qemu/{slof.bin,vof.bin} "$root/usr/share/qemu/"
	todo=$(needed "$QX/usr/bin/qemu-system-ppc64") seen=" "
	while [ -n "$todo" ]; do
		next=""
		for l in $todo; do
			case "$seen" in *" $l "*) continue ;; esac
			seen="$seen$l "
			f=""
			for c in "$QX/lib/$ARCH/$l" "$QX/usr/lib/$ARCH/$l"; do [ -e "$c" ] && f=$c && break; done
			[ -n "$f" ] || { echo "Bail out! $l, needed by QEMU, is not in the stage"; exit 1; }
			cp -L "$f" "$root/lib/$ARCH/"
			next="$next $(needed "$f")"
		done
		todo=$next
	done
	ln -sf /lib/$ARCH/ld64.so.2 "$root/lib64/ld64.so.2"
}
needed() { $ARCH-readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
