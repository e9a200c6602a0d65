// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM's XIVE device (exploitation mode). Its TIMA and ESB pages are mmaps of the device
 * fd at fixed page offsets; psvm turns them into memslots so the guest reaches them
 * without exits: KVM fills the host pages in as they are faulted on (the OS ring's TIMA
 * page; each source's trigger and management pages).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch.h"
#include "kvm_ppc.h"
#include "log.h"

bool arch_xive_offered(struct vm *vm)
{
	struct kvm_vm_ppc *k = kvm_of(vm);

	return k && ioctl(k->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_PPC_IRQ_XIVE) > 0;
}

static int xive_attr(struct vm *vm, uint32_t group, uint64_t attr, void *val, bool set)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)val };

	if (ioctl(kvm_of(vm)->xive_fd, set ? KVM_SET_DEVICE_ATTR : KVM_GET_DEVICE_ATTR, &a)) {
		pr_warn("XIVE device attribute %u/%#llx: %s", group, (unsigned long long)attr,
			strerror(errno));
		return -1;
	}
	return 0;
}

static void *xive_mmap(struct kvm_vm_ppc *k, unsigned long pgoff, size_t len, long psize)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, k->xive_fd,
		       (off_t)(pgoff * (unsigned long)psize));

	if (p == MAP_FAILED) {
		pr_err("XIVE: cannot map the device's pages: %s", strerror(errno));
		return NULL;
	}
	return p;
}

int arch_xive_create(struct vm *vm, uint64_t tima_gpa, uint64_t esb_gpa, uint32_t nr_irqs)
{
	struct kvm_vm_ppc *k = kvm_of(vm);
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_XIVE };
	long psize = sysconf(_SC_PAGESIZE);
	uint32_t servers = vm->nr_vcpus;

	if (ioctl(k->vm_fd, KVM_CREATE_DEVICE, &cd)) {
		pr_err("KVM XIVE device: %s", strerror(errno));
		return -1;
	}
	k->xive_fd = (int)cd.fd;
	/* only as many virtual processors as vCPUs: the host XIVE has few to spare */
	if (xive_attr(vm, KVM_DEV_XIVE_GRP_CTRL, KVM_DEV_XIVE_NR_SERVERS, &servers, true))
		return -1;
	if (irqchip_connect_vcpus(vm, KVM_CAP_PPC_IRQ_XIVE, k->xive_fd, "XIVE"))
		return -1;
	k->xive_tima_len = 4 * (size_t)psize;
	k->xive_esb_len = 2 * (size_t)nr_irqs * (size_t)psize;
	k->xive_tima = xive_mmap(k, KVM_XIVE_TIMA_PAGE_OFFSET, k->xive_tima_len, psize);
	if (!k->xive_tima)
		return -1;
	k->xive_esb = xive_mmap(k, KVM_XIVE_ESB_PAGE_OFFSET, k->xive_esb_len, psize);
	if (!k->xive_esb)
		return -1;
	if (arch_map_ram(vm, &k->xive_slots[0], tima_gpa, k->xive_tima_len, k->xive_tima) ||
	    arch_map_ram(vm, &k->xive_slots[1], esb_gpa, k->xive_esb_len, k->xive_esb))
		return -1;
	return 0;
}

void kvm_xive_destroy(struct kvm_vm_ppc *k)
{
	if (k->xive_tima)
		munmap(k->xive_tima, k->xive_tima_len);
	if (k->xive_esb)
		munmap(k->xive_esb, k->xive_esb_len);
	k->xive_tima = k->xive_esb = NULL;
	if (k->xive_fd >= 0)
		close(k->xive_fd);
	k->xive_fd = -1;
}

int arch_xive_source(struct vm *vm, uint32_t lisn, bool lsi)
{
	uint64_t state = lsi ? KVM_XIVE_LEVEL_SENSITIVE : 0;

	return xive_attr(vm, KVM_DEV_XIVE_GRP_SOURCE, lisn, &state, true);
}

int arch_xive_source_config(struct vm *vm, uint32_t lisn, uint32_t server, uint8_t priority,
			    bool masked, uint32_t eisn)
{
	uint64_t cfg = ((uint64_t)priority << KVM_XIVE_SOURCE_PRIORITY_SHIFT &
			KVM_XIVE_SOURCE_PRIORITY_MASK) |
		       ((uint64_t)server << KVM_XIVE_SOURCE_SERVER_SHIFT &
			KVM_XIVE_SOURCE_SERVER_MASK) |
		       ((uint64_t)masked << KVM_XIVE_SOURCE_MASKED_SHIFT &
			KVM_XIVE_SOURCE_MASKED_MASK) |
		       ((uint64_t)eisn << KVM_XIVE_SOURCE_EISN_SHIFT & KVM_XIVE_SOURCE_EISN_MASK);

	return xive_attr(vm, KVM_DEV_XIVE_GRP_SOURCE_CONFIG, lisn, &cfg, true);
}

int arch_xive_source_sync(struct vm *vm, uint32_t lisn)
{
	return xive_attr(vm, KVM_DEV_XIVE_GRP_SOURCE_SYNC, lisn, NULL, true);
}

static uint64_t eq_id(uint32_t server, uint8_t priority)
{
	return ((uint64_t)priority << KVM_XIVE_EQ_PRIORITY_SHIFT & KVM_XIVE_EQ_PRIORITY_MASK) |
	       ((uint64_t)server << KVM_XIVE_EQ_SERVER_SHIFT & KVM_XIVE_EQ_SERVER_MASK);
}

int arch_xive_queue(struct vm *vm, uint32_t server, uint8_t priority, uint64_t qaddr,
		    unsigned int qshift)
{
	/* toggle 1, index 0: a fresh queue (KVM restores other values, for migration) */
	struct kvm_ppc_xive_eq eq = {
		.flags = qshift ? KVM_XIVE_EQ_ALWAYS_NOTIFY : 0,
		.qshift = qshift,
		.qaddr = qaddr,
		.qtoggle = 1,
	};

	return xive_attr(vm, KVM_DEV_XIVE_GRP_EQ_CONFIG, eq_id(server, priority), &eq, true);
}

int arch_xive_queue_state(struct vm *vm, uint32_t server, uint8_t priority, uint32_t *toggle,
			  uint32_t *index)
{
	struct kvm_ppc_xive_eq eq = { 0 };

	if (xive_attr(vm, KVM_DEV_XIVE_GRP_EQ_CONFIG, eq_id(server, priority), &eq, false))
		return -1;
	*toggle = eq.qtoggle;
	*index = eq.qindex;
	return 0;
}

int arch_xive_reset(struct vm *vm)
{
	return xive_attr(vm, KVM_DEV_XIVE_GRP_CTRL, KVM_DEV_XIVE_RESET, NULL, true);
}

int arch_xive_esb(struct vm *vm, uint32_t lisn, uint32_t offset, uint64_t *data, bool store)
{
	struct kvm_vm_ppc *k = kvm_of(vm);
	size_t psize = (size_t)sysconf(_SC_PAGESIZE);
	size_t at = (2 * (size_t)lisn + 1) * psize + offset; /* the management page */
	volatile uint64_t *p;

	if (!k->xive_esb || at + 8 > k->xive_esb_len)
		return -1;
	p = (volatile uint64_t *)((uint8_t *)k->xive_esb + at);
	/* ESB pages are big-endian, as the guest sees them */
	if (store)
		*p = __builtin_bswap64(*data);
	else
		*data = __builtin_bswap64(*p);
	return 0;
}
