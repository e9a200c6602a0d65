// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device tree: what QEMU's pseries machine presents after CAS, so a kernel
 * started kexec-style (r3 = FDT, no Open Firmware) finds the same platform.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "be.h"
#include "devtree.h"
#include "log.h"
#include "rtas.h"
#include "vm.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		int _r = (x);                                                                      \
		if (_r < 0) {                                                                      \
			pr_err("device tree: %s: %s", #x, fdt_strerror(_r));                       \
			return -1;                                                                 \
		}                                                                                  \
	} while (0)

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
#define VEC5_LEN 27
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

static int fdt_setprop_u64s(void *fdt, int node, const char *name, const uint64_t *v,
			    unsigned int n)
{
	uint64_t be[4];

	for (unsigned int i = 0; i < n && i < 4; i++)
		be[i] = cpu_to_be64(v[i]);
	return fdt_setprop(fdt, node, name, be, (int)(n * sizeof(uint64_t)));
}

static int dt_root(struct vm *vm __unused, void *fdt)
{
	CHECK(fdt_setprop_u32(fdt, 0, "#address-cells", 2));
	CHECK(fdt_setprop_u32(fdt, 0, "#size-cells", 2));
	CHECK(fdt_setprop_string(fdt, 0, "compatible", "qemu,pseries"));
	CHECK(fdt_setprop_string(fdt, 0, "device_type", "chrp"));
	CHECK(fdt_setprop_string(fdt, 0, "model", "IBM pSeries (emulated by psvm)"));
	return 0;
}

static int dt_chosen(struct vm *vm, void *fdt)
{
	uint8_t vec5[VEC5_LEN];
	int node;

	CHECK(node = fdt_add_subnode(fdt, 0, "chosen"));
	CHECK(fdt_setprop_string(fdt, node, "bootargs", vm->cfg->cmdline ? vm->cfg->cmdline : ""));
	/* as QEMU's pseries says them: the initrd in cells, the kernel's place and size */
	if (vm->li.initrd_size) {
		CHECK(fdt_setprop_u32(fdt, node, "linux,initrd-start", (uint32_t)vm->li.initrd_start));
		CHECK(fdt_setprop_u32(fdt, node, "linux,initrd-end",
				      (uint32_t)(vm->li.initrd_start + vm->li.initrd_size)));
	}
	CHECK(fdt_setprop_u64s(fdt, node, "qemu,boot-kernel",
			   (uint64_t[]){ vm->li.kernel_start, vm->li.kernel_size }, 2));
	if (vm->li.little_endian)
		CHECK(fdt_setprop_empty(fdt, node, "qemu,boot-kernel-le"));
	/* the console adds stdout-path, the interrupt controller its vec5 byte */
	CHECK(fdt_setprop(fdt, node, "ibm,architecture-vec-5", vec5,
			  (int)devtree_vec5(vec5, sizeof(vec5), vm->radix, vm->gtse, false)));
	return 0;
}

int devtree_vec5_set(void *fdt, unsigned int byte, uint8_t val)
{
	int node = fdt_path_offset(fdt, "/chosen"), len;
	uint8_t *v = node < 0 ? NULL : fdt_getprop_w(fdt, node, "ibm,architecture-vec-5", &len);

	if (!v || byte >= (unsigned int)len)
		return -1;
	v[byte] = val;
	return 0;
}

static int dt_memory_node(void *fdt, uint64_t base, uint64_t size)
{
	uint64_t reg[2] = { base, size };
	char name[32];
	int node;

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)base);
	CHECK(node = fdt_add_subnode(fdt, 0, name));
	CHECK(fdt_setprop_string(fdt, node, "device_type", "memory"));
	CHECK(fdt_setprop_u64s(fdt, node, "reg", reg, 2));
	return 0;
}

/* Linux takes the first memory node as the RMA (hash): so it lists the RMA alone. */
static int dt_memory(struct vm *vm, void *fdt)
{
	if (vm->rma_size < vm->mem.size &&
	    dt_memory_node(fdt, vm->rma_size, vm->mem.size - vm->rma_size))
		return -1;
	return dt_memory_node(fdt, 0, MIN(vm->rma_size, vm->mem.size));
}

static int dt_cpus(struct vm *vm, void *fdt)
{
	uint8_t pa[2 + PA_FEATURES_LEN];
	char name[64];
	int cpus, node;

	CHECK(cpus = fdt_add_subnode(fdt, 0, "cpus"));
	CHECK(fdt_setprop_u32(fdt, cpus, "#address-cells", 1));
	CHECK(fdt_setprop_u32(fdt, cpus, "#size-cells", 0));
	devtree_pa_features(pa, sizeof(pa), vm->radix);

	/* fdt_add_subnode prepends: add in reverse so cpu@0 comes first. */
	for (int i = (int)vm->nr_vcpus - 1; i >= 0; i--) {
		uint32_t gserver[2] = { cpu_to_be32((uint32_t)i), 0 };

		snprintf(name, sizeof(name), "%s@%x", devtree_cpu_model(vm->pvr), i);
		CHECK(node = fdt_add_subnode(fdt, cpus, name));
		CHECK(fdt_setprop_string(fdt, node, "device_type", "cpu"));
		CHECK(fdt_setprop_u32(fdt, node, "reg", (uint32_t)i));
		CHECK(fdt_setprop_u32(fdt, node, "cpu-version",
				      vm->compat_pvr ? vm->compat_pvr : vm->pvr));
		CHECK(fdt_setprop_u32(fdt, node, "d-cache-block-size", 128));
		CHECK(fdt_setprop_u32(fdt, node, "d-cache-line-size", 128));
		CHECK(fdt_setprop_u32(fdt, node, "i-cache-block-size", 128));
		CHECK(fdt_setprop_u32(fdt, node, "i-cache-line-size", 128));
		CHECK(fdt_setprop_u32(fdt, node, "d-cache-size", 0x8000));
		CHECK(fdt_setprop_u32(fdt, node, "i-cache-size", 0x8000));
		CHECK(fdt_setprop_u32(fdt, node, "timebase-frequency", (uint32_t)vm->tb_freq));
		CHECK(fdt_setprop_u32(fdt, node, "clock-frequency", 1000000000));
		CHECK(fdt_setprop_u32(fdt, node, "ibm,slb-size", 32));
		CHECK(fdt_setprop_u32(fdt, node, "ibm,chip-id", 0));
		CHECK(fdt_setprop_u32(fdt, node, "ibm,vmx", 2));
		CHECK(fdt_setprop_u32(fdt, node, "ibm,dfp", 1));
		CHECK(fdt_setprop(fdt, node, "64-bit", NULL, 0));
		CHECK(fdt_setprop(fdt, node, "ibm,purr", NULL, 0));
		CHECK(fdt_setprop(fdt, node, "ibm,spurr", NULL, 0));
		CHECK(fdt_setprop_string(fdt, node, "status", "okay"));
		CHECK(fdt_setprop(fdt, node, "ibm,pa-features", pa, sizeof(pa)));
		CHECK(fdt_setprop_u32(fdt, node, "ibm,ppc-interrupt-server#s", (uint32_t)i));
		CHECK(fdt_setprop(fdt, node, "ibm,ppc-interrupt-gserver#s", gserver,
				  sizeof(gserver)));
		if (arch_fdt_cpu(vm, fdt, node))
			return -1;
	}
	return 0;
}

/* Hypertas function sets: what Linux's firmware feature probe looks for. */
/* hcall-multi-tce: H_PUT_TCE_INDIRECT / H_STUFF_TCE (else Linux maps one TCE per hcall) */
static const char hypertas[] = "hcall-pft\0hcall-term\0hcall-dabr\0hcall-interrupt\0"
			       "hcall-tce\0hcall-vio\0hcall-splpar\0hcall-bulk\0hcall-set-mode\0"
			       "hcall-sprg0\0hcall-copy\0hcall-debug\0hcall-multi-tce";

static int dt_rtas(struct vm *vm, void *fdt)
{
	int node;

	CHECK(node = fdt_add_subnode(fdt, 0, "rtas"));
	CHECK(fdt_setprop_u32(fdt, node, "linux,rtas-base", (uint32_t)vm->rtas_gpa));
	CHECK(fdt_setprop_u32(fdt, node, "linux,rtas-entry", (uint32_t)vm->rtas_gpa));
	CHECK(fdt_setprop_u32(fdt, node, "rtas-size", RTAS_BLOB_SIZE));
	CHECK(fdt_setprop_u32(fdt, node, "rtas-error-log-max", 2048));
	/* event-scan once a second, as QEMU (else Linux: "rtasd: no rtas-event-scan-rate") */
	CHECK(fdt_setprop_u32(fdt, node, "rtas-event-scan-rate", 1));
	CHECK(fdt_setprop(fdt, node, "ibm,hypertas-functions", hypertas, sizeof(hypertas)));
	if (vm->rpt_invalidate)
		CHECK(fdt_appendprop_string(fdt, node, "ibm,hypertas-functions",
					    "hcall-rpt-invalidate"));
	/*
	 * Highest RAM address, memory block size, CPUs: as QEMU. Linux sizes a DDW that maps
	 * all RAM from the first two cells (without them it asks for a 2^0 byte window).
	 */
	{
		uint32_t lrdr[5] = { cpu_to_be32((uint32_t)(vm->mem.size >> 32)),
				     cpu_to_be32((uint32_t)vm->mem.size), 0,
				     cpu_to_be32((uint32_t)SZ_256M), cpu_to_be32(vm->nr_vcpus) };

		CHECK(fdt_setprop(fdt, node, "ibm,lrdr-capacity", lrdr, sizeof(lrdr)));
	}
	/* os-term returns (then psvm stops the guest), so Linux may call it on panic. */
	CHECK(fdt_setprop(fdt, node, "ibm,extended-os-term", NULL, 0));
	for (unsigned int i = 0; i < vm->rtas.n; i++)
		CHECK(fdt_setprop_u32(fdt, node, vm->rtas.e[i].def->name, vm->rtas.e[i].token));
	return 0;
}

static int dt_vdevice(struct vm *vm __unused, void *fdt)
{
	int node;

	CHECK(node = fdt_add_subnode(fdt, 0, "vdevice"));
	CHECK(fdt_setprop_string(fdt, node, "device_type", "vdevice"));
	CHECK(fdt_setprop_string(fdt, node, "compatible", "IBM,vdevice"));
	CHECK(fdt_setprop_u32(fdt, node, "#address-cells", 1));
	CHECK(fdt_setprop_u32(fdt, node, "#size-cells", 0));
	CHECK(fdt_setprop_u32(fdt, node, "#interrupt-cells", 2));
	CHECK(fdt_setprop(fdt, node, "interrupt-controller", NULL, 0));
	return 0;
}

int devtree_build(struct vm *vm, void *buf, size_t size)
{
	void *fdt = buf;

	CHECK(fdt_create_empty_tree(fdt, (int)size));
	/* RTAS lives in guest RAM: keep the kernel's allocator away from it. */
	CHECK(fdt_add_mem_rsv(fdt, vm->rtas_gpa, RTAS_AREA_SIZE));
	if (dt_root(vm, fdt) || dt_chosen(vm, fdt) || dt_memory(vm, fdt) || dt_cpus(vm, fdt) ||
	    dt_rtas(vm, fdt) || dt_vdevice(vm, fdt))
		return -1;
	if (devices_fdt(vm, fdt))
		return -1;
	CHECK(fdt_pack(fdt));
	return 0;
}
