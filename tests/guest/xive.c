// SPDX-License-Identifier: GPL-2.0-only
/*
 * XIVE exploitation mode, as a guest drives it: the device tree's controller, the H_INT_*
 * hcalls and their errors, then real delivery: an IPI triggered at its ESB page lands in
 * this vCPU's event queue with the number the guest chose, the OS ring's TIMA page shows
 * it pending at that priority, the EOI at the ESB page re-arms it; masked, nothing lands.
 */
#include "payload.h"

#define H_P2 -55
#define H_P4 -57
#define TM_QW1_OS 0x10
#define TM_QW1_NSR_EO 0x80
#define XIVE_ESB_GET 0x800
#define XIVE_ESB_SET_PQ_00 0xc00
#define EISN 0x1234

static uint64_t esb_load(volatile uint8_t *page, unsigned int off)
{
	uint64_t v = *(volatile uint64_t *)(page + off);

	__asm__ volatile("sync" ::: "memory");
	return __builtin_bswap64(v);
}

static void trigger(volatile uint64_t *trig)
{
	__asm__ volatile("sync" ::: "memory");
	*trig = 0;
	__asm__ volatile("sync" ::: "memory");
}

void payload_main(const void *dt);
void payload_main(const void *dt)
{
	const uint8_t *v5;
	uint64_t o[9], q;
	volatile uint8_t *eoi;
	volatile uint64_t *trig;
	unsigned int shift;
	uint64_t pq;
	uint32_t e;
	uint16_t ack;
	int len;
	long r;

	fdt = dt;
	tap_plan(14);
	v5 = fdt_prop("chosen", NULL, "ibm,architecture-vec-5", &len);
	tap_ok(intc_xive() && v5 && len > 23 && v5[23] == 0x40,
	       "the device tree offers XIVE exploitation mode (ibm,power-ivpe, vector 5)");
	r = intc_init();
	q = intc_eq_addr();
	tap_ok(r == H_SUCCESS, "H_INT_RESET, then vCPU 0's queue at %#llx (%ld)",
	       (unsigned long long)q, r);
	r = hcall(H_INT_GET_QUEUE_CONFIG, o, 0, 0, INTC_PRIO, 0);
	tap_ok(r == H_SUCCESS && o[1] == q && o[2] == 16, "H_INT_GET_QUEUE_CONFIG gives it back");

	r = hcall(H_INT_GET_SOURCE_INFO, o, 0, 0, 0, 0);
	shift = (unsigned int)o[3];
	eoi = (volatile uint8_t *)o[1];
	trig = (volatile uint64_t *)o[2];
	tap_ok(r == H_SUCCESS && shift >= 12 && o[1] == o[2] + (1ULL << shift),
	       "IPI 0: ESB trigger page %#llx, EOI page after it, 2^%u bytes each",
	       (unsigned long long)o[2], shift);

	/* the guest's own bad arguments: the PAPR errors */
	tap_ok(hcall(H_INT_GET_SOURCE_INFO, o, 0, 0x7fffff, 0, 0) == H_P2 &&
	       hcall5(H_INT_SET_SOURCE_CONFIG, NULL, 0, 0, 0, 7, 0) == H_P4 &&
	       hcall5(H_INT_SET_QUEUE_CONFIG, NULL, XIVE_EQ_ALWAYS_NOTIFY, 0, 3, q + 0x1000,
		     16) == H_P4 &&
	       hcall(H_INT_RESET, NULL, 1, 0, 0, 0) == H_PARAMETER,
	       "bad lisn, reserved priority, misaligned queue, bad flags: refused");

	r = hcall5(H_INT_SET_SOURCE_CONFIG, NULL, XIVE_SRC_SET_EISN, 0, 0, INTC_PRIO, EISN);
	tap_ok(r == H_SUCCESS && hcall(H_INT_GET_SOURCE_CONFIG, o, 0, 0, 0, 0) == H_SUCCESS &&
	       o[0] == 0 && o[1] == INTC_PRIO && o[2] == EISN,
	       "IPI 0 -> vCPU 0, priority %d, EISN %#x", INTC_PRIO, EISN);
	/* made masked (PQ=01); the guest unmasks at the ESB page */
	pq = esb_load(eoi, XIVE_ESB_SET_PQ_00);

	tap_ok(pq == 1, "it was made masked (PQ=01) and is unmasked at its ESB page");

	trigger(trig);
	e = intc_accept_ms(2000);
	tap_ok(e == EISN, "a store to IPI 0's trigger page lands in the queue as %#x (got %#x)",
	       EISN, e);
	/* the ack cycle at the OS ring's TIMA page: NSR and the CPPR it moved to */
	ack = intc_ack();
	tap_ok((ack >> 8) & TM_QW1_NSR_EO && (ack & 0xff) == INTC_PRIO,
	       "the TIMA ack cycle: OS exception pending at priority %d (%#x)", INTC_PRIO, ack);
	tap_ok(esb_load(eoi, XIVE_ESB_GET) == 2 &&
	       hcall(H_INT_ESB, o, 0, 0, XIVE_ESB_GET, 0) == H_SUCCESS && o[0] == 2,
	       "before EOI the source is P=1, from its ESB page and from H_INT_ESB");
	intc_eoi(0); /* by source number: IPI 0 */
	intc_set_cppr(0xff);
	tap_ok(esb_load(eoi, XIVE_ESB_GET) == 0, "the EOI load re-arms it (PQ=00)");

	trigger(trig);
	e = intc_accept_ms(2000);
	intc_eoi(0);
	tap_ok(e == EISN, "and the next trigger lands as the queue's second entry (%#x)", e);

	r = hcall5(H_INT_SET_SOURCE_CONFIG, NULL, XIVE_SRC_MASK, 0, 0, INTC_PRIO, 0);
	trigger(trig);
	e = intc_accept_ms(300);
	tap_ok(r == H_SUCCESS && !e, "masked (%ld): a trigger lands nowhere (%#x)", r, e);
	esb_load(eoi, XIVE_ESB_SET_PQ_00);
	tap_ok(hcall(H_INT_SYNC, NULL, 0, 0, 0, 0) == H_SUCCESS &&
	       hcall(H_INT_RESET, NULL, 0, 0, 0, 0) == H_SUCCESS &&
	       hcall(H_INT_GET_QUEUE_CONFIG, o, 0, 0, INTC_PRIO, 0) == H_SUCCESS && o[2] == 0,
	       "H_INT_SYNC, H_INT_RESET: the queue is off again");
	power_off();
}

void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu)
{
	(void)cpu;
	os_term("xive: no secondary vCPU was started");
}
