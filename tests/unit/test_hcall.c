// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "be.h"
#include "console.h"
#include "fake_arch.h"
#include "hcall.h"
#include "log.h"
#include "unit.h"
#include "vm.h"
#include "vty.h"

static long nop_a(struct vcpu *c, uint64_t nr, uint64_t *a) { return 1; }
static long nop_b(struct vcpu *c, uint64_t nr, uint64_t *a) { return 2; }

Test(hcall, table_sorted_and_unique)
{
	static struct hcall_table t;
	uint64_t nrs[] = { 0x300, 0x4, 0xf000, 0x58, 0x13c, 0x54 };
	struct hcall_entry dup = HCALL(H_PUT_TERM_CHAR, nop_b);

	for (unsigned int i = 0; i < ARRAY_SIZE(nrs); i++) {
		struct hcall_entry e = { nrs[i], nop_a, "x" };

		cr_assert_eq(hcall_register_table(&t, &e, 1), 0);
	}
	cr_assert_eq(hcall_register_table(&t, &dup, 1), -1, "one owner per hcall");
	cr_assert_str_eq(dup.name, "H_PUT_TERM_CHAR");
	for (unsigned int i = 1; i < t.n; i++)
		cr_assert_lt(t.e[i - 1].nr, t.e[i].nr);
	for (unsigned int i = 0; i < ARRAY_SIZE(nrs); i++)
		cr_assert_eq(hcall_lookup(&t, nrs[i])->nr, nrs[i]);
	cr_assert_null(hcall_lookup(&t, 0x5c));
}

Test(hcall, unknown_is_h_function)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint64_t a[9] = { 0 };

	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], 0x7ff0, a), H_FUNCTION);
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], ~0ULL, a), H_FUNCTION);
	test_vm_free(vm);
}

/* A guest calling an unknown hcall in a loop gets a few log lines, not one per call. */
Test(hcall, guest_triggered_log_is_rate_limited)
{
	struct vm *vm = test_vm(64 << 20, 1);
	FILE *tmp = tmpfile();
	char line[256];
	int saved, lines = 0, old = log_level;

	log_level = LOG_INFO;
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	for (int i = 0; i < 1000; i++) {
		uint64_t a[9] = { 0 };

		hcall_dispatch(&vm->vcpus[0], 0x7ff0, a);
	}
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	log_level = old;
	rewind(tmp);
	while (fgets(line, sizeof(line), tmp))
		lines += !!strstr(line, "unsupported hcall");
	fclose(tmp);
	cr_assert_geq(lines, 1, "the first ones are said");
	cr_assert_leq(lines, LOG_GUEST_BURST, "%d lines for 1000 calls", lines);
	test_vm_free(vm);
}

Test(hcall, put_term_char)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint64_t a[9] = { VTY_REG, 12, 0, 0 };

	a[2] = 0x48656c6c6f2c2077ULL; /* "Hello, w" first byte most significant */
	a[3] = 0x6f726c6400000000ULL; /* "orld" */
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_PUT_TERM_CHAR, a), H_SUCCESS);
	a[0] = 0; /* terminal 0 = the console (Linux early debug) */
	a[1] = 1;
	a[2] = (uint64_t)'!' << 56;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_PUT_TERM_CHAR, a), H_SUCCESS);
	cr_assert_str_eq(test_console_output(vm), "Hello, world!");
	a[0] = VTY_REG;
	a[1] = 17;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_PUT_TERM_CHAR, a), H_PARAMETER);
	a[0] = 0x71000001;
	a[1] = 1;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_PUT_TERM_CHAR, a), H_PARAMETER);
	cr_assert_str_eq(test_console_output(vm), "Hello, world!", "nothing more written");
	test_vm_free(vm);
}

Test(hcall, get_term_char)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint64_t a[9] = { VTY_REG };
	int p[2];

	cr_assert_eq(pipe(p), 0);
	vm->console->in_fd = p[0];
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TERM_CHAR, a), H_SUCCESS);
	cr_assert_eq(a[0], 0u, "no input yet");
	cr_assert_eq(write(p[1], "0123456789abcdefXYZ", 19), 19);
	a[0] = VTY_REG;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TERM_CHAR, a), H_SUCCESS);
	cr_assert_eq(a[0], 16u);
	cr_assert_eq(a[1], 0x3031323334353637ULL);
	cr_assert_eq(a[2], 0x3839616263646566ULL);
	a[0] = VTY_REG;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TERM_CHAR, a), H_SUCCESS);
	cr_assert_eq(a[0], 3u);
	cr_assert_eq(a[1], 0x58595a0000000000ULL);
	/* a read ends after \r, so that the guest does not drop the \0 after it (as QEMU) */
	cr_assert_eq(write(p[1], "ab\r\0cd", 6), 6);
	a[0] = VTY_REG;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TERM_CHAR, a), H_SUCCESS);
	cr_assert_eq(a[0], 3u);
	cr_assert_eq(a[1], 0x61620d0000000000ULL);
	a[0] = VTY_REG;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TERM_CHAR, a), H_SUCCESS);
	cr_assert_eq(a[0], 3u, "the rest, \\0 first");
	cr_assert_eq(a[1], 0x0063640000000000ULL);
	a[0] = VTY_REG;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TERM_CHAR, a), H_SUCCESS);
	cr_assert_eq(a[0], 0u, "drained");
	a[0] = 5;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TERM_CHAR, a), H_PARAMETER);
	close(p[1]);
	a[0] = VTY_REG;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TERM_CHAR, a), H_SUCCESS);
	cr_assert_eq(a[0], 0u);
	cr_assert_eq(vm->console->in_fd, -1, "writer closed: input ends");
	test_vm_free(vm);
}

Test(hcall, set_mode)
{
	struct vm *vm = test_vm(64 << 20, 2);
	struct vcpu *c = &vm->vcpus[0];
	uint64_t a[9] = { 1, H_SET_MODE_RESOURCE_LE, 0, 0 };

	fake_arch.ile = -1;
	cr_assert_eq(hcall_dispatch(c, H_SET_MODE, a), H_SUCCESS);
	cr_assert_eq(fake_arch.ile, 1);
	a[0] = 0;
	cr_assert_eq(hcall_dispatch(c, H_SET_MODE, a), H_SUCCESS);
	cr_assert_eq(fake_arch.ile, 0);
	a[0] = 2;
	cr_assert_eq(hcall_dispatch(c, H_SET_MODE, a), H_UNSUPPORTED_FLAG);
	a[0] = 1;
	a[2] = 5;
	cr_assert_eq(hcall_dispatch(c, H_SET_MODE, a), H_P3);
	a[2] = 0;
	a[3] = 5;
	cr_assert_eq(hcall_dispatch(c, H_SET_MODE, a), H_P4);
	cr_assert_eq(fake_arch.ile, 0, "failed calls changed nothing");
	uint64_t b[9] = { 3, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0 };
	cr_assert_eq(hcall_dispatch(c, H_SET_MODE, b), H_SUCCESS);
	cr_assert_eq(fake_arch.ail, 3);
	b[0] = 2;
	cr_assert_eq(hcall_dispatch(c, H_SET_MODE, b), H_UNSUPPORTED_FLAG);
	uint64_t d[9] = { 0, 77, 0, 0 };
	cr_assert_eq(hcall_dispatch(c, H_SET_MODE, d), H_P2);
	test_vm_free(vm);
}

Test(hcall, register_proc_tbl_radix)
{
	struct vm *vm = test_vm(64 << 20, 1);
	struct vcpu *c = &vm->vcpus[0];
	uint64_t a[9];

	fake_arch.mmu_calls = 0;
	/* Linux: PROC_TABLE_NEW | RADIX | GTSE, table at 1 MiB, 2^(12+4) bytes */
	uint64_t ok[9] = { PROC_TABLE_NEW | PROC_TABLE_RADIX | PROC_TABLE_GTSE, 0x100000, 0, 4 };
	memcpy(a, ok, sizeof(a));
	cr_assert_eq(hcall_dispatch(c, H_REGISTER_PROC_TBL, a), H_SUCCESS);
	cr_assert_eq(fake_arch.mmu_calls, 1);
	cr_assert(fake_arch.mmu_radix && fake_arch.mmu_gtse);
	vm->gtse = false; /* nested: GTSE never reaches KVM */
	memcpy(a, ok, sizeof(a));
	cr_assert_eq(hcall_dispatch(c, H_REGISTER_PROC_TBL, a), H_SUCCESS);
	cr_assert_not(fake_arch.mmu_gtse);
	vm->gtse = true;
	fake_arch.mmu_calls = 1;
	cr_assert_eq(fake_arch.mmu_pate1, (1ULL << 63) | 0x100000 | 4);

	memcpy(a, ok, sizeof(a));
	a[1] = 0x100800; /* not 4K aligned */
	cr_assert_eq(hcall_dispatch(c, H_REGISTER_PROC_TBL, a), H_P2);
	memcpy(a, ok, sizeof(a));
	a[1] = (64 << 20) - 4096; /* table runs past RAM */
	cr_assert_eq(hcall_dispatch(c, H_REGISTER_PROC_TBL, a), H_P2);
	memcpy(a, ok, sizeof(a));
	a[3] = 25;
	cr_assert_eq(hcall_dispatch(c, H_REGISTER_PROC_TBL, a), H_P4);
	memcpy(a, ok, sizeof(a));
	a[0] |= 0x100;
	cr_assert_eq(hcall_dispatch(c, H_REGISTER_PROC_TBL, a), H_PARAMETER);
	memcpy(a, ok, sizeof(a));
	a[0] = PROC_TABLE_NEW | PROC_TABLE_HPT_SLB; /* hash, but the tree offered radix */
	a[1] = a[3] = 0;
	cr_assert_eq(hcall_dispatch(c, H_REGISTER_PROC_TBL, a), H_PARAMETER);
	cr_assert_eq(fake_arch.mmu_calls, 1, "rejected calls reached KVM");

	/* deregister: no table, still radix (a process table entry without GR KVM refuses) */
	uint64_t dereg[9] = { PROC_TABLE_DEREG };
	cr_assert_eq(hcall_dispatch(c, H_REGISTER_PROC_TBL, dereg), H_SUCCESS);
	cr_assert_eq(fake_arch.mmu_calls, 2);
	cr_assert(fake_arch.mmu_radix && !fake_arch.mmu_gtse);
	cr_assert_eq(fake_arch.mmu_pate1, 1ULL << 63);

	fake_arch.fail = 1;
	memcpy(a, ok, sizeof(a));
	cr_assert_eq(hcall_dispatch(c, H_REGISTER_PROC_TBL, a), H_HARDWARE);
	fake_arch.fail = 0;
	test_vm_free(vm);
}

Test(hcall, register_proc_tbl_hash)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint64_t a[9] = { PROC_TABLE_NEW | PROC_TABLE_HPT_SLB, 0, 0, 0 };

	vm->radix = false;
	fake_arch.mmu_calls = 0;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_REGISTER_PROC_TBL, a), H_SUCCESS);
	cr_assert_eq(fake_arch.mmu_calls, 1);
	cr_assert_not(fake_arch.mmu_radix);
	cr_assert_eq(fake_arch.mmu_pate1, 0u);
	uint64_t b[9] = { PROC_TABLE_NEW | PROC_TABLE_HPT_SLB, 0x10000, 0, 0 };
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_REGISTER_PROC_TBL, b), H_PARAMETER);
	uint64_t dereg[9] = { PROC_TABLE_DEREG };
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_REGISTER_PROC_TBL, dereg), H_SUCCESS);
	cr_assert_eq(fake_arch.mmu_calls, 2);
	cr_assert(!fake_arch.mmu_radix && fake_arch.mmu_pate1 == 0);
	test_vm_free(vm);
}

Test(hcall, register_vpa)
{
	struct vm *vm = test_vm(64 << 20, 2);
	uint8_t *vpa = vm->mem.hva + 0x3000;
	uint64_t reg = H_VPA_REG_VPA << H_VPA_FUNC_SHIFT;
	uint64_t a[9] = { reg, 1, 0x3000 };

	vpa[4] = 640 >> 8; /* size, big-endian 16 bits at offset 4 */
	vpa[5] = 640 & 0xff;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_REGISTER_VPA, a), H_SUCCESS);
	cr_assert_eq(fake_arch.vpa_cpu, 1u);
	cr_assert_eq(fake_arch.vpa_addr, 0x3000u);
	cr_assert_eq(fake_arch.vpa_len, 640u);
	a[1] = 2; /* no such vCPU */
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_REGISTER_VPA, a), H_PARAMETER);
	a[1] = 0;
	a[2] = 0x3e00; /* crosses a 4K page */
	memcpy(vm->mem.hva + 0x3e04, vpa + 4, 2);
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_REGISTER_VPA, a), H_PARAMETER);
	a[2] = (64 << 20) - 4; /* outside RAM */
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_REGISTER_VPA, a), H_PARAMETER);
	a[0] = 4ULL << H_VPA_FUNC_SHIFT; /* no such subfunction */
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_REGISTER_VPA, a), H_PARAMETER);
	a[0] = H_VPA_DEREG_VPA << H_VPA_FUNC_SHIFT;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_REGISTER_VPA, a), H_SUCCESS);
	cr_assert_eq(fake_arch.vpa_addr, 0u);
	test_vm_free(vm);
}

Test(hcall, random_and_cpu_char)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint64_t a[9] = { 0 }, b[9] = { 0 };

	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_RANDOM, a), H_SUCCESS);
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_RANDOM, b), H_SUCCESS);
	cr_assert_neq(a[0], b[0], "two 64-bit random draws collided");
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_CPU_CHARACTERISTICS, a), H_SUCCESS);
	cr_assert_eq(a[0], 0x1234u);
	cr_assert_eq(a[1], 0x5678u);
	test_vm_free(vm);
}

static uint64_t mmio_last, mmio_last_off;
static int test_mmio(void *opaque, uint64_t off, unsigned int len, uint64_t *val, bool wr)
{
	if (wr) {
		mmio_last = *val;
		mmio_last_off = off;
	} else {
		*val = 0xabcd0000 | off; /* bytes 10 00 cd ab in memory */
	}
	return 0;
}

Test(hcall, logical_ci)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint64_t a[9] = { 4, 0x200000010ULL };

	cr_assert_eq(mmio_register(vm, 0x200000000ULL, 0x1000, test_mmio, NULL), 0);
	cr_assert_eq(mmio_register(vm, 0x200000800ULL, 0x1000, test_mmio, NULL), -1, "overlap");
	/* big-endian, as KVM's and QEMU's H_LOGICAL_CI_*: the bytes read high first */
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CI_LOAD, a), H_SUCCESS);
	cr_assert_eq(a[0], 0x1000cdabu);
	uint64_t s[9] = { 8, 0x200000008ULL, 0x77 };
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CI_STORE, s), H_SUCCESS);
	cr_assert_eq(mmio_last_off, 8u);
	cr_assert_eq(mmio_last, 0x7700000000000000ULL, "0x77 is the last byte in memory");
	uint64_t bad[9] = { 3, 0x200000010ULL };
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CI_LOAD, bad), H_PARAMETER);
	uint64_t mis[9] = { 4, 0x200000012ULL };
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CI_LOAD, mis), H_PARAMETER);
	uint64_t edge[9] = { 8, 0x200000ffcULL };
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CI_LOAD, edge), H_PARAMETER);
	uint64_t none[9] = { 4, 0x300000000ULL };
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CI_LOAD, none), H_PARAMETER);
	test_vm_free(vm);
}

/* Guest RAM too, and the cache-inhibited and cacheable forms alike, as QEMU serves them. */
Test(hcall, logical_access_to_ram)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint8_t *ram = vm->mem.hva;
	static const struct {
		uint64_t nr, size;
	} op[] = { { H_LOGICAL_CI_STORE, 8 }, { H_LOGICAL_CACHE_STORE, 4 },
		   { H_LOGICAL_CI_STORE, 2 }, { H_LOGICAL_CACHE_STORE, 1 } };

	for (unsigned int i = 0; i < ARRAY_SIZE(op); i++) {
		uint64_t st[9] = { op[i].size, 0x1000, 0x0102030405060708ULL };
		uint64_t ld[9] = { op[i].size, 0x1000 };
		uint64_t want = 0x0102030405060708ULL & (~0ULL >> (64 - 8 * op[i].size));

		memset(ram + 0x1000, 0, 8);
		cr_assert_eq(hcall_dispatch(&vm->vcpus[0], op[i].nr, st), H_SUCCESS);
		/* the value's low bytes, big-endian: most significant first */
		cr_assert_eq(ram[0x1000], 0x09 - op[i].size);
		cr_assert_eq(ram[0x1000 + op[i].size - 1], 0x08);
		if (op[i].size < 8)
			cr_assert_eq(ram[0x1000 + op[i].size], 0, "stored %lu bytes only",
				     (unsigned long)op[i].size);
		cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CACHE_LOAD, ld), H_SUCCESS);
		cr_assert_eq(ld[0], want);
		ld[0] = op[i].size;
		ld[1] = 0x1000;
		cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CI_LOAD, ld), H_SUCCESS);
		cr_assert_eq(ld[0], want);
	}
	uint64_t end[9] = { 8, (64 << 20) - 8 }, past[9] = { 8, 64 << 20 };
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CACHE_LOAD, end), H_SUCCESS);
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CACHE_LOAD, past), H_PARAMETER);
	uint64_t mis[9] = { 4, 0x1002 };
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CACHE_STORE, mis), H_PARAMETER);
	uint64_t any[9] = { 0x1000 };
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_ICBI, any), H_SUCCESS);
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_DCBF, any), H_SUCCESS);
	test_vm_free(vm);
}

Test(hcall, set_sprg0)
{
	struct vm *vm = test_vm(64 << 20, 2);
	uint64_t a[9] = { 0x1234567890abcdefULL };

	cr_assert_eq(hcall_dispatch(&vm->vcpus[1], H_SET_SPRG0, a), H_SUCCESS);
	cr_assert_eq(fake_arch.sprg0, 0x1234567890abcdefULL);
	cr_assert_eq(fake_arch.sprg0_cpu, 1u, "the calling vCPU's");
	test_vm_free(vm);
}

/* H_PAGE_INIT as QEMU's: zero or copy a 4K page, both aligned and in RAM. */
Test(hcall, page_init)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint8_t *ram = vm->mem.hva;
	uint64_t a[9];

	memset(ram + 0x10000, 0xab, 8192);
	memset(ram + 0x20000, 0x5c, 4096);
	a[0] = H_ZERO_PAGE, a[1] = 0x10000;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_PAGE_INIT, a), H_SUCCESS);
	cr_assert(ram[0x10000] == 0 && ram[0x10fff] == 0, "zeroed");
	cr_assert_eq(ram[0x11000], 0xab, "and nothing past it");
	a[0] = H_COPY_PAGE | H_ICACHE_SYNCHRONIZE, a[1] = 0x10000, a[2] = 0x20000;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_PAGE_INIT, a), H_SUCCESS);
	cr_assert(ram[0x10000] == 0x5c && ram[0x10fff] == 0x5c, "copied");
	cr_assert_eq(fake_arch.icache_syncs, 1u, "made fetchable");
	a[0] = 1, a[1] = 0x10000;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_PAGE_INIT, a), H_PARAMETER, "unknown flag");
	a[0] = H_ZERO_PAGE, a[1] = 0x10800;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_PAGE_INIT, a), H_PARAMETER, "unaligned");
	a[0] = H_ZERO_PAGE, a[1] = 64 << 20;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_PAGE_INIT, a), H_PARAMETER, "past RAM");
	a[0] = H_COPY_PAGE, a[1] = 0x10000, a[2] = (64 << 20) - 2048;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_PAGE_INIT, a), H_PARAMETER,
		     "source past RAM");
	cr_assert_eq(ram[0x10000], 0x5c, "a refused call changes nothing");
	test_vm_free(vm);
}

Test(hcall, signal_sys_reset_targets)
{
	struct vm *vm = test_vm(64 << 20, 3);
	uint64_t a[9] = { 0 };

	fake_arch.sresets = 0;
	a[0] = (uint64_t)-1;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[1], H_SIGNAL_SYS_RESET, a), H_SUCCESS);
	cr_assert_eq(fake_arch.sresets, 7u, "every vCPU");
	fake_arch.sresets = 0;
	a[0] = (uint64_t)-2;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[1], H_SIGNAL_SYS_RESET, a), H_SUCCESS);
	cr_assert_eq(fake_arch.sresets, 5u, "all but the caller");
	fake_arch.sresets = 0;
	a[0] = 2;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_SIGNAL_SYS_RESET, a), H_SUCCESS);
	cr_assert_eq(fake_arch.sresets, 4u);
	a[0] = 3;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_SIGNAL_SYS_RESET, a), H_PARAMETER);
	a[0] = (uint64_t)-3;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_SIGNAL_SYS_RESET, a), H_PARAMETER);
	cr_assert_eq(fake_arch.sresets, 4u, "refused calls reset nothing");
	test_vm_free(vm);
}
