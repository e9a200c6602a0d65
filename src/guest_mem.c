// SPDX-License-Identifier: GPL-2.0-only
/* Guest RAM in a memfd: shareable (vhost-user, VFIO pinning) and freed with the fd. */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest_mem.h"

int guest_mem_alloc(struct guest_mem *m, uint64_t size, bool hugetlb)
{
	unsigned int flags = MFD_CLOEXEC | (hugetlb ? MFD_HUGETLB : 0);

	m->fd = memfd_create("psvm-ram", flags);
	if (m->fd < 0)
		return -errno;
	if (ftruncate(m->fd, (off_t)size)) {
		int e = -errno;

		close(m->fd);
		m->fd = -1;
		return e;
	}
	m->hva = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, m->fd, 0);
	if (m->hva == MAP_FAILED) {
		int e = -errno;

		close(m->fd);
		m->fd = -1;
		m->hva = NULL;
		return e;
	}
	m->size = size;
	m->hugetlb = hugetlb;
	return 0;
}

void guest_mem_free(struct guest_mem *m)
{
	if (m->hva)
		munmap(m->hva, m->size);
	if (m->fd >= 0)
		close(m->fd);
	m->hva = NULL;
	m->fd = -1;
	m->size = 0;
}
