/* SPDX-License-Identifier: GPL-2.0-only */
/* The tiny runtime of the guest payloads: console, hypercalls, RTAS, device tree, TAP. */
#ifndef PSVM_PAYLOAD_H
#define PSVM_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#define H_SUCCESS 0
#define H_FUNCTION -2
#define H_PARAMETER -4
#define H_P2 -55
#define H_P3 -56
#define H_UNSUPPORTED_FLAG -256
#define VTY 0x71000000

extern const void *fdt;

long hcall_raw(uint64_t nr, uint64_t a[9]);
long hcall(uint64_t nr, uint64_t *out, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
long hcall5(uint64_t nr, uint64_t *out, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
	    uint64_t a4);

void puts_(const char *s);
void printf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Device tree: a property of a node given by path components ("rtas", NULL). */
const void *fdt_prop(const char *n1, const char *n2, const char *prop, int *len);
int fdt_count_children(const char *n1);
uint64_t ram_size(void);
/* A hex number from the command line ("edu.ddw=0x103"), or dflt where it is not given. */
uint32_t cmdline_hex(const char *key, uint32_t dflt);
int mmu_is_radix(void);

/* RTAS through hcall 0xf000: returns rets[0]; rets may be NULL. Token by name. */
int rtas(const char *name, int nargs, int nret, uint32_t *rets, ...);
int rtas_token(const char *name);
int rtas_tok(int token, int nargs, int nret, uint32_t *rets, ...);
/* RTAS stop-self from a secondary CPU: no return, and safe while others call RTAS. */
void rtas_stop_self(void);

void tap_plan(int n);
void tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * A PAPR error path psvm checks where QEMU is lax (or, given a bad RTAS buffer, stops):
 * a test under psvm, a skip under any other VMM (the lab's qemu-same compares the rest).
 */
void tap_strict(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vmm_is_psvm(void);
void power_off(void);
/* Set by a payload that never ends: power_off then says its control flow was lost. */
extern volatile int power_off_unexpected;
extern volatile int sreset_expected;
/* A machine check at this PC (for a load at DAR) is checked (3 tests), then power-off. */
extern volatile uint64_t mce_expected_pc, mce_expected_dar;
void os_term(const char *msg);

/*
 * Interrupt controller (intc.c): XICS or XIVE, as the device tree says. Sources are
 * routed to INTC_PRIO; with XIVE, vCPU 0's queue for it is set up by intc_init().
 */
#define INTC_PRIO 5
#define H_INT_GET_SOURCE_INFO 0x3a8
#define H_INT_SET_SOURCE_CONFIG 0x3ac
#define H_INT_GET_SOURCE_CONFIG 0x3b0
#define H_INT_GET_QUEUE_INFO 0x3b4
#define H_INT_SET_QUEUE_CONFIG 0x3b8
#define H_INT_GET_QUEUE_CONFIG 0x3bc
#define H_INT_ESB 0x3c8
#define H_INT_SYNC 0x3cc
#define H_INT_RESET 0x3d0
#define XIVE_SRC_SET_EISN 2
#define XIVE_SRC_MASK 1
#define XIVE_EQ_ALWAYS_NOTIFY 1
int intc_xive(void);
long intc_init(void);
long intc_route(uint32_t irq, uint32_t server);
/* The next interrupt's source number within ms milliseconds, or 0. */
uint32_t intc_accept_ms(unsigned int ms);
void intc_eoi(uint32_t irq);
void intc_set_cppr(uint8_t cppr);
uint64_t intc_tb(void);
/* XIVE only: the OS ring's TIMA page, the ack cycle (NSR << 8 | CPPR), a source's ESB
 * management page, the queue's address */
volatile uint8_t *intc_tima(void);
uint16_t intc_ack(void);
volatile uint8_t *intc_esb(uint32_t irq);
uint64_t intc_eq_addr(void);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

static inline uint32_t be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static inline void put_be32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

#endif
