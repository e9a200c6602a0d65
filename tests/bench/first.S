/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The first guest instruction, made visible: print "PSVM-FIRST\n" on the hvterm at
 * entry, then poll the console (an hcall each time, so the VMM and L1 keep running:
 * a bare "b ." starves the single-CPU L1 under nested TCG). Position-independent and data-free, so it runs wherever a VMM's
 * loader puts it (QEMU and psvm load kernels at 4 MiB).
 */
	.machine power8
	.abiversion 2
#include "../guest/be_entry.inc"

	.text
	.globl	_start
_start:
	be_entry le_start
le_start:
	li	3, 0x58			/* H_PUT_TERM_CHAR */
	lis	4, 0x7100		/* vty@71000000 */
	li	5, 11
	lis	6, 0x5053		/* "PSVM-FIR" */
	ori	6, 6, 0x564d
	sldi	6, 6, 32
	oris	6, 6, 0x2d46
	ori	6, 6, 0x4952
	lis	7, 0x5354		/* "ST\n" */
	ori	7, 7, 0x0a00
	sldi	7, 7, 32
	sc	1
1:	li	3, 0x54			/* H_GET_TERM_CHAR */
	lis	4, 0x7100
	sc	1
	b	1b
