// SPDX-License-Identifier: GPL-2.0-only
/* VM lifecycle and guest memory layout (the arch-neutral half). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "arch.h"
#include "console.h"
#include "devtree.h"
#include "log.h"
#include "vm.h"

struct vcpu *vm_vcpu(struct vm *vm, uint64_t id)
{
	return id < vm->nr_vcpus ? &vm->vcpus[id] : NULL;
}

void vm_request_stop(struct vm *vm, int status)
{
	uint64_t one = 1;

	pthread_mutex_lock(&vm->lock);
	if (!atomic_load(&vm->stopping)) {
		vm->exit_status = status;
		atomic_store(&vm->stopping, true);
		if (vm->stop_fd >= 0 && write(vm->stop_fd, &one, sizeof(one)) < 0)
			pr_warn("stop eventfd: %s", strerror(errno));
	}
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		arch_vcpu_kick(&vm->vcpus[i]);
}

/*
 * RTAS and the FDT go at the top of the first 256 MiB: real-mode reachable for hash
 * guests (the VRMA) as well as radix ones, as QEMU does.
 */
void vm_layout(struct vm *vm)
{
	uint64_t top = MIN(vm->rma_size, SZ_256M);

	vm->rtas_gpa = top - RTAS_AREA_SIZE;
	vm->fdt_gpa = vm->rtas_gpa - FDT_MAX_SIZE;
}

int vm_init(struct vm *vm, struct psvm_config *cfg)
{
	char err[256];
	int r;

	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->mem.fd = -1;
	vm->stop_fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_rwlock_init(&vm->mmio_lock, NULL);
	pthread_cond_init(&vm->cond, NULL);
	vm->nr_vcpus = cfg->cpus;
	vm->radix = cfg->mmu != MMU_HASH;
	vm->gtse = true;
	vm->tb_freq = 512000000; /* POWER9/10 timebase; the arch glue may refine it */

	vm->vcpus = calloc(vm->nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		goto oom;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].id = i;
		vm->vcpus[i].state = i == 0 ? VCPU_RUNNING : VCPU_STOPPED;
	}
	vm->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->stop_fd < 0) {
		pr_err("eventfd: %s", strerror(errno));
		return -1;
	}
	r = guest_mem_alloc(&vm->mem, cfg->memory, cfg->hugetlb);
	if (r) {
		pr_err("cannot allocate %llu MiB of guest RAM%s: %s",
		       (unsigned long long)(cfg->memory >> 20), cfg->hugetlb ? " (hugetlb)" : "",
		       strerror(-r));
		return -1;
	}
	vm->rma_size = vm->mem.size;
	vm_layout(vm);

	vm->console = calloc(1, sizeof(*vm->console));
	if (!vm->console)
		goto oom;
	if (console_open(vm->console, cfg->console, err, sizeof(err))) {
		free(vm->console);
		vm->console = NULL;
		pr_err("%s", err);
		return -1;
	}
	if (hcall_register_core(vm) || rtas_register_core(vm))
		goto oom;
	return device_kinds_create(vm);
oom:
	pr_err("out of memory setting up the VM");
	return -1;
}

void vm_destroy(struct vm *vm)
{
	devices_destroy(vm);
	mmio_free_all(vm);
	if (vm->console) {
		console_close(vm->console);
		free(vm->console);
		vm->console = NULL;
	}
	guest_mem_free(&vm->mem);
	free(vm->vcpus);
	vm->vcpus = NULL;
	if (vm->stop_fd >= 0)
		close(vm->stop_fd);
	vm->stop_fd = -1;
	pthread_cond_destroy(&vm->cond);
	pthread_mutex_destroy(&vm->lock);
	pthread_rwlock_destroy(&vm->mmio_lock);
}
