// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU's edu device, passed through by psvm: find it in the device tree, reach its config
 * space through RTAS, program its DMA engine through TCEs in the default window and in
 * dynamic DMA windows (64K and 2M pages), and check the bytes both ways. DMA to an
 * unmapped or read-only IOVA, or through a removed window, must not reach guest memory;
 * bad TCE and DDW arguments get their PAPR errors. Its interrupt arrives as INTx, then as
 * an MSI the guest asked for with ibm,change-msi.
 *
 * Runs in real mode: BAR accesses are plain loads and stores to the BAR's guest physical
 * address (KVM maps the host BAR there). edu's registers are big-endian on QEMU's ppc64.
 */
#include "payload.h"

#define H_GET_TCE	   0x1c
#define H_PUT_TCE	   0x20
#define H_STUFF_TCE	   0x138
#define H_PUT_TCE_INDIRECT 0x13c
#define H_LOGICAL_CI_LOAD  0x3c
#define H_LOGICAL_CI_STORE 0x40

#define TCE_R  1
#define TCE_W  2
#define TCE_RW 3

#define EDU_ID	    0x00
#define EDU_LIVE    0x04
#define EDU_IRQ_RAISE 0x60
#define EDU_IRQ_ACK   0x64
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_CNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_BUF	    0x40000
#define DMA_START   1
#define DMA_TO_RAM  2

/* Buffers well away from the payload, the device tree and RTAS (2M aligned for 2M TCEs) */
#define SRC_GPA	 0x4000000ULL
#define DST_GPA	 0x4200000ULL
#define LIST_GPA 0x4400000ULL
#define LEN	 256

#define DDW_PG_4K  0x1
#define DDW_PG_64K 0x2
#define DDW_PG_2M  0x100
#define DDW_TRIED  (DDW_PG_4K | DDW_PG_64K | DDW_PG_2M)

static const struct {
	uint32_t bit;
	unsigned int shift;
} ddw_sizes[] = { { DDW_PG_4K, 12 }, { DDW_PG_64K, 16 }, { DDW_PG_2M, 21 } };

static volatile uint8_t *bar0;
static uint32_t buid_hi, buid_lo, liobn0;

static void mb(void)
{
	__asm__ volatile("sync" ::: "memory");
}

static uint32_t rd32(unsigned int off)
{
	uint32_t v = *(volatile uint32_t *)(bar0 + off);

	mb();
	return __builtin_bswap32(v);
}

static void wr32(unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(bar0 + off) = __builtin_bswap32(v);
	mb();
}

static void wr64(unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)(bar0 + off) = __builtin_bswap64(v);
	mb();
}

static uint64_t tb(void)
{
	uint64_t t;

	__asm__ volatile("mftb %0" : "=r"(t));
	return t;
}

/* One edu DMA (it runs off a 100 ms timer in QEMU); 0 when the engine finished. */
static int edu_dma(uint64_t src, uint64_t dst, uint32_t cnt, uint32_t cmd)
{
	uint64_t t0 = tb();

	wr64(EDU_DMA_SRC, src);
	wr64(EDU_DMA_DST, dst);
	wr64(EDU_DMA_CNT, cnt);
	wr32(EDU_DMA_CMD, cmd | DMA_START);
	while (rd32(EDU_DMA_CMD) & DMA_START)
		if (tb() - t0 > 512000000ULL * 20)
			return -1;
	return 0;
}

static uint8_t *ram(uint64_t gpa)
{
	return (uint8_t *)gpa;
}

static void fill(uint8_t *p, uint8_t seed)
{
	for (int i = 0; i < LEN; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static int same(const uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < LEN; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static int all(const uint8_t *p, uint8_t v)
{
	for (int i = 0; i < LEN; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static long put_tce(uint32_t liobn, uint64_t ioba, uint64_t tce)
{
	return hcall(H_PUT_TCE, NULL, liobn, ioba, tce, 0);
}

/* RAM -> edu -> RAM through IOVAs: 1 if the destination got the source's bytes. */
static int round_trip(uint64_t src_iova, uint64_t dst_iova, uint8_t seed)
{
	fill(ram(SRC_GPA), seed);
	memset(ram(DST_GPA), 0x5a, LEN);
	mb();
	if (edu_dma(src_iova, EDU_BUF, LEN, 0) || edu_dma(EDU_BUF, dst_iova, LEN, DMA_TO_RAM))
		return 0;
	mb();
	return same(ram(SRC_GPA), ram(DST_GPA));
}

/* edu -> RAM at an IOVA that must not reach DST_GPA */
static int blocked(uint64_t dst_iova)
{
	memset(ram(DST_GPA), 0x5a, LEN);
	mb();
	edu_dma(EDU_BUF, dst_iova, LEN, DMA_TO_RAM);
	mb();
	return all(ram(DST_GPA), 0x5a);
}

static int cfg_read(uint32_t addr, int size, uint32_t *val)
{
	uint32_t r[2];
	int s = rtas("ibm,read-pci-config", 4, 2, r, addr, buid_hi, buid_lo, size);

	*val = r[1];
	return s;
}

static int cfg_write(uint32_t addr, int size, uint32_t val)
{
	return rtas("ibm,write-pci-config", 5, 1, NULL, addr, buid_hi, buid_lo, size, val);
}

/* A DDW with 2^shift pages: create, DMA through it, remove, DMA must stop. */
static void ddw_case(unsigned int shift, uint32_t mask_bit, uint32_t pgmask)
{
	uint32_t r[6];
	uint64_t bus, page = 1ULL << shift;
	uint32_t liobn;
	int s;

	if (!(pgmask & mask_bit)) {
		tap_ok(0, "DDW with %llu KiB pages: not offered (mask %#x)",
		       (unsigned long long)(page >> 10), pgmask);
		for (int i = 0; i < 4; i++)
			tap_ok(0, "  (skipped with it)");
		return;
	}
	s = rtas("ibm,create-pe-dma-window", 5, 4, r, 0, buid_hi, buid_lo, shift, 28);
	liobn = r[1];
	bus = (uint64_t)r[2] << 32 | r[3];
	tap_ok(s == 0 && liobn != liobn0 && bus >= (1ULL << 30),
	       "create DDW, %llu KiB pages, 256 MiB: liobn %#x at %#llx (%d)",
	       (unsigned long long)(page >> 10), liobn, (unsigned long long)bus, s);
	tap_ok(put_tce(liobn, bus, SRC_GPA | TCE_RW) == H_SUCCESS &&
		       put_tce(liobn, bus + page, DST_GPA | TCE_RW) == H_SUCCESS &&
		       round_trip(bus, bus + page, (uint8_t)shift),
	       "DMA through the DDW: RAM -> edu -> RAM, bytes match");
	s = rtas("ibm,create-pe-dma-window", 5, 4, r, 0, buid_hi, buid_lo, shift, 24);
	tap_ok(s != 0, "a second DDW is refused while one exists (%d)", s);
	s = rtas("ibm,remove-pe-dma-window", 1, 1, NULL, liobn);
	tap_ok(s == 0, "remove the DDW (%d)", s);
	tap_ok(blocked(bus + page) && put_tce(liobn, bus, SRC_GPA | TCE_RW) == H_PARAMETER,
	       "after removal: DMA through its IOVAs does not land, its LIOBN is gone");
}

static uint32_t irq_wait(void)
{
	return intc_accept_ms(5000);
}

/* edu raises (bit) and nothing may arrive for half a second */
static int edu_irq_silent(uint32_t bit)
{
	uint32_t x;

	wr32(EDU_IRQ_RAISE, bit);
	x = intc_accept_ms(500);
	wr32(EDU_IRQ_ACK, bit);
	if (x) {
		intc_eoi(x);
		printf_("# source %#x arrived\n", x);
	}
	return !x;
}

/*
 * Accept and EOI what is pending now. KVM's XICS re-presents a level source at EOI while
 * its line is still up, and lowers the line (irqfd resample) only after: an INTx comes
 * back once after its EOI, spuriously, as it does under QEMU. Returns how many of source
 * were pending, -1 if another source was.
 */
static int drain(uint32_t source)
{
	uint32_t x;
	int n = 0;

	for (int i = 0; i < 4; i++) {
		x = intc_accept_ms(0);
		if (!x)
			break;
		intc_eoi(x);
		if (x != source) {
			printf_("# unexpected source %#x\n", x);
			return -1;
		}
		n++;
	}
	return n;
}

/*
 * edu raises (bit): source must arrive, and nothing else; acknowledged at edu, then EOI.
 * At most `spurious` re-presentations of it may follow the EOI.
 */
static int edu_irq_arrives(uint32_t bit, uint32_t source, int spurious)
{
	uint32_t x;
	int after;

	if (drain(source) < 0)
		return 0;
	wr32(EDU_IRQ_RAISE, bit);
	x = irq_wait();
	wr32(EDU_IRQ_ACK, bit);
	if (x)
		intc_eoi(x);
	after = drain(source);
	if (x != source || after < 0 || after > spurious)
		printf_("# expected source %#x, got %#x, then %d more\n", source, x, after);
	return x == source && after >= 0 && after <= spurious;
}

/*
 * INTx through the PHB's interrupt-map, then MSI through ibm,change-msi: each time edu
 * raises its interrupt, the source the guest was told about reaches this vCPU's presenter.
 */
static void irq_cases(int intx)
{
	const uint32_t *p;
	uint32_t r[4], lsi = 0, msi;
	int len, s;

	s = (int)intc_init();
	tap_ok(s == 0, "interrupt controller: %s (%d)", intc_xive() ? "XIVE" : "XICS", s);
	p = fdt_prop("pci", NULL, "interrupt-map", &len);
	if (p && len == 28)
		lsi = be32(p + 5);
	s = rtas("ibm,query-interrupt-source-number", 4, 3, r, 0, buid_hi, buid_lo, 0);
	if (intx) {
		tap_ok(lsi && s == 0 && r[1] == lsi && r[2] == 0,
		       "INTA: source %#x in the interrupt-map, the same from RTAS, level (%d)", lsi,
		       s);
		intc_route(lsi, 0);
		tap_ok(edu_irq_arrives(1, lsi, 1), "edu INTx reaches the guest as source %#x", lsi);
		tap_ok(edu_irq_arrives(1, lsi, 1), "and again after EOI (the line re-arms)");
	} else {
		uint32_t pin = 0xff;

		cfg_read(0x3c, 2, &pin); /* line and pin: nothing Linux could map */
		tap_ok(!p && s == -1 && pin == 0,
		       "no INTx offered (XIVE host): no interrupt-map, no source, no pin (%d, %x)", s,
		       pin);
		tap_ok(edu_irq_silent(1), "edu's INTx does not reach the guest");
	}

	s = rtas("ibm,change-msi", 6, 4, r, 0, buid_hi, buid_lo, 3, 2, 7);
	tap_ok(s == 0 && r[1] == 1, "change-msi for 2 MSIs answers 1 (edu has 1) (%d, %u)", s,
	       r[1]);
	s = rtas("ibm,change-msi", 6, 4, r, 0, buid_hi, buid_lo, 4, 1, 7);
	tap_ok(s == -1, "change-msi for MSI-X: edu has none -> -1 (%d)", s);
	s = rtas("ibm,change-msi", 6, 4, r, 0, buid_hi, buid_lo, 3, 1, 7);
	tap_ok(s == 0 && r[1] == 1 && r[2] == 8 && r[3] == 1,
	       "change-msi: 1 MSI enabled (%d, %u vectors, seq %u, type %u)", s, r[1], r[2], r[3]);
	s = rtas("ibm,query-interrupt-source-number", 4, 3, r, 0, buid_hi, buid_lo, 0);
	msi = r[1];
	tap_ok(s == 0 && msi && msi != lsi && r[2] == 1, "its source %#x, edge (%d)", msi, s);
	intc_route(msi, 0);
	tap_ok(edu_irq_arrives(2, msi, 0), "edu MSI reaches the guest as source %#x, only once",
	       msi);
	tap_ok(edu_irq_arrives(2, msi, 0), "and a second one");
	s = rtas("ibm,change-msi", 6, 4, r, 0, buid_hi, buid_lo, 3, 0, 9);
	if (intx)
		tap_ok(s == 0 && r[1] == 0 && edu_irq_arrives(1, lsi, 1),
		       "MSI released (%d): edu interrupts come as INTx again", s);
	else
		tap_ok(s == 0 && r[1] == 0 && edu_irq_silent(2),
		       "MSI released (%d): edu interrupts no longer arrive", s);
}

void payload_main(const void *dt);
void payload_main(const void *dt)
{
	const uint32_t *p;
	uint32_t r[6], v, pgmask, expect, intx;
	uint64_t o[9], bar;
	int len, s;

	fdt = dt;
	expect = cmdline_hex("edu.ddw", DDW_PG_4K);
	intx = cmdline_hex("edu.intx", 1);
	tap_plan(46 + !!intx + 5 * (__builtin_popcount(expect & DDW_TRIED)));

	p = fdt_prop("pci", NULL, "reg", &len);
	tap_ok(p && len == 16, "a PHB node with its BUID");
	if (!p)
		power_off();
	buid_hi = be32(p);
	buid_lo = be32(p + 1);
	p = fdt_prop("pci", NULL, "ibm,dma-window", &len);
	tap_ok(p && len == 20 && be32(p + 4) == 0x40000000 && !be32(p + 1) && !be32(p + 2),
	       "ibm,dma-window: default window at 0, 1 GiB");
	liobn0 = p ? be32(p) : 0;
	if (expect)
		tap_ok(fdt_prop("pci", NULL, "ibm,ddw-applicable", &len) && len == 12,
		       "ibm,ddw-applicable: query, create, remove");
	else
		tap_ok(!fdt_prop("pci", NULL, "ibm,ddw-applicable", &len),
		       "no DDW expected: no ibm,ddw-applicable");
	p = fdt_prop("pci", "pci1234,11e8", "assigned-addresses", &len);
	tap_ok(p && len >= 20, "edu (pci1234,11e8) has an assigned BAR");
	if (!p)
		power_off();
	bar = (uint64_t)be32(p + 1) << 32 | be32(p + 2);

	/* config space through RTAS */
	s = cfg_read(0, 4, &v);
	tap_ok(s == 0 && v == 0x11e81234, "ibm,read-pci-config: vendor/device %#x (%d)", v, s);
	s = cfg_read(0x10, 4, &v);
	tap_ok(s == 0 && (v & ~0xfU) == (uint32_t)bar, "BAR0 reads %#x, DT says %#llx", v,
	       (unsigned long long)bar);
	cfg_write(0x10, 4, 0xffffffff);
	cfg_read(0x10, 4, &v);
	tap_ok((v & ~0xfU) == 0xfff00000, "BAR0 sizing: %#x (1 MiB)", v);
	cfg_write(0x10, 4, (uint32_t)bar);
	cfg_read(0x10, 4, &v);
	tap_ok((v & ~0xfU) == (uint32_t)bar, "BAR0 restored");
	s = cfg_write(4, 2, 0x6);
	cfg_read(4, 2, &v);
	tap_ok(s == 0 && (v & 6) == 6, "memory decode + bus master on (command %#x)", v);
	s = cfg_read(1 << 11, 4, &v); /* devfn 8: nothing there */
	tap_ok(s != 0, "config read of an absent function fails (%d)", s);
	s = cfg_read(2, 4, &v);
	tap_ok(s != 0, "misaligned config read fails (%d)", s);

	/* BAR: the PCI window is at the CPU address the PHB's ranges give */
	p = fdt_prop("pci", NULL, "ranges", &len);
	if (p && len >= 28 && bar >= be32(p + 2) && bar - be32(p + 2) < be32(p + 6))
		bar = ((uint64_t)be32(p + 3) << 32 | be32(p + 4)) + (bar - be32(p + 2));
	bar0 = (volatile uint8_t *)bar;
	v = rd32(EDU_ID);
	tap_ok(v == 0x010000ed, "edu ID register %#x through BAR0 at %#llx", v,
	       (unsigned long long)bar);
	wr32(EDU_LIVE, 0x12345678);
	v = rd32(EDU_LIVE);
	tap_ok(v == ~0x12345678U, "edu liveness register inverts (%#x)", v);
	/*
	 * H_LOGICAL_CI_* on a BAR KVM maps (QEMU serves them too): a big-endian CPU's accesses,
	 * and edu's registers are big-endian on a ppc64 QEMU (hence rd32's swap)
	 */
	tap_ok(hcall(H_LOGICAL_CI_LOAD, o, 4, bar + EDU_ID, 0, 0) == H_SUCCESS &&
		       o[0] == 0x010000ed,
	       "H_LOGICAL_CI_LOAD of the ID register -> %#llx", (unsigned long long)o[0]);
	v = hcall(H_LOGICAL_CI_STORE, NULL, 4, bar + EDU_LIVE, 0xcafe0000, 0);
	tap_ok(v == H_SUCCESS && rd32(EDU_LIVE) == ~0xcafe0000U,
	       "H_LOGICAL_CI_STORE to the liveness register (%d)", (int)v);

	/* default window, 4K TCEs */
	tap_ok(put_tce(liobn0, 0x100000, SRC_GPA | TCE_RW) == H_SUCCESS &&
		       put_tce(liobn0, 0x200000, DST_GPA | TCE_RW) == H_SUCCESS,
	       "H_PUT_TCE: two pages in the default window");
	tap_ok(hcall(H_GET_TCE, o, liobn0, 0x100000, 0, 0) == H_SUCCESS &&
		       o[0] == (SRC_GPA | TCE_RW),
	       "H_GET_TCE reads it back (%#llx)", (unsigned long long)o[0]);
	tap_ok(round_trip(0x100000, 0x200000, 3), "DMA RAM -> edu -> RAM, bytes match");
	/* edu's pace: QEMU's model runs each DMA off a 100 ms virtual-clock timer */
	{
		uint64_t t0 = tb(), ms, c;
		unsigned int n = 0;

		while (n < 5 && round_trip(0x100000, 0x200000, (uint8_t)(n + 40)))
			n++;
		ms = (tb() - t0) / 512000;
		c = ms ? n * 100000ULL / ms : 0; /* round trips per 100 s */
		printf_("# edu DMA round trips: %u in %llu ms, %llu.%s%llu/s\n", n,
			(unsigned long long)ms, (unsigned long long)(c / 100), c % 100 < 10 ? "0" : "",
			(unsigned long long)(c % 100));
	}
	tap_ok(put_tce(liobn0, 0x200000, DST_GPA | TCE_R) == H_SUCCESS && blocked(0x200000),
	       "device write to a read-only TCE does not land");
	tap_ok(put_tce(liobn0, 0x200000, 0) == H_SUCCESS && blocked(0x200000),
	       "device write to an unmapped IOVA does not land");

	/* H_PUT_TCE_INDIRECT + H_STUFF_TCE: 512 pages, then cleared in one call */
	{
		uint64_t *list = (uint64_t *)LIST_GPA;

		/* the list is big-endian, as every PAPR structure */
		for (int i = 0; i < 512; i++)
			list[i] = __builtin_bswap64((SRC_GPA + 0x1000ULL * (uint64_t)i) | TCE_RW);
		list[1] = __builtin_bswap64(DST_GPA | TCE_RW);
		long h = hcall(H_PUT_TCE_INDIRECT, NULL, liobn0, 0x1000000, LIST_GPA, 512);

		tap_ok(h == H_SUCCESS && round_trip(0x1000000, 0x1001000, 9),
		       "H_PUT_TCE_INDIRECT 512 TCEs, DMA through them (%ld)", h);
		tap_ok(hcall(H_STUFF_TCE, NULL, liobn0, 0x1000000, 0, 512) == H_SUCCESS &&
			       blocked(0x1001000),
		       "H_STUFF_TCE clears them: DMA no longer lands");
		tap_ok(hcall(H_PUT_TCE_INDIRECT, NULL, liobn0, 0x1000000, LIST_GPA + 8, 2) ==
			       H_PARAMETER,
		       "misaligned TCE list -> H_PARAMETER");
		tap_ok(hcall(H_PUT_TCE_INDIRECT, NULL, liobn0, 0x1000000, LIST_GPA, 513) ==
			       H_PARAMETER,
		       "513 TCEs -> H_PARAMETER");
	}
	tap_ok(put_tce(liobn0, 0x300000, (ram_size() + 0x10000) | TCE_RW) == H_PARAMETER,
	       "TCE outside guest RAM -> H_PARAMETER");
	tap_ok(put_tce(0x80000777, 0x300000, SRC_GPA | TCE_RW) == H_PARAMETER,
	       "unknown LIOBN -> H_PARAMETER");
	tap_ok(put_tce(liobn0, 0x40000000, SRC_GPA | TCE_RW) == H_PARAMETER,
	       "IOBA past the window -> H_PARAMETER");

	irq_cases(intx);

	/* DDW */
	s = rtas("ibm,query-pe-dma-window", 3, 5, r, 0, buid_hi, buid_lo);
	pgmask = s ? 0 : r[3];
	if (expect) {
		tap_ok(s == 0 && r[1] == 1 && r[2] > 0 && (pgmask & 1),
		       "query (5 outputs): %u window free, %u pages, page sizes %#x", r[1], r[2],
		       pgmask);
		s = rtas("ibm,query-pe-dma-window", 3, 6, r, 0, buid_hi, buid_lo);
		tap_ok(s == 0 && r[1] == 1 && r[4] == pgmask, "query (6 outputs): %#x:%#x pages",
		       r[2], r[3]);
	} else { /* a PE without DDW (the lab says so): no ibm,ddw-applicable, query fails */
		tap_ok(s == -3, "no DDW: query (5 outputs) -> -3 (%d)", s);
		s = rtas("ibm,query-pe-dma-window", 3, 6, r, 0, buid_hi, buid_lo);
		tap_ok(s == -3, "no DDW: query (6 outputs) -> -3 (%d)", s);
	}
	s = rtas("ibm,query-pe-dma-window", 3, 5, r, 0, buid_hi, buid_lo + 1);
	tap_ok(s == -3, "query on an unknown BUID -> -3 (%d)", s);
	s = rtas("ibm,create-pe-dma-window", 5, 4, r, 0, buid_hi, buid_lo, 13, 28);
	tap_ok(s == -3, "create with a page size not offered (8K) -> -3 (%d)", s);
	s = rtas("ibm,create-pe-dma-window", 5, 4, r, 0, buid_hi, buid_lo, 12, 62);
	tap_ok(s == -3, "create a 2^62 byte window -> -3 (%d)", s);
	/* as under QEMU, the default window can go (Linux's VFIO does it), and reset restores it */
	s = rtas("ibm,remove-pe-dma-window", 1, 1, NULL, liobn0);
	tap_ok(s == 0 && put_tce(liobn0, 0x100000, SRC_GPA | TCE_RW) == H_PARAMETER,
	       "remove the default window -> 0 (%d), its LIOBN gone", s);
	s = rtas("ibm,reset-pe-dma-window", 3, 1, NULL, 0, buid_hi, buid_lo);
	tap_ok(s == 0 && put_tce(liobn0, 0x100000, SRC_GPA | TCE_RW) == H_SUCCESS,
	       "reset brings the default window back (%d)", s);

	/* reset: the default window comes back empty */
	put_tce(liobn0, 0x100000, SRC_GPA | TCE_RW);
	s = rtas("ibm,reset-pe-dma-window", 3, 1, NULL, 0, buid_hi, buid_lo);
	tap_ok(s == 0 && hcall(H_GET_TCE, o, liobn0, 0x100000, 0, 0) == H_SUCCESS && o[0] == 0,
	       "reset-pe-dma-window empties the default window (%d)", s);

	/* exactly the page sizes the host can back (the lab says which), each one tried */
	tap_ok((pgmask & DDW_TRIED) == expect, "DDW page sizes offered %#x, expected %#x",
	       pgmask & DDW_TRIED, expect);
	for (unsigned int i = 0; i < 3; i++)
		if (expect & ddw_sizes[i].bit)
			ddw_case(ddw_sizes[i].shift, ddw_sizes[i].bit, pgmask);
	power_off();
}

/* single-vCPU payload: a secondary never starts */
void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu __attribute__((unused)))
{
	for (;;)
		;
}
