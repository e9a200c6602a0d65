// SPDX-License-Identifier: GPL-2.0-only
/* The hypercall table: one per VM, sorted by number, filled by the core and devices. */
#include "hcall.h"
#include "log.h"
#include "vm.h"

static int hcall_register(struct hcall_table *t, const struct hcall_entry *e)
{
	unsigned int i;

	if (hcall_lookup(t, e->nr) || t->n == HCALL_TABLE_MAX)
		return -1; /* two owners for one hcall is a bug */
	for (i = t->n; i > 0 && t->e[i - 1].nr > e->nr; i--)
		t->e[i] = t->e[i - 1];
	t->e[i] = *e;
	t->n++;
	return 0;
}

int hcall_register_table(struct hcall_table *t, const struct hcall_entry *e, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (hcall_register(t, &e[i]))
			return -1;
	return 0;
}

const struct hcall_entry *hcall_lookup(const struct hcall_table *t, uint64_t nr)
{
	unsigned int lo = 0, hi = t->n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (t->e[mid].nr == nr)
			return &t->e[mid];
		if (t->e[mid].nr < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

long hcall_dispatch(struct vcpu *cpu, uint64_t nr, uint64_t *args)
{
	struct hcall_table *t = &cpu->vm->hcalls;
	const struct hcall_entry *e = hcall_lookup(t, nr);

	if (!e) {
		/* Log the first few only: a guest probing hcalls must not flood the log. */
		if (t->unknown_calls++ < 16)
			pr_info_guest("vcpu %u: unsupported hcall %#llx -> H_FUNCTION", cpu->id,
				(unsigned long long)nr);
		return H_FUNCTION;
	}
	return e->fn(cpu, nr, args);
}
