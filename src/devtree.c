// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device tree: what QEMU's pseries machine presents after CAS, so a kernel
 * started kexec-style (r3 = FDT, no Open Firmware) finds the same platform.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "be.h"
#include "device.h"
#include "devtree.h"
#include "log.h"
#include "rtas.h"
#include "vm.h"

/* ibm,pa-features bits Linux reads (arch/powerpc/kernel/prom.c), as (byte, bit from MSB). */
static const struct {
	uint8_t byte, bit;
	bool radix_only;
} pa_bits[] = {
	{ 0, 0, false }, /* MMU */
	{ 0, 1, false }, /* FPU */
	{ 0, 3, false }, /* CTRL register */
	{ 0, 6, false }, /* no-execute */
	{ 1, 2, false }, /* cache-inhibited large pages */
	{ 5, 0, false }, /* true little-endian */
	{ 40, 0, true }, /* radix MMU with GTSE */
			 /* byte 22 (TM) stays 0: nested KVM-HV offers no transactional memory */
};

#define PA_FEATURES_LEN 64

size_t devtree_pa_features(uint8_t *out, size_t max, bool radix)
{
	if (max < 2 + PA_FEATURES_LEN)
		return 0;
	memset(out, 0, 2 + PA_FEATURES_LEN);
	out[0] = PA_FEATURES_LEN; /* descriptor length */
	out[1] = 0;		  /* descriptor type 0: the one Linux scans */
	for (unsigned int i = 0; i < ARRAY_SIZE(pa_bits); i++)
		if (radix || !pa_bits[i].radix_only)
			out[2 + pa_bits[i].byte] |= 0x80 >> pa_bits[i].bit;
	return 2 + PA_FEATURES_LEN;
}

/*
 * Option vector 5 as CAS would have settled it: byte 23 = interrupt controller (0x40 XIVE
 * exploitation only, 0x00 XICS), byte 24 = MMU (0x40 radix only, 0x00 hash only), byte 26
 * = GTSE.
 */
size_t devtree_vec5(uint8_t *out, size_t max, bool radix, bool gtse, bool xive)
{
	if (max < VEC5_LEN)
		return 0;
	memset(out, 0, VEC5_LEN);
	out[0] = VEC5_LEN - 2; /* vector length - 1, as CAS encodes it */
	out[VEC5_INTC_BYTE] = xive ? VEC5_INTC_XIVE : 0;
	if (radix) {
		out[24] = 0x40;
		out[26] = gtse ? 0x40 : 0;
	}
	return VEC5_LEN;
}

const char *devtree_cpu_model(uint32_t pvr)
{
	switch (pvr >> 16) {
	case 0x004b:
	case 0x004c:
	case 0x004d:
		return "PowerPC,POWER8";
	case 0x004e:
		return "PowerPC,POWER9";
	case 0x0080:
		return "PowerPC,POWER10";
	case 0x0082:
		return "PowerPC,POWER11";
	default:
		return "PowerPC,POWER";
	}
}

static void dt_root(struct vm *vm __unused, struct fdtw *w)
{
	fdtw_u32(w, "#address-cells", 2);
	fdtw_u32(w, "#size-cells", 2);
	fdtw_str(w, "compatible", "qemu,pseries");
	fdtw_str(w, "device_type", "chrp");
	fdtw_str(w, "model", "IBM pSeries (emulated by psvm)");
}

/* Before its vec5: the devices' hooks may set bytes of it (the interrupt controller). */
static void dt_chosen(struct vm *vm, struct fdtw *w)
{
	fdtw_node(w, "chosen");
	fdtw_str(w, "bootargs", vm->cfg->cmdline ? vm->cfg->cmdline : "");
	/* as QEMU's pseries says them: the initrd in cells, the kernel's place and size */
	if (vm->li.initrd_size) {
		fdtw_u32(w, "linux,initrd-start", (uint32_t)vm->li.initrd_start);
		fdtw_u32(w, "linux,initrd-end",
			 (uint32_t)(vm->li.initrd_start + vm->li.initrd_size));
	}
	fdtw_u64s(w, "qemu,boot-kernel", (uint64_t[]){ vm->li.kernel_start, vm->li.kernel_size },
		  2);
	if (vm->li.little_endian)
		fdtw_empty(w, "qemu,boot-kernel-le");
}

void devtree_vec5_set(struct devtree *dt, unsigned int byte, uint8_t val)
{
	if (byte < VEC5_LEN)
		dt->vec5[byte] = val;
}

static void dt_memory_node(struct fdtw *w, uint64_t base, uint64_t size)
{
	char name[32];

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)base);
	fdtw_node(w, name);
	fdtw_str(w, "device_type", "memory");
	fdtw_u64s(w, "reg", (uint64_t[]){ base, size }, 2);
	fdtw_end(w);
}

/* Linux takes the first memory node as the RMA (hash): so it lists the RMA alone. */
static void dt_memory(struct vm *vm, struct fdtw *w)
{
	dt_memory_node(w, 0, MIN(vm->rma_size, vm->mem.size));
	if (vm->rma_size < vm->mem.size)
		dt_memory_node(w, vm->rma_size, vm->mem.size - vm->rma_size);
}

static void dt_cpus(struct vm *vm, struct fdtw *w)
{
	uint8_t pa[2 + PA_FEATURES_LEN];
	char name[64];

	fdtw_node(w, "cpus");
	fdtw_u32(w, "#address-cells", 1);
	fdtw_u32(w, "#size-cells", 0);
	devtree_pa_features(pa, sizeof(pa), vm->radix);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		uint32_t gserver[2] = { cpu_to_be32(i), 0 };

		snprintf(name, sizeof(name), "%s@%x", devtree_cpu_model(vm->pvr), i);
		fdtw_node(w, name);
		fdtw_str(w, "device_type", "cpu");
		fdtw_u32(w, "reg", i);
		fdtw_u32(w, "cpu-version", vm->compat_pvr ? vm->compat_pvr : vm->pvr);
		fdtw_u32(w, "d-cache-block-size", 128);
		fdtw_u32(w, "d-cache-line-size", 128);
		fdtw_u32(w, "i-cache-block-size", 128);
		fdtw_u32(w, "i-cache-line-size", 128);
		fdtw_u32(w, "d-cache-size", 0x8000);
		fdtw_u32(w, "i-cache-size", 0x8000);
		fdtw_u32(w, "timebase-frequency", (uint32_t)vm->tb_freq);
		fdtw_u32(w, "clock-frequency", 1000000000);
		fdtw_u32(w, "ibm,chip-id", 0);
		fdtw_u32(w, "ibm,vmx", 2);
		fdtw_u32(w, "ibm,dfp", 1);
		fdtw_empty(w, "64-bit");
		fdtw_empty(w, "ibm,purr");
		fdtw_empty(w, "ibm,spurr");
		fdtw_str(w, "status", "okay");
		fdtw_prop(w, "ibm,pa-features", pa, sizeof(pa));
		fdtw_u32(w, "ibm,ppc-interrupt-server#s", i);
		fdtw_prop(w, "ibm,ppc-interrupt-gserver#s", gserver, sizeof(gserver));
		arch_fdt_cpu(vm, w);
		fdtw_end(w);
	}
	fdtw_end(w);
}

/* Hypertas function sets: what Linux's firmware feature probe looks for. */
/* hcall-multi-tce: H_PUT_TCE_INDIRECT / H_STUFF_TCE (else Linux maps one TCE per hcall) */
static const char hypertas[] = "hcall-pft\0hcall-term\0hcall-dabr\0hcall-interrupt\0"
			       "hcall-tce\0hcall-vio\0hcall-splpar\0hcall-bulk\0hcall-set-mode\0"
			       "hcall-sprg0\0hcall-copy\0hcall-debug\0hcall-multi-tce";
static const char rpt_invalidate[] = "hcall-rpt-invalidate";

static void dt_rtas(struct vm *vm, struct fdtw *w)
{
	char tas[sizeof(hypertas) + sizeof(rpt_invalidate)];
	size_t n = sizeof(hypertas);

	fdtw_node(w, "rtas");
	fdtw_u32(w, "linux,rtas-base", (uint32_t)vm->rtas_gpa);
	fdtw_u32(w, "linux,rtas-entry", (uint32_t)vm->rtas_gpa);
	fdtw_u32(w, "rtas-size", RTAS_BLOB_SIZE);
	fdtw_u32(w, "rtas-error-log-max", 2048);
	/* event-scan once a second, as QEMU (else Linux: "rtasd: no rtas-event-scan-rate") */
	fdtw_u32(w, "rtas-event-scan-rate", 1);
	memcpy(tas, hypertas, sizeof(hypertas));
	if (vm->rpt_invalidate) {
		memcpy(tas + n, rpt_invalidate, sizeof(rpt_invalidate));
		n += sizeof(rpt_invalidate);
	}
	fdtw_prop(w, "ibm,hypertas-functions", tas, n);
	/*
	 * Highest RAM address, memory block size, CPUs: as QEMU. Linux sizes a DDW that maps
	 * all RAM from the first two cells (without them it asks for a 2^0 byte window).
	 */
	{
		uint32_t lrdr[5] = { cpu_to_be32((uint32_t)(vm->mem.size >> 32)),
				     cpu_to_be32((uint32_t)vm->mem.size), 0,
				     cpu_to_be32((uint32_t)SZ_256M), cpu_to_be32(vm->nr_vcpus) };

		fdtw_prop(w, "ibm,lrdr-capacity", lrdr, sizeof(lrdr));
	}
	/* os-term returns (then psvm stops the guest), so Linux may call it on panic. */
	fdtw_empty(w, "ibm,extended-os-term");
	for (unsigned int i = 0; i < vm->rtas.n; i++)
		fdtw_u32(w, vm->rtas.e[i].def->name, vm->rtas.e[i].token);
}

static void dt_vdevice(struct vm *vm __unused, struct fdtw *w)
{
	fdtw_node(w, "vdevice");
	fdtw_str(w, "device_type", "vdevice");
	fdtw_str(w, "compatible", "IBM,vdevice");
	fdtw_u32(w, "#address-cells", 1);
	fdtw_u32(w, "#size-cells", 0);
	fdtw_u32(w, "#interrupt-cells", 2);
	fdtw_empty(w, "interrupt-controller");
}

void devtree_vio_node(struct devtree *dt, const char *name, const char *type,
		      const char *compatible, uint32_t reg)
{
	fdtw_node(&dt->w, name);
	fdtw_str(&dt->w, "device_type", type);
	fdtw_str(&dt->w, "compatible", compatible);
	fdtw_u32(&dt->w, "reg", reg);
}

/* The devices' part at one place of the tree. */
static int dt_devices(struct vm *vm, struct devtree *dt, enum devtree_at at)
{
	dt->at = at;
	return devices_fdt(vm, dt);
}

int devtree_build(struct vm *vm, void *buf, size_t size)
{
	struct devtree *dt = malloc(sizeof(*dt)); /* 10 KiB of names: not the stack's */
	struct fdtw *w;
	int r = -1;

	if (!dt)
		return -1;
	w = &dt->w;
	fdtw_begin(w, buf, size);
	/* RTAS lives in guest RAM: keep the kernel's allocator away from it. */
	fdtw_rsv(w, vm->rtas_gpa, RTAS_AREA_SIZE);
	fdtw_node(w, "");
	dt_root(vm, w);
	if (dt_devices(vm, dt, DEVTREE_ROOT_PROPS))
		goto out;
	dt_chosen(vm, w);
	devtree_vec5(dt->vec5, sizeof(dt->vec5), vm->radix, vm->gtse, false);
	if (dt_devices(vm, dt, DEVTREE_CHOSEN)) /* the console adds stdout-path */
		goto out;
	fdtw_prop(w, "ibm,architecture-vec-5", dt->vec5, VEC5_LEN);
	fdtw_end(w);
	dt_memory(vm, w);
	dt_cpus(vm, w);
	dt_rtas(vm, w);
	if (dt_devices(vm, dt, DEVTREE_RTAS)) /* what their calls can do */
		goto out;
	fdtw_end(w);
	dt_vdevice(vm, w);
	if (dt_devices(vm, dt, DEVTREE_VDEVICE))
		goto out;
	fdtw_end(w);
	if (dt_devices(vm, dt, DEVTREE_ROOT))
		goto out;
	fdtw_end(w);
	r = fdtw_finish(w);
	if (r)
		pr_err("device tree: %s (%zu bytes of %zu)", fdt_strerror(r), w->off, size);
out:
	free(dt);
	return r ? -1 : 0;
}
