// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hvterm console (QEMU's spapr-vty at reg 0x71000000): H_PUT_TERM_CHAR and
 * H_GET_TERM_CHAR carry up to 16 bytes in two registers, first byte most significant.
 * Linux's early debug code uses terminal number 0, so 0 also names this console.
 * Input raises the vty's interrupt (XICS or XIVE); the guest then reads until it gets 0 bytes,
 * which re-arms the watcher (one interrupt per burst, none while nothing arrives).
 * A read ends after a \r, as QEMU's does: guests drop a \0 that follows a \r in one read
 * (a workaround for an old PowerVM bug), so the byte after it starts the next read.
 */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>

#include "be.h"
#include "console.h"
#include "devtree.h"
#include "hcall.h"
#include "irqchip.h"
#include "log.h"
#include "vm.h"
#include "vty.h"

struct vty {
	struct vm *vm;
	uint32_t irq;
	pthread_t watcher;
	bool watching;
	pthread_mutex_t lock;
	pthread_cond_t drained_cond;
	bool raised;	/* interrupt sent, guest has not drained the input yet */
	uint64_t interrupts;
	uint8_t in[16]; /* read from the console, not yet given to the guest: in[in_at..in_len) */
	size_t in_at, in_len;
};

/* Up to max bytes of input, ending after a \r; 0 once the guest has drained it all. */
static size_t vty_take(struct vty *v, struct console *c, uint8_t *buf, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&v->lock);
	if (v->in_at == v->in_len) {
		v->in_at = 0;
		v->in_len = console_read(c, v->in, sizeof(v->in));
	}
	while (n < max && v->in_at < v->in_len) {
		buf[n] = v->in[v->in_at++];
		if (buf[n++] == '\r')
			break;
	}
	if (!n) {
		v->raised = false;
		pthread_cond_signal(&v->drained_cond);
	}
	pthread_mutex_unlock(&v->lock);
	return n;
}

static bool vty_termno_ok(uint64_t termno)
{
	return termno == VTY_REG || termno == 0;
}

static long h_put_term_char(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	uint64_t len = args[1];
	char buf[16];

	if (!vty_termno_ok(args[0]))
		return H_PARAMETER;
	if (len > sizeof(buf))
		return H_PARAMETER;
	for (unsigned int i = 0; i < len; i++)
		buf[i] = (char)(args[2 + i / 8] >> (56 - 8 * (i % 8)));
	console_write(cpu->vm->console, buf, len);
	return H_SUCCESS;
}

static long h_get_term_char(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vty *v = device_priv(cpu->vm, &vty_kind);
	uint8_t buf[16];
	size_t n;

	if (!vty_termno_ok(args[0]))
		return H_PARAMETER;
	n = v ? vty_take(v, cpu->vm->console, buf, sizeof(buf)) :
		console_read(cpu->vm->console, buf, sizeof(buf));
	args[0] = n;
	args[1] = 0;
	args[2] = 0;
	for (unsigned int i = 0; i < n; i++)
		args[1 + i / 8] |= (uint64_t)buf[i] << (56 - 8 * (i % 8));
	return H_SUCCESS;
}

/* Wait for input, interrupt the guest, wait for it to drain the input; until stop or EOF. */
static void *vty_watch(void *arg)
{
	struct vty *v = arg;
	struct vm *vm = v->vm;

	while (!atomic_load(&vm->stopping) && vm->console->in_fd >= 0) {
		struct pollfd p = { .fd = vm->console->in_fd, .events = POLLIN };
		struct timespec ts;

		if (poll(&p, 1, 200) <= 0 || !(p.revents & (POLLIN | POLLHUP)))
			continue;
		pthread_mutex_lock(&v->lock);
		v->raised = true;
		v->interrupts++;
		pthread_mutex_unlock(&v->lock);
		irqchip_set_irq(vm, v->irq, 1);
		pthread_mutex_lock(&v->lock);
		while (v->raised && !atomic_load(&vm->stopping)) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 200000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			/*
			 * Not drained in time: send the edge again. KVM drops an edge that hit
			 * a masked source once the guest reconfigures it (ibm,int-on).
			 */
			if (pthread_cond_timedwait(&v->drained_cond, &v->lock, &ts) && v->raised) {
				pthread_mutex_unlock(&v->lock);
				irqchip_set_irq(vm, v->irq, 1);
				pthread_mutex_lock(&v->lock);
			}
		}
		pthread_mutex_unlock(&v->lock);
	}
	return NULL;
}

/* Input interrupts only once vCPUs can take them. */
static int vty_start(struct device *dev)
{
	struct vty *v = dev->priv;
	struct vm *vm = dev->vm;

	if (!v->irq || vm->console->in_fd < 0)
		return 0;
	if (pthread_create(&v->watcher, NULL, vty_watch, v))
		return -1;
	v->watching = true;
	return 0;
}

static int vty_fdt(struct device *dev, struct devtree *dt)
{
	struct vty *v = dev->priv;
	uint32_t intr[2] = { cpu_to_be32(v->irq), 0 }; /* edge */
	struct fdtw *w = &dt->w;

	if (dt->at == DEVTREE_CHOSEN) { /* the guest's console: this one */
		fdtw_str(w, "linux,stdout-path", VTY_PATH);
		fdtw_str(w, "stdout-path", VTY_PATH);
	}
	if (dt->at != DEVTREE_VDEVICE)
		return 0;
	devtree_vio_node(dt, VTY_NODE_NAME, "serial", "hvterm1", VTY_REG);
	if (v->irq)
		fdtw_prop(w, "interrupts", intr, sizeof(intr));
	fdtw_end(w);
	return 0;
}

static void vty_destroy(struct device *dev)
{
	struct vty *v = dev->priv;

	if (v->watching) {
		pthread_mutex_lock(&v->lock);
		pthread_cond_signal(&v->drained_cond);
		pthread_mutex_unlock(&v->lock);
		pthread_join(v->watcher, NULL);
	}
	pr_info("console: %llu input interrupts", (unsigned long long)v->interrupts);
	pthread_cond_destroy(&v->drained_cond);
	pthread_mutex_destroy(&v->lock);
	free(v);
}

static const struct hcall_entry vty_hcalls[] = {
	HCALL(H_PUT_TERM_CHAR, h_put_term_char),
	HCALL(H_GET_TERM_CHAR, h_get_term_char),
};

static int vty_create(struct vm *vm, const void *conf __unused)
{
	struct vty *v = calloc(1, sizeof(*v));

	if (!v)
		return -1;
	v->vm = vm;
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->drained_cond, NULL);
	v->irq = irqchip_alloc_irq(vm, false);
	if (!device_add(vm, &vty_kind, v)) {
		free(v);
		return -1;
	}
	return 0;
}

const struct device_kind vty_kind = {
	.name = "vty",
	.create = vty_create,
	.start = vty_start,
	.fdt = vty_fdt,
	.destroy = vty_destroy,
	DEVICE_HCALLS(vty_hcalls),
};
