// SPDX-License-Identifier: GPL-2.0-only
/*
 * VFIO PCI passthrough: `--device vfio,host=DDDD:BB:DD.F` or
 * `--device vfio,path=/dev/vfio/devices/vfioN`. The device gets a PHB (and so a PE) of its
 * own. Its DMA windows follow the guest's: every guest window is a host window of its DMA
 * backend (dma_backend.h: the legacy sPAPR container or iommufd, picked in one place),
 * and TCE updates reach the host IOMMU through a map engine.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "device.h"
#include "log.h"
#include "vfio.h"
#include "vfio_cdev.h"
#include "vm.h"

/* The page size backing guest RAM bounds the IOMMU page sizes we can offer. */
static uint64_t ram_page_size(const struct vm *vm)
{
	struct stat st;

	if (vm->mem.fd >= 0 && vm->mem.hugetlb && !fstat(vm->mem.fd, &st))
		return (uint64_t)st.st_blksize;
	return (uint64_t)sysconf(_SC_PAGESIZE);
}

/*
 * The map engine for psvm's part, and whether KVM serves the TCE hcalls (tier 0): where
 * asked for (kvm) or possible (auto), with the DMA backend able to link KVM's tables to
 * its host windows and KVM able to take them. NULL after logging why kvm cannot be had.
 */
static const char *engine_pick(struct vfio_dev *v, bool *in_kernel)
{
	const char *e = v->spec.engine, *why = NULL;
	bool kvm = !strcmp(e, VFIO_ENGINE_KVM);

	*in_kernel = false;
	if (!kvm && strcmp(e, VFIO_ENGINE_AUTO))
		return e;
	if (!v->dma->ops->windows.window_link)
		why = "its DMA backend has no link to KVM's TCE tables";
	else if (!arch_tce_offered(v->vm))
		why = "KVM has no TCE tables for VFIO (KVM_CAP_SPAPR_TCE_64, _VFIO)";
	if (why && kvm) {
		pr_err("vfio %s: engine=kvm: %s", v->spec.bdf, why);
		return NULL;
	}
	if (why)
		pr_info("vfio %s: engine auto: TCE hcalls through psvm (coalesce): %s", v->spec.bdf,
			why);
	*in_kernel = !why;
	/* KVM hands some calls back (H_TOO_HARD) and psvm tears windows down: coalesced */
	return "coalesce";
}

static int vfio_dev_realize(struct device *dev)
{
	struct vfio_dev *v = dev->priv;
	struct vm *vm = v->vm;
	const struct dma_caps *caps;
	const char *engine;
	struct phb *phb;
	char err[256];
	uint64_t ram_page;
	bool in_kernel;

	v->dma = dma_backend_open(vm, &v->spec);
	if (!v->dma)
		return -1;
	v->fd = v->dma->devfd;
	caps = &v->dma->caps;
	if (vfio_probe_regions(v, err, sizeof(err))) {
		pr_err("vfio: %s", err);
		return -1;
	}
	phb = phb_create(vm, &v->func);
	if (!phb)
		return -1;
	engine = engine_pick(v, &in_kernel);
	if (!engine)
		return -1;
	if (map_engine_init(&v->engine, engine, &v->dma->map)) {
		pr_err("vfio %s: no map engine '%s'", v->spec.bdf, engine);
		return -1;
	}
	ram_page = ram_page_size(vm);
	v->pe = (struct pci_pe){
		.vm = vm,
		.phb_index = phb->index,
		.ops = &v->dma->ops->windows,
		.ctx = v->dma,
		.engine = &v->engine,
		.in_kernel = in_kernel,
		.kvm_only = in_kernel && caps->kvm_only,
		.max_windows = MIN(PE_MAX_WINDOWS, MAX(1u, caps->max_windows)),
		.default_size = MIN(DDW_DEFAULT_SIZE, caps->window32),
		.max_window_size = ddw_max_window_size(vm),
		.pgmask = caps->ddw_pgsizes ? ddw_pgmask(caps->ddw_pgsizes, ram_page) : 0,
	};
	phb->pe = &v->pe;
	if (!v->pe.default_size || pe_dma_init(&v->pe))
		return -1;
	if (phb_place_bars(phb))
		return -1;
	pr_info("vfio %s: %04x:%04x on PHB %u (BUID %#llx), backend: %s, engine %s%s%s", v->spec.bdf,
		v->func.vendor, v->func.device, phb->index, (unsigned long long)phb->buid,
		v->dma->desc, in_kernel ? "kvm (TCE hcalls in KVM; what it hands back: " : "",
		v->engine.ops->name, in_kernel ? ")" : "");
	pr_info("vfio %s: default window %llu MiB; DDW page sizes %#x (host %#llx, RAM pages %llu KiB), up to %u windows",
		v->spec.bdf, (unsigned long long)(v->pe.default_size >> 20), v->pe.pgmask,
		(unsigned long long)caps->ddw_pgsizes, (unsigned long long)(ram_page >> 10),
		v->pe.max_windows);
	return 0;
}

static void vfio_dev_destroy(struct device *dev)
{
	struct vfio_dev *v = dev->priv;

	if (v->func.phb) {
		pe_dma_destroy(&v->pe);
		pr_info("vfio %s: released; %llu TCE hcalls served by psvm, %llu host IOMMU calls "
			"for %llu map/unmap ops in all",
			v->spec.bdf, (unsigned long long)v->pe.hcalls,
			(unsigned long long)v->engine.calls, (unsigned long long)v->engine.done);
		phb_destroy(v->func.phb);
		map_engine_destroy(&v->engine);
	}
	vfio_unmap_bars(v);
	dma_backend_close(v->dma); /* closes the device: vfio-pci resets it */
	free(v);
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
	static const char *const tiers[] = { VFIO_ENGINE_AUTO, VFIO_ENGINE_KVM };
	static const char *const backends[] = { "auto", "legacy", "iommufd" };
	char names[128];
	const char *engine;
	char *s, *tok, *save = NULL;
	int i, ret = 0;

	if (strncmp(spec, "vfio,", 5))
		return errorf(err, errlen,
			      "device '%s': only vfio devices are known (vfio,host=BDF)", spec);
	s = strdup(spec + 5);
	if (!s)
		return errorf(err, errlen, "out of memory");
	*out = (struct vfio_spec){ .engine = VFIO_ENGINE_AUTO, .backend = VFIO_BACKEND_AUTO };
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
			ret = vfio_cdev_bdf(tok + 5, out->bdf, sizeof(out->bdf), err, errlen);
		} else if (!strncmp(tok, "engine=", 7)) {
			i = pick(tok + 7, tiers, ARRAY_SIZE(tiers));
			engine = i >= 0 ? tiers[i] : map_engine_name(tok + 7);
			if (engine) {
				out->engine = engine;
			} else {
				map_engine_list(names, sizeof(names));
				ret = errorf(err, errlen, "device %s: engine=auto|kvm|%s, not '%s'",
					     spec, names, tok + 7);
			}
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
	v->fd = v->intx_fd = v->intx_resample = -1;
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
	.destroy = vfio_dev_destroy,
};
