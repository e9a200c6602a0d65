// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO PCI passthrough: `--device vfio,host=DDDD:BB:DD.F` or
 * `--device vfio,path=/dev/vfio/devices/vfioN`. The device gets a PHB (and so a PE) of its
 * own. Its DMA windows follow the guest's: every guest window is a host window, and TCE
 * updates reach the host IOMMU through a map engine.
 *
 * Host backends:
 *  - legacy: the VFIO sPAPR TCE v2 container (group + container, guest RAM pre-registered,
 *    VFIO_IOMMU_SPAPR_TCE_CREATE/REMOVE per window, MAP_DMA/UNMAP_DMA). This is what stock
 *    POWER kernels offer (VFIO cdev cannot be built with SPAPR_TCE_IOMMU in v6.12).
 *  - iommufd (backend=iommufd): the device cdev bound to /dev/iommu and attached to an IOAS;
 *    kernel-patch/ gives it a paging domain over the PE's 32-bit window (4K TCEs), which
 *    backs the guest's default window; a guest DDW is the PE's 64-bit window, in a HWPT
 *    allocated with both windows (IOMMU_HWPT_DATA_SPAPR_TCE) that replaces the device's.
 *    Guest TCEs become IOAS maps through the engine (engine=uring: one io_uring_enter per
 *    batch). backend=auto takes iommufd where the device has a cdev and such HWPTs, else
 *    the legacy container, and says why.
 *
 * Config space: BARs and ROM are emulated by the PHB; the rest goes to the device through
 * the VFIO config region, where the kernel already virtualizes what must be (MSI, etc.).
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "ddw.h"
#include "device.h"
#include "iommufd.h"
#include "log.h"
#include "map.h"
#include "pci.h"
#include "vfio_dev.h"
#include "vm.h"

struct vfio_dev {
	struct vm *vm;
	struct vfio_spec spec;	/* what the user asked for: address, engine, backend */
	int container, group, fd;
	/* backend=iommufd: the IOAS the device is attached to, its usable IOVA size at 0 */
	bool iommufd;
	struct iommufd_ioas ioas;
	uint64_t aperture;
	uint32_t dev_id;
	/* the PE's windows (kernel-patch/ GET_HW_INFO), if the kernel says */
	bool spapr;
	struct iommu_hw_info_spapr_tce hw;
	/*
	 * The host windows the guest's are over, nest.win[0] (32-bit) and [1] (64-bit), in
	 * either mode. The 32-bit one stays from start to end, empty while the guest has
	 * removed its default window (iommufd takes no domain whose pages are all bigger than
	 * the host's). With a 64-bit one the device is on a HWPT of ours: hwpt, or in nested
	 * mode nest.hwpt_id, over the nest parent, where the windows also have tables.
	 */
	bool guest32;	/* the guest has a window over the 32-bit one */
	bool nested;	/* engine=nested: guest TCEs in tables the kernel shadows */
	uint32_t parent;
	struct iommufd_spapr_nested nest;
	uint32_t hwpt;	/* 0: the IOAS's own paging domain (the 32-bit window alone) */
	char why_legacy[192];	/* backend=auto: why not iommufd */
	uint64_t cfg_offset, cfg_size;
	uint64_t bar_offset[PCI_NUM_BARS];
	bool ram_registered;
	struct vfio_iommu_spapr_tce_info tce_info;
	struct pci_func func;
	struct pci_pe pe;
	struct map_backend be;
	struct map_engine engine;
	/* interrupts: eventfds KVM turns into XICS sources */
	int intx_fd, intx_resample;
	uint32_t intx_gsi;
	int vec_fd[PCI_MSI_VECTORS_MAX];
	uint32_t vec_gsi[PCI_MSI_VECTORS_MAX];
	unsigned int nvec;
	enum pci_irq_type vec_type;
};

/* ---- host IOMMU: the sPAPR TCE v2 container ---- */

static int container_map(void *ctx, uint64_t iova, uint64_t hva, uint64_t len, uint8_t prot)
{
	struct vfio_dev *v = ctx;
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = (prot & MAP_PROT_READ ? VFIO_DMA_MAP_FLAG_READ : 0) |
			 (prot & MAP_PROT_WRITE ? VFIO_DMA_MAP_FLAG_WRITE : 0),
		.vaddr = hva,
		.iova = iova,
		.size = len,
	};

	return ioctl(v->container, VFIO_IOMMU_MAP_DMA, &m) ? -errno : 0;
}

static int container_unmap(void *ctx, uint64_t iova, uint64_t len)
{
	struct vfio_dev *v = ctx;
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u), .iova = iova, .size = len };

	return ioctl(v->container, VFIO_IOMMU_UNMAP_DMA, &u) ? -errno : 0;
}

static int container_window_create(void *ctx, unsigned int page_shift, uint64_t size, uint64_t *bus)
{
	struct vfio_dev *v = ctx;
	int err = 0;

	/* One level where the host allows it (pseries L1s want exactly that), else more. */
	for (uint32_t levels = 1; levels <= MAX(1u, v->tce_info.ddw.levels); levels++) {
		struct vfio_iommu_spapr_tce_create c = {
			.argsz = sizeof(c),
			.page_shift = page_shift,
			.window_size = size,
			.levels = levels,
		};

		if (!ioctl(v->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &c)) {
			*bus = c.start_addr;
			return 0;
		}
		err = errno;
		if (err != EINVAL && err != ENOMEM)
			break;
	}
	pr_warn("vfio %s: VFIO_IOMMU_SPAPR_TCE_CREATE(2^%u pages, %llu MiB): %s", v->spec.bdf,
		page_shift, (unsigned long long)(size >> 20), strerror(err));
	return -err;
}

static int container_window_remove(void *ctx, uint64_t bus)
{
	struct vfio_dev *v = ctx;
	struct vfio_iommu_spapr_tce_remove r = { .argsz = sizeof(r), .start_addr = bus };

	return ioctl(v->container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &r) ? -errno : 0;
}

static const struct pe_dma_ops container_dma_ops = {
	.window_create = container_window_create,
	.window_remove = container_window_remove,
};

/* ---- host IOMMU: iommufd (kernel-patch/'s powerpc paging domains) ---- */

/*
 * A HWPT over @pt with windows @data (their TCE table levels, *@lv32 and *@lv64, tried
 * from one up: pseries L1s want exactly one, big windows more), the device moved onto it
 * and the HWPT *@cur it was on destroyed.
 */
static int hwpt_replace(struct vfio_dev *v, uint32_t pt, uint32_t type, const void *data,
			uint32_t len, uint32_t *lv32, uint32_t *lv64, uint32_t *cur)
{
	uint32_t hwpt = 0;
	int r = -EINVAL;

	for (uint32_t levels = 1;
	     levels <= MAX(1u, v->hw.max_levels) && (r == -EINVAL || r == -ENOMEM); levels++) {
		*lv32 = *lv64 = levels;
		r = iommufd_hwpt_alloc(v->ioas.fd, v->dev_id, pt, 0, type, data, len, &hwpt);
	}
	if (!r) {
		r = vfio_cdev_attach(v->fd, hwpt);
		if (r)
			iommufd_destroy(v->ioas.fd, hwpt);
	}
	if (r)
		return r;
	if (*cur)
		iommufd_destroy(v->ioas.fd, *cur);
	*cur = hwpt;
	return 0;
}

/* Window i of v as IOMMU_HWPT_DATA_SPAPR_TCE has it (size 0: none) */
static struct iommu_hwpt_spapr_tce_window hwpt_window(const struct vfio_dev *v, unsigned int i)
{
	const struct iommufd_spapr_window *w = &v->nest.win[i];

	return (struct iommu_hwpt_spapr_tce_window){ .start = w->start, .size = w->size,
						     .page_shift = w->page_shift, .levels = 1 };
}

/*
 * Put the device on the host windows it has: the IOAS's own paging domain for the 32-bit
 * window alone, else a HWPT with sPAPR TCE windows (kernel-patch/ 0011) that replaces the
 * one the device is on. The IOAS and its mappings stay.
 */
static int iommufd_windows_apply(struct vfio_dev *v)
{
	struct iommu_hwpt_spapr_tce d = { .dma32 = hwpt_window(v, 0), .dma64 = hwpt_window(v, 1) };
	int r;

	if (d.dma64.size)
		return hwpt_replace(v, v->ioas.ioas_id, IOMMU_HWPT_DATA_SPAPR_TCE, &d, sizeof(d),
				    &d.dma32.levels, &d.dma64.levels, &v->hwpt);
	r = vfio_cdev_attach(v->fd, v->ioas.ioas_id);
	if (r)
		return r;
	if (v->hwpt)
		iommufd_destroy(v->ioas.fd, v->hwpt);
	v->hwpt = 0;
	return 0;
}

/* ---- iommufd, nested: the guest's windows as TCE tables under a nested HWPT ---- */

/* Window n's table, mapped into the IOAS */
static int nested_table_alloc(struct vfio_dev *v, unsigned int n)
{
	return iommufd_spapr_table_alloc(v->ioas.fd, v->ioas.ioas_id, &v->nest.win[n],
					 IOMMUFD_SPAPR_TABLE_IOVA(n));
}

/*
 * A nested HWPT over the parent with the windows v->nest has, the device put on it (or
 * moved there from the one it was on, destroyed then). The kernel loads every TCE the
 * tables hold as it makes the HWPT: no mapping is lost on the way.
 */
static int nested_apply(struct vfio_dev *v)
{
	struct iommu_hwpt_spapr_tce_nested d = { 0 };

	for (unsigned int i = 0; i < 2; i++) {
		struct iommu_hwpt_spapr_tce_window w = hwpt_window(v, i);

		if (w.size)
			*(i ? &d.dma64 : &d.dma32) = (struct iommu_hwpt_spapr_tce_nested_window){
				.start = w.start, .size = w.size, .page_shift = w.page_shift,
				.levels = w.levels, .table = v->nest.win[i].table_iova
			};
	}
	return hwpt_replace(v, v->parent, IOMMU_HWPT_DATA_SPAPR_TCE_NESTED, &d, sizeof(d),
			    &d.dma32.levels, &d.dma64.levels, &v->nest.hwpt_id);
}

/*
 * Nested mode on a bound device: a nest parent over the IOAS with all of guest RAM at its
 * guest physical address (pinned once), the 32-bit window's table beside it, a nested
 * HWPT of that window for the device.
 */
static int nested_setup(struct vfio_dev *v, const char *path, char *err, size_t errlen)
{
	struct vm *vm = v->vm;
	int r;

	if (iommufd_spapr_hw_info(v->ioas.fd, v->dev_id, &v->hw, &v->aperture))
		return errorf(err, errlen, "engine=nested: %s has no sPAPR TCE windows at bus 0 "
			      "(a POWER host with kernel-patch/)", path);
	r = iommufd_hwpt_alloc(v->ioas.fd, v->dev_id, v->ioas.ioas_id,
			       IOMMU_HWPT_ALLOC_NEST_PARENT, 0, NULL, 0, &v->parent);
	if (r)
		return errorf(err, errlen, "engine=nested: no nest parent HWPT for %s: %s "
			      "(kernel-patch/ 0012)", path, strerror(-r));
	r = iommufd_ioas_map(v->ioas.fd, v->ioas.ioas_id, 0, (uintptr_t)vm->mem.hva,
			     vm->mem.size, MAP_PROT_READ | MAP_PROT_WRITE);
	if (r)
		return errorf(err, errlen, "engine=nested: mapping guest RAM: %s", strerror(-r));
	v->nest.fd = v->ioas.fd;
	v->nest.ram = vm->mem.hva;
	v->nest.ram_size = vm->mem.size;
	v->nest.win[0] = (struct iommufd_spapr_window){ .start = 0, .size = v->aperture,
							.page_shift = DDW_DEFAULT_SHIFT };
	r = nested_table_alloc(v, 0);
	if (!r)
		r = nested_apply(v);
	if (r)
		return errorf(err, errlen, "engine=nested: a nested HWPT for %s: %s", path,
			      strerror(-r));
	v->iommufd = true;
	v->spapr = v->hw.windows >= 2;
	return 0;
}

/* The device's HWPT for the windows it has now, in its mode */
static int windows_apply(struct vfio_dev *v)
{
	return v->nested ? nested_apply(v) : iommufd_windows_apply(v);
}

/*
 * The 32-bit window at bus 0 in 4K TCEs while the guest has no window over it; otherwise
 * the 64-bit one (nested: with a table). The host's 32-bit window stays from start to
 * end, empty while the guest has none over it.
 */
static int iommufd_window_create(void *ctx, unsigned int page_shift, uint64_t size,
				 uint64_t *bus)
{
	struct vfio_dev *v = ctx;
	struct iommufd_spapr_window *w = &v->nest.win[1];
	int r;

	if (!v->guest32 && page_shift == DDW_DEFAULT_SHIFT && size <= v->aperture) {
		v->guest32 = true;
		*bus = 0;
		return 0;
	}
	if (!v->spapr || w->size)
		return -EOPNOTSUPP;
	*w = (struct iommufd_spapr_window){ .start = iommufd_spapr_dma64_start(&v->hw),
					    .size = size,
					    .page_shift = page_shift };
	r = v->nested ? nested_table_alloc(v, 1) : 0;
	if (!r)
		r = windows_apply(v);
	if (r) {
		pr_warn("vfio %s: a host window of 2^%u pages, %llu MiB at %#llx%s: %s",
			v->spec.bdf, page_shift, (unsigned long long)(size >> 20),
			(unsigned long long)w->start, v->nested ? " (nested)" : "", strerror(-r));
		iommufd_spapr_table_free(v->ioas.fd, v->ioas.ioas_id, w);
		return r;
	}
	*bus = w->start;
	return 0;
}

/* What was in the 64-bit window is unmapped already: back to the 32-bit one alone. */
static int iommufd_window_remove(void *ctx, uint64_t bus)
{
	struct vfio_dev *v = ctx;
	struct iommufd_spapr_window *w = &v->nest.win[1], was = *w;
	int r;

	if (!w->size || bus != w->start) {
		if (bus || !v->guest32)
			return -ENOENT;
		v->guest32 = false;
		return 0;
	}
	w->size = 0;
	r = windows_apply(v);
	*w = was;
	if (r) {
		pr_warn("vfio %s: leaving the host window at %#llx: %s", v->spec.bdf,
			(unsigned long long)bus, strerror(-r));
		return r;
	}
	iommufd_spapr_table_free(v->ioas.fd, v->ioas.ioas_id, w);
	return 0;
}

static const struct pe_dma_ops iommufd_dma_ops = {
	.window_create = iommufd_window_create,
	.window_remove = iommufd_window_remove,
};

/* /sys/bus/pci/devices/BDF/vfio-dev/vfioN -> /dev/vfio/devices/vfioN */
static int bdf_cdev(const char *bdf, char *path, size_t len)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "vfio", 4)) {
			snprintf(path, len, "/dev/vfio/devices/%s", de->d_name);
			closedir(d);
			return 0;
		}
	closedir(d);
	return -ENOENT;
}

static void iommufd_close(struct vfio_dev *v)
{
	if (v->fd >= 0)
		close(v->fd); /* unbinds: the device is BLOCKED, then back to the host */
	v->fd = -1;
	v->hwpt = 0;	/* destroyed with the iommufd */
	v->guest32 = false;
	for (unsigned int i = 0; i < 2; i++)
		iommufd_spapr_table_free(v->ioas.fd, v->ioas.ioas_id, &v->nest.win[i]);
	iommufd_spapr_nested_free(&v->nest);
	v->nest.hwpt_id = 0;
	v->parent = 0;
	iommufd_ioas_backend_free(&v->ioas);
	if (v->ioas.fd >= 0)
		close(v->ioas.fd); /* the IOAS and every pin go with it */
	v->ioas.fd = -1;
	v->iommufd = false;
}

/*
 * Whether the host can give the device a 64-bit window: a second window on its PE
 * (GET_HW_INFO) and HWPTs that take sPAPR windows (kernel-patch/ 0011), tried with a
 * HWPT of the 32-bit window alone that is destroyed unused.
 */
static bool iommufd_probe_windows(struct vfio_dev *v)
{
	struct iommu_hwpt_spapr_tce w = { .dma32 = hwpt_window(v, 0) };
	uint64_t window32;
	uint32_t hwpt;

	if (iommufd_spapr_hw_info(v->ioas.fd, v->dev_id, &v->hw, &window32) ||
	    v->hw.windows < 2)
		return false;
	if (iommufd_hwpt_alloc(v->ioas.fd, v->dev_id, v->ioas.ioas_id, 0,
			       IOMMU_HWPT_DATA_SPAPR_TCE, &w, sizeof(w), &hwpt))
		return false;
	iommufd_destroy(v->ioas.fd, hwpt);
	return true;
}

/* The cdev bound to /dev/iommu (the device is parked until then), attached to an IOAS. */
static int iommufd_open_dev(struct vfio_dev *v, char *err, size_t errlen)
{
	char path[PATH_MAX], why[256];
	uint64_t ranges[8][2];
	int r, nr;

	if (bdf_cdev(v->spec.bdf, path, sizeof(path)))
		return errorf(err, errlen, "%s has no VFIO device cdev (VFIO_DEVICE_CDEV)", v->spec.bdf);
	v->fd = open(path, O_RDWR | O_CLOEXEC);
	if (v->fd < 0)
		return errorf(err, errlen, "%s: %s", path, strerror(errno));
	v->ioas.fd = iommufd_open(why, sizeof(why));
	if (v->ioas.fd < 0)
		return errorf(err, errlen, "%s", why);
	r = vfio_cdev_bind(v->fd, v->ioas.fd, &v->dev_id);
	if (r)
		return errorf(err, errlen, "binding %s to iommufd: %s", path, strerror(-r));
	r = iommufd_ioas_alloc(v->ioas.fd, &v->ioas.ioas_id);
	if (!r && v->nested)
		return nested_setup(v, path, err, errlen);
	if (!r)
		r = vfio_cdev_attach(v->fd, v->ioas.ioas_id);
	if (r)
		return errorf(err, errlen,
			      "attaching %s to an IOAS: %s (powerpc has paging domains only "
			      "with kernel-patch/)",
			      path, strerror(-r));
	nr = iommufd_ioas_iova_ranges(v->ioas.fd, v->ioas.ioas_id, ranges, 8);
	if (nr < 1 || ranges[0][0] != 0)
		return errorf(err, errlen, "%s: the IOAS has no IOVA range at bus address 0", path);
	v->aperture = ranges[0][1] + 1;
	v->nest.win[0] = (struct iommufd_spapr_window){ .start = 0, .size = v->aperture,
							.page_shift = DDW_DEFAULT_SHIFT };
	v->iommufd = true;
	v->spapr = iommufd_probe_windows(v);
	return 0;
}

/* The page size backing guest RAM bounds the IOMMU page sizes we can offer. */
static uint64_t ram_page_size(const struct vm *vm)
{
	struct stat st;

	if (vm->mem.fd >= 0 && vm->mem.hugetlb && !fstat(vm->mem.fd, &st))
		return (uint64_t)st.st_blksize;
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

static int sysfs_group(const char *bdf, char *err, size_t errlen)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return errorf(err, errlen, "%s: no IOMMU group (%s)", bdf, strerror(errno));
	link[n] = 0;
	return atoi(basename(link));
}

/* All of guest RAM, as pre-registered with the container (and unregistered at the end) */
static struct vfio_iommu_spapr_register_memory ram_region(const struct vm *vm)
{
	return (struct vfio_iommu_spapr_register_memory){
		.argsz = sizeof(struct vfio_iommu_spapr_register_memory),
		.vaddr = (uint64_t)(uintptr_t)vm->mem.hva,
		.size = vm->mem.size,
	};
}

static int legacy_open(struct vfio_dev *v, char *err, size_t errlen)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vm *vm = v->vm;
	char path[64];
	int group;

	group = sysfs_group(v->spec.bdf, err, errlen);
	if (group < 0)
		return -1;
	v->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (v->container < 0)
		return errorf(err, errlen, "/dev/vfio/vfio: %s (load vfio, vfio_iommu_spapr_tce)",
			      strerror(errno));
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_v2_IOMMU) != 1)
		return errorf(
			err, errlen,
			"%s: the VFIO container offers no sPAPR TCE v2 IOMMU (not a POWER host?)",
			v->spec.bdf);
	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	v->group = open(path, O_RDWR | O_CLOEXEC);
	if (v->group < 0)
		return errorf(err, errlen, "%s: %s (is %s bound to vfio-pci?)", path,
			      strerror(errno), v->spec.bdf);
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &gs) || !(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		return errorf(err, errlen,
			      "IOMMU group %d is not viable: bind all its devices to vfio-pci",
			      group);
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container) ||
	    ioctl(v->container, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU))
		return errorf(err, errlen, "%s: cannot set up the sPAPR TCE v2 container: %s",
			      v->spec.bdf, strerror(errno));
	v->tce_info.argsz = sizeof(v->tce_info);
	if (ioctl(v->container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &v->tce_info))
		return errorf(err, errlen, "VFIO_IOMMU_SPAPR_TCE_GET_INFO: %s", strerror(errno));
	/* Pin guest RAM once: every later MAP_DMA is then a table update, no page walk. */
	struct vfio_iommu_spapr_register_memory reg = ram_region(vm);

	if (ioctl(v->container, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg))
		return errorf(err, errlen, "pre-registering %llu MiB of guest RAM: %s",
			      (unsigned long long)(vm->mem.size >> 20), strerror(errno));
	v->ram_registered = true;
	pr_info("vfio %s: %llu MiB of guest RAM pre-registered (pinned)", v->spec.bdf,
		(unsigned long long)(vm->mem.size >> 20));
	/* The container made a default window of its own; ours replace it. */
	{
		struct vfio_iommu_spapr_tce_remove r = {
			.argsz = sizeof(r),
			.start_addr = v->tce_info.dma32_window_start,
		};

		ioctl(v->container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &r);
	}
	v->fd = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, v->spec.bdf);
	if (v->fd < 0)
		return errorf(err, errlen, "%s: VFIO_GROUP_GET_DEVICE_FD: %s", v->spec.bdf,
			      strerror(errno));
	return 0;
}

/* ---- config space and BARs ---- */

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

/* ---- interrupts: VFIO eventfds straight into KVM (irqfd) ---- */

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

static int vfio_irq_route(struct pci_func *f, enum pci_irq_type type, unsigned int n,
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

static const struct pci_func_ops vfio_func_ops = {
	.cfg_read = vfio_cfg_read,
	.cfg_write = vfio_cfg_write,
	.bar_rw = vfio_bar_rw,
	.irq_route = vfio_irq_route,
};

static int probe_regions(struct vfio_dev *v, char *err, size_t errlen)
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

/* ---- the device ---- */

static int vfio_dev_realize(struct device *dev)
{
	struct vfio_dev *v = dev->priv;
	struct vm *vm = v->vm;
	struct phb *phb;
	char err[256];
	uint64_t ram_page;

	/* engine=nested is iommufd's alone (vfio_parse refused backend=legacy) */
	v->nested = !strcmp(v->spec.engine, "nested");
	if ((v->spec.backend == VFIO_BACKEND_IOMMUFD || v->nested) &&
	    iommufd_open_dev(v, err, sizeof(err))) {
		pr_err("vfio: backend=iommufd: %s", err);
		return -1;
	}
	/* auto: iommufd where it has everything the guest may ask for, DDW included */
	if (v->spec.backend == VFIO_BACKEND_AUTO && !v->nested) {
		if (iommufd_open_dev(v, v->why_legacy, sizeof(v->why_legacy)))
			iommufd_close(v);
		else if (!v->spapr) {
			snprintf(v->why_legacy, sizeof(v->why_legacy),
				 "iommufd has no 64-bit DMA windows for it (a kernel without "
				 "kernel-patch/ 0011)");
			iommufd_close(v);
		}
	}
	if (!v->iommufd && legacy_open(v, err, sizeof(err))) {
		pr_err("vfio: %s", err);
		return -1;
	}
	if (probe_regions(v, err, sizeof(err))) {
		pr_err("vfio: %s", err);
		return -1;
	}
	phb = phb_create(vm, &v->func);
	if (!phb)
		return -1;
	if (v->nested)
		iommufd_spapr_nested_backend(&v->nest, &v->be);
	else if (v->iommufd)
		iommufd_ioas_backend(&v->ioas, &v->be);
	else
		v->be = (struct map_backend){ .map = container_map, .unmap = container_unmap,
					      .ctx = v };
	if (map_engine_init(&v->engine, v->spec.engine, &v->be)) {
		pr_err("vfio %s: no map engine '%s'", v->spec.bdf, v->spec.engine);
		return -1;
	}
	ram_page = ram_page_size(vm);
	v->pe = (struct pci_pe){
		.vm = vm,
		.phb_index = phb->index,
		.ops = v->iommufd ? &iommufd_dma_ops : &container_dma_ops,
		.ctx = v,
		.engine = &v->engine,
		.max_windows = MIN(PE_MAX_WINDOWS,
				   MAX(1u, v->iommufd ? (v->spapr ? v->hw.windows : 1) :
							v->tce_info.ddw.max_dynamic_windows_supported)),
		.default_size = MIN(DDW_DEFAULT_SIZE, v->iommufd ? v->aperture :
				    (uint64_t)v->tce_info.dma32_window_size),
		/* a window no bigger than RAM rounded up: Linux maps all of RAM 1:1 in it */
		.max_window_size =
			MAX(DDW_DEFAULT_SIZE, 1ULL << (64 - __builtin_clzll(vm->mem.size - 1))),
	};
	if (v->iommufd && v->spapr)
		v->pe.pgmask = ddw_pgmask(v->hw.pgsizes, ram_page);
	else if (!v->iommufd && v->tce_info.flags & VFIO_IOMMU_SPAPR_INFO_DDW)
		v->pe.pgmask = ddw_pgmask(v->tce_info.ddw.pgsizes, ram_page);
	phb->pe = &v->pe;
	if (!v->pe.default_size || pe_dma_init(&v->pe))
		return -1;
	if (phb_place_bars(phb))
		return -1;
	if (v->nested)
		pr_info("vfio %s: %04x:%04x on PHB %u (BUID %#llx), backend: iommufd, nested "
			"(IOAS %u: guest RAM under a nest parent; the guest's windows are TCE "
			"tables the kernel shadows into the PE's, %llu MiB 32-bit window%s), "
			"engine %s",
			v->spec.bdf, v->func.vendor, v->func.device, phb->index,
			(unsigned long long)phb->buid, v->ioas.ioas_id,
			(unsigned long long)(v->aperture >> 20), v->spapr ? ", DDW" : "",
			v->engine.ops->name);
	else if (v->iommufd)
		pr_info("vfio %s: %04x:%04x on PHB %u (BUID %#llx), backend: iommufd (IOAS %u, "
			"paging domain over the host's 32-bit window, %llu MiB; %s), engine %s",
			v->spec.bdf, v->func.vendor, v->func.device, phb->index,
			(unsigned long long)phb->buid, v->ioas.ioas_id,
			(unsigned long long)(v->aperture >> 20),
			v->spapr ? "DDW: sPAPR TCE HWPTs with a 64-bit window" :
				   "no DDW: the kernel reports no second sPAPR TCE window",
			v->engine.ops->name);
	else
		pr_info("vfio %s: %04x:%04x on PHB %u (BUID %#llx), backend: legacy sPAPR TCE v2 "
			"container (%s), engine %s",
			v->spec.bdf, v->func.vendor, v->func.device, phb->index,
			(unsigned long long)phb->buid,
			v->spec.backend == VFIO_BACKEND_LEGACY ? "asked for" : v->why_legacy,
			v->engine.ops->name);
	pr_info("vfio %s: default window %llu MiB; DDW page sizes %#x (host %#llx, RAM pages %llu KiB), up to %u windows",
		v->spec.bdf, (unsigned long long)(v->pe.default_size >> 20), v->pe.pgmask,
		(unsigned long long)(v->iommufd ? v->hw.pgsizes : v->tce_info.ddw.pgsizes),
		(unsigned long long)(ram_page >> 10),
		v->pe.max_windows);
	return 0;
}

static int vfio_dev_fdt(struct device *dev, void *fdt)
{
	struct vfio_dev *v = dev->priv;

	return v->func.phb ? phb_fdt(v->func.phb, fdt) : 0;
}

static void vfio_dev_destroy(struct device *dev)
{
	struct vfio_dev *v = dev->priv;

	if (v->func.phb) {
		pe_dma_destroy(&v->pe);
		pr_info("vfio %s: released; %llu host IOMMU calls for %llu map/unmap ops in all", v->spec.bdf,
			(unsigned long long)v->engine.calls, (unsigned long long)v->engine.done);
		phb_destroy(v->func.phb);
		map_engine_destroy(&v->engine);
	}
	for (int i = 0; i < PCI_NUM_BARS; i++)
		if (v->func.bar[i].hva)
			munmap(v->func.bar[i].hva, v->func.bar[i].size);
	/* closing resets the device (vfio-pci, last close): nothing the guest did survives */
	iommufd_close(v);
	if (v->fd >= 0)
		close(v->fd);
	if (v->ram_registered) {
		struct vfio_iommu_spapr_register_memory reg = ram_region(v->vm);

		ioctl(v->container, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, &reg);
	}
	if (v->group >= 0)
		close(v->group);
	if (v->container >= 0)
		close(v->container);
	free(v);
}

/* /dev/vfio/devices/vfioN -> its PCI address, through sysfs */
static int cdev_bdf(const char *path, char *bdf, size_t len, char *err, size_t errlen)
{
	char sys[PATH_MAX], link[PATH_MAX], *copy = strdup(path);
	ssize_t n;

	if (!copy)
		return errorf(err, errlen, "out of memory");
	snprintf(sys, sizeof(sys), "/sys/class/vfio-dev/%s/device", basename(copy));
	free(copy);
	n = readlink(sys, link, sizeof(link) - 1);
	if (n < 0)
		return errorf(err, errlen, "%s: not a VFIO device cdev (%s: %s)", path, sys,
			      strerror(errno));
	link[n] = 0;
	snprintf(bdf, len, "%s", basename(link));
	return 0;
}

/* Index of val in names[n], or -1 */
static int pick(const char *val, const char *const *names, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(val, names[i]))
			return (int)i;
	return -1;
}

int vfio_parse(const char *spec, struct vfio_spec *out, char *err, size_t errlen)
{
	static const char *const engines[] = { "ioctl", "coalesce", "uring", "nested" };
	static const char *const backends[] = { "auto", "legacy", "iommufd" };
	char *s, *tok, *save = NULL;
	int i, ret = 0;

	if (strncmp(spec, "vfio,", 5))
		return errorf(err, errlen,
			      "device '%s': only vfio devices are known (vfio,host=BDF)", spec);
	s = strdup(spec + 5);
	if (!s)
		return errorf(err, errlen, "out of memory");
	*out = (struct vfio_spec){ .engine = "coalesce", .backend = VFIO_BACKEND_AUTO };
	for (tok = strtok_r(s, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		unsigned int d, b, sl, fn;

		if (!strncmp(tok, "host=", 5)) {
			if (sscanf(tok + 5, "%x:%x:%x.%x", &d, &b, &sl, &fn) != 4 || d > 0xffff ||
			    b > 0xff || sl > 0x1f || fn > 7)
				ret = errorf(err, errlen,
					     "device %s: host= wants a PCI address DDDD:BB:DD.F",
					     spec);
			else
				snprintf(out->bdf, sizeof(out->bdf), "%04x:%02x:%02x.%x", d, b, sl,
					 fn);
		} else if (!strncmp(tok, "path=", 5)) {
			ret = cdev_bdf(tok + 5, out->bdf, sizeof(out->bdf), err, errlen);
		} else if (!strncmp(tok, "engine=", 7)) {
			if ((i = pick(tok + 7, engines, ARRAY_SIZE(engines))) < 0)
				ret = errorf(err, errlen,
					     "device %s: engine=ioctl|coalesce|uring|nested, not '%s'",
					     spec, tok + 7);
			else
				out->engine = engines[i];
		} else if (!strncmp(tok, "backend=", 8)) {
			if ((i = pick(tok + 8, backends, ARRAY_SIZE(backends))) < 0)
				ret = errorf(err, errlen,
					     "device %s: backend=auto|legacy|iommufd, not '%s'",
					     spec, tok + 8);
			else
				out->backend = (enum vfio_backend)i;
		} else {
			ret = errorf(err, errlen,
				     "device %s: unknown option '%s' (host=, path=, engine=, backend=)",
				     spec, tok);
		}
	}
	free(s);
	if (!ret && !strcmp(out->engine, "nested") && out->backend == VFIO_BACKEND_LEGACY)
		ret = errorf(err, errlen,
			     "device %s: engine=nested is iommufd's (nested HWPTs): not with "
			     "backend=legacy", spec);
	if (!ret && !out->bdf[0])
		ret = errorf(
			err, errlen,
			"device %s: say which device: host=BDF or path=/dev/vfio/devices/vfioN",
			spec);
	return ret;
}

/* --device vfio,...: parsed once, when the setting is read */
static int vfio_kind_parse(const char *spec, void **conf, char *err, size_t errlen)
{
	struct vfio_spec *vs = malloc(sizeof(*vs));

	if (!vs)
		return errorf(err, errlen, "out of memory");
	if (vfio_parse(spec, vs, err, errlen)) {
		free(vs);
		return -1;
	}
	*conf = vs;
	return 0;
}

static int vfio_device_create(struct vm *vm, const void *conf)
{
	struct vfio_dev *v = calloc(1, sizeof(*v));

	if (!v)
		return -1;
	v->vm = vm;
	v->container = v->group = v->fd = v->intx_fd = v->intx_resample = -1;
	v->ioas.fd = -1;
	v->spec = *(const struct vfio_spec *)conf;
	if (!device_add(vm, &vfio_kind, v)) {
		free(v);
		return -1;
	}
	return 0;
}

const struct device_kind vfio_kind = {
	.name = "vfio",
	.usage = "vfio,host=BDF",
	.parse = vfio_kind_parse,
	.create = vfio_device_create,
	.realize = vfio_dev_realize,
	.fdt = vfio_dev_fdt,
	.destroy = vfio_dev_destroy,
};
