// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest RAM. Default: anonymous memory, 2 MiB aligned and MADV_HUGEPAGE, so KVM can map
 * it with huge pages (far fewer guest page faults). With hugetlb: a hugetlbfs memfd.
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest_mem.h"

#define THP_ALIGN SZ_2M

int guest_mem_alloc(struct guest_mem *m, uint64_t size, bool hugetlb)
{
	uint8_t *base;
	uint64_t lead;

	m->fd = -1;
	m->hugetlb = hugetlb;
	m->map_base = NULL;
	m->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	if (hugetlb) {
		struct stat st;

		m->fd = memfd_create("psvm-ram", MFD_CLOEXEC | MFD_HUGETLB);
		if (m->fd < 0)
			return -errno;
		if (ftruncate(m->fd, (off_t)size)) {
			int e = -errno;

			close(m->fd);
			m->fd = -1;
			return e;
		}
		m->hva = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
		if (m->hva == MAP_FAILED) {
			int e = -errno;

			close(m->fd);
			m->fd = -1;
			m->hva = NULL;
			return e;
		}
		m->map_base = m->hva;
		m->map_size = size;
		m->size = size;
		if (!fstat(m->fd, &st) && st.st_blksize > 0) /* hugetlbfs: the huge page size */
			m->page_size = (uint64_t)st.st_blksize;
		return 0;
	}
	/* Over-allocate to place RAM on a huge page boundary, then trim the ends. */
	m->map_size = size + THP_ALIGN;
	base = mmap(NULL, m->map_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return -errno;
	lead = ALIGN_UP((uint64_t)(uintptr_t)base, THP_ALIGN) - (uint64_t)(uintptr_t)base;
	if (lead)
		munmap(base, lead);
	if (THP_ALIGN - lead)
		munmap(base + lead + size, THP_ALIGN - lead);
	m->hva = base + lead;
	m->map_base = m->hva;
	m->map_size = size;
	madvise(m->hva, size, MADV_HUGEPAGE); /* best effort: THP may be off */
	m->size = size;
	return 0;
}

void guest_mem_free(struct guest_mem *m)
{
	if (m->map_base)
		munmap(m->map_base, m->map_size);
	if (m->fd >= 0)
		close(m->fd);
	m->hva = NULL;
	m->map_base = NULL;
	m->fd = -1;
	m->size = 0;
}
