// SPDX-License-Identifier: GPL-2.0-only
/*
 * The payloads' view of the interrupt controller, whichever the device tree offers:
 * XICS (H_XIRR/H_EOI at the in-kernel presenter) or XIVE exploitation mode (one event
 * queue for vCPU 0 at INTC_PRIO, acknowledged at the OS ring's TIMA page, EOI at the
 * source's ESB page). Polled with MSR[EE] off: nothing here takes an interrupt.
 */
#include "payload.h"

#define H_EOI 0x64
#define H_CPPR 0x68
#define H_XIRR 0x74
#define TM_QW1_OS 0x10
#define TM_CPPR 0x1
#define TM_WORD2 0x8
#define TM_SPC_ACK_OS_REG 0x810
#define XIVE_ESB_LOAD_EOI 0x000
#define XIVE_ESB_SET_PQ_00 0xc00

/* the queue: 64K, aligned to its size (KVM takes no other) */
static uint32_t eq[0x4000] __attribute__((aligned(0x10000)));
static unsigned int eq_idx, eq_toggle;
static volatile uint8_t *tima;
static int xive = -1;

int intc_xive(void)
{
	const char *c;

	if (xive < 0) {
		c = fdt_prop("interrupt-controller", NULL, "compatible", NULL);
		xive = c && !strcmp(c, "ibm,power-ivpe");
	}
	return xive;
}

volatile uint8_t *intc_tima(void)
{
	const uint32_t *reg;
	int len;

	if (!tima) {
		reg = fdt_prop("interrupt-controller", NULL, "reg", &len);
		if (reg && len == 32) /* reg 1: the OS ring's page */
			tima = (volatile uint8_t *)((uint64_t)be32(reg + 4) << 32 | be32(reg + 5));
	}
	return tima;
}

uint64_t intc_tb(void)
{
	uint64_t t;

	__asm__ volatile("mftb %0" : "=r"(t));
	return t;
}

void intc_set_cppr(uint8_t cppr)
{
	if (intc_xive()) {
		__asm__ volatile("sync" ::: "memory");
		intc_tima()[TM_QW1_OS + TM_CPPR] = cppr;
		__asm__ volatile("sync" ::: "memory");
	} else {
		hcall(H_CPPR, NULL, cppr, 0, 0, 0);
	}
}

long intc_init(void)
{
	long r;

	if (!intc_xive()) {
		intc_set_cppr(0xff);
		return H_SUCCESS;
	}
	r = hcall(H_INT_RESET, NULL, 0, 0, 0, 0);
	if (r)
		return r;
	memset(eq, 0, sizeof(eq));
	eq_idx = 0;
	eq_toggle = 0;
	r = hcall5(H_INT_SET_QUEUE_CONFIG, NULL, XIVE_EQ_ALWAYS_NOTIFY, 0, INTC_PRIO,
		  (uint64_t)eq, 16);
	if (r)
		return r;
	intc_set_cppr(0xff);
	return H_SUCCESS;
}

uint64_t intc_eq_addr(void)
{
	return (uint64_t)eq;
}

long intc_route(uint32_t irq, uint32_t server)
{
	volatile uint8_t *esb;
	long r;

	if (intc_xive()) {
		r = hcall5(H_INT_SET_SOURCE_CONFIG, NULL, XIVE_SRC_SET_EISN, irq, server,
			   INTC_PRIO, irq);
		/* routing is not enabling: a source is masked by its PQ bits (01 from reset);
		 * the guest unmasks it at its ESB page, as Linux does at startup */
		esb = intc_esb(irq);
		if (!r && esb)
			(void)*(volatile uint64_t *)(esb + XIVE_ESB_SET_PQ_00);
		__asm__ volatile("sync" ::: "memory");
		return r;
	}
	return rtas("ibm,set-xive", 3, 1, NULL, irq, server, INTC_PRIO);
}

/* The next event in the queue, or 0: its top bit differs from the toggle when valid. */
static uint32_t eq_pop(void)
{
	uint32_t e = be32(&eq[eq_idx]);

	if (e >> 31 == eq_toggle)
		return 0;
	if (++eq_idx == sizeof(eq) / sizeof(eq[0])) {
		eq_idx = 0;
		eq_toggle ^= 1;
	}
	return e & 0x7fffffff;
}

uint32_t intc_accept_ms(unsigned int ms)
{
	uint64_t o[9], t0 = intc_tb();
	uint32_t e;

	do {
		if (intc_xive()) {
			__asm__ volatile("sync" ::: "memory");
			e = eq_pop();
			if (e)
				return e;
		} else if (hcall(H_XIRR, o, 0, 0, 0, 0) == H_SUCCESS && (o[0] & 0xffffff)) {
			return (uint32_t)o[0] & 0xffffff;
		}
	} while (intc_tb() - t0 < 512000ULL * ms);
	return 0;
}

uint16_t intc_ack(void)
{
	uint16_t v = *(volatile uint16_t *)(intc_tima() + TM_SPC_ACK_OS_REG);

	__asm__ volatile("sync" ::: "memory");
	return (uint16_t)(v >> 8 | v << 8); /* big-endian register */
}

/* The source's ESB management page, from H_INT_GET_SOURCE_INFO; 0 if unknown. */
volatile uint8_t *intc_esb(uint32_t irq)
{
	uint64_t o[9];

	if (hcall(H_INT_GET_SOURCE_INFO, o, 0, irq, 0, 0) != H_SUCCESS)
		return 0;
	return (volatile uint8_t *)o[1];
}

void intc_eoi(uint32_t irq)
{
	volatile uint8_t *esb;

	if (!intc_xive()) {
		hcall(H_EOI, NULL, 0xff000000u | irq, 0, 0, 0);
		return;
	}
	/* XIVE: the EOI load at the source re-arms it; the presenter's CPPR was not raised
	 * (events are taken from the queue, not acknowledged), so nothing else to undo */
	esb = intc_esb(irq);
	if (esb)
		(void)*(volatile uint64_t *)(esb + XIVE_ESB_LOAD_EOI);
	__asm__ volatile("sync" ::: "memory");
}
