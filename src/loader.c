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

/* Firmware drops the top nibble: vmlinux links at 0xc000000000000000 and runs at 0. */
#define KERNEL_ADDR_MASK 0x0fffffffffffffffULL
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
	uint64_t phoff, ventry, entry = 0, lo = UINT64_MAX, hi = 0;
	uint16_t phnum, phentsize, type, machine;
	bool entry_found = false;
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
	ventry = rd64(&r, offsetof(Elf64_Ehdr, e_entry));
	if (phnum == 0 || phnum > MAX_PHDRS || phentsize < sizeof(Elf64_Phdr) ||
	    !range_within(phoff, (uint64_t)phnum * phentsize, size))
		return errorf(err, errlen, "ELF program headers are malformed");

	/* Validate every PT_LOAD before touching guest memory. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned int i = 0; i < phnum; i++) {
			size_t ph = phoff + (size_t)i * phentsize;
			uint64_t off, vaddr, paddr, filesz, memsz;

			if (rd32(&r, ph + offsetof(Elf64_Phdr, p_type)) != PT_LOAD)
				continue;
			off = rd64(&r, ph + offsetof(Elf64_Phdr, p_offset));
			vaddr = rd64(&r, ph + offsetof(Elf64_Phdr, p_vaddr));
			paddr = rd64(&r, ph + offsetof(Elf64_Phdr, p_paddr)) & KERNEL_ADDR_MASK;
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
				if (!entry_found && ventry - vaddr < memsz) {
					entry = ventry - vaddr + paddr;
					entry_found = true;
				}
				lo = MIN(lo, paddr);
				hi = MAX(hi, paddr + memsz);
				loads++;
				continue;
			}
			memcpy(m->hva + paddr, r.b + off, filesz);
			memset(m->hva + paddr + filesz, 0, memsz - filesz);
		}
		if (pass == 0 && !loads)
			return errorf(err, errlen, "ELF has no loadable segment");
		if (pass == 0 && !entry_found) {
			entry = ventry & KERNEL_ADDR_MASK;
			if (entry < lo || entry >= hi)
				return errorf(err, errlen, "ELF entry point is outside its segments");
		}
	}
	li->entry = entry;
	li->kernel_start = lo;
	li->kernel_end = hi;
	li->little_endian = r.le;
	return 0;
}

int load_flat(struct guest_mem *m, const void *img, size_t size, struct load_info *li,
	      char *err, size_t errlen)
{
	if (!range_within(0, size, m->size))
		return errorf(err, errlen, "image of %zu bytes does not fit in guest RAM", size);
	memcpy(m->hva, img, size);
	li->entry = 0;
	li->kernel_start = 0;
	li->kernel_end = size;
	li->little_endian = true;
	return 0;
}

int load_initrd(struct guest_mem *m, const void *img, size_t size, uint64_t limit,
		struct load_info *li, char *err, size_t errlen)
{
	uint64_t start = ALIGN_UP(li->kernel_end, SZ_64K);

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
