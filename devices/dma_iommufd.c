// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA backend "iommufd": the device cdev bound to /dev/iommu (the device is parked until
 * then) and attached to an IOAS. kernel-patch/ gives the PE a paging domain over its 32-bit
 * window (4K TCEs), which backs the guest's default window; a guest DDW is the PE's 64-bit
 * window, in a HWPT allocated with both windows (IOMMU_HWPT_DATA_SPAPR_TCE) that replaces
 * the device's. Two modes:
 *  - emulated: guest TCEs become IOAS maps (the map engine's ioctl/coalesce/uring);
 *  - nested (engine=nested): all guest RAM mapped once at its guest physical address
 *    under a nest parent; the guest's windows are TCE tables in psvm's memory, mapped into
 *    the IOAS, in a nested HWPT (IOMMU_HWPT_DATA_SPAPR_TCE_NESTED) the kernel shadows into
 *    the PE; one IOMMU_HWPT_INVALIDATE per batch.
 * In emulated mode, where KVM can link its TCE tables to an iommufd device's windows (tier
 * 0, kernel-patch/ 0010, 0020, 0025, 0028, 0029), the device gets one paging HWPT for life
 * with both windows, the 64-bit one as big as any DDW the guest may ask for (replacing the
 * HWPT would take the windows from KVM), guest RAM is pre-registered with KVM, and each
 * guest window over a host one is linked: KVM writes its TCEs, the IOAS maps nothing there.
 * The host windows win[] are this file's alone, in either mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "dma_backend.h"
#include "iommufd.h"
#include "log.h"
#include "map_iommufd.h"
#include "vfio_cdev.h"
#include "vm.h"

struct dma_iommufd {
	struct dma_backend b;
	struct iommufd_ioas ioas;
	uint32_t dev_id;
	struct iommu_hw_info_spapr_tce hw; /* the PE's windows (GET_HW_INFO), if the kernel says */
	bool ddw;			   /* the host can give it a 64-bit window */
	/*
	 * The host windows the guest's are over: [0] 32-bit, [1] 64-bit. The 32-bit one stays
	 * from start to end, empty while the guest has removed its default window (iommufd
	 * takes no domain whose pages are all bigger than the host's). With a 64-bit one the
	 * device is on a HWPT of ours: hwpt, or in nested mode nest.hwpt_id, over the parent.
	 */
	struct iommufd_spapr_window win[IOMMUFD_SPAPR_WINDOWS];
	bool guest32;	/* the guest has a window over the 32-bit one */
	bool kvm_file;	/* the device file is in KVM's VFIO device */
	bool linked;	/* tier 0: KVM's tables linked to win[] of hwpt, set up once */
	bool guest64;	/* linked: the guest has a window over the 64-bit one */
	uint32_t hwpt;	/* 0: the IOAS's own paging domain (the 32-bit window alone) */
	bool nested;
	uint32_t parent;
	struct iommufd_spapr_nested nest;	/* nested mode's map backend */
};

static struct dma_iommufd *to_iommufd(void *ctx)
{
	return container_of(ctx, struct dma_iommufd, b);
}

/* Move the device onto a new HWPT (made by the caller) and destroy the one it was on. */
static int hwpt_switch(struct dma_iommufd *d, int r, uint32_t hwpt, uint32_t *cur)
{
	if (!r) {
		r = vfio_cdev_attach(d->b.devfd, hwpt);
		if (r)
			iommufd_destroy(d->ioas.fd, hwpt);
	}
	if (r)
		return r;
	if (*cur)
		iommufd_destroy(d->ioas.fd, *cur);
	*cur = hwpt;
	return 0;
}

/*
 * Put the device on the host windows it has now. Emulated: the IOAS's own paging domain
 * for the 32-bit window alone, else a HWPT with both (kernel-patch/ 0018); the IOAS and
 * its mappings stay. Nested: a new nested HWPT over the parent with the windows' tables;
 * the kernel loads every TCE they hold as it makes it, so no mapping is lost on the way.
 */
static int windows_apply(struct dma_iommufd *d)
{
	uint32_t hwpt = 0;
	int r;

	if (d->nested) {
		r = iommufd_spapr_nested_alloc(d->ioas.fd, d->dev_id, d->parent, d->win,
					       d->hw.max_levels, &hwpt);
		return hwpt_switch(d, r, hwpt, &d->nest.hwpt_id);
	}
	if (d->win[1].size) {
		r = iommufd_spapr_paging_alloc(d->ioas.fd, d->dev_id, d->ioas.ioas_id, d->win,
					       d->hw.max_levels, &hwpt);
		return hwpt_switch(d, r, hwpt, &d->hwpt);
	}
	r = vfio_cdev_attach(d->b.devfd, d->ioas.ioas_id);
	if (r)
		return r;
	if (d->hwpt)
		iommufd_destroy(d->ioas.fd, d->hwpt);
	d->hwpt = 0;
	return 0;
}

/* Window n's table, mapped into the IOAS (nested mode) */
static int table_alloc(struct dma_iommufd *d, unsigned int n)
{
	return iommufd_spapr_table_alloc(d->ioas.fd, d->ioas.ioas_id, &d->win[n],
					 IOMMUFD_SPAPR_TABLE_IOVA(n));
}

/*
 * The 32-bit window at bus 0 in 4K TCEs while the guest has no window over it; otherwise
 * the 64-bit one (nested: with a table).
 */
static int iommufd_window_create(void *ctx, unsigned int page_shift, uint64_t size,
				 uint64_t *bus)
{
	struct dma_iommufd *d = to_iommufd(ctx);
	struct iommufd_spapr_window *w = &d->win[1];
	int r;

	if (!d->guest32 && page_shift == DDW_DEFAULT_SHIFT && size <= d->win[0].size) {
		d->guest32 = true;
		*bus = 0;
		return 0;
	}
	if (d->linked) { /* the 64-bit window is there: the guest's if it fits */
		if (!d->ddw || d->guest64)
			return -EOPNOTSUPP;
		if (page_shift < w->page_shift || size > w->size)
			return -EINVAL;
		d->guest64 = true;
		*bus = w->start;
		return 0;
	}
	if (!d->ddw || w->size)
		return -EOPNOTSUPP;
	*w = (struct iommufd_spapr_window){ .start = iommufd_spapr_dma64_start(&d->hw),
					    .size = size,
					    .page_shift = page_shift };
	r = d->nested ? table_alloc(d, 1) : 0;
	if (!r)
		r = windows_apply(d);
	if (r) {
		pr_warn("vfio %s: a host window of 2^%u pages, %llu MiB at %#llx%s: %s",
			d->b.bdf, page_shift, (unsigned long long)(size >> 20),
			(unsigned long long)w->start, d->nested ? " (nested)" : "", strerror(-r));
		iommufd_spapr_table_free(d->ioas.fd, d->ioas.ioas_id, w);
		return r;
	}
	*bus = w->start;
	return 0;
}

/* What was in the 64-bit window is unmapped already: back to the 32-bit one alone. */
static int iommufd_window_remove(void *ctx, uint64_t bus)
{
	struct dma_iommufd *d = to_iommufd(ctx);
	struct iommufd_spapr_window *w = &d->win[1], was = *w;
	int r;

	if (d->linked && d->guest64 && bus == w->start) {
		d->guest64 = false; /* KVM cleared its TCEs as its table closed */
		return 0;
	}
	if (d->linked || !w->size || bus != w->start) {
		if (bus || !d->guest32)
			return -ENOENT;
		d->guest32 = false;
		return 0;
	}
	w->size = 0;
	r = windows_apply(d);
	*w = was;
	if (r) {
		pr_warn("vfio %s: leaving the host window at %#llx: %s", d->b.bdf,
			(unsigned long long)bus, strerror(-r));
		return r;
	}
	iommufd_spapr_table_free(d->ioas.fd, d->ioas.ioas_id, w);
	return 0;
}

/* Tier 0: KVM's table tablefd over the window of our HWPT it fits */
static int iommufd_window_link(void *ctx, int tablefd)
{
	struct dma_iommufd *d = to_iommufd(ctx);

	return arch_tce_link_iommufd(d->b.vm, tablefd, d->b.devfd, d->ioas.fd, d->hwpt);
}

static void iommufd_close(struct dma_backend *b)
{
	struct dma_iommufd *d = to_iommufd(b);
	int r;

	/* KVM holds the device file until it leaves KVM's VFIO device (unlinking it) */
	if (d->kvm_file && arch_tce_file(b->vm, b->devfd, false))
		pr_warn("vfio %s: KVM would not let go of the device", b->bdf);
	if (b->devfd >= 0)
		close(b->devfd); /* unbinds: the device is BLOCKED, then back to the host */
	/* every TCE KVM wrote is cleared by now: nothing may keep guest RAM pinned */
	r = d->linked ? arch_tce_register_memory(b->vm, false) : 0;
	if (r)
		pr_warn("vfio %s: guest RAM stays pre-registered with KVM: %s", b->bdf,
			strerror(-r));
	for (unsigned int i = 0; i < IOMMUFD_SPAPR_WINDOWS; i++)
		iommufd_spapr_table_free(d->ioas.fd, d->ioas.ioas_id, &d->win[i]);
	iommufd_spapr_nested_free(&d->nest);
	iommufd_ioas_backend_free(&d->ioas);
	if (d->ioas.fd >= 0)
		close(d->ioas.fd); /* the IOAS, its HWPTs and every pin go with it */
	free(d);
}

static const struct dma_backend_ops iommufd_ops = {
	.name = "iommufd",
	.windows = { .window_create = iommufd_window_create,
		     .window_remove = iommufd_window_remove },
	.close = iommufd_close,
};

static const struct dma_backend_ops iommufd_linked_ops = {
	.name = "iommufd",
	.windows = { .window_create = iommufd_window_create,
		     .window_remove = iommufd_window_remove,
		     .window_link = iommufd_window_link },
	.close = iommufd_close,
};

/*
 * Whether the host can give the device a 64-bit window: a second window on its PE
 * (GET_HW_INFO) and HWPTs that take sPAPR windows (kernel-patch/ 0018), tried with a
 * HWPT of the 32-bit window alone that is destroyed unused.
 */
static bool probe_ddw(struct dma_iommufd *d)
{
	uint64_t window32;
	uint32_t hwpt;

	if (iommufd_spapr_hw_info(d->ioas.fd, d->dev_id, &d->hw, &window32) || d->hw.windows < 2)
		return false;
	if (iommufd_spapr_paging_alloc(d->ioas.fd, d->dev_id, d->ioas.ioas_id, d->win, 1, &hwpt))
		return false;
	iommufd_destroy(d->ioas.fd, hwpt);
	return true;
}

/*
 * Nested mode on a bound device: a nest parent over the IOAS with all of guest RAM at its
 * guest physical address (pinned once), the 32-bit window's table beside it, a nested
 * HWPT of that window for the device.
 */
static int nested_setup(struct dma_iommufd *d, const char *path, char *err, size_t errlen)
{
	struct vm *vm = d->b.vm;
	uint64_t window32;
	int r;

	if (iommufd_spapr_hw_info(d->ioas.fd, d->dev_id, &d->hw, &window32))
		return errorf(err, errlen, "engine=nested: %s has no sPAPR TCE windows at bus 0 "
			      "(a POWER host with kernel-patch/)", path);
	r = iommufd_hwpt_alloc(d->ioas.fd, d->dev_id, d->ioas.ioas_id,
			       IOMMU_HWPT_ALLOC_NEST_PARENT, 0, NULL, 0, &d->parent);
	if (r)
		return errorf(err, errlen, "engine=nested: no nest parent HWPT for %s: %s "
			      "(kernel-patch/ 0019)", path, strerror(-r));
	r = iommufd_ioas_map(d->ioas.fd, d->ioas.ioas_id, 0, (uintptr_t)vm->mem.hva,
			     vm->mem.size, MAP_PROT_READ | MAP_PROT_WRITE);
	if (r)
		return errorf(err, errlen, "engine=nested: mapping guest RAM: %s", strerror(-r));
	d->nest = (struct iommufd_spapr_nested){ .fd = d->ioas.fd, .win = d->win,
						 .ram = vm->mem.hva, .ram_size = vm->mem.size };
	d->win[0] = (struct iommufd_spapr_window){ .start = 0, .size = window32,
						   .page_shift = DDW_DEFAULT_SHIFT };
	r = table_alloc(d, 0);
	if (!r)
		r = windows_apply(d);
	if (r)
		return errorf(err, errlen, "engine=nested: a nested HWPT for %s: %s", path,
			      strerror(-r));
	d->ddw = d->hw.windows >= 2;
	return 0;
}

/*
 * Tier 0 (emulated mode where KVM offers the link): one paging HWPT with the 32-bit window
 * and, where the PE has a second, a 64-bit one as big as the biggest DDW psvm gives, in
 * the host's smallest TCE pages, so that it takes a guest DDW of any page size (KVM
 * writes a guest page as several host TCEs); guest RAM pre-registered with KVM. 0, or
 * -errno with nothing of it left but the empty IOAS.
 */
static int linked_setup(struct dma_iommufd *d)
{
	struct vm *vm = d->b.vm;
	uint64_t window32, sizes;
	unsigned int shift;
	int r;

	r = iommufd_spapr_hw_info(d->ioas.fd, d->dev_id, &d->hw, &window32);
	if (r)
		return r;
	sizes = d->hw.pgsizes & ~0xfffULL; /* 4K and up */
	shift = sizes ? (unsigned int)__builtin_ctzll(sizes) : 0;
	d->win[0] = (struct iommufd_spapr_window){ .start = 0, .size = window32,
						   .page_shift = DDW_DEFAULT_SHIFT };
	if (d->hw.windows >= 2 && shift)
		d->win[1] = (struct iommufd_spapr_window){
			.start = iommufd_spapr_dma64_start(&d->hw),
			.size = ddw_max_window_size(vm),
			.page_shift = shift,
		};
	r = iommufd_spapr_paging_alloc(d->ioas.fd, d->dev_id, d->ioas.ioas_id, d->win,
				       d->hw.max_levels, &d->hwpt);
	if (r && d->win[1].size) { /* no 64-bit window that big: the 32-bit one alone */
		d->win[1].size = 0;
		r = iommufd_spapr_paging_alloc(d->ioas.fd, d->dev_id, d->ioas.ioas_id, d->win,
					       d->hw.max_levels, &d->hwpt);
	}
	if (r)
		return r;
	r = vfio_cdev_attach(d->b.devfd, d->hwpt);
	if (!r)
		r = arch_tce_register_memory(vm, true);
	if (r) {
		vfio_cdev_detach(d->b.devfd);
		iommufd_destroy(d->ioas.fd, d->hwpt);
		d->hwpt = 0;
		memset(d->win, 0, sizeof(d->win));
		return r;
	}
	d->linked = true;
	d->ddw = d->win[1].size != 0;
	return 0;
}

/* Emulated mode: the device on the IOAS's own paging domain, over the 32-bit window. */
static int emulated_setup(struct dma_iommufd *d, const char *path, char *err, size_t errlen)
{
	uint64_t ranges[8][2];
	int r, nr;

	r = vfio_cdev_attach(d->b.devfd, d->ioas.ioas_id);
	if (r)
		return errorf(err, errlen,
			      "attaching %s to an IOAS: %s (powerpc has paging domains only "
			      "with kernel-patch/)",
			      path, strerror(-r));
	nr = iommufd_ioas_iova_ranges(d->ioas.fd, d->ioas.ioas_id, ranges, 8);
	if (nr < 1 || ranges[0][0] != 0)
		return errorf(err, errlen, "%s: the IOAS has no IOVA range at bus address 0", path);
	d->win[0] = (struct iommufd_spapr_window){ .start = 0, .size = ranges[0][1] + 1,
						   .page_shift = DDW_DEFAULT_SHIFT };
	d->ddw = probe_ddw(d);
	return 0;
}

static int iommufd_setup(struct dma_iommufd *d, bool link, char *err, size_t errlen)
{
	char path[PATH_MAX], why[256];
	int r;

	if (vfio_cdev_path(d->b.bdf, path, sizeof(path)))
		return errorf(err, errlen, "%s has no VFIO device cdev (VFIO_DEVICE_CDEV)",
			      d->b.bdf);
	d->b.devfd = open(path, O_RDWR | O_CLOEXEC);
	if (d->b.devfd < 0)
		return errorf(err, errlen, "%s: %s", path, strerror(errno));
	/* KVM takes the device before it is bound (Documentation/virt/kvm/devices/vfio.rst) */
	d->kvm_file = link && !d->nested && arch_tce_iommufd_offered(d->b.vm) &&
		      !arch_tce_file(d->b.vm, d->b.devfd, true);
	d->ioas.fd = iommufd_open(why, sizeof(why));
	if (d->ioas.fd < 0)
		return errorf(err, errlen, "%s", why);
	r = vfio_cdev_bind(d->b.devfd, d->ioas.fd, &d->dev_id);
	if (r)
		return errorf(err, errlen, "binding %s to iommufd: %s", path, strerror(-r));
	r = iommufd_ioas_alloc(d->ioas.fd, &d->ioas.ioas_id);
	if (r)
		return errorf(err, errlen, "%s: no IOAS: %s", path, strerror(-r));
	if (d->nested)
		return nested_setup(d, path, err, errlen);
	if (d->kvm_file) {
		r = linked_setup(d);
		if (!r)
			return 0;
		pr_info("vfio %s: no KVM link to iommufd's windows (%s): TCE hcalls through psvm",
			d->b.bdf, strerror(-r));
	}
	return emulated_setup(d, path, err, errlen);
}

struct dma_backend *dma_iommufd_open(struct vm *vm, const char *bdf, bool nested, bool link,
				     char *err, size_t errlen)
{
	struct dma_iommufd *d = calloc(1, sizeof(*d));
	uint64_t w32, pgsizes;

	if (!d) {
		errorf(err, errlen, "out of memory");
		return NULL;
	}
	d->b = (struct dma_backend){ .ops = &iommufd_ops, .vm = vm, .bdf = bdf, .devfd = -1 };
	d->ioas.fd = -1;
	d->nested = nested;
	if (iommufd_setup(d, link, err, errlen)) {
		iommufd_close(&d->b);
		return NULL;
	}
	if (d->linked)
		d->b.ops = &iommufd_linked_ops;
	if (nested)
		iommufd_spapr_nested_backend(&d->nest, &d->b.map);
	else
		iommufd_ioas_backend(&d->ioas, &d->b.map);
	w32 = d->win[0].size;
	/* linked: what the 64-bit window's pages can back (KVM splits bigger guest pages) */
	pgsizes = d->linked ? d->hw.pgsizes & ~((1ULL << d->win[1].page_shift) - 1) : d->hw.pgsizes;
	d->b.caps = (struct dma_caps){ .window32 = w32,
				       .max_windows = d->ddw ? d->hw.windows : 1,
				       .ddw_pgsizes = d->ddw ? pgsizes : 0,
				       .kvm_only = d->linked };
	if (d->linked) {
		char w64[64] = "no 64-bit window";

		if (d->ddw)
			snprintf(w64, sizeof(w64), "a 64-bit one of %llu MiB in 2^%u pages",
				 (unsigned long long)(d->win[1].size >> 20), d->win[1].page_shift);
		snprintf(d->b.desc, sizeof(d->b.desc),
			 "iommufd (IOAS %u; HWPT %u for life: the 32-bit window, %llu MiB, %s; "
			 "guest RAM pre-registered with KVM)",
			 d->ioas.ioas_id, d->hwpt, (unsigned long long)(w32 >> 20), w64);
	} else if (nested)
		snprintf(d->b.desc, sizeof(d->b.desc),
			 "iommufd, nested (IOAS %u: guest RAM under a nest parent; the guest's "
			 "windows are TCE tables the kernel shadows into the PE's, %llu MiB "
			 "32-bit window%s)",
			 d->ioas.ioas_id, (unsigned long long)(w32 >> 20), d->ddw ? ", DDW" : "");
	else
		snprintf(d->b.desc, sizeof(d->b.desc),
			 "iommufd (IOAS %u, paging domain over the host's 32-bit window, %llu MiB; "
			 "%s)",
			 d->ioas.ioas_id, (unsigned long long)(w32 >> 20),
			 d->ddw ? "DDW: sPAPR TCE HWPTs with a 64-bit window" :
				  "no DDW: the kernel reports no second sPAPR TCE window");
	return &d->b;
}
