// SPDX-License-Identifier: GPL-2.0-only
/* RTAS: the blob, the token table and the KVMPPC_H_RTAS dispatcher. */
#include <string.h>

#include "be.h"
#include "log.h"
#include "rtas.h"
#include "vm.h"

int rtas_register_table(struct rtas_table *t, const struct rtas_def *d, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (rtas_lookup_name(t, d[i].name) || t->n == RTAS_TABLE_MAX)
			return -1;
		t->e[t->n] = (struct rtas_entry){ .def = &d[i], .token = RTAS_TOKEN_BASE + t->n,
						  .hash = str_hash(d[i].name) };
		t->n++;
	}
	return 0;
}

const struct rtas_entry *rtas_lookup(const struct rtas_table *t, uint32_t token)
{
	if (token < RTAS_TOKEN_BASE || token - RTAS_TOKEN_BASE >= t->n)
		return NULL;
	return &t->e[token - RTAS_TOKEN_BASE];
}

const struct rtas_entry *rtas_lookup_name(const struct rtas_table *t, const char *name)
{
	uint32_t h = str_hash(name);

	for (unsigned int i = 0; i < t->n; i++)
		if (t->e[i].hash == h && !strcmp(t->e[i].def->name, name))
			return &t->e[i];
	return NULL;
}

/*
 * Linux enters RTAS in big-endian 32-bit real mode with r3 = the args buffer:
 *   mr r4,r3; lis r3,KVMPPC_H_RTAS@h; ori r3,r3,KVMPPC_H_RTAS@l; sc 1; blr
 */
void rtas_write_blob(void *dst)
{
	static const uint32_t insns[RTAS_BLOB_SIZE / 4] = {
		0x7c641b78,			/* mr   r4,r3 */
		0x3c600000,			/* lis  r3,0 */
		0x60630000 | KVMPPC_H_RTAS,	/* ori  r3,r3,0xf000 */
		0x44000022,			/* sc   1 */
		0x4e800020,			/* blr */
	};
	uint8_t *p = dst;

	for (unsigned int i = 0; i < ARRAY_SIZE(insns); i++)
		st_be32(p + 4 * i, insns[i]);
}

long rtas_hcall(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	struct rtas_call c;
	const struct rtas_entry *e;
	uint8_t *buf;
	unsigned int i;

	/* RTAS runs in 32-bit mode: only the low word of r4 is meaningful. */
	c.args_gpa = args[0] & 0xffffffffULL;
	buf = gpa_to_hva(&vm->mem, c.args_gpa, 12);
	if (!buf)
		return H_PARAMETER;
	c.token = ld_be32(buf);
	c.nargs = ld_be32(buf + 4);
	c.nret = ld_be32(buf + 8);
	if (c.nargs > RTAS_MAX_ARGS || c.nret > RTAS_MAX_ARGS ||
	    c.nargs + c.nret > RTAS_MAX_ARGS ||
	    !gpa_to_hva(&vm->mem, c.args_gpa, 12 + 4ULL * (c.nargs + c.nret)))
		return H_PARAMETER;
	for (i = 0; i < c.nargs; i++)
		c.args[i] = ld_be32(buf + 12 + 4 * i);
	memset(c.rets, 0, sizeof(c.rets));

	e = rtas_lookup(&vm->rtas, c.token);
	if (e && ((e->def->nargs != RTAS_ANY && c.nargs != (uint32_t)e->def->nargs) ||
		  (e->def->nret != RTAS_ANY && c.nret != (uint32_t)e->def->nret))) {
		rtas_status(&c, RTAS_PARAM_ERROR);
	} else if (e) {
		e->def->fn(cpu, &c);
	} else {
		pr_info_guest("vcpu %u: unknown RTAS token %#x", cpu->id, c.token);
		rtas_status(&c, RTAS_NOT_SUPPORTED);
	}
	for (i = 0; i < c.nret; i++)
		st_be32(buf + 12 + 4 * (c.nargs + i), c.rets[i]);
	return H_SUCCESS;
}
