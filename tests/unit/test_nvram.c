// SPDX-License-Identifier: GPL-2.0-only
/* The pseries nvram: RTAS fetch/store, their bounds, the file across runs, formatting. */
#include <fcntl.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "be.h"
#include "devtree.h"
#include "fake_arch.h"
#include "nvram.h"
#include "rtas.h"
#include "unit.h"
#include "vm.h"

#define BUF_GPA 0x10000

static char path[64];

static void mkpath(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/psvm-unit-nvram-XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
}

static void rmpath(void)
{
	unlink(path);
}

static int32_t nv(struct vm *vm, const char *call, uint32_t off, uint32_t gpa, uint32_t len,
		  uint32_t *done)
{
	uint32_t args[3] = { off, gpa, len }, rets[2];

	cr_assert_eq(test_rtas_call(vm, 0, call, 3, args, 2, rets), H_SUCCESS);
	*done = rets[1];
	return (int32_t)rets[0];
}

Test(nvram, checksum_is_linuxs)
{
	static uint8_t nv[NVRAM_DEFAULT_SIZE];
	uint8_t h[16];

	/* one free partition over 64 KiB, named as firmware names free space: checksum 0x29 */
	memset(nv, 0xee, sizeof(nv));
	nvram_format(nv, sizeof(nv));
	memset(h, 0, sizeof(h));
	h[0] = NVRAM_SIG_FREE;
	st_be16(h + 2, 4096);
	memset(h + 4, 'w', 12);
	cr_assert_eq(nvram_header_checksum(h), 0x29);
	h[1] = 0x29;
	cr_assert_eq(memcmp(nv, h, 16), 0);
	cr_assert_eq(nv[sizeof(nv) - 1], 0, "the rest zeroed");
	/* a partition Linux makes: signature 0x70, 16 blocks, "ibm,rtas-log" */
	memcpy(h + 4, "ibm,rtas-log", 12);
	h[0] = 0x70;
	st_be16(h + 2, 0x10);
	cr_assert_eq(nvram_header_checksum(h), 0x12); /* as QEMU's byte-wise fold too */
}

Test(nvram, in_memory_formatted_fetch_store_bounds)
{
	struct vm *vm = test_vm(64 << 20, 1);
	uint8_t *buf = vm->mem.hva + BUF_GPA;
	uint32_t done;
	void *fdt = calloc(1, FDT_MAX_SIZE);
	int node, len;
	const void *p;

	/* the device tree node Linux looks for (by type) and its size */
	cr_assert_eq(devtree_build(vm, fdt, FDT_MAX_SIZE), 0);
	node = fdt_path_offset(fdt, "/vdevice/" NVRAM_NODE_NAME);
	cr_assert_geq(node, 0);
	cr_assert_str_eq(fdt_getprop(fdt, node, "device_type", NULL), "nvram");
	p = fdt_getprop(fdt, node, "#bytes", &len);
	cr_assert_eq(len, 4);
	cr_assert_eq(ld_be32(p), NVRAM_DEFAULT_SIZE);
	free(fdt);

	cr_assert_eq(nv(vm, "nvram-fetch", 0, BUF_GPA, 16, &done), RTAS_OK);
	cr_assert_eq(done, 16u);
	cr_assert_eq(buf[0], NVRAM_SIG_FREE, "blank nvram: one free partition");
	cr_assert_eq(ld_be16(buf + 2), NVRAM_DEFAULT_SIZE / 16);
	cr_assert_eq(buf[1], nvram_header_checksum(buf));

	memcpy(buf, "psvm nvram test!", 16);
	cr_assert_eq(nv(vm, "nvram-store", NVRAM_DEFAULT_SIZE - 16, BUF_GPA, 16, &done), RTAS_OK);
	cr_assert_eq(done, 16u);
	memset(buf, 0, 16);
	cr_assert_eq(nv(vm, "nvram-fetch", NVRAM_DEFAULT_SIZE - 16, BUF_GPA, 16, &done), RTAS_OK);
	cr_assert_eq(memcmp(buf, "psvm nvram test!", 16), 0);

	/* bad ranges: the RTAS parameter error, 0 bytes done, nothing touched */
	memset(buf, 0x5a, 32);
	cr_assert_eq(nv(vm, "nvram-fetch", NVRAM_DEFAULT_SIZE - 15, BUF_GPA, 16, &done),
		     RTAS_PARAM_ERROR);
	cr_assert_eq(done, 0u);
	cr_assert_eq(buf[0], 0x5a);
	cr_assert_eq(nv(vm, "nvram-store", 0xfffffff0u, BUF_GPA, 0x20, &done), RTAS_PARAM_ERROR,
		     "offset + length wraps");
	cr_assert_eq(nv(vm, "nvram-store", 0, (64 << 20) - 8, 16, &done), RTAS_PARAM_ERROR,
		     "buffer runs off guest RAM");
	cr_assert_eq(nv(vm, "nvram-fetch", 0, 0xfffffff0u, 16, &done), RTAS_PARAM_ERROR);
	cr_assert_eq(nv(vm, "nvram-fetch", 16, BUF_GPA, 0, &done), RTAS_OK, "0 bytes: fine");
	cr_assert_eq(done, 0u);
	{
		uint32_t args[2] = { 0, BUF_GPA }, rets[2];

		test_rtas_call(vm, 0, "nvram-fetch", 2, args, 2, rets);
		cr_assert_eq((int32_t)rets[0], RTAS_PARAM_ERROR, "2 arguments");
	}
	test_vm_free(vm);
}

Test(nvram, file_kept_across_runs, .init = mkpath, .fini = rmpath)
{
	struct vm *vm = test_vm_nvram(64 << 20, 1, path);
	uint8_t *buf = vm->mem.hva + BUF_GPA;
	struct stat st;
	uint32_t done;

	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_size, NVRAM_DEFAULT_SIZE, "an empty file becomes 64 KiB");
	memcpy(buf, "kept in the file", 16);
	cr_assert_eq(nv(vm, "nvram-store", 0x1000, BUF_GPA, 16, &done), RTAS_OK);
	/* written through at once: the file has it while psvm still runs */
	{
		char got[16];
		int fd = open(path, O_RDONLY);

		cr_assert_eq(pread(fd, got, 16, 0x1000), 16);
		cr_assert_eq(memcmp(got, "kept in the file", 16), 0);
		close(fd);
	}
	cr_assert_null(test_vm_nvram(64 << 20, 1, path), "a second psvm cannot take it");
	test_vm_free(vm);

	vm = test_vm_nvram(64 << 20, 1, path);
	cr_assert_not_null(vm);
	buf = vm->mem.hva + BUF_GPA;
	cr_assert_eq(nv(vm, "nvram-fetch", 0x1000, BUF_GPA, 16, &done), RTAS_OK);
	cr_assert_eq(memcmp(buf, "kept in the file", 16), 0, "the next run reads it back");
	cr_assert_eq(nv(vm, "nvram-fetch", 0, BUF_GPA, 1, &done), RTAS_OK);
	cr_assert_eq(buf[0], NVRAM_SIG_FREE, "formatted once, not again");
	test_vm_free(vm);
}

Test(nvram, bad_files_refused, .init = mkpath, .fini = rmpath)
{
	cr_assert_eq(truncate(path, 1000), 0);
	cr_assert_null(test_vm_nvram(64 << 20, 1, path), "1000 bytes: no nvram size");
	cr_assert_eq(truncate(path, 2 << 20), 0);
	cr_assert_null(test_vm_nvram(64 << 20, 1, path), "2 MiB: too big");
	cr_assert_null(test_vm_nvram(64 << 20, 1, "/dev/zero"), "not a regular file");
	cr_assert_null(test_vm_nvram(64 << 20, 1, "/nonexistent-dir/nvram"));
	cr_assert_eq(truncate(path, 16 << 10), 0);
	{
		struct vm *vm = test_vm_nvram(64 << 20, 1, path);
		uint32_t done;

		cr_assert_not_null(vm, "16 KiB of zeros: taken, formatted");
		cr_assert_eq(nv(vm, "nvram-fetch", 0, BUF_GPA, 16, &done), RTAS_OK);
		cr_assert_eq(ld_be16(vm->mem.hva + BUF_GPA + 2), (16 << 10) / 16);
		cr_assert_eq(nv(vm, "nvram-store", 16 << 10, BUF_GPA, 1, &done), RTAS_PARAM_ERROR);
		test_vm_free(vm);
	}
}
