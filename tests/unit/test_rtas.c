// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "be.h"
#include "fake_arch.h"
#include "irqchip.h"
#include "rtas.h"
#include "unit.h"
#include "vm.h"
#include "vty.h"

#define ARGS_GPA 0x8000 /* an RTAS args buffer in guest memory */

static long call(struct vm *vm, unsigned int cpu, const char *name, unsigned int nargs,
		 const uint32_t *args, unsigned int nret, uint32_t *rets)
{
	return test_rtas_call(vm, cpu, name, nargs, args, nret, rets);
}

Test(rtas, blob_is_big_endian_hcall)
{
	uint8_t b[RTAS_BLOB_SIZE];

	rtas_write_blob(b);
	cr_assert_eq(ld_be32(b), 0x7c641b78u);	   /* mr r4,r3 */
	cr_assert_eq(ld_be32(b + 8), 0x6063f000u); /* ori r3,r3,0xf000 */
	cr_assert_eq(ld_be32(b + 12), 0x44000022u); /* sc 1 */
	cr_assert_eq(ld_be32(b + 16), 0x4e800020u); /* blr */
}

Test(rtas, tokens_unique_and_found)
{
	static const struct rtas_def dup = { "power-off", NULL, 2, 1 };
	struct vm *vm = test_vm(64 << 20, 1);

	cr_assert_geq(vm->rtas.n, 15u);
	for (unsigned int i = 0; i < vm->rtas.n; i++) {
		cr_assert_eq(vm->rtas.e[i].token, RTAS_TOKEN_BASE + i);
		cr_assert_eq(rtas_lookup(&vm->rtas, vm->rtas.e[i].token), &vm->rtas.e[i]);
	}
	cr_assert_null(rtas_lookup(&vm->rtas, RTAS_TOKEN_BASE + vm->rtas.n));
	cr_assert_null(rtas_lookup(&vm->rtas, 0));
	cr_assert_eq(rtas_register_table(&vm->rtas, &dup, 1), -1);
	test_vm_free(vm);
}

Test(rtas, bad_buffers)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint64_t a[9] = { (64 << 20) - 8 }; /* header runs off the end of RAM */
	uint8_t *b = vm->mem.hva + ARGS_GPA;

	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], KVMPPC_H_RTAS, a), H_PARAMETER);
	st_be32(b, RTAS_TOKEN_BASE);
	st_be32(b + 4, 10);
	st_be32(b + 8, 7); /* 17 words > 16 */
	a[0] = ARGS_GPA;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], KVMPPC_H_RTAS, a), H_PARAMETER);
	st_be32(b + 4, 0xffffffff);
	st_be32(b + 8, 2);
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], KVMPPC_H_RTAS, a), H_PARAMETER);
	/* args fit, but the return words would lie past the end of RAM */
	a[0] = (64 << 20) - 16;
	b = vm->mem.hva + a[0];
	st_be32(b, RTAS_TOKEN_BASE);
	st_be32(b + 4, 1);
	st_be32(b + 8, 1);
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], KVMPPC_H_RTAS, a), H_PARAMETER);
	test_vm_free(vm);
}

Test(rtas, unknown_token)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint32_t r[2];

	cr_assert_eq(call(vm, 0, "no-such-call", 0, NULL, 2, r), H_SUCCESS);
	cr_assert_eq((int32_t)r[0], -3);
	cr_assert_eq(r[1], 0u, "other returns cleared");
	test_vm_free(vm);
}

Test(rtas, time_of_day)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint32_t r[8], set[7] = { 2031, 2, 3, 4, 5, 6, 0 };
	time_t now = time(NULL);
	struct tm tm;

	cr_assert_eq(call(vm, 0, "get-time-of-day", 0, NULL, 8, r), H_SUCCESS);
	cr_assert_eq(r[0], 0u);
	gmtime_r(&now, &tm);
	cr_assert_eq(r[1], (uint32_t)tm.tm_year + 1900);
	cr_assert(r[2] >= 1 && r[2] <= 12 && r[3] >= 1 && r[3] <= 31);
	cr_assert_eq(call(vm, 0, "set-time-of-day", 7, set, 1, r), H_SUCCESS);
	cr_assert_eq(r[0], 0u);
	cr_assert_eq(call(vm, 0, "get-time-of-day", 0, NULL, 8, r), H_SUCCESS);
	cr_assert_eq(r[1], 2031u);
	cr_assert_eq(r[2], 2u);
	cr_assert_eq(r[3], 3u);
	cr_assert_eq(r[4], 4u);
	cr_assert_eq(r[5], 5u);
	set[1] = 13;
	cr_assert_eq(call(vm, 0, "set-time-of-day", 7, set, 1, r), H_SUCCESS);
	cr_assert_eq((int32_t)r[0], -3);
	cr_assert_eq(call(vm, 0, "get-time-of-day", 1, set, 8, r), H_SUCCESS);
	cr_assert_eq((int32_t)r[0], -3, "wrong nargs");
	test_vm_free(vm);
}

Test(rtas, power_off_and_reboot)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint32_t a[2] = { 0, 0 }, r[1];

	cr_assert_eq(call(vm, 0, "power-off", 1, a, 1, r), H_SUCCESS);
	cr_assert_eq((int32_t)r[0], -3);
	cr_assert_not(atomic_load(&vm->stopping));
	cr_assert_eq(call(vm, 0, "system-reboot", 0, NULL, 1, r), H_SUCCESS);
	cr_assert_eq(r[0], 0u);
	cr_assert(atomic_load(&vm->stopping));
	cr_assert_eq(vm->exit_status, PSVM_EXIT_REBOOT);
	/* the first fate wins */
	cr_assert_eq(call(vm, 0, "power-off", 2, a, 1, r), H_SUCCESS);
	cr_assert_eq(vm->exit_status, PSVM_EXIT_REBOOT);
	test_vm_free(vm);
}

Test(rtas, os_term)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint32_t a[1] = { 0x9000 }, r[1];

	strcpy((char *)vm->mem.hva + 0x9000, "Kernel panic - not syncing");
	cr_assert_eq(call(vm, 0, "ibm,os-term", 1, a, 1, r), H_SUCCESS);
	cr_assert_eq(r[0], 0u);
	cr_assert_eq(vm->exit_status, PSVM_EXIT_OS_TERM);
	test_vm_free(vm);
}

/* The guest's message reaches psvm's log as printable ASCII only: no terminal escapes. */
Test(rtas, os_term_message_is_sanitized)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint32_t a[1] = { 0x9000 }, r[1];
	FILE *tmp = tmpfile();
	char buf[512] = "";
	int saved;

	strcpy((char *)vm->mem.hva + 0x9000, "\x1b[2Jpanic\x07 now");
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	call(vm, 0, "ibm,os-term", 1, a, 1, r);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	buf[fread(buf, 1, sizeof(buf) - 1, tmp)] = 0;
	fclose(tmp);
	cr_assert(strstr(buf, "ibm,os-term: ?[2Jpanic? now"), "%s", buf);
	cr_assert_null(strchr(buf, '\x1b'));
	test_vm_free(vm);
}

Test(rtas, cpu_start_stop)
{
	struct vm *vm = test_vm(64 << 20, 3);
	uint32_t a[3] = { 1, 0x4000, 0x1234 }, r[2];

	cr_assert_eq(call(vm, 0, "query-cpu-stopped-state", 1, a, 2, r), H_SUCCESS);
	cr_assert_eq(r[0], 0u);
	cr_assert_eq(r[1], 0u, "secondary starts stopped");
	cr_assert_eq(call(vm, 0, "start-cpu", 3, a, 1, r), H_SUCCESS);
	cr_assert_eq(r[0], 0u);
	cr_assert_eq(vm->vcpus[1].state, VCPU_STARTING);
	cr_assert_eq(vm->vcpus[1].start_pc, 0x4000u);
	cr_assert_eq(vm->vcpus[1].start_r3, 0x1234u);
	cr_assert_eq(call(vm, 0, "query-cpu-stopped-state", 1, a, 2, r), H_SUCCESS);
	cr_assert_eq(r[1], 2u);
	cr_assert_eq(call(vm, 0, "start-cpu", 3, a, 1, r), H_SUCCESS);
	cr_assert_eq((int32_t)r[0], -1, "already running");
	a[0] = 3;
	cr_assert_eq(call(vm, 0, "start-cpu", 3, a, 1, r), H_SUCCESS);
	cr_assert_eq((int32_t)r[0], -3, "no such cpu");
	a[0] = 2;
	a[1] = 64 << 20; /* start address outside RAM */
	cr_assert_eq(call(vm, 0, "start-cpu", 3, a, 1, r), H_SUCCESS);
	cr_assert_eq((int32_t)r[0], -3);
	cr_assert_eq(vm->vcpus[2].state, VCPU_STOPPED);
	cr_assert_eq(call(vm, 1, "stop-self", 0, NULL, 1, r), H_SUCCESS);
	cr_assert_eq(vm->vcpus[1].state, VCPU_STOPPED);
	test_vm_free(vm);
}

Test(rtas, display_character)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint32_t a[1] = { 'Z' }, r[1];

	cr_assert_eq(call(vm, 0, "display-character", 1, a, 1, r), H_SUCCESS);
	cr_assert_eq(r[0], 0u);
	cr_assert_str_eq(test_console_output(vm), "Z");
	test_vm_free(vm);
}

Test(rtas, xics_sources)
{
	struct vm *vm = test_vm(64 << 20, 2);
	uint32_t irq = device_find(vm, &vty_kind) ? XICS_IRQ_BASE : 0, a[3], r[3];

	cr_assert_eq(irq, XICS_IRQ_BASE, "the console owns the first source");
	cr_assert_eq(fake_arch.rtas_in_kernel_asked, 4u,
		     "KVM asked to serve set-xive, get-xive, int-off, int-on");
	a[0] = irq;
	cr_assert_eq(call(vm, 0, "ibm,get-xive", 1, a, 3, r), H_SUCCESS);
	cr_assert_eq(r[0], 0u);
	cr_assert_eq(r[2], 0xffu, "starts masked");

	a[1] = 1;
	a[2] = 5;
	cr_assert_eq(call(vm, 0, "ibm,set-xive", 3, a, 1, r), H_SUCCESS);
	cr_assert_eq(r[0], 0u);
	cr_assert_eq(fake_arch.xics_irq, irq);
	cr_assert_eq(fake_arch.xics_server, 1u);
	cr_assert_eq(fake_arch.xics_prio, 5);
	cr_assert_not(fake_arch.xics_masked);
	cr_assert_eq(call(vm, 0, "ibm,get-xive", 1, a, 3, r), H_SUCCESS);
	cr_assert_eq(r[1], 1u);
	cr_assert_eq(r[2], 5u);

	cr_assert_eq(call(vm, 0, "ibm,int-off", 1, a, 1, r), H_SUCCESS);
	cr_assert_eq(r[0], 0u);
	cr_assert(fake_arch.xics_masked);
	cr_assert_eq(fake_arch.xics_prio, 5, "KVM keeps the priority while masked");
	cr_assert_eq(call(vm, 0, "ibm,get-xive", 1, a, 3, r), H_SUCCESS);
	cr_assert_eq(r[2], 0xffu);
	cr_assert_eq(call(vm, 0, "ibm,int-on", 1, a, 1, r), H_SUCCESS);
	cr_assert_not(fake_arch.xics_masked);
	cr_assert_eq(call(vm, 0, "ibm,get-xive", 1, a, 3, r), H_SUCCESS);
	cr_assert_eq(r[2], 5u, "priority back");

	uint32_t bad_irq[3] = { irq + 1, 0, 5 }, bad_srv[3] = { irq, 7, 5 },
		 bad_prio[3] = { irq, 0, 0x100 };
	cr_assert_eq(call(vm, 0, "ibm,set-xive", 3, bad_irq, 1, r), H_SUCCESS);
	cr_assert_eq((int32_t)r[0], -3, "not a source");
	cr_assert_eq(call(vm, 0, "ibm,set-xive", 3, bad_srv, 1, r), H_SUCCESS);
	cr_assert_eq((int32_t)r[0], -3, "no such server");
	cr_assert_eq(call(vm, 0, "ibm,set-xive", 3, bad_prio, 1, r), H_SUCCESS);
	cr_assert_eq((int32_t)r[0], -3, "priority > 0xff");
	cr_assert_eq(call(vm, 0, "ibm,int-on", 1, bad_irq, 1, r), H_SUCCESS);
	cr_assert_eq((int32_t)r[0], -3);

	fake_arch.fail = 1;
	a[1] = 0;
	a[2] = 3;
	cr_assert_eq(call(vm, 0, "ibm,set-xive", 3, a, 1, r), H_SUCCESS);
	fake_arch.fail = 0;
	cr_assert_eq((int32_t)r[0], -1, "KVM refused");
	cr_assert_eq(call(vm, 0, "ibm,get-xive", 1, a, 3, r), H_SUCCESS);
	cr_assert_eq(r[1], 1u, "state unchanged after a failure");
	cr_assert_eq(r[2], 5u);
	test_vm_free(vm);
}
