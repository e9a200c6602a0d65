// SPDX-License-Identifier: GPL-2.0-only
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "be.h"
#include "loader.h"
#include "unit.h"

static struct guest_mem mem;

static void setup(void)
{
	cr_assert_eq(guest_mem_alloc(&mem, 32 << 20, false), 0);
}

static void teardown(void)
{
	guest_mem_free(&mem);
}

static void put16(uint8_t *p, uint16_t v, bool le)
{
	p[le ? 0 : 1] = (uint8_t)v;
	p[le ? 1 : 0] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v, bool le)
{
	for (int i = 0; i < 4; i++)
		p[le ? i : 3 - i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v, bool le)
{
	for (int i = 0; i < 8; i++)
		p[le ? i : 7 - i] = (uint8_t)(v >> (8 * i));
}

/* A vmlinux-like image: one PT_LOAD linked at 0xc000000000000000, paddr 0, with BSS. */
static size_t make_elf(uint8_t *b, bool le, uint64_t vaddr, uint64_t paddr, uint64_t memsz)
{
	const size_t phoff = 64, data = 0x100, filesz = 0x40;

	memset(b, 0, 0x200);
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = ELFCLASS64;
	b[EI_DATA] = le ? ELFDATA2LSB : ELFDATA2MSB;
	b[EI_VERSION] = EV_CURRENT;
	put16(b + 16, ET_EXEC, le);
	put16(b + 18, EM_PPC64, le);
	put32(b + 20, EV_CURRENT, le);
	put64(b + 24, vaddr + 0x10, le); /* entry */
	put64(b + 32, phoff, le);
	put16(b + 52, 64, le);
	put16(b + 54, sizeof(Elf64_Phdr), le);
	put16(b + 56, 1, le);
	put32(b + phoff, PT_LOAD, le);
	put64(b + phoff + 8, data, le);
	put64(b + phoff + 16, vaddr, le);
	put64(b + phoff + 24, paddr, le);
	put64(b + phoff + 32, filesz, le);
	put64(b + phoff + 40, memsz, le);
	for (size_t i = 0; i < filesz; i++)
		b[data + i] = (uint8_t)(0xa0 + i);
	return 0x200;
}

Test(loader, elf_le_kernel_at_4m_as_qemu, .init = setup, .fini = teardown)
{
	uint8_t img[0x200];
	struct load_info li = { 0 };
	char err[256];

	memset(mem.hva, 0x55, 0x402000);
	make_elf(img, true, 0xc000000000000000ULL, 0, 0x1000);
	cr_assert_eq(load_elf(&mem, img, sizeof(img), &li, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(li.entry, 0x400000u, "QEMU enters at the load address, not e_entry");
	cr_assert_eq(li.kernel_start, 0x400000u);
	cr_assert_eq(li.kernel_end, 0x401000u);
	cr_assert_eq(li.kernel_size, 0x1000u);
	cr_assert(li.little_endian);
	cr_assert_eq(mem.hva[0], 0x55, "nothing at 0: the image copies itself there");
	cr_assert_eq(mem.hva[0x400000], 0xa0);
	cr_assert_eq(mem.hva[0x40003f], 0xa0 + 0x3f);
	cr_assert_eq(mem.hva[0x400040], 0, "BSS zeroed");
	cr_assert_eq(mem.hva[0x400fff], 0);
	cr_assert_eq(mem.hva[0x401000], 0x55, "nothing past memsz");
}

Test(loader, elf_be_paddr_low_28_bits_above_4m, .init = setup, .fini = teardown)
{
	uint8_t img[0x200];
	struct load_info li = { 0 };
	char err[256];

	/* QEMU's translate_kernel_address: (paddr & 0x0fffffff) + 4 MiB */
	make_elf(img, false, 0x400000, 0xc000000010400000ULL, 0x100);
	cr_assert_eq(load_elf(&mem, img, sizeof(img), &li, err, sizeof(err)), 0, "%s", err);
	cr_assert_not(li.little_endian);
	cr_assert_eq(li.entry, 0x800000u);
	cr_assert_eq(mem.hva[0x800001], 0xa1);
}

Test(loader, elf_rejects_bad_images, .init = setup, .fini = teardown)
{
	uint8_t img[0x200], bad[0x200];
	struct load_info li = { 0 };
	char err[256];

	make_elf(img, true, 0, 0, 0x1000);
	cr_assert_eq(load_elf(&mem, img, 10, &li, err, sizeof(err)), -1);
	cr_assert(strstr(err, "not an ELF"));

	memcpy(bad, img, sizeof(bad));
	bad[EI_CLASS] = ELFCLASS32;
	cr_assert_eq(load_elf(&mem, bad, sizeof(bad), &li, err, sizeof(err)), -1);

	memcpy(bad, img, sizeof(bad));
	put16(bad + 18, EM_X86_64, true);
	cr_assert_eq(load_elf(&mem, bad, sizeof(bad), &li, err, sizeof(err)), -1);
	cr_assert(strstr(err, "not ppc64"), "%s", err);

	memcpy(bad, img, sizeof(bad));
	put64(bad + 32, 0x1f0, true); /* program headers past the end of the file */
	cr_assert_eq(load_elf(&mem, bad, sizeof(bad), &li, err, sizeof(err)), -1);

	memcpy(bad, img, sizeof(bad));
	put64(bad + 64 + 8, 0x1e0, true); /* segment data past the end of the file */
	cr_assert_eq(load_elf(&mem, bad, sizeof(bad), &li, err, sizeof(err)), -1);

	memcpy(bad, img, sizeof(bad));
	put64(bad + 64 + 40, 0x10, true); /* filesz > memsz */
	cr_assert_eq(load_elf(&mem, bad, sizeof(bad), &li, err, sizeof(err)), -1);

	memcpy(bad, img, sizeof(bad));
	put64(bad + 64 + 24, (28 << 20) - 0x800, true); /* 4 MiB up, it runs past guest RAM */
	cr_assert_eq(load_elf(&mem, bad, sizeof(bad), &li, err, sizeof(err)), -1);
	cr_assert(strstr(err, "does not fit"), "%s", err);

	memcpy(bad, img, sizeof(bad));
	put64(bad + 64 + 40, UINT64_MAX - 0x100, true); /* memsz wraps */
	put64(bad + 64 + 32, 0x10, true);
	cr_assert_eq(load_elf(&mem, bad, sizeof(bad), &li, err, sizeof(err)), -1);

	memcpy(bad, img, sizeof(bad));
	put32(bad + 64, PT_NOTE, true);
	cr_assert_eq(load_elf(&mem, bad, sizeof(bad), &li, err, sizeof(err)), -1);

	/* an empty segment at the very end of RAM: nothing to load, nothing to enter */
	memcpy(bad, img, sizeof(bad));
	put64(bad + 64 + 24, (28 << 20), true);
	put64(bad + 64 + 32, 0, true);
	put64(bad + 64 + 40, 0, true);
	cr_assert_eq(load_elf(&mem, bad, sizeof(bad), &li, err, sizeof(err)), -1);
	cr_assert(strstr(err, "no loadable segment"), "%s", err);
}

Test(loader, initrd_placement, .init = setup, .fini = teardown)
{
	struct load_info li = { .kernel_start = 0x400000, .kernel_end = 0x412345,
				.kernel_size = 0x12345 };
	uint8_t rd[100];
	char err[256];

	memset(rd, 0x77, sizeof(rd));
	cr_assert_eq(load_initrd(&mem, rd, sizeof(rd), 16 << 20, &li, err, sizeof(err)), 0);
	/* QEMU: (kernel_addr + kernel_size + 0x1ffff) & ~0xffff */
	cr_assert_eq(li.initrd_start, 0x430000u);
	cr_assert_eq(li.initrd_size, 100u);
	cr_assert_eq(mem.hva[0x430000 + 99], 0x77);
	/* segments with a gap: past the last one, not into it */
	li.kernel_end = 0x800010;
	cr_assert_eq(load_initrd(&mem, rd, sizeof(rd), 16 << 20, &li, err, sizeof(err)), 0);
	cr_assert_eq(li.initrd_start, 0x810000u);
	li.kernel_end = 0x412345;
	li.kernel_size = (12 << 20) - 0x40; /* rounds up past the limit */
	cr_assert_eq(load_initrd(&mem, rd, sizeof(rd), (16 << 20) - 0x10, &li, err, sizeof(err)), -1);
	cr_assert(strstr(err, "initrd"), "%s", err);
}

Test(loader, flat, .init = setup, .fini = teardown)
{
	struct load_info li;
	uint8_t img[16] = { 1, 2, 3 };
	char err[256];
	void *big = calloc(1, (32 << 20) + 1);

	cr_assert_eq(load_flat(&mem, img, sizeof(img), &li, err, sizeof(err)), 0);
	cr_assert_eq(li.entry, 0x400000u);
	cr_assert_eq(mem.hva[0x400002], 3);
	cr_assert_not(li.little_endian);
	cr_assert_eq(load_flat(&mem, big, (28 << 20) + 1, &li, err, sizeof(err)), -1);
	free(big);
}
