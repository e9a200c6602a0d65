// SPDX-License-Identifier: GPL-2.0-only
/*
 * NVRAM as QEMU's pseries has it (spapr-nvram, /vdevice/nvram@71000001): RTAS nvram-fetch
 * and nvram-store on a byte array the guest partitions itself (Linux keeps its oops log
 * there). With --nvram FILE the array is the file: read at start, every store written
 * through at once, so what the guest stored survives a crash of psvm, a reboot and the
 * next run. A new or blank array gets one CHRP free partition, as SLOF formats a blank
 * nvram; Linux then makes its partitions in it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "be.h"
#include "config.h"
#include "devtree.h"
#include "log.h"
#include "nvram.h"
#include "rtas.h"
#include "vm.h"

struct nvram {
	uint8_t *buf;
	uint32_t size;
	int fd; /* -1: in memory only */
	pthread_mutex_t lock;
};

/* Linux's nvram_checksum(): 16-bit sums folded to a byte (the header minus its checksum). */
uint8_t nvram_header_checksum(const uint8_t *h)
{
	unsigned int sum = h[0] + ld_be16(h + 2), s2;

	for (unsigned int i = 4; i < NVRAM_HEADER_LEN; i += 2)
		sum += ld_le16(h + i); /* a little-endian guest's shorts of the name */
	sum = ((sum & 0xffff) + (sum >> 16)) & 0xffff;
	s2 = (sum >> 8) + (sum << 8);
	return (uint8_t)(((sum + s2) >> 8) & 0xff);
}

void nvram_format(uint8_t *buf, uint32_t size)
{
	memset(buf, 0, size);
	buf[0] = NVRAM_SIG_FREE;
	st_be16(buf + 2, (uint16_t)(size / NVRAM_BLOCK_LEN));
	memset(buf + 4, 'w', 12); /* the name firmware gives free space */
	buf[1] = nvram_header_checksum(buf);
}

/* Nothing at the first header: a new file, or one the user made with truncate. */
static bool nvram_blank(const uint8_t *buf)
{
	for (unsigned int i = 0; i < NVRAM_HEADER_LEN; i++)
		if (buf[i])
			return false;
	return true;
}

int nvram_check_size(uint64_t size, char *err, size_t errlen)
{
	if (size < NVRAM_MIN_SIZE || size > NVRAM_MAX_SIZE || size % NVRAM_BLOCK_LEN)
		return errorf(err, errlen,
			      "is %llu bytes: an nvram file is empty (psvm makes it %u KiB) or a multiple of 16 from %u KiB to %u KiB",
			      (unsigned long long)size, NVRAM_DEFAULT_SIZE >> 10, NVRAM_MIN_SIZE >> 10,
			      NVRAM_MAX_SIZE >> 10);
	return 0;
}

static int nvram_open(struct nvram *n, const char *path)
{
	char err[256];
	struct stat st;
	ssize_t got;

	n->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0600);
	if (n->fd < 0) {
		pr_err("nvram %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(n->fd, &st) || !S_ISREG(st.st_mode)) {
		pr_err("nvram %s: not a regular file", path);
		return -1;
	}
	/* two guests writing one nvram would corrupt each other's partitions */
	if (flock(n->fd, LOCK_EX | LOCK_NB)) {
		pr_err("nvram %s: %s", path,
		       errno == EWOULDBLOCK ? "in use by another psvm (locked)" : strerror(errno));
		return -1;
	}
	n->size = NVRAM_DEFAULT_SIZE;
	if (st.st_size) {
		if (nvram_check_size((uint64_t)st.st_size, err, sizeof(err))) {
			pr_err("nvram %s %s", path, err);
			return -1;
		}
		n->size = (uint32_t)st.st_size;
	}
	n->buf = calloc(1, n->size);
	if (!n->buf) {
		pr_err("nvram %s: out of memory", path);
		return -1;
	}
	got = st.st_size ? pread(n->fd, n->buf, n->size, 0) : 0;
	if (got != (ssize_t)st.st_size) {
		pr_err("nvram %s: read error", path);
		return -1;
	}
	if (nvram_blank(n->buf)) {
		nvram_format(n->buf, n->size);
		if (pwrite(n->fd, n->buf, n->size, 0) != (ssize_t)n->size) {
			pr_err("nvram %s: write error: %s", path, strerror(errno));
			return -1;
		}
		pr_info("nvram %s: %u KiB, formatted (one free partition)", path, n->size >> 10);
	}
	return 0;
}

static struct nvram *nvram_of(struct vm *vm)
{
	return device_priv(vm, &nvram_kind);
}

/*
 * The range the guest names, checked as QEMU does: offset + length within the nvram
 * (no wrap), the buffer all in guest RAM. NULL and rets set to PARAM_ERROR otherwise.
 */
static void *nvram_args(struct vcpu *cpu, struct rtas_call *c, struct nvram *n)
{
	uint64_t off = c->args[0], len = c->args[2];
	void *hva;

	c->rets[1] = 0;
	if (!n) {
		rtas_status(c, RTAS_HW_ERROR);
		return NULL;
	}
	hva = gpa_to_hva(&cpu->vm->mem, c->args[1], len ? len : 1);
	if (off + len > n->size || !hva) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return NULL;
	}
	return hva;
}

static void rtas_nvram_fetch(struct vcpu *cpu, struct rtas_call *c)
{
	struct nvram *n = nvram_of(cpu->vm);
	void *dst = nvram_args(cpu, c, n);

	if (!dst)
		return;
	pthread_mutex_lock(&n->lock);
	memcpy(dst, n->buf + c->args[0], c->args[2]);
	pthread_mutex_unlock(&n->lock);
	c->rets[1] = c->args[2];
	rtas_status(c, RTAS_OK);
}

static void rtas_nvram_store(struct vcpu *cpu, struct rtas_call *c)
{
	struct nvram *n = nvram_of(cpu->vm);
	const void *src = nvram_args(cpu, c, n);
	int32_t status = RTAS_OK;

	if (!src)
		return;
	pthread_mutex_lock(&n->lock);
	memcpy(n->buf + c->args[0], src, c->args[2]);
	if (n->fd >= 0 &&
	    pwrite(n->fd, n->buf + c->args[0], c->args[2], c->args[0]) != (ssize_t)c->args[2]) {
		pr_warn_guest("nvram: write to the file failed: %s", strerror(errno));
		status = RTAS_HW_ERROR;
	}
	pthread_mutex_unlock(&n->lock);
	c->rets[1] = status == RTAS_OK ? c->args[2] : 0;
	rtas_status(c, status);
}

static const struct rtas_def nvram_rtas[] = {
	{ "nvram-fetch", rtas_nvram_fetch, 3, 2 },
	{ "nvram-store", rtas_nvram_store, 3, 2 },
};

static int nvram_create(struct vm *vm, const void *conf __unused)
{
	struct nvram *n = calloc(1, sizeof(*n));

	if (!n)
		return -1;
	n->fd = -1;
	pthread_mutex_init(&n->lock, NULL);
	if (!device_add(vm, &nvram_kind, n)) {
		free(n);
		return -1;
	}
	return 0;
}

static int nvram_realize(struct device *dev)
{
	struct nvram *n = dev->priv;
	const char *path = dev->vm->cfg->nvram;

	if (path)
		return nvram_open(n, path);
	n->size = NVRAM_DEFAULT_SIZE;
	n->buf = malloc(n->size);
	if (!n->buf) {
		pr_err("nvram: out of memory");
		return -1;
	}
	nvram_format(n->buf, n->size);
	return 0;
}

static int nvram_fdt(struct device *dev, struct devtree *dt)
{
	struct nvram *n = dev->priv;

	if (dt->at != DEVTREE_VDEVICE)
		return 0;
	devtree_vio_node(dt, NVRAM_NODE_NAME, "nvram", "qemu,spapr-nvram", NVRAM_REG);
	fdtw_u32(&dt->w, "#bytes", n->size);
	fdtw_end(&dt->w);
	return 0;
}

static void nvram_destroy(struct device *dev)
{
	struct nvram *n = dev->priv;

	if (n->fd >= 0)
		close(n->fd); /* every store is in the file already; close drops the lock */
	free(n->buf);
	pthread_mutex_destroy(&n->lock);
	free(n);
}

const struct device_kind nvram_kind = {
	.name = "nvram",
	.create = nvram_create,
	.realize = nvram_realize,
	.realize_says_why = true,
	.fdt = nvram_fdt,
	.destroy = nvram_destroy,
	DEVICE_RTAS(nvram_rtas),
};
