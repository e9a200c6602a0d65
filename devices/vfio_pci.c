// SPDX-License-Identifier: GPL-2.0-only
/*
 * An assigned function's config space and BARs. BARs and ROM are emulated by the PHB; the
 * rest goes to the device through the VFIO config region, where the kernel already
 * virtualizes what must be (MSI, etc.).
 */
#include <errno.h>
#include <linux/vfio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"
#include "vfio.h"

static int vfio_cfg_read(struct pci_func *f, uint32_t off, unsigned int len, uint32_t *val)
{
	struct vfio_dev *v = f->priv;
	uint8_t b[4] = { 0 };

	if (pread(v->fd, b, len, (off_t)(v->cfg_offset + off)) != (ssize_t)len)
		return -1;
	/* VFIO config space is little-endian, as PCI */
	*val = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return 0;
}

static int vfio_cfg_write(struct pci_func *f, uint32_t off, unsigned int len, uint32_t val)
{
	struct vfio_dev *v = f->priv;
	uint8_t b[4] = { (uint8_t)val, (uint8_t)(val >> 8), (uint8_t)(val >> 16),
			 (uint8_t)(val >> 24) };

	return pwrite(v->fd, b, len, (off_t)(v->cfg_offset + off)) == (ssize_t)len ? 0 : -1;
}

static int vfio_bar_rw(struct pci_func *f, int bar, uint64_t off, unsigned int len, uint64_t *val,
		       bool is_write)
{
	struct vfio_dev *v = f->priv;
	uint8_t b[8];
	ssize_t n;

	if (is_write) {
		for (unsigned int i = 0; i < len; i++)
			b[i] = (uint8_t)(*val >> (8 * i));
		n = pwrite(v->fd, b, len, (off_t)(v->bar_offset[bar] + off));
	} else {
		n = pread(v->fd, b, len, (off_t)(v->bar_offset[bar] + off));
		*val = 0;
		for (unsigned int i = 0; n == (ssize_t)len && i < len; i++)
			*val |= (uint64_t)b[i] << (8 * i);
	}
	return n == (ssize_t)len ? 0 : -1;
}

static const struct pci_func_ops vfio_func_ops = {
	.cfg_read = vfio_cfg_read,
	.cfg_write = vfio_cfg_write,
	.bar_rw = vfio_bar_rw,
	.irq_route = vfio_irq_route,
};

#define COMMAND_OFF_AT_START                                                                       \
	(uint32_t)(PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |                      \
		   PCI_COMMAND_INTX_DISABLE)

int vfio_probe_regions(struct vfio_dev *v, char *err, size_t errlen)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = VFIO_PCI_CONFIG_REGION_INDEX };
	struct pci_func *f = &v->func;
	uint32_t val;

	if (ioctl(v->fd, VFIO_DEVICE_GET_INFO, &di) || !(di.flags & VFIO_DEVICE_FLAGS_PCI))
		return errorf(err, errlen, "%s: not a VFIO PCI device", v->spec.bdf);
	/*
	 * No VFIO_DEVICE_RESET from psvm: vfio-pci already reset the device when psvm opened it
	 * (and resets it again on the last close), so nothing it did before psvm survives. A
	 * second reset cost ~2.8 s per start on powernv9 (a bus reset for edu), for nothing.
	 */
	if (!(di.flags & VFIO_DEVICE_FLAGS_RESET))
		pr_warn("vfio %s: the device has no reset: state from before psvm may survive",
			v->spec.bdf);
	if (ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &ri))
		return errorf(err, errlen, "%s: no config region: %s", v->spec.bdf, strerror(errno));
	v->cfg_offset = ri.offset;
	v->cfg_size = ri.size;
	f->ops = &vfio_func_ops;
	f->priv = v;
	f->cfg_size = ri.size >= PCI_CFG_EXP_SIZE ? PCI_CFG_EXP_SIZE : PCI_CFG_SIZE;
	if (vfio_cfg_read(f, PCI_VENDOR_ID, 4, &val))
		return errorf(err, errlen, "%s: config space unreadable", v->spec.bdf);
	f->vendor = (uint16_t)val;
	f->device = (uint16_t)(val >> 16);
	vfio_cfg_read(f, PCI_REVISION_CLASS, 4, &f->class_rev);
	vfio_cfg_read(f, PCI_SUBSYS_VENDOR, 4, &val);
	f->subsys_vendor = (uint16_t)val;
	f->subsys_id = (uint16_t)(val >> 16);
	/*
	 * vfio-pci leaves memory decode on (pci_enable_device), where psvm maps no BAR until
	 * the guest turns it on: the guest would find it on, not write it, and reach nothing.
	 * As QEMU at every machine reset: decode, bus mastering and INTx-disable start off.
	 */
	if (vfio_cfg_read(f, PCI_COMMAND, 2, &val) ||
	    vfio_cfg_write(f, PCI_COMMAND, 2, val & ~COMMAND_OFF_AT_START))
		return errorf(err, errlen, "%s: cannot turn its decode off: %s", v->spec.bdf,
			      strerror(errno));

	for (int i = 0; i < PCI_NUM_BARS; i++) {
		struct vfio_region_info br = { .argsz = sizeof(br), .index = (uint32_t)i };
		struct pci_bar *b = &f->bar[i];
		uint32_t reg;

		if (ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &br) || !br.size)
			continue;
		vfio_cfg_read(f, PCI_BAR0 + 4 * (uint32_t)i, 4, &reg);
		if (reg & PCI_BAR_IO) {
			pr_info("vfio %s: BAR%d is I/O space: not offered (no PCI I/O on pseries)",
				v->spec.bdf, i);
			continue;
		}
		if (br.size & (br.size - 1))
			return errorf(err, errlen, "%s: BAR%d size %#llx is not a power of 2",
				      v->spec.bdf, i, (unsigned long long)br.size);
		b->size = br.size;
		b->mem64 = (reg & 0x6) == PCI_BAR_MEM64;
		b->prefetch = reg & PCI_BAR_PREFETCH;
		v->bar_offset[i] = br.offset;
		if (br.flags & VFIO_REGION_INFO_FLAG_MMAP &&
		    br.size % (uint64_t)sysconf(_SC_PAGESIZE) == 0) {
			void *p = mmap(NULL, br.size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd,
				       (off_t)br.offset);

			if (p != MAP_FAILED)
				b->hva = p;
		}
		if (!b->hva)
			pr_info("vfio %s: BAR%d (%llu KiB) is trapped: no host mapping", v->spec.bdf, i,
				(unsigned long long)(br.size >> 10));
		if (b->mem64)
			i++; /* the upper half is part of this BAR */
	}
	return 0;
}

void vfio_unmap_bars(struct vfio_dev *v)
{
	for (int i = 0; i < PCI_NUM_BARS; i++)
		if (v->func.bar[i].hva)
			munmap(v->func.bar[i].hva, v->func.bar[i].size);
}
