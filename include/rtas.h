/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RTAS: the guest calls a 20-byte blob psvm places in its memory; the blob makes
 * hcall KVMPPC_H_RTAS with r4 = the big-endian rtas_args buffer.
 */
#ifndef PSVM_RTAS_H
#define PSVM_RTAS_H

#include "psvm.h"

#define RTAS_TOKEN_BASE 0x2000
#define RTAS_MAX_ARGS 16 /* nargs + nret, as Linux's struct rtas_args */
#define RTAS_BLOB_SIZE 20
#define RTAS_AREA_SIZE 0x10000 /* what we reserve for RTAS in guest memory */

/* RTAS status codes */
#define RTAS_OK 0
#define RTAS_HW_ERROR -1
#define RTAS_BUSY -2
#define RTAS_PARAM_ERROR -3
#define RTAS_NO_SUCH_INDICATOR -3
#define RTAS_NOT_SUPPORTED -3

struct vcpu;

struct rtas_call {
	uint32_t token;
	uint32_t nargs, nret;
	uint32_t args[RTAS_MAX_ARGS]; /* host endian */
	uint32_t rets[RTAS_MAX_ARGS];
	uint64_t args_gpa; /* where the buffer lives, for handlers that need more */
};

typedef void (*rtas_fn)(struct vcpu *cpu, struct rtas_call *c);

#define RTAS_ANY -1 /* nargs or nret the handler checks itself */

/*
 * One RTAS call of a module's table. The dispatcher answers RTAS_PARAM_ERROR to a call
 * whose nargs or nret differ from these, so the handler only sees the counts it takes.
 */
struct rtas_def {
	const char *name;
	rtas_fn fn;
	int nargs, nret;
};

struct rtas_entry {
	const struct rtas_def *def;
	uint32_t token;
	uint32_t hash; /* of def->name: a lookup by name compares one word per call */
};

/* Every RTAS call psvm has fits (about 25): a fixed table, nothing to grow or free. */
#define RTAS_TABLE_MAX 64

struct rtas_table {
	struct rtas_entry e[RTAS_TABLE_MAX]; /* token = RTAS_TOKEN_BASE + index */
	unsigned int n;
};

/* Register a module's table in one call, tokens in table order; -1 on a name taken. */
int rtas_register_table(struct rtas_table *t, const struct rtas_def *d, unsigned int n);
const struct rtas_entry *rtas_lookup(const struct rtas_table *t, uint32_t token);
const struct rtas_entry *rtas_lookup_name(const struct rtas_table *t, const char *name);

/* Write the blob that turns an RTAS call into hcall KVMPPC_H_RTAS (big-endian code). */
void rtas_write_blob(void *dst);

/* Set rets[0] if there is room (many calls have one status return). */
static inline void rtas_status(struct rtas_call *c, int32_t status)
{
	if (c->nret >= 1)
		c->rets[0] = (uint32_t)status;
}

/* The KVMPPC_H_RTAS hypercall handler. */
long rtas_hcall(struct vcpu *cpu, uint64_t nr, uint64_t *args);

struct vm;
int rtas_register_core(struct vm *vm);

#endif
