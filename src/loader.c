// SPDX-License-Identifier: GPL-2.0-only
/* ELF64 / flat kernel and initrd loading. Every field of the image is checked. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "be.h"
#include "loader.h"
#include "log.h"

/*
 * As QEMU's pseries places a -kernel (hw/ppc/spapr.c, translate_kernel_address): the low
 * 28 bits of each p_paddr, above KERNEL_LOAD_ADDR. vmlinux (p_paddr 0) lands at 4 MiB
 * and copies itself down to 0; so must any image made for QEMU.
 */
#define KERNEL_ADDR_MASK 0x0fffffffULL
#define MAX_PHDRS 64

struct elf_rd {
	const uint8_t *b;
	bool le;
};

static uint16_t rd16(const struct elf_rd *r, size_t off)
{
	uint16_t v = ld_le16(r->b + off);

	return r->le ? v : (uint16_t)(v >> 8 | v << 8);
}

static uint32_t rd32(const struct elf_rd *r, size_t off)
{
	return r->le ? ld_le32(r->b + off) : ld_be32(r->b + off);
}

static uint64_t rd64(const struct elf_rd *r, size_t off)
{
	return r->le ? ld_le64(r->b + off) : ld_be64(r->b + off);
}

int load_elf(struct guest_mem *m, const void *img, size_t size, struct load_info *li,
	     char *err, size_t errlen)
{
	struct elf_rd r = { .b = img };
	uint64_t phoff, lo = UINT64_MAX, hi = 0, total = 0;
	uint16_t phnum, phentsize, type, machine;
	unsigned int loads = 0;

	if (size < sizeof(Elf64_Ehdr) || memcmp(r.b, ELFMAG, SELFMAG))
		return errorf(err, errlen, "not an ELF file");
	if (r.b[EI_CLASS] != ELFCLASS64)
		return errorf(err, errlen, "not a 64-bit ELF");
	if (r.b[EI_DATA] != ELFDATA2LSB && r.b[EI_DATA] != ELFDATA2MSB)
		return errorf(err, errlen, "ELF with unknown byte order");
	r.le = r.b[EI_DATA] == ELFDATA2LSB;
	type = rd16(&r, offsetof(Elf64_Ehdr, e_type));
	machine = rd16(&r, offsetof(Elf64_Ehdr, e_machine));
	if (machine != EM_PPC64)
		return errorf(err, errlen, "ELF for machine %u, not ppc64", machine);
	if (type != ET_EXEC && type != ET_DYN)
		return errorf(err, errlen, "ELF is not an executable");
	phoff = rd64(&r, offsetof(Elf64_Ehdr, e_phoff));
	phnum = rd16(&r, offsetof(Elf64_Ehdr, e_phnum));
	phentsize = rd16(&r, offsetof(Elf64_Ehdr, e_phentsize));
	if (phnum == 0 || phnum > MAX_PHDRS || phentsize < sizeof(Elf64_Phdr) ||
	    !range_within(phoff, (uint64_t)phnum * phentsize, size))
		return errorf(err, errlen, "ELF program headers are malformed");

	/* Validate every PT_LOAD before touching guest memory. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned int i = 0; i < phnum; i++) {
			size_t ph = phoff + (size_t)i * phentsize;
			uint64_t off, paddr, filesz, memsz;

			/* an empty segment loads nothing: it neither places nor enters the image */
			if (rd32(&r, ph + offsetof(Elf64_Phdr, p_type)) != PT_LOAD ||
			    !rd64(&r, ph + offsetof(Elf64_Phdr, p_memsz)))
				continue;
			off = rd64(&r, ph + offsetof(Elf64_Phdr, p_offset));
			paddr = (rd64(&r, ph + offsetof(Elf64_Phdr, p_paddr)) & KERNEL_ADDR_MASK) +
				KERNEL_LOAD_ADDR;
			filesz = rd64(&r, ph + offsetof(Elf64_Phdr, p_filesz));
			memsz = rd64(&r, ph + offsetof(Elf64_Phdr, p_memsz));
			if (pass == 0) {
				if (filesz > memsz || !range_within(off, filesz, size))
					return errorf(err, errlen, "ELF segment %u lies outside the file", i);
				if (!range_within(paddr, memsz, m->size))
					return errorf(err, errlen,
						    "ELF segment %u (%#llx + %#llx) does not fit in %llu MiB of guest RAM",
						    i, (unsigned long long)paddr, (unsigned long long)memsz,
						    (unsigned long long)(m->size >> 20));
				lo = MIN(lo, paddr);
				hi = MAX(hi, paddr + memsz);
				total += memsz;
				loads++;
				continue;
			}
			memcpy(m->hva + paddr, r.b + off, filesz);
			memset(m->hva + paddr + filesz, 0, memsz - filesz);
		}
		if (pass == 0 && !loads)
			return errorf(err, errlen, "ELF has no loadable segment");
	}
	/*
	 * QEMU enters at the lowest address loaded, not at e_entry, and calls the sum of
	 * the segments the kernel's size (the initrd goes after it).
	 */
	li->entry = lo;
	li->kernel_start = lo;
	li->kernel_end = hi;
	li->kernel_size = total;
	li->little_endian = r.le;
	return 0;
}

int load_flat(struct guest_mem *m, const void *img, size_t size, struct load_info *li,
	      char *err, size_t errlen)
{
	if (!range_within(KERNEL_LOAD_ADDR, size, m->size))
		return errorf(err, errlen, "image of %zu bytes does not fit in guest RAM", size);
	memcpy(m->hva + KERNEL_LOAD_ADDR, img, size);
	li->entry = KERNEL_LOAD_ADDR;
	li->kernel_start = KERNEL_LOAD_ADDR;
	li->kernel_end = KERNEL_LOAD_ADDR + size;
	li->kernel_size = size;
	li->little_endian = false;
	return 0;
}

int load_initrd(struct guest_mem *m, const void *img, size_t size, uint64_t limit,
		struct load_info *li, char *err, size_t errlen)
{
	/*
	 * QEMU's place: past the kernel's size from where it starts, plus a little; but never
	 * into a later segment of an ELF with gaps between them (QEMU would overwrite it).
	 */
	uint64_t start = (li->kernel_start + li->kernel_size + 0x1ffff) & ~0xffffULL;

	start = MAX(start, ALIGN_UP(li->kernel_end, SZ_64K));

	if (limit > m->size)
		limit = m->size;
	if (!range_within(start, size, limit))
		return errorf(err, errlen,
			    "initrd of %zu bytes does not fit between the kernel and %#llx (give more --memory)",
			    size, (unsigned long long)limit);
	memcpy(m->hva + start, img, size);
	li->initrd_start = start;
	li->initrd_size = size;
	return 0;
}

void *read_file(const char *path, size_t *size, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf;
	size_t done = 0;
	int fd;

	/* O_NONBLOCK: a FIFO or a device must not hold psvm in open() (regular files ignore it) */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		errorf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		errorf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		errorf(err, errlen, "%s: out of memory", path);
		close(fd);
		return NULL;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n <= 0) {
			errorf(err, errlen, "%s: read error", path);
			free(buf);
			close(fd);
			return NULL;
		}
		done += (size_t)n;
	}
	close(fd);
	*size = done;
	return buf;
}
