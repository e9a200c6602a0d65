// SPDX-License-Identifier: GPL-2.0-only
/* The KVM-HV VM: creation, memory, MMU mode, the facts the device tree needs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "arch.h"
#include "be.h"
#include "fdtw.h"
#include "kvm_ppc.h"
#include "log.h"
#include "uapi_kpatch.h"

#define KVM_VM_PPC_HV 1

static int check_ext(int fd, long cap)
{
	int r = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? 0 : r;
}

static uint64_t host_timebase(void)
{
	char line[256];
	unsigned long long tb = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "timebase : %llu", &tb) == 1)
			break;
	fclose(f);
	return tb;
}

/* Are we a partition of a hypervisor (so psvm's guests are nested)? */
static bool host_is_lpar(void)
{
	char line[256];
	bool lpar = false;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "platform", 8))
			lpar = strstr(line, "pSeries") != NULL;
	fclose(f);
	return lpar;
}

/* HPT size for the RAM, as QEMU picks it: 1/128 of RAM, 256 KiB .. 64 TiB. */
static uint32_t htab_order_for(uint64_t ram)
{
	uint32_t shift = 18;

	while (shift < 46 && (1ULL << (shift + 7)) < ram)
		shift++;
	return shift;
}

static int setup_mmu(struct vm *vm, struct kvm_vm_ppc *k, char *err, size_t errlen)
{
	bool can_radix = check_ext(k->vm_fd, KVM_CAP_PPC_MMU_RADIX);
	bool can_hash = check_ext(k->vm_fd, KVM_CAP_PPC_MMU_HASH_V3);

	if (vm->cfg->mmu == MMU_AUTO)
		vm->radix = can_radix || !can_hash;
	if (vm->radix && !can_radix) {
		snprintf(err, errlen, "this KVM offers no radix MMU for guests (try --mmu hash)");
		return -1;
	}
	if (!vm->radix && !can_hash) {
		snprintf(err, errlen,
			 "hash MMU guests need a bare-metal KVM-HV host: nested KVM-HV (inside an LPAR) is radix only");
		return -1;
	}
	if (vm->radix) {
		k->have_rmmu = !ioctl(k->vm_fd, KVM_PPC_GET_RMMU_INFO, &k->rmmu);
		/*
		 * Inside an LPAR (nested KVM-HV) the L2 runs with GTSE=0: its tlbie would
		 * be illegal. It must invalidate through H_RPT_INVALIDATE, which KVM does.
		 */
		vm->gtse = !host_is_lpar();
		if (check_ext(k->vm_fd, KVM_CAP_PPC_RPT_INVALIDATE)) {
			struct kvm_enable_cap hc = { .cap = KVM_CAP_PPC_ENABLE_HCALL,
						     .args = { H_RPT_INVALIDATE, 1 } };

			vm->rpt_invalidate = !ioctl(k->vm_fd, KVM_ENABLE_CAP, &hc);
		}
		if (!vm->gtse && !vm->rpt_invalidate) {
			snprintf(err, errlen,
				 "nested KVM-HV without H_RPT_INVALIDATE: radix guests cannot flush their TLB");
			return -1;
		}
		return 0;
	}
	struct kvm_ppc_mmuv3_cfg cfg = { .flags = 0, .process_table = 0 };

	if (ioctl(k->vm_fd, KVM_PPC_CONFIGURE_V3_MMU, &cfg)) {
		snprintf(err, errlen, "KVM_PPC_CONFIGURE_V3_MMU(hash): %s", strerror(errno));
		return -1;
	}
	k->htab_order = htab_order_for(vm->mem.size);
	if (ioctl(k->vm_fd, KVM_PPC_ALLOCATE_HTAB, &k->htab_order)) {
		snprintf(err, errlen, "KVM_PPC_ALLOCATE_HTAB: %s", strerror(errno));
		return -1;
	}
	k->have_smmu = !ioctl(k->vm_fd, KVM_PPC_GET_SMMU_INFO, &k->smmu);
	/*
	 * Real mode goes through the VRMA, which KVM builds with one HPTE per HPTE group
	 * in host-page-sized pages: firmware data must sit below that, as under QEMU.
	 */
	{
		unsigned int pshift = (unsigned int)__builtin_ctzl((unsigned long)sysconf(_SC_PAGESIZE));
		unsigned int shift = pshift + k->htab_order - 7;

		if (shift < 63 && (1ULL << shift) < vm->mem.size)
			vm->rma_size = 1ULL << shift;
	}
	return 0;
}

static int map_ram_locked(struct kvm_vm_ppc *k, int *slot, uint64_t gpa, uint64_t size,
			  void *hva)
{
	struct kvm_userspace_memory_region r = { 0 };
	int n = *slot;

	if (n < 0) {
		for (n = 1; n < 32 && k->slots_used & (1u << n); n++)
			;
		if (n == 32 || !size)
			return -1;
	}
	r.slot = (uint32_t)n;
	if (size) {
		r.guest_phys_addr = gpa;
		r.memory_size = size;
		r.userspace_addr = (uint64_t)(uintptr_t)hva;
	}
	if (ioctl(k->vm_fd, KVM_SET_USER_MEMORY_REGION, &r)) {
		pr_warn("memslot %d at %#llx: %s", n, (unsigned long long)gpa, strerror(errno));
		return -1;
	}
	if (size) {
		k->slots_used |= 1u << n;
		*slot = n;
	} else {
		k->slots_used &= ~(1u << n);
		*slot = -1;
	}
	return 0;
}

int arch_map_ram(struct vm *vm, int *slot, uint64_t gpa, uint64_t size, void *hva)
{
	struct kvm_vm_ppc *k = kvm_of(vm);
	int r;

	if (!k) { /* the VM is gone, and its memslots with it */
		*slot = -1;
		return size ? -1 : 0;
	}
	pthread_mutex_lock(&k->slots_lock);
	r = map_ram_locked(k, slot, gpa, size, hva);
	pthread_mutex_unlock(&k->slots_lock);
	return r;
}

int arch_vm_create(struct vm *vm, char *err, size_t errlen)
{
	struct kvm_vm_ppc *k = calloc(1, sizeof(*k));
	long psize = sysconf(_SC_PAGESIZE);
	struct kvm_userspace_memory_region slot;
	uint64_t tb;
	int max;

	if (!k) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	k->kvm_fd = k->vm_fd = k->xics_fd = k->xive_fd = k->vfio_dev_fd = -1;
	pthread_mutex_init(&k->slots_lock, NULL);
	k->xive_slots[0] = k->xive_slots[1] = -1;
	vm->arch = k;
	k->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (k->kvm_fd < 0) {
		snprintf(err, errlen, "cannot open /dev/kvm: %s (is kvm-hv loaded?)", strerror(errno));
		return -1;
	}
	if (ioctl(k->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		snprintf(err, errlen, "/dev/kvm speaks an unknown KVM API version");
		return -1;
	}
	k->vm_fd = ioctl(k->kvm_fd, KVM_CREATE_VM, KVM_VM_PPC_HV);
	if (k->vm_fd < 0) {
		snprintf(err, errlen,
			 "KVM cannot create an HV guest: %s (load kvm-hv; KVM-PR is not supported)",
			 strerror(errno));
		return -1;
	}
	max = check_ext(k->vm_fd, KVM_CAP_MAX_VCPUS);
	if (max > 0 && vm->nr_vcpus > (unsigned int)max) {
		snprintf(err, errlen, "%u vCPUs asked, this KVM allows %d", vm->nr_vcpus, max);
		return -1;
	}
	if (vm->mem.size % (uint64_t)psize) {
		snprintf(err, errlen, "memory must be a multiple of the host page size (%ld KiB)",
			 psize >> 10);
		return -1;
	}
	slot = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = vm->mem.size,
		.userspace_addr = (uint64_t)(uintptr_t)vm->mem.hva,
	};
	if (ioctl(k->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot)) {
		snprintf(err, errlen, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		return -1;
	}
	if (setup_mmu(vm, k, err, errlen))
		return -1;
	k->have_cpu_char = check_ext(k->vm_fd, KVM_CAP_PPC_GET_CPU_CHAR) &&
			   !ioctl(k->vm_fd, KVM_PPC_GET_CPU_CHAR, &k->cpu_char);
	k->ail3 = check_ext(k->vm_fd, KVM_CAP_PPC_AIL_MODE_3);

	/* H_SET_MODE: KVM does CIABR/DAWR in the kernel and passes the rest to us. */
	struct kvm_enable_cap hc = { .cap = KVM_CAP_PPC_ENABLE_HCALL, .args = { H_SET_MODE, 1 } };

	if (ioctl(k->vm_fd, KVM_ENABLE_CAP, &hc))
		pr_info("in-kernel H_SET_MODE not available: %s", strerror(errno));

	k->run_size = ioctl(k->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (k->run_size <= 0) {
		snprintf(err, errlen, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		return -1;
	}
	tb = host_timebase();
	if (tb)
		vm->tb_freq = tb;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vcpu_create(vm, &vm->vcpus[i], err, errlen))
			return -1;
	pr_info("KVM-HV VM: %u vCPU(s), PVR %#x, %s MMU, timebase %llu Hz", vm->nr_vcpus, vm->pvr,
		vm->radix ? "radix" : "hash", (unsigned long long)vm->tb_freq);
	return 0;
}

void arch_vm_destroy(struct vm *vm)
{
	struct kvm_vm_ppc *k = vm->arch;

	if (!k)
		return;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vcpu_destroy(&vm->vcpus[i]);
	if (k->xics_fd >= 0)
		close(k->xics_fd);
	kvm_xive_destroy(k);
	if (k->vfio_dev_fd >= 0)
		close(k->vfio_dev_fd);
	if (k->vm_fd >= 0)
		close(k->vm_fd);
	if (k->kvm_fd >= 0)
		close(k->kvm_fd);
	pthread_mutex_destroy(&k->slots_lock);
	free(k);
	vm->arch = NULL;
}

int arch_set_interrupt_endian(struct vm *vm, bool little)
{
	if (vcpus_set_lpcr_bits(vm, LPCR_ILE, little ? LPCR_ILE : 0))
		return -1;
	vm->little_endian = little;
	return 0;
}

int arch_set_ail(struct vm *vm, unsigned int ail)
{
	struct kvm_vm_ppc *k = kvm_of(vm);

	if (ail == 3 && !k->ail3)
		return -1;
	return vcpus_set_lpcr_bits(vm, LPCR_AIL, (uint64_t)ail << LPCR_AIL_SHIFT);
}

int arch_configure_mmu(struct vm *vm, bool radix, bool gtse, uint64_t pate1)
{
	struct kvm_ppc_mmuv3_cfg cfg = {
		.flags = (radix ? KVM_PPC_MMUV3_RADIX : 0) | (gtse ? KVM_PPC_MMUV3_GTSE : 0),
		.process_table = pate1,
	};

	pr_info("MMU: %s%s, process table entry %#llx", radix ? "radix" : "hash",
		gtse ? " with GTSE" : "", (unsigned long long)pate1);
	if (ioctl(kvm_of(vm)->vm_fd, KVM_PPC_CONFIGURE_V3_MMU, &cfg)) {
		pr_warn("KVM_PPC_CONFIGURE_V3_MMU(%s, %#llx): %s", radix ? "radix" : "hash",
			(unsigned long long)pate1, strerror(errno));
		return -1;
	}
	return 0;
}

int arch_cpu_characteristics(struct vm *vm, uint64_t *character, uint64_t *behaviour)
{
	struct kvm_vm_ppc *k = kvm_of(vm);

	if (!k->have_cpu_char)
		return -1;
	*character = k->cpu_char.character & k->cpu_char.character_mask;
	*behaviour = k->cpu_char.behaviour & k->cpu_char.behaviour_mask;
	return 0;
}

static void fdt_radix(struct kvm_vm_ppc *k, struct fdtw *w)
{
	uint32_t enc[8];
	int n = 0;

	if (!k->have_rmmu)
		return; /* Linux then assumes 4K and 64K pages */
	for (int i = 0; i < 8; i++)
		if (k->rmmu.ap_encodings[i])
			enc[n++] = cpu_to_be32(k->rmmu.ap_encodings[i]);
	fdtw_prop(w, "ibm,processor-radix-AP-encodings", enc, n * sizeof(uint32_t));
}

/* ibm,segment-page-sizes: per segment size, its page sizes and their encodings. */
static void fdt_hash(struct kvm_vm_ppc *k, struct fdtw *w)
{
	uint32_t cells[256], pft[2] = { 0, cpu_to_be32(k->htab_order) };
	unsigned int n = 0;

	fdtw_prop(w, "ibm,pft-size", pft, sizeof(pft));
	if (!k->have_smmu)
		return;
	for (int i = 0; i < KVM_PPC_PAGE_SIZES_MAX_SZ; i++) {
		struct kvm_ppc_one_seg_page_size *s = &k->smmu.sps[i];
		unsigned int nenc = 0, at;

		if (!s->page_shift)
			continue;
		if (n + 3 + 2 * KVM_PPC_PAGE_SIZES_MAX_SZ > ARRAY_SIZE(cells))
			break;
		cells[n++] = cpu_to_be32(s->page_shift);
		cells[n++] = cpu_to_be32(s->slb_enc);
		at = n++;
		for (int j = 0; j < KVM_PPC_PAGE_SIZES_MAX_SZ; j++) {
			if (!s->enc[j].page_shift)
				continue;
			cells[n++] = cpu_to_be32(s->enc[j].page_shift);
			cells[n++] = cpu_to_be32(s->enc[j].pte_enc);
			nenc++;
		}
		cells[at] = cpu_to_be32(nenc);
	}
	fdtw_prop(w, "ibm,segment-page-sizes", cells, n * sizeof(uint32_t));
}

void arch_fdt_cpu(struct vm *vm, struct fdtw *w)
{
	struct kvm_vm_ppc *k = kvm_of(vm);

	/* the SLB KVM's hash MMU has; a radix guest has none, POWER9 says 32 */
	fdtw_u32(w, "ibm,slb-size", !vm->radix && k->have_smmu ? k->smmu.slb_size : 32);
	if (vm->radix)
		fdt_radix(k, w);
	else
		fdt_hash(k, w);
}

int irqchip_connect_vcpus(struct vm *vm, uint32_t cap, int fd, const char *what)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct kvm_enable_cap c = { .cap = cap, .args = { (uint64_t)fd, i } };

		if (ioctl(kvcpu_of(&vm->vcpus[i])->fd, KVM_ENABLE_CAP, &c)) {
			pr_err("%s: connecting vCPU %u: %s", what, i, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int arch_irqchip_create(struct vm *vm)
{
	struct kvm_vm_ppc *k = kvm_of(vm);
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_XICS };

	if (ioctl(k->vm_fd, KVM_CREATE_DEVICE, &cd)) {
		pr_err("in-kernel XICS: %s", strerror(errno));
		return -1;
	}
	k->xics_fd = (int)cd.fd;
	return irqchip_connect_vcpus(vm, KVM_CAP_IRQ_XICS, k->xics_fd, "XICS");
}

int arch_rtas_in_kernel(struct vm *vm, const char *name, uint32_t token)
{
	struct kvm_rtas_token_args t = { .token = token };

	if (ioctl(kvm_of(vm)->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_PPC_RTAS) <= 0)
		return -ENOTSUP;
	snprintf(t.name, sizeof(t.name), "%s", name);
	return ioctl(kvm_of(vm)->vm_fd, KVM_PPC_RTAS_DEFINE_TOKEN, &t) ? -errno : 0;
}

int arch_xics_set_source(struct vm *vm, uint32_t irq, uint32_t server, uint8_t priority,
			 bool masked, bool lsi)
{
	uint64_t val = server | (uint64_t)priority << KVM_XICS_PRIORITY_SHIFT |
		       (masked ? KVM_XICS_MASKED : 0) | (lsi ? KVM_XICS_LEVEL_SENSITIVE : 0);
	struct kvm_device_attr attr = {
		.group = KVM_DEV_XICS_GRP_SOURCES,
		.attr = irq,
		.addr = (uintptr_t)&val,
	};

	if (ioctl(kvm_of(vm)->xics_fd, KVM_SET_DEVICE_ATTR, &attr)) {
		pr_warn("XICS source %#x: %s", irq, strerror(errno));
		return -1;
	}
	return 0;
}

int arch_irq_line(struct vm *vm, uint32_t irq, int level)
{
	struct kvm_irq_level l = { .irq = irq, .level = level };

	if (!kvm_of(vm)) /* the VM is gone: nobody to interrupt */
		return -1;
	return ioctl(kvm_of(vm)->vm_fd, KVM_IRQ_LINE, &l) ? -1 : 0;
}

int arch_irqfd(struct vm *vm, int fd, uint32_t gsi, int resample_fd, bool assign)
{
	struct kvm_irqfd i = {
		.fd = (uint32_t)fd,
		.gsi = gsi,
		.flags = !assign ? KVM_IRQFD_FLAG_DEASSIGN :
			 resample_fd >= 0 ? KVM_IRQFD_FLAG_RESAMPLE : 0,
		.resamplefd = assign && resample_fd >= 0 ? (uint32_t)resample_fd : 0,
	};

	if (!kvm_of(vm)) /* the VM is gone, and its irqfds with it */
		return assign ? -1 : 0;
	if (ioctl(kvm_of(vm)->vm_fd, KVM_IRQFD, &i)) {
		pr_warn("KVM_IRQFD(%s source %#x): %s", assign ? "to" : "off", gsi, strerror(errno));
		return -1;
	}
	return 0;
}

bool arch_irqfd_resample(struct vm *vm)
{
	int fd = kvm_of(vm) ? kvm_of(vm)->vm_fd : -1;

	/* KVM_CAP_IRQFD_RESAMPLE says no for any XIVE host, nested ones included, where
	 * KVM's own XICS emulation does report EOIs; XICS-on-XIVE is what cannot. */
	return fd >= 0 && (ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQFD_RESAMPLE) > 0 ||
			   ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_PPC_IRQ_XIVE) <= 0);
}

/* A VFIO device made in vm for the question, asked kvm_vfio_links_iommufd() */
static bool kvm_tce_iommufd_offered(int vm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
	bool yes;

	if (ioctl(vm, KVM_CREATE_DEVICE, &cd))
		return false;
	yes = kvm_vfio_links_iommufd((int)cd.fd);
	close((int)cd.fd);
	return yes;
}

void arch_info(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm;
	static const struct {
		long cap;
		const char *name;
	} caps[] = {
		{ KVM_CAP_PPC_MMU_RADIX, "radix" },  { KVM_CAP_PPC_MMU_HASH_V3, "hash-v3" },
		{ KVM_CAP_PPC_NESTED_HV, "nested-hv" }, { KVM_CAP_IRQ_XICS, "xics" },
		{ KVM_CAP_PPC_IRQ_XIVE, "xive" }, { KVM_CAP_IRQFD_RESAMPLE, "irqfd-resample" },
		{ KVM_CAP_SPAPR_TCE_64, "spapr-tce-64" }, { KVM_CAP_SPAPR_TCE_VFIO, "spapr-tce-vfio" },
		{ KVM_CAP_MAX_VCPUS, "max-vcpus" },
	};

	if (kvm < 0) {
		printf("kvm: /dev/kvm: %s\n", strerror(errno));
		return;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, KVM_VM_PPC_HV);
	printf("kvm: api %d, HV guests: %s\n", ioctl(kvm, KVM_GET_API_VERSION, 0),
	       vm >= 0 ? "yes" : strerror(errno));
	if (vm >= 0) {
		printf("kvm caps:");
		for (unsigned int i = 0; i < ARRAY_SIZE(caps); i++)
			printf(" %s=%d", caps[i].name, ioctl(vm, KVM_CHECK_EXTENSION, caps[i].cap));
		printf("\n");
		printf("TCE tier 0 (KVM serves the TCE hcalls of VFIO devices on the sPAPR "
		       "container): %s\n",
		       ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_64) > 0 &&
				       ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_VFIO) > 0 ?
			       "yes" :
			       "no");
		printf("TCE tier 0 for iommufd devices (TCE tables linked to a HWPT's windows, "
		       "kernel-patch/ 0029): %s\n", kvm_tce_iommufd_offered(vm) ? "yes" : "no");
		close(vm);
	}
	close(kvm);
}
