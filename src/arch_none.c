// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hosts that are not ppc64: psvm builds (info, tests, later bench) but cannot run
 * POWER guests, and says so instead of pretending.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/utsname.h>

#include "arch.h"
#include "fdtw.h"

int arch_vm_create(struct vm *vm __unused, char *err, size_t errlen)
{
	struct utsname u;

	uname(&u);
	snprintf(err, errlen,
		 "psvm run needs a ppc64 host with KVM-HV; this psvm was built for %s",
		 u.machine);
	return -1;
}

int arch_map_ram(struct vm *vm __unused, int *slot __unused, uint64_t gpa __unused,
		 uint64_t size __unused, void *hva __unused)
{
	return -1;
}

int arch_vcpus_start(struct vm *vm __unused)
{
	return -1;
}

void arch_vcpus_join(struct vm *vm __unused)
{
}

void arch_vm_destroy(struct vm *vm __unused)
{
}

int arch_set_interrupt_endian(struct vm *vm __unused, bool little __unused)
{
	return -1;
}

int arch_set_ail(struct vm *vm __unused, unsigned int ail __unused)
{
	return -1;
}

int arch_configure_mmu(struct vm *vm __unused, bool radix __unused, bool gtse __unused,
		       uint64_t process_table __unused)
{
	return -1;
}

int arch_set_vpa(struct vcpu *cpu __unused, unsigned int func __unused, uint64_t addr __unused,
		 uint64_t len __unused)
{
	return -1;
}

int arch_set_sprg0(struct vcpu *cpu __unused, uint64_t val __unused)
{
	return -1;
}

void arch_sync_icache(void *hva __unused, uint64_t len __unused)
{
}

int arch_cpu_characteristics(struct vm *vm __unused, uint64_t *c __unused, uint64_t *b __unused)
{
	return -1;
}

int arch_irqchip_create(struct vm *vm __unused)
{
	return -1;
}

int arch_xics_set_source(struct vm *vm __unused, uint32_t irq __unused, uint32_t server __unused,
			 uint8_t priority __unused, bool masked __unused, bool lsi __unused)
{
	return -1;
}

int arch_rtas_in_kernel(struct vm *vm __unused, const char *name __unused,
			uint32_t token __unused)
{
	return -ENOSYS;
}

bool arch_xive_offered(struct vm *vm __unused)
{
	return false;
}

int arch_xive_create(struct vm *vm __unused, uint64_t tima_gpa __unused,
		     uint64_t esb_gpa __unused, uint32_t nr_irqs __unused)
{
	return -1;
}

int arch_xive_source(struct vm *vm __unused, uint32_t lisn __unused, bool lsi __unused)
{
	return -1;
}

int arch_xive_source_config(struct vm *vm __unused, uint32_t lisn __unused,
			    uint32_t server __unused, uint8_t priority __unused,
			    bool masked __unused, uint32_t eisn __unused)
{
	return -1;
}

int arch_xive_source_sync(struct vm *vm __unused, uint32_t lisn __unused)
{
	return -1;
}

int arch_xive_queue(struct vm *vm __unused, uint32_t server __unused, uint8_t priority __unused,
		    uint64_t qaddr __unused, unsigned int qshift __unused)
{
	return -1;
}

int arch_xive_queue_state(struct vm *vm __unused, uint32_t server __unused,
			  uint8_t priority __unused, uint32_t *toggle __unused,
			  uint32_t *index __unused)
{
	return -1;
}

int arch_xive_reset(struct vm *vm __unused)
{
	return -1;
}

int arch_xive_esb(struct vm *vm __unused, uint32_t lisn __unused, uint32_t offset __unused,
		  uint64_t *data __unused, bool store __unused)
{
	return -1;
}

int arch_irq_line(struct vm *vm __unused, uint32_t irq __unused, int level __unused)
{
	return -1;
}

int arch_irqfd(struct vm *vm __unused, int fd __unused, uint32_t gsi __unused,
	       int resample_fd __unused, bool assign __unused)
{
	return -1;
}

bool arch_irqfd_resample(struct vm *vm __unused)
{
	return false;
}

int arch_vcpu_sreset(struct vcpu *cpu __unused)
{
	return -1;
}

void arch_vcpu_kick(struct vcpu *cpu __unused)
{
}

void arch_fdt_cpu(struct vm *vm __unused, struct fdtw *w)
{
	fdtw_u32(w, "ibm,slb-size", 32); /* POWER9's */
}

bool arch_tce_offered(struct vm *vm __unused)
{
	return false;
}

int arch_tce_create(struct vm *vm __unused, uint32_t liobn __unused,
		    unsigned int page_shift __unused, uint64_t bus_offset __unused,
		    uint64_t size __unused, uint64_t **table __unused)
{
	return -ENOSYS;
}

void arch_tce_destroy(int fd __unused, uint64_t *table __unused, uint64_t entries __unused)
{
}

int arch_tce_link_group(struct vm *vm __unused, int tablefd __unused, int groupfd __unused)
{
	return -ENOSYS;
}

bool arch_tce_iommufd_offered(struct vm *vm __unused)
{
	return false;
}

int arch_tce_file(struct vm *vm __unused, int fd __unused, bool add __unused)
{
	return -ENOSYS;
}

int arch_tce_register_memory(struct vm *vm __unused, bool on __unused)
{
	return -ENOSYS;
}

int arch_tce_link_iommufd(struct vm *vm __unused, int tablefd __unused, int devfd __unused,
			  int iommufd __unused, uint32_t pt_id __unused)
{
	return -ENOSYS;
}

int arch_tce_hcall_in_kernel(struct vm *vm __unused, uint64_t nr __unused, bool on __unused)
{
	return -ENOSYS;
}

void arch_info(void)
{
	struct utsname u;

	uname(&u);
	printf("host: %s; KVM for POWER guests: no (needs a ppc64 host)\n", u.machine);
}
