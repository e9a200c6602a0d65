/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An assigned PCI function (VFIO), inside devices/: vfio.c (the device: options,
 * lifecycle, its PHB and PE), vfio_pci.c (config space, BARs, regions), vfio_irq.c (INTx
 * and MSI/MSI-X as eventfds KVM injects). Its DMA goes through a dma_backend.
 */
#ifndef PSVM_DEVICES_VFIO_H
#define PSVM_DEVICES_VFIO_H

#include "ddw.h"
#include "dma_backend.h"
#include "map.h"
#include "pci.h"
#include "vfio_dev.h"

struct vfio_dev {
	struct vm *vm;
	struct vfio_spec spec;	/* what the user asked for: address, engine, backend */
	struct dma_backend *dma;
	int fd;			/* the VFIO device (the backend's, closed with it) */
	uint64_t cfg_offset, cfg_size;
	uint64_t bar_offset[PCI_NUM_BARS];
	struct pci_func func;
	struct pci_pe pe;
	struct map_engine engine;
	/* interrupts: eventfds KVM turns into XICS sources */
	int intx_fd, intx_resample;
	uint32_t intx_gsi;
	int vec_fd[PCI_MSI_VECTORS_MAX];
	uint32_t vec_gsi[PCI_MSI_VECTORS_MAX];
	unsigned int nvec;
	enum pci_irq_type vec_type;
};

/* Config space, BARs (mmapped where VFIO lets us) and IDs into v->func. */
int vfio_probe_regions(struct vfio_dev *v, char *err, size_t errlen);
void vfio_unmap_bars(struct vfio_dev *v);

/* pci_func_ops.irq_route: the device's INTx or MSI/MSI-X vectors to XICS sources. */
int vfio_irq_route(struct pci_func *f, enum pci_irq_type type, unsigned int n,
		   const uint32_t *srcs);

#endif
