/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest payload start-up, in real mode with r3 = the device tree. Vectors 0x100..0xf80
 * report any exception and stop the guest. The payloads are linked at 0 and run under
 * QEMU's convention, which psvm follows: the VMM loads a -kernel at 4 MiB and enters it
 * big-endian with r3 = the device tree (under QEMU through tests/guest/bootrom.S, which
 * keeps r3). The prologue flips MSR[LE], relocate copies the image down to 0 before it
 * runs there, and boot_start asks for little-endian interrupts (H_SET_MODE), as Linux
 * does. Secondaries start big-endian too, wherever start-cpu sends them.
 */
	.machine power8
	.abiversion 2

#include "be_entry.inc"

	.section .vectors, "ax"
	.globl	_start
_start:
	be_entry relocate

	.macro	vector off
	.org	\off
	li	4, \off
	b	exception_entry
	.endm
	vector 0x100
	vector 0x200
	vector 0x300
	vector 0x380
	vector 0x400
	vector 0x480
	vector 0x500
	vector 0x600
	vector 0x700
	vector 0x800
	vector 0x900
	vector 0x980
	vector 0xa00
	vector 0xb00
	vector 0xc00
	vector 0xd00
	vector 0xe00
	vector 0xe20
	vector 0xe40
	vector 0xe60
	vector 0xe80
	vector 0xea0
	vector 0xf00
	vector 0xf20
	vector 0xf40
	vector 0xf60
	vector 0xf80
	.org	0x1000

	/* reg = the address of sym (payloads live below 2 GiB) */
	.macro	load_addr reg, sym
	lis	\reg, \sym@ha
	addi	\reg, \reg, \sym@l
	.endm

	/* With r1 at the top of a stack: an empty first frame, and the TOC for C. */
	.macro	c_frame
	li	0, 0
	stdu	0, -64(1)
	load_addr 2, .TOC.
	.endm

	.text
/* Running at load address r4 (0 under psvm): copy [_start, _end) down to 0, then run there. */
relocate:
	bcl	20, 31, 1f
1:	mflr	4
	load_addr 5, 1b
	subf.	4, 5, 4			/* where _start is now: run address - link address */
	beq	boot_start
	li	5, 0
	load_addr 6, _end
2:	ld	7, 0(4)			/* _end is 8-byte aligned (guest.ld) */
	std	7, 0(5)
	dcbst	0, 5
	addi	4, 4, 8
	addi	5, 5, 8
	cmpld	5, 6
	blt	2b
	sync
	li	5, 0
3:	icbi	0, 5
	addi	5, 5, 32
	cmpld	5, 6
	blt	3b
	sync
	isync
	load_addr 12, boot_start
	mtctr	12
	bctr

boot_start:
	mr	31, 3
	li	3, 0x31c		/* H_SET_MODE(mflags 1, resource 4): LE interrupts */
	li	4, 1
	li	5, 4
	li	6, 0
	li	7, 0
	sc	1
	load_addr 1, boot_stack_top
	c_frame
	mr	3, 31
	bl	payload_main
	nop
	bl	power_off
	nop
	b	.

/* start-cpu lands here, big-endian, with r3 = the CPU's index (our convention). */
	.globl	secondary_start
secondary_start:
	be_entry secondary_le
secondary_le:
	mr	31, 3
	load_addr 1, secondary_stacks
	addi	4, 3, 1
	sldi	4, 4, 14		/* 16 KiB per CPU */
	add	1, 1, 4
	c_frame
	mr	3, 31
	bl	secondary_main
	nop
	b	.

exception_entry:
	load_addr 1, exc_stack_top
	c_frame
	mr	3, 4
	mfsrr0	4
	mfsrr1	5
	bl	exception
	nop
	b	.

/* long hcall_raw(uint64_t nr, uint64_t a[9]): r4..r12 from a[], back into a[] after. */
	.globl	hcall_raw
hcall_raw:
	std	31, -8(1)
	mr	31, 4
	ld	4, 0(31)
	ld	5, 8(31)
	ld	6, 16(31)
	ld	7, 24(31)
	ld	8, 32(31)
	ld	9, 40(31)
	ld	10, 48(31)
	ld	11, 56(31)
	ld	12, 64(31)
	sc	1
	std	4, 0(31)
	std	5, 8(31)
	std	6, 16(31)
	std	7, 24(31)
	std	8, 32(31)
	std	9, 40(31)
	std	10, 48(31)
	std	11, 56(31)
	std	12, 64(31)
	ld	31, -8(1)
	blr

	.bss
	.balign	16
	.space	32768
boot_stack_top:
	.space	8192
exc_stack_top:
	.globl	secondary_stacks
secondary_stacks:
	.space	16384 * 9
