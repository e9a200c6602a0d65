// SPDX-License-Identifier: GPL-2.0-only
/* An assigned function's interrupts: VFIO eventfds straight into KVM (irqfd). */
#include <errno.h>
#include <linux/vfio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "arch.h"
#include "log.h"
#include "vfio.h"

static int set_irqs(struct vfio_dev *v, uint32_t index, uint32_t flags, unsigned int n,
		    const int *fds)
{
	union {
		struct vfio_irq_set s;
		uint8_t b[sizeof(struct vfio_irq_set) + sizeof(int) * PCI_MSI_VECTORS_MAX];
	} u;

	u.s = (struct vfio_irq_set){ .argsz = (uint32_t)(sizeof(u.s) + n * sizeof(int)),
				     .flags = flags, .index = index, .start = 0, .count = n };
	memcpy(u.s.data, fds, n * sizeof(int));
	return ioctl(v->fd, VFIO_DEVICE_SET_IRQS, &u.s) ? -errno : 0;
}

static void intx_off(struct vfio_dev *v)
{
	if (v->intx_fd < 0)
		return;
	set_irqs(v, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		 0, NULL);
	arch_irqfd(v->vm, v->intx_fd, v->intx_gsi, -1, false);
	close(v->intx_fd);
	close(v->intx_resample);
	v->intx_fd = v->intx_resample = -1;
}

/* Level-triggered: KVM lowers the source at EOI and signals resample, VFIO unmasks. */
static int intx_on(struct vfio_dev *v, uint32_t gsi)
{
	int err;

	if (v->intx_fd >= 0)
		return 0;
	v->intx_fd = eventfd(0, EFD_CLOEXEC);
	v->intx_resample = eventfd(0, EFD_CLOEXEC);
	v->intx_gsi = gsi;
	if (v->intx_fd < 0 || v->intx_resample < 0 ||
	    arch_irqfd(v->vm, v->intx_fd, gsi, v->intx_resample, true)) {
		err = -EIO;
		goto fail;
	}
	err = set_irqs(v, VFIO_PCI_INTX_IRQ_INDEX,
		       VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 1, &v->intx_fd);
	if (!err)
		err = set_irqs(v, VFIO_PCI_INTX_IRQ_INDEX,
			       VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_UNMASK, 1,
			       &v->intx_resample);
	if (!err)
		return 0;
	pr_warn("vfio %s: INTx: %s", v->spec.bdf, strerror(-err));
	set_irqs(v, VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		 0, NULL);
	arch_irqfd(v->vm, v->intx_fd, gsi, -1, false);
fail:
	if (v->intx_fd >= 0)
		close(v->intx_fd);
	if (v->intx_resample >= 0)
		close(v->intx_resample);
	v->intx_fd = v->intx_resample = -1;
	return err;
}

static uint32_t vec_index(enum pci_irq_type type)
{
	return type == PCI_IRQ_MSI ? VFIO_PCI_MSI_IRQ_INDEX : VFIO_PCI_MSIX_IRQ_INDEX;
}

static void vectors_off(struct vfio_dev *v)
{
	if (!v->nvec)
		return;
	set_irqs(v, vec_index(v->vec_type), VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		 0, NULL);
	for (unsigned int i = 0; i < v->nvec; i++) {
		arch_irqfd(v->vm, v->vec_fd[i], v->vec_gsi[i], -1, false);
		close(v->vec_fd[i]);
	}
	v->nvec = 0;
}

static int vectors_on(struct vfio_dev *v, enum pci_irq_type type, unsigned int n,
		      const uint32_t *srcs)
{
	int err;

	if (n > PCI_MSI_VECTORS_MAX)
		return -EINVAL;
	for (v->nvec = 0; v->nvec < n; v->nvec++) {
		int fd = eventfd(0, EFD_CLOEXEC);

		if (fd < 0)
			goto fail;
		if (arch_irqfd(v->vm, fd, srcs[v->nvec], -1, true)) {
			close(fd);
			goto fail;
		}
		v->vec_fd[v->nvec] = fd;
		v->vec_gsi[v->nvec] = srcs[v->nvec];
	}
	v->vec_type = type;
	err = set_irqs(v, vec_index(type), VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		       n, v->vec_fd);
	if (!err)
		return 0;
	pr_warn("vfio %s: %u %s vectors: %s", v->spec.bdf, n, type == PCI_IRQ_MSI ? "MSI" : "MSI-X",
		strerror(-err));
fail:
	for (unsigned int i = 0; i < v->nvec; i++) {
		arch_irqfd(v->vm, v->vec_fd[i], v->vec_gsi[i], -1, false);
		close(v->vec_fd[i]);
	}
	v->nvec = 0;
	return -EIO;
}

int vfio_irq_route(struct pci_func *f, enum pci_irq_type type, unsigned int n,
		   const uint32_t *srcs)
{
	struct vfio_dev *v = f->priv;

	if (type == PCI_IRQ_INTX) {
		if (n)
			return intx_on(v, srcs[0]);
		intx_off(v);
		return 0;
	}
	vectors_off(v);
	return n ? vectors_on(v, type, n, srcs) : 0;
}
