// SPDX-License-Identifier: GPL-2.0-only
/* `psvm run`: put the guest together, start it, wait for its fate. */
#include <errno.h>
#include <libfdt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "arch.h"
#include "console.h"
#include "devtree.h"
#include "device.h"
#include "log.h"
#include "run.h"
#include "vm.h"

static int load_images(struct vm *vm)
{
	struct psvm_config *cfg = vm->cfg;
	char err[256];
	size_t size;
	void *img;
	int r;

	img = read_file(cfg->kernel, &size, err, sizeof(err));
	if (!img) {
		pr_err("kernel %s", err);
		return -1;
	}
	if (cfg->flat)
		r = load_flat(&vm->mem, img, size, &vm->li, err, sizeof(err));
	else
		r = load_elf(&vm->mem, img, size, &vm->li, err, sizeof(err));
	free(img);
	if (r) {
		pr_err("kernel %s: %s", cfg->kernel, err);
		return -1;
	}
	if (vm->li.kernel_end > vm->fdt_gpa) {
		pr_err("kernel %s: ends at %#llx, over the device tree at %#llx (give more --memory)",
		       cfg->kernel, (unsigned long long)vm->li.kernel_end,
		       (unsigned long long)vm->fdt_gpa);
		return -1;
	}
	if (!cfg->initrd)
		return 0;
	img = read_file(cfg->initrd, &size, err, sizeof(err));
	if (!img) {
		pr_err("initrd %s", err);
		return -1;
	}
	r = load_initrd(&vm->mem, img, size, vm->fdt_gpa, &vm->li, err, sizeof(err));
	free(img);
	if (r) {
		pr_err("initrd %s: %s", cfg->initrd, err);
		return -1;
	}
	return 0;
}

int vm_boot_prepare(struct vm *vm)
{
	void *fdt;

	if (devices_realize(vm))
		return -1;
	rtas_write_blob(gpa_to_hva(&vm->mem, vm->rtas_gpa, RTAS_BLOB_SIZE));
	fdt = gpa_to_hva(&vm->mem, vm->fdt_gpa, FDT_MAX_SIZE);
	if (devtree_build(vm, fdt, FDT_MAX_SIZE))
		return -1;
	vm->fdt_size = fdt_totalsize(fdt);
	pr_info("kernel entry %#llx, initrd %#llx+%#llx, fdt %#llx (%u bytes), rtas %#llx",
		(unsigned long long)vm->li.entry, (unsigned long long)vm->li.initrd_start,
		(unsigned long long)vm->li.initrd_size, (unsigned long long)vm->fdt_gpa,
		vm->fdt_size, (unsigned long long)vm->rtas_gpa);
	return 0;
}

/* Wait for the guest to stop, a signal, or the timeout; returns the exit status. */
static int supervise(struct vm *vm, int sigfd)
{
	struct timespec start, now;
	int64_t left_ms = -1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!atomic_load(&vm->stopping)) {
		struct pollfd p[2] = { { .fd = vm->stop_fd, .events = POLLIN },
				       { .fd = sigfd, .events = POLLIN } };

		if (vm->cfg->timeout_s) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			left_ms = (int64_t)vm->cfg->timeout_s * 1000 -
				  ((now.tv_sec - start.tv_sec) * 1000 +
				   (now.tv_nsec - start.tv_nsec) / 1000000);
			if (left_ms <= 0) {
				pr_err("guest still running after --timeout %u s: stopping it",
				       vm->cfg->timeout_s);
				vm_request_stop(vm, PSVM_EXIT_TIMEOUT);
				break;
			}
		}
		if (poll(p, 2, left_ms > INT32_MAX ? INT32_MAX : (int)left_ms) < 0 && errno != EINTR) {
			/* not a silent 0, which would say the guest powered off */
			pr_err("poll: %s: stopping the guest", strerror(errno));
			vm_request_stop(vm, PSVM_EXIT_ERROR);
			break;
		}
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
				pr_warn("signal %u: stopping the guest", si.ssi_signo);
				vm_request_stop(vm, 128 + (int)si.ssi_signo);
				/*
				 * A reboot the guest asked for just before must not win: it
				 * would restart psvm (--on-reboot restart) and the signal,
				 * read here, would be lost. psvm stops.
				 */
				pthread_mutex_lock(&vm->lock);
				if (vm->exit_status == PSVM_EXIT_REBOOT)
					vm->exit_status = 128 + (int)si.ssi_signo;
				pthread_mutex_unlock(&vm->lock);
			}
		}
	}
	return vm->exit_status;
}

void psvm_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
}

/*
 * During setup a stop signal kills psvm outright: setup's long host calls (pinning all of
 * guest RAM, reading a big initrd) end at a fatal signal and at nothing else, and what
 * setup made (memory, pins, fds) the kernel takes back. Setup starts no thread and leaves
 * the terminal alone, so nothing needs undoing by hand. From the first thread on, stop
 * signals are blocked again and reach the supervisor through the signalfd; one sent in
 * between is still pending there. SIGQUIT stays blocked: its default dumps core.
 */
static void setup_killable(bool on)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t set;

	psvm_stop_signals(&set);
	sigdelset(&set, SIGQUIT);
	for (int sig = 1; on && sig < NSIG; sig++)
		if (sigismember(&set, sig) == 1) /* ignored by whoever started psvm: stop anyway */
			sigaction(sig, &dfl, NULL);
	pthread_sigmask(on ? SIG_UNBLOCK : SIG_BLOCK, &set, NULL);
}

int psvm_run(struct psvm_config *cfg)
{
	struct vm vm;
	sigset_t set;
	char err[256];
	int sigfd = -1, status = PSVM_EXIT_ERROR;

	/*
	 * The caller has these blocked (threads inherit the mask): only the supervisor sees
	 * them, through a signalfd, and one sent before we got here is still pending.
	 */
	psvm_stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sigfd < 0) {
		pr_err("signalfd: %s", strerror(errno));
		return PSVM_EXIT_ERROR;
	}
	setup_killable(true);
	if (vm_init(&vm, cfg))
		goto out;
	/* The user's files first: a bad kernel is reported before KVM is touched. */
	if (load_images(&vm))
		goto out;
	if (arch_vm_create(&vm, err, sizeof(err))) {
		pr_err("%s", err);
		goto out;
	}
	vm_layout(&vm); /* the MMU mode may have shrunk the real-mode area */
	if (vm.li.kernel_end > vm.fdt_gpa ||
	    vm.li.initrd_start + vm.li.initrd_size > vm.fdt_gpa) {
		pr_err("kernel and initrd end at %#llx, past the %llu MiB a %s guest reaches in real mode",
		       (unsigned long long)MAX(vm.li.kernel_end, vm.li.initrd_start + vm.li.initrd_size),
		       (unsigned long long)(vm.rma_size >> 20), vm.radix ? "radix" : "hash");
		goto out;
	}
	if (vm_boot_prepare(&vm))
		goto out;
	setup_killable(false); /* before any thread or raw terminal: see setup_killable */
	console_start(vm.console);
	if (arch_vcpus_start(&vm) || devices_start(&vm)) {
		arch_vcpus_join(&vm);
		goto out;
	}
	status = supervise(&vm, sigfd);
	arch_vcpus_join(&vm);
out:
	/*
	 * Devices go while KVM is still there: their threads (the console's input watcher)
	 * stop before the VM they interrupt, and they undo their irqfds, memslots and TCE
	 * tables themselves, last made first.
	 */
	devices_destroy(&vm);
	arch_vm_destroy(&vm);
	vm_destroy(&vm);
	close(sigfd);
	return status;
}
