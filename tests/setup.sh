#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/setup.sh - install everything psvm's build, tests and labs need on a Debian 12 machine.
# Idempotent and quiet when all is in place. Prints the cross file path on the last line when
# called with --print-cross.
#
#  - host packages (apt-get), bookworm-backports, the ppc64el foreign architecture
#  - a ppc64el sysroot with libfdt and liburing (their -dev packages are not co-installable with
#    the amd64 ones), extracted from Debian's .debs into $PSVM_CACHE, and a meson cross file
set -euo pipefail

CACHE=${PSVM_CACHE:-$HOME/.cache/psvm}
HOST_PKGS=(meson ninja-build pkg-config gcc clang libfdt-dev liburing-dev libcriterion-dev
	   gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross
	   cpio xz-utils gzip bc device-tree-compiler libclang-rt-14-dev python3)
# QEMU 10 from bookworm-backports: it models POWER9 DD2.2, the first POWER9 on which a
# radix host (KVM-HV) runs hash guests; bookworm's 7.2 has only DD2.0.
QEMU_PKGS=(qemu-system-ppc qemu-system-x86 qemu-user qemu-system-data)
QEMU_MIN=1:10
SYSROOT_PKGS=(libfdt-dev libfdt1 liburing-dev liburing2)

say() { echo "setup: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_ready=0
apt_update() {
	[ $apt_ready = 1 ] && return 0
	# The ppc64el index of bookworm-security is sometimes mid-sync on the mirror; a partial
	# update is fine as long as the packages we need resolve, which apt-get install checks.
	as_root apt-get update -q >/dev/null 2>&1 || as_root apt-get update -q >/dev/null 2>&1 || true
	apt_ready=1
}

setup_sources() {
	if ! dpkg --print-foreign-architectures | grep -qx ppc64el; then
		say "adding the ppc64el foreign architecture"
		as_root dpkg --add-architecture ppc64el
		apt_ready=0
	fi
	if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		say "adding bookworm-backports"
		as_root tee /etc/apt/sources.list.d/psvm-backports.sources >/dev/null <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
		apt_ready=0
	fi
	# A list with no ppc64el or backports entries at all means it was never fetched.
	if ! ls /var/lib/apt/lists/ 2>/dev/null | grep -q 'bookworm-backports.*ppc64el_Packages'; then
		apt_ready=0
		apt_update
	else
		apt_ready=1
	fi
}

install_host_pkgs() {
	local missing=()
	for p in "${HOST_PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return 0
	say "installing ${missing[*]}"
	apt_update
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >/dev/null
}

# ppc64el sysroot: keyed by the package versions apt would give us.
setup_sysroot() {
	local key vers dir
	vers=$(for p in "${SYSROOT_PKGS[@]}"; do
		apt-cache policy "$p:ppc64el" 2>/dev/null | awk '/Candidate:/ {print $2}'
	done | tr '\n' ' ')
	key=$(echo "${SYSROOT_PKGS[*]} $vers" | sha256sum | cut -c1-12)
	dir=$CACHE/sysroot-ppc64el-$key
	if [ ! -f "$dir/.done" ]; then
		say "building the ppc64el sysroot ($vers)"
		rm -rf "$dir" && mkdir -p "$dir/debs"
		(cd "$dir/debs" && apt-get download "${SYSROOT_PKGS[@]/%/:ppc64el}" >/dev/null 2>&1) || {
			apt_update
			(cd "$dir/debs" && apt-get download "${SYSROOT_PKGS[@]/%/:ppc64el}" >/dev/null)
		}
		for d in "$dir"/debs/*.deb; do dpkg-deb -x "$d" "$dir"; done
		# pkg-config files name /usr: point them at the sysroot through PKG_CONFIG_SYSROOT_DIR.
		touch "$dir/.done"
	fi
	SYSROOT=$dir
}

write_cross_file() {
	local src out
	src=$(cd "$(dirname "$0")" && pwd)/cross/ppc64le.ini.in
	out=$CACHE/ppc64le-cross.ini
	mkdir -p "$CACHE"
	sed "s|@SYSROOT@|$SYSROOT|g" "$src" >"$out.tmp"
	if ! cmp -s "$out.tmp" "$out"; then mv "$out.tmp" "$out"; else rm -f "$out.tmp"; fi
	CROSS=$out
}

install_qemu() {
	local missing=()
	for p in "${QEMU_PKGS[@]}"; do
		v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || true)
		if [ -z "$v" ] || dpkg --compare-versions "$v" lt "$QEMU_MIN"; then missing+=("$p"); fi
	done
	[ ${#missing[@]} = 0 ] && return 0
	say "installing ${missing[*]} from bookworm-backports"
	apt_update
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-t bookworm-backports "${missing[@]}" >/dev/null
}

setup_sources
install_host_pkgs
install_qemu
setup_sysroot
write_cross_file
if [ "${1:-}" = --print-cross ]; then echo "$CROSS"; fi
