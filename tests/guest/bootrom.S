/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A -bios for QEMU's pseries that boots a -kernel the way psvm does, in place of SLOF or
 * VOF (as kvm-unit-tests' boot_rom): QEMU starts CPU 0 here at 0x100, big-endian, with
 * r3 = the device tree, and has loaded the kernel at 4 MiB (KERNEL_LOAD_ADDR). Jump there
 * with r3 as it is; the payload's prologue (crt0.S) does the rest.
 */
#include "be_entry.inc"

	.text
	.globl	_start
_start:
	.org	0x100
	be_word	0x3c800040		/* lis   r4,0x40: 4 MiB */
	be_word	0x7c8903a6		/* mtctr r4 */
	be_word	0x4e800420		/* bctr */
