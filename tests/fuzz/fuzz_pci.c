// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest driving a passed-through PCIe function: DDW query/create/remove/reset, MSI and
 * MSI-X on and off (ibm,change-msi), interrupt source queries, config space writes and
 * reads (BARs moved, decode switched, extended registers), TCE hcalls on whichever
 * windows exist and MMIO (H_LOGICAL_CI and MMIO exits) to the BARs wherever they are, all
 * steered to the function's PHB. The host IOMMU is a fake iommufd IOAS (whole unmaps only;
 * a call fails where the input says). After every step, the invariants: each live
 * window's host mappings are exactly what its TCE table says, nothing is mapped outside a
 * live window, a host-mapped BAR is in the guest exactly while decode is on and it sits in
 * a PHB window, a trapped BAR is served exactly where it sits, and a trapped load returns
 * what the device says at that offset (all ones with decode off).
 *
 * Built twice: fuzz-pci runs the steps on one vCPU; fuzz-pci-mt (FUZZ_THREADS) gives
 * every other step to a second vCPU's thread, the two running at once, and checks the
 * invariant when both are done.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "be.h"
#include "fake_arch.h"
#include "fake_ioas.h"
#include "fake_pci.h"
#include "hcall.h"
#include "mmio.h"
#include "rtas.h"
#include "tce.h"
#include "vm.h"

#define RAM	 (16ULL << 20)
#define STEP	 12
/*
 * Small windows (a 256 KiB default one, DDWs up to 1 MiB): the checks walk whole tables
 * after every step and do not depend on size; big tables only slow the fuzzer down.
 */
#define MAX_WIN (1ULL << 20)
#define ARGS_GPA 0x8000	  /* RTAS argument buffers: 0x200 bytes per vCPU */
#define LIST_GPA 0x100000 /* H_PUT_TCE_INDIRECT lists: one page per vCPU */

static struct vm *vm;
static struct fake_pci *fp;
static struct fake_ioas ioas;
static uint32_t buid_hi, buid_lo;

/* the calls with the argument and return counts Linux passes (an input may change them) */
enum { QUERY, CREATE, REMOVE, RESET, CHANGE_MSI, QUERY_IRQ, WRITE_CFG, READ_CFG, NCALLS };
static const struct {
	const char *name;
	unsigned int nargs, nret;
} calls[NCALLS] = {
	[QUERY] = { "ibm,query-pe-dma-window", 3, 6 },
	[CREATE] = { "ibm,create-pe-dma-window", 5, 4 },
	[REMOVE] = { "ibm,remove-pe-dma-window", 1, 1 },
	[RESET] = { "ibm,reset-pe-dma-window", 3, 1 },
	[CHANGE_MSI] = { "ibm,change-msi", 6, 4 },
	[QUERY_IRQ] = { "ibm,query-interrupt-source-number", 4, 3 },
	[WRITE_CFG] = { "ibm,write-pci-config", 5, 1 },
	[READ_CFG] = { "ibm,read-pci-config", 4, 2 },
};
static uint32_t tokens[NCALLS]; /* looked up once: a lookup by name per step cost 10 % */

/* Config registers worth hitting: command, BARs, MSI/MSI-X control, extended ones. */
static const uint16_t regs[] = { 0x04, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x30, 0x3c,
				 0x42, 0x44, 0x48, 0x4c, 0x52, 0x100, 0x104, 0x148, 0xffc };

static void rtas_step(unsigned int cpu, const uint8_t *d)
{
	unsigned int c = d[1] % ARRAY_SIZE(calls);
	uint8_t *b = vm->mem.hva + ARGS_GPA + 0x200 * cpu; /* an args buffer per vCPU */
	uint32_t a[6], reg = regs[d[2] % ARRAY_SIZE(regs)] + (d[3] & 3);
	bool odd = (d[4] & 0xf0) == 0xf0; /* now and then, counts of the input's choosing */
	unsigned int nargs = odd ? d[4] % 7 : calls[c].nargs;
	unsigned int nret = odd ? 1 + d[5] % 6 : calls[c].nret - (d[5] & 1 && c == QUERY);
	uint64_t h[9] = { ARGS_GPA + 0x200 * cpu };

	/*
	 * config address: register bits 7:0 and 31:28 (extended) for config accesses (for
	 * the others, whose address names the function, now and then), now and then devfn 1
	 */
	if (c != WRITE_CFG && c != READ_CFG && !(d[3] & 0x80))
		reg = 0;
	a[0] = (reg & 0xff) | (reg & 0xf00) << 20 | (d[6] == 0xff ? 1 << 8 : 0);
	a[1] = d[7] == 0xff ? buid_hi + 1 : buid_hi;
	a[2] = buid_lo;
	a[3] = d[8] | (uint32_t)d[9] << 8 | (uint32_t)d[10] << 16;
	a[4] = d[11];
	a[5] = d[10] & 3; /* change-msi's sequence number */
	switch (c) {
	case REMOVE:
		/* a window's LIOBN, named blind (the other thread may free it), or garbage */
		a[0] = d[9] & 0x80 ? a[3] : LIOBN(fp->phb->index, d[8] % PE_MAX_WINDOWS);
		break;
	case CREATE:
		a[3] = d[8] % 32;      /* page shift: 12, 16 and 24 among them */
		a[4] = 12 + d[9] % 20; /* window shift */
		break;
	case CHANGE_MSI:
		a[3] = d[8] % 8; /* functions 0-6, and one that is not */
		a[4] = d[9] % 20;
		break;
	case WRITE_CFG:
	case READ_CFG:
		a[3] = 1u << (d[8] % 3);
		a[4] = d[9] | (uint32_t)d[10] << 8 | (uint32_t)d[11] << 24;
		break;
	}
	st_be32(b, tokens[c]);
	st_be32(b + 4, nargs);
	st_be32(b + 8, nret);
	for (unsigned int i = 0; i < nargs; i++)
		st_be32(b + 12 + 4 * i, i < ARRAY_SIZE(a) ? a[i] : d[i]);
	hcall_dispatch(&vm->vcpus[cpu], KVMPPC_H_RTAS, h);
}

static void tce_step(unsigned int cpu, const uint8_t *d)
{
	static const uint64_t nrs[] = { H_PUT_TCE, H_STUFF_TCE, H_PUT_TCE_INDIRECT, H_GET_TCE };
	unsigned int win = d[1] % PE_MAX_WINDOWS;
	uint64_t page, gpa = (uint64_t)d[2] << 16, list = LIST_GPA + cpu * 0x1000, a[9] = { 0 };
	uint64_t n, bus;
	uint32_t liobn;
#ifdef FUZZ_THREADS
	/*
	 * The other thread may remove the window meanwhile: name it blind, as a guest does
	 * (psvm's LIOBNs and bus offsets: PHB 0's window n at 0 or 2^59), never through
	 * psvm's own pointers.
	 */
	static const unsigned int shifts[] = { 12, 16, 24 };

	page = 1ULL << shifts[d[11] % 3];
	n = MAX(1ULL, MAX_WIN / page); /* entries of the biggest window (one of 16M pages) */
	liobn = LIOBN(fp->phb->index, win);
	bus = win ? 1ULL << 59 : 0;
#else
	struct tce_window *w = fp->pe.win[win];

	if (!w)
		return;
	page = 1ULL << w->page_shift;
	n = w->size >> w->page_shift;
	liobn = w->liobn;
	bus = w->bus_offset;
#endif
	a[0] = liobn;
	a[1] = bus + (d[3] | (uint64_t)d[4] << 8) % n * page;
	a[2] = (gpa & ~(page - 1)) | (d[5] & 3);
	a[3] = 1 + d[6] % 32;
	if (d[7] & 1) { /* the list: contiguous or scattered, mapped or clear */
		for (unsigned int i = 0; i < 32; i++)
			st_be64(vm->mem.hva + list + 8 * i,
				((gpa + (d[8] & 1 ? i : 3 * i) * page) & ~(page - 1)) | (d[9] & 3));
		a[2] = list;
	}
	hcall_dispatch(&vm->vcpus[cpu], nrs[d[10] % 4], a);
}

/*
 * A load or store to BAR0 (host-mapped) or BAR2 (trapped) where the function's config
 * space puts it now, or anywhere in the PHB's windows; as H_LOGICAL_CI or an MMIO exit.
 */
static void mmio_step(unsigned int cpu, const uint8_t *d)
{
	const struct pci_bar *b = &fp->func.bar[d[1] & 2];
	unsigned int len = 1u << (d[2] % 4);
	uint64_t off = ((uint64_t)d[3] | (uint64_t)d[4] << 8 | (uint64_t)d[5] << 16) & ~(len - 1ULL);
	uint64_t val = ld_be64(d + 4), gpa, a[9] = { len };
	bool store = d[6] & 1;
	long ret;

	if (d[1] & 8) /* anywhere in a window, where the BAR may or may not be */
		gpa = (d[1] & 16 ? PHB_MEM64_CPU(fp->phb->index) : PHB_MEM32_CPU(fp->phb->index)) +
		      (ld_be32(d + 7) & ~(len - 1));
	else
		gpa = phb_bar_gpa(fp->phb, b) + (d[1] & 4 ? b->size - len : off % b->size);
	a[1] = gpa;
	a[2] = val;
	if (d[1] & 32) { /* an MMIO exit: KVM hands over the access as the vCPU made it */
		mmio_access(vm, gpa, len, &val, store);
		return;
	}
	ret = hcall_dispatch(&vm->vcpus[cpu], store ? H_LOGICAL_CI_STORE : H_LOGICAL_CI_LOAD, a);
#ifndef FUZZ_THREADS
	/* what the fake device answers at that offset of BAR2, big-endian as the CPU sees it */
	b = &fp->func.bar[2];
	if (!store && b->mmio_registered && gpa >= b->mmio_gpa && gpa - b->mmio_gpa < b->size) {
		uint64_t want = fp->func.mem_enabled ? 2ULL << 32 | (gpa - b->mmio_gpa) : ~0ULL;

		if (ret != H_SUCCESS || a[0] != cpu_to_be_n(want, len))
			abort(); /* a trapped BAR served from the wrong place or offset */
	}
#else
	(void)ret;
#endif
}

static void step(unsigned int cpu, const uint8_t *d)
{
	if (d[0] & 1)
		rtas_step(cpu, d);
	else if (d[0] & 2)
		tce_step(cpu, d);
	else
		mmio_step(cpu, d);
}

/* Is a whole BAR inside one of the PHB's windows, where the guest may put it? */
static bool bar_placed(const struct pci_bar *b)
{
	uint64_t a = b->addr, m64 = PHB_MEM64_CPU(fp->phb->index);

	return (a >= PHB_MEM32_PCI && a - PHB_MEM32_PCI < PHB_MEM32_SIZE &&
		b->size <= PHB_MEM32_SIZE - (a - PHB_MEM32_PCI)) ||
	       (a >= m64 && a - m64 < PHB_MEM64_SIZE && b->size <= PHB_MEM64_SIZE - (a - m64));
}

static void check_bars(void)
{
	for (int i = 0; i < PCI_NUM_BARS; i++) {
		const struct pci_bar *b = &fp->func.bar[i];
		uint64_t gpa = phb_bar_gpa(fp->phb, b);

		if (!b->size)
			continue;
		if (b->hva) {
			if ((b->slot >= 0) != (fp->func.mem_enabled && bar_placed(b)))
				abort(); /* mapped with decode off, or outside the windows */
			if (b->slot >= 0 && (fake_arch.slot_gpa[b->slot] != gpa ||
					     fake_arch.slot_size[b->slot] != b->size))
				abort(); /* mapped where the BAR no longer is */
		} else if (b->mmio_registered != bar_placed(b) ||
			   (b->mmio_registered && b->mmio_gpa != gpa)) {
			abort(); /* a trapped BAR not served where the guest put it */
		}
	}
}

static void check(void)
{
	for (unsigned int n = 0; n < PE_MAX_WINDOWS; n++)
		if (fp->pe.win[n] && fake_ioas_check(&ioas, vm, fp->pe.win[n]) >= 0)
			abort(); /* the host maps what the table does not say, or the reverse */
	for (unsigned int i = 0; i < ioas.n; i++) {
		bool inside = false;

		for (unsigned int n = 0; n < PE_MAX_WINDOWS; n++) {
			const struct tce_window *w = fp->pe.win[n];

			inside |= w && ioas.a[i].iova >= w->bus_offset &&
				  ioas.a[i].iova + ioas.a[i].len <= w->bus_offset + w->size;
		}
		if (!inside)
			abort(); /* a mapping left behind by a window that is gone */
	}
	check_bars();
}

#ifdef FUZZ_THREADS
/*
 * vCPU 1: the odd steps of each input, while vCPU 0 does the even ones. One thread for the
 * run, started for each input by a semaphore (a thread made per input cost a third of the
 * time in its stack's maps under ASan).
 */
static struct {
	const uint8_t *data;
	size_t size;
	sem_t go, done;
} half;

static void *second(void *arg)
{
	for (;;) {
		sem_wait(&half.go);
		for (size_t off = STEP; off + STEP <= half.size; off += 2 * STEP)
			step(1, half.data + off);
		sem_post(&half.done);
	}
	return arg;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct map_backend host;
	static const struct mmio_region *regions;
	static uint32_t slots;

	if (size < 2)
		return 0;
	if (size > 64 * STEP)
		size = 64 * STEP;
	/*
	 * One VM for the run (making one per input cost most of the time), a fresh function
	 * and PHB each input: the function's teardown must leave the VM as it found it.
	 */
	if (!vm) {
		vm = test_vm(RAM, 2);
		regions = vm->mmio;
		slots = fake_arch.slots;
	}
	memset(vm->mem.hva + ARGS_GPA, 0, 0x200 * vm->nr_vcpus);
	memset(vm->mem.hva + LIST_GPA, 0, 0x1000 * vm->nr_vcpus);
	memset(&ioas, 0, sizeof(ioas));
	fake_ioas_backend(&ioas, &host);
	fp = fake_pci_add_host(vm, (1ULL << 12) | (1ULL << 16) | (1ULL << 24), 1ULL << 16,
			       256ULL << 10, MAX_WIN, &host);
	if (!fp)
		abort();
	/* once there is a PHB: its module registers the PCI and DDW calls with the first */
	for (unsigned int i = 0; !tokens[NCALLS - 1] && i < NCALLS; i++) {
		const struct rtas_entry *e = rtas_lookup_name(&vm->rtas, calls[i].name);

		if (!e)
			abort();
		tokens[i] = e->token;
	}
	buid_hi = (uint32_t)(fp->phb->buid >> 32);
	buid_lo = (uint32_t)fp->phb->buid;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].state = VCPU_RUNNING;
	/*
	 * byte 0: which host call fails (none most of the time); byte 1: now and then the
	 * host will not remove the next window (the guest's must stay, empty as the host's)
	 */
	ioas.fail_at = data[0] & 7 ? 0 : 1 + data[0] % 64;
	fp->refuse_remove = (data[1] & 0xf) == 0xf;
	data += 2;
	size -= 2;
#ifdef FUZZ_THREADS
	{
		static pthread_t t;

		if (!t && (sem_init(&half.go, 0, 0) || sem_init(&half.done, 0, 0) ||
			   pthread_create(&t, NULL, second, NULL)))
			abort();
		half.data = data;
		half.size = size;
		sem_post(&half.go);
		for (size_t off = 0; off + STEP <= size; off += 2 * STEP)
			step(0, data + off);
		sem_wait(&half.done);
		check();
	}
#else
	for (; size >= STEP; data += STEP, size -= STEP) {
		step(0, data);
		check();
	}
#endif
	ioas.fail_at = 0;
	fp->refuse_remove = 0;
	fake_pci_free(vm, fp);
	if (ioas.n)
		abort(); /* teardown left mappings */
	if (vm->mmio != regions || fake_arch.slots != slots)
		abort(); /* teardown left a BAR in the guest */
	return 0;
}
