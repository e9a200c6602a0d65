// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "arch.h"
#include "be.h"
#include "console.h"
#include "fake_arch.h"
#include "fdtw.h"
#include "hcall.h"
#include "vm.h"

struct fake_arch fake_arch = { .ile = -1, .ail = -1 };

int arch_vm_create(struct vm *vm, char *err, size_t errlen)
{
	vm->pvr = 0x004e1202;
	if (fake_arch.ram_page_size)
		vm->mem.page_size = fake_arch.ram_page_size;
	return fake_arch.fail ? -1 : 0;
}

int arch_map_ram(struct vm *vm, int *slot, uint64_t gpa, uint64_t size, void *hva)
{
	(void)vm;
	(void)hva;
	if (fake_arch.fail)
		return -1;
	if (!size) {
		fake_arch.slots &= ~(1u << *slot);
		*slot = -1;
		return 0;
	}
	if (*slot < 0)
		for (*slot = 1; fake_arch.slots & (1u << *slot); (*slot)++)
			;
	fake_arch.slots |= 1u << *slot;
	fake_arch.slot_gpa[*slot] = gpa;
	fake_arch.slot_size[*slot] = size;
	return 0;
}

int arch_vcpus_start(struct vm *vm)
{
	return -1;
}

void arch_vcpus_join(struct vm *vm)
{
}

void arch_vm_destroy(struct vm *vm)
{
}

int arch_set_interrupt_endian(struct vm *vm, bool little)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.ile = little;
	vm->little_endian = little;
	return 0;
}

int arch_set_ail(struct vm *vm, unsigned int ail)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.ail = (int)ail;
	return 0;
}

int arch_configure_mmu(struct vm *vm, bool radix, bool gtse, uint64_t pate1)
{
	if (fake_arch.fail)
		return -1;
	if (!(pate1 >> 63) != !radix)
		return -1; /* KVM: the entry's GR bit must say what the flags say */
	fake_arch.mmu_calls++;
	fake_arch.mmu_radix = radix;
	fake_arch.mmu_gtse = gtse;
	fake_arch.mmu_pate1 = pate1;
	return 0;
}

int arch_set_vpa(struct vcpu *cpu, unsigned int func, uint64_t addr, uint64_t len)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.vpa_func = func;
	fake_arch.vpa_cpu = cpu->id;
	fake_arch.vpa_addr = addr;
	fake_arch.vpa_len = len;
	return 0;
}

int arch_set_sprg0(struct vcpu *cpu, uint64_t val)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.sprg0 = val;
	fake_arch.sprg0_cpu = cpu->id;
	return 0;
}

void arch_sync_icache(void *hva, uint64_t len)
{
	fake_arch.icache_syncs++;
}

int arch_cpu_characteristics(struct vm *vm, uint64_t *c, uint64_t *b)
{
	if (fake_arch.fail)
		return -1;
	*c = 0x1234;
	*b = 0x5678;
	return 0;
}

int arch_irqchip_create(struct vm *vm)
{
	return fake_arch.fail ? -1 : 0;
}

int arch_xics_set_source(struct vm *vm, uint32_t irq, uint32_t server, uint8_t priority,
			 bool masked, bool lsi)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.xics_calls++;
	fake_arch.xics_irq = irq;
	fake_arch.xics_server = server;
	fake_arch.xics_prio = priority;
	fake_arch.xics_masked = masked;
	return 0;
}

/* KVM takes nothing here: psvm's handlers stay (what the RTAS tests exercise). */
int arch_rtas_in_kernel(struct vm *vm, const char *name, uint32_t token)
{
	fake_arch.rtas_in_kernel_asked++;
	return -ENOTSUP;
}

bool arch_xive_offered(struct vm *vm)
{
	return fake_arch.xive;
}

int arch_xive_create(struct vm *vm, uint64_t tima_gpa, uint64_t esb_gpa, uint32_t nr_irqs)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.xive_created = true;
	return 0;
}

int arch_xive_source(struct vm *vm, uint32_t lisn, bool lsi)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.xive_sources++;
	return 0;
}

int arch_xive_source_config(struct vm *vm, uint32_t lisn, uint32_t server, uint8_t priority,
			    bool masked, uint32_t eisn)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.xive_configs++;
	fake_arch.xive_lisn = lisn;
	fake_arch.xive_server = server;
	fake_arch.xive_prio = priority;
	fake_arch.xive_masked = masked;
	fake_arch.xive_eisn = eisn;
	return 0;
}

int arch_xive_source_sync(struct vm *vm, uint32_t lisn)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.xive_syncs++;
	return 0;
}

int arch_xive_queue(struct vm *vm, uint32_t server, uint8_t priority, uint64_t qaddr,
		    unsigned int qshift)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.eq_server = server;
	fake_arch.eq_prio = priority;
	fake_arch.eq_addr = qaddr;
	fake_arch.eq_shift = qshift;
	return 0;
}

int arch_xive_queue_state(struct vm *vm, uint32_t server, uint8_t priority, uint32_t *toggle,
			  uint32_t *index)
{
	if (fake_arch.fail)
		return -1;
	*toggle = 1;
	*index = 3;
	return 0;
}

int arch_xive_reset(struct vm *vm)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.xive_resets++;
	return 0;
}

int arch_xive_esb(struct vm *vm, uint32_t lisn, uint32_t offset, uint64_t *data, bool store)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.esb_lisn = lisn;
	fake_arch.esb_offset = offset;
	if (store)
		fake_arch.esb_value = *data;
	else
		*data = fake_arch.esb_value;
	return 0;
}

int arch_irqfd(struct vm *vm, int fd, uint32_t gsi, int resample_fd, bool assign)
{
	return fake_arch.fail ? -1 : 0;
}

bool arch_irqfd_resample(struct vm *vm)
{
	return !fake_arch.no_resample;
}

int arch_irq_line(struct vm *vm, uint32_t irq, int level)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.irq_raised = irq;
	fake_arch.irq_level = level;
	return 0;
}

int arch_vcpu_sreset(struct vcpu *cpu)
{
	if (fake_arch.fail)
		return -1;
	fake_arch.sresets |= 1u << cpu->id;
	return 0;
}

void arch_vcpu_kick(struct vcpu *cpu)
{
	fake_arch.kicks++;
}

void arch_fdt_cpu(struct vm *vm, struct fdtw *w)
{
	fdtw_u32(w, "ibm,slb-size", 32);
}

bool arch_tce_offered(struct vm *vm)
{
	return fake_arch.tce_offered;
}

/* A KVM TCE table: zeroed memory and a real fd (so close() is checked by ASan/valgrind). */
int arch_tce_create(struct vm *vm, uint32_t liobn, unsigned int page_shift, uint64_t bus_offset,
		    uint64_t size, uint64_t **table)
{
	if (fake_arch.fail || fake_arch.tce_refuse)
		return -ENOMEM;
	*table = calloc(size >> page_shift, sizeof(uint64_t));
	if (!*table)
		return -ENOMEM;
	fake_arch.tce_tables++;
	fake_arch.tce_liobn = liobn;
	fake_arch.tce_shift = page_shift;
	fake_arch.tce_offset = bus_offset;
	return eventfd(0, EFD_CLOEXEC);
}

void arch_tce_destroy(int fd, uint64_t *table, uint64_t entries)
{
	free(table);
	close(fd);
	fake_arch.tce_tables--;
}

int arch_tce_link_group(struct vm *vm, int tablefd, int groupfd)
{
	if (fake_arch.tce_link_refuse)
		return -EINVAL;
	fake_arch.tce_links++;
	return 0;
}

bool arch_tce_iommufd_offered(struct vm *vm)
{
	return fake_arch.tce_offered && fake_arch.tce_iommufd_offered;
}

int arch_tce_file(struct vm *vm, int fd, bool add)
{
	if (fake_arch.fail)
		return -ENOMEM;
	fake_arch.tce_files += add ? 1 : -1;
	return 0;
}

/* As KVM: registering twice is -EBUSY, unregistering what is not is -ENOENT */
int arch_tce_register_memory(struct vm *vm, bool on)
{
	if (fake_arch.fail)
		return -ENOMEM;
	if (on == (fake_arch.tce_registered > 0))
		return on ? -EBUSY : -ENOENT;
	fake_arch.tce_registered += on ? 1 : -1;
	return 0;
}

int arch_tce_link_iommufd(struct vm *vm, int tablefd, int devfd, int iommufd, uint32_t pt_id)
{
	if (fake_arch.tce_link_refuse)
		return -EINVAL;
	if (!fake_arch.tce_registered)
		return -EPERM;
	fake_arch.tce_iommufd_links++;
	fake_arch.tce_link_pt = pt_id;
	return 0;
}

int arch_tce_hcall_in_kernel(struct vm *vm, uint64_t nr, bool on)
{
	if (nr == H_PUT_TCE_INDIRECT)
		fake_arch.tce_indirect_in_kernel = on;
	else if (nr == H_STUFF_TCE)
		fake_arch.tce_stuff_in_kernel = on;
	fake_arch.tce_hcall_calls++;
	return 0;
}

void arch_info(void)
{
}

static char console_path[64];

static void console_unlink(void)
{
	unlink(console_path);
}

struct vm *test_vm(uint64_t mem, unsigned int cpus)
{
	return test_vm_nvram(mem, cpus, NULL);
}

struct vm *test_vm_nvram(uint64_t mem, unsigned int cpus, const char *nvram)
{
	struct psvm_config *cfg = calloc(1, sizeof(*cfg));
	struct vm *vm = calloc(1, sizeof(*vm));
	int fd;

	config_init(cfg);
	cfg->memory = mem;
	cfg->cpus = cpus;
	cfg->nvram = nvram ? strdup(nvram) : NULL;
	/* one file per process, emptied as each VM opens it: a file per VM cost the fuzzers 6 % */
	if (!console_path[0]) {
		snprintf(console_path, sizeof(console_path), "/tmp/psvm-unit-console-XXXXXX");
		fd = mkstemp(console_path);
		if (fd < 0) {
			perror("mkstemp");
			exit(1);
		}
		close(fd);
		atexit(console_unlink);
	}
	cfg->console = console_path;
	if (vm_init(vm, cfg)) {
		fprintf(stderr, "vm_init failed\n");
		exit(1);
	}
	cfg->console = NULL;
	arch_vm_create(vm, NULL, 0);
	if (devices_realize(vm)) {
		if (nvram) { /* the test wants to see this refused */
			test_vm_free(vm);
			return NULL;
		}
		fprintf(stderr, "devices_realize failed\n");
		exit(1);
	}
	return vm;
}

void test_vm_free(struct vm *vm)
{
	struct psvm_config *cfg = vm->cfg;

	vm_destroy(vm);
	config_free(cfg);
	free(cfg);
	free(vm);
}

#define RTAS_ARGS_GPA 0x8000

long test_rtas_call(struct vm *vm, unsigned int cpu, const char *name, unsigned int nargs,
		    const uint32_t *args, unsigned int nret, uint32_t *rets)
{
	const struct rtas_entry *e = rtas_lookup_name(&vm->rtas, name);
	uint8_t *b = vm->mem.hva + RTAS_ARGS_GPA;
	uint64_t hargs[9] = { RTAS_ARGS_GPA };
	long r;

	st_be32(b, e ? e->token : 0x1fff);
	st_be32(b + 4, nargs);
	st_be32(b + 8, nret);
	for (unsigned int i = 0; i < nargs; i++)
		st_be32(b + 12 + 4 * i, args[i]);
	for (unsigned int i = 0; i < nret; i++)
		st_be32(b + 12 + 4 * (nargs + i), 0xdeadbeef);
	r = hcall_dispatch(&vm->vcpus[cpu], KVMPPC_H_RTAS, hargs);
	for (unsigned int i = 0; i < nret; i++)
		rets[i] = ld_be32(b + 12 + 4 * (nargs + i));
	return r;
}

char *test_console_output(struct vm *vm)
{
	static char buf[4096];
	FILE *f = fopen(console_path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	return buf;
}
