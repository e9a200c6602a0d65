/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The first guest instruction, made visible: print "PSVM-FIRST\n" on the hvterm at
 * entry, then poll the console (an hcall each time, so the VMM and L1 keep running:
 * a bare "b ." starves the single-CPU L1 under nested TCG). Position-independent and data-free, so it runs wherever a VMM's
 * loader puts it (QEMU's VOF loads kernels at 4 MiB, psvm at their addresses).
 */
	.machine power8
	.abiversion 2
/* A word as a big-endian CPU fetches it, in this little-endian file. */
	.macro	be_word w
	.byte	(\w >> 24) & 0xff, (\w >> 16) & 0xff, (\w >> 8) & 0xff, \w & 0xff
	.endm

	.text
	.globl	_start
_start:
	/*
	 * Firmware such as QEMU's VOF enters big-endian. In LE this word is "tdi 0,0,0x48"
	 * (never traps); a BE fetch of it reads "b .+8", into a BE-encoded trampoline that
	 * flips MSR[LE] and returns to le_start with rfid.
	 */
	tdi	0, 0, 0x48
	b	le_start
	be_word	0x7d6000a6		/* mfmsr  r11 */
	be_word	0x696b0001		/* xori   r11,r11,1 (MSR[LE]) */
	be_word	0x39400000		/* li     r10,0 */
	be_word	0x7d410164		/* mtmsrd r10,1 (EE=RI=0 for the SRRs) */
	be_word	0x429f0005		/* bcl    20,31,$+4 */
	be_word	0x7d4802a6		/* mflr   r10 */
	be_word	0x394a0014		/* addi   r10,r10,20: the word after rfid */
	be_word	0x7d5a03a6		/* mtsrr0 r10 */
	be_word	0x7d7b03a6		/* mtsrr1 r11 */
	be_word	0x4c000024		/* rfid */
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
