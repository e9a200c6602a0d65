// SPDX-License-Identifier: GPL-2.0-only
/* The device tree writer, read back with libfdt. */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "be.h"
#include "fdtw.h"
#include "unit.h"

static struct fdtw w;
static uint8_t buf[4096], big[1 << 16];

Test(fdtw, a_tree_libfdt_reads)
{
	const uint8_t *p;
	int root, a, len;
	uint64_t addr, size;

	fdtw_begin(&w, buf, sizeof(buf));
	fdtw_rsv(&w, 0x1000, 0x2000);
	fdtw_node(&w, "");
	fdtw_u32(&w, "#size-cells", 2);
	fdtw_node(&w, "a@1");
	fdtw_str(&w, "compatible", "x,y");
	fdtw_empty(&w, "flag");
	fdtw_u64s(&w, "reg", (uint64_t[]){ 1, 0x123456789ULL }, 2);
	fdtw_prop(&w, "odd", "\1\2\3\4\5", 5);
	fdtw_end(&w);
	fdtw_node(&w, "b");
	fdtw_u32(&w, "#size-cells", 1); /* a name again: one string */
	fdtw_end(&w);
	fdtw_end(&w);
	cr_assert_eq(fdtw_finish(&w), 0);
	cr_assert_eq(fdt_check_full(buf, sizeof(buf)), 0);
	cr_assert_eq(fdt_totalsize(buf), w.off);
	cr_assert_eq(fdt_num_mem_rsv(buf), 1);
	cr_assert_eq(fdt_get_mem_rsv(buf, 0, &addr, &size), 0);
	cr_assert(addr == 0x1000 && size == 0x2000);
	root = fdt_path_offset(buf, "/");
	cr_assert_eq(ld_be32(fdt_getprop(buf, root, "#size-cells", NULL)), 2u);
	a = fdt_path_offset(buf, "/a@1");
	cr_assert_geq(a, 0);
	cr_assert_str_eq(fdt_getprop(buf, a, "compatible", NULL), "x,y");
	cr_assert_not_null(fdt_getprop(buf, a, "flag", &len));
	cr_assert_eq(len, 0);
	p = fdt_getprop(buf, a, "reg", &len);
	cr_assert_eq(len, 16);
	cr_assert_eq(ld_be64(p + 8), 0x123456789ULL);
	p = fdt_getprop(buf, a, "odd", &len);
	cr_assert(len == 5 && !memcmp(p, "\1\2\3\4\5", 5));
	cr_assert_eq(ld_be32(fdt_getprop(buf, fdt_path_offset(buf, "/b"), "#size-cells", NULL)),
		     1u);
	cr_assert_eq(fdt_size_dt_strings(buf), sizeof("#size-cells") + sizeof("compatible") +
						       sizeof("flag") + sizeof("reg") +
						       sizeof("odd"));
}

/* Too small anywhere: an error at finish, nothing written past the buffer's end. */
Test(fdtw, no_space)
{
	size_t full;

	fdtw_begin(&w, buf, sizeof(buf));
	fdtw_node(&w, "");
	fdtw_str(&w, "model", "psvm");
	fdtw_end(&w);
	cr_assert_eq(fdtw_finish(&w), 0);
	full = w.off;
	for (size_t n = 0; n < full; n++) {
		memset(buf, 0xa5, sizeof(buf));
		fdtw_begin(&w, buf, n);
		fdtw_node(&w, "");
		fdtw_str(&w, "model", "psvm");
		fdtw_end(&w);
		cr_assert_eq(fdtw_finish(&w), -FDT_ERR_NOSPACE, "%zu bytes", n);
		cr_assert_eq(buf[n], 0xa5, "%zu bytes: wrote past them", n);
	}
}

/*
 * Misuse is refused, not written: a property outside a node, a second root, an unbalanced
 * end, a reservation after the first node, a tree left open, names past the strings' room.
 */
Test(fdtw, bad_state)
{
	size_t strings;
	char name[16];

	fdtw_begin(&w, buf, sizeof(buf));
	fdtw_u32(&w, "x", 1);
	cr_assert_eq(fdtw_finish(&w), -FDT_ERR_BADSTATE);
	fdtw_begin(&w, buf, sizeof(buf));
	fdtw_node(&w, "");
	fdtw_end(&w);
	fdtw_node(&w, "");
	cr_assert_eq(fdtw_finish(&w), -FDT_ERR_BADSTATE);
	fdtw_begin(&w, buf, sizeof(buf));
	fdtw_end(&w);
	cr_assert_eq(fdtw_finish(&w), -FDT_ERR_BADSTATE);
	fdtw_begin(&w, buf, sizeof(buf));
	fdtw_node(&w, "");
	fdtw_rsv(&w, 0, 0x1000);
	cr_assert_eq(fdtw_finish(&w), -FDT_ERR_BADSTATE);
	fdtw_begin(&w, buf, sizeof(buf));
	fdtw_node(&w, "");
	cr_assert_eq(fdtw_finish(&w), -FDT_ERR_BADSTATE);
	fdtw_begin(&w, buf, sizeof(buf)); /* a property after a child: libfdt would not see it */
	fdtw_node(&w, "");
	fdtw_node(&w, "a");
	fdtw_end(&w);
	fdtw_u32(&w, "x", 1);
	fdtw_end(&w);
	cr_assert_eq(fdtw_finish(&w), -FDT_ERR_BADSTATE);
	fdtw_begin(&w, buf, sizeof(buf)); /* nodes FDTW_DEPTH deep, not one more */
	for (unsigned int i = 0; i < FDTW_DEPTH; i++) {
		fdtw_node(&w, i ? "n" : "");
		fdtw_u32(&w, "x", i);
	}
	for (unsigned int i = 0; i < FDTW_DEPTH; i++)
		fdtw_end(&w);
	cr_assert_eq(fdtw_finish(&w), 0);
	cr_assert_eq(fdt_check_full(buf, sizeof(buf)), 0);
	fdtw_begin(&w, buf, sizeof(buf));
	for (unsigned int i = 0; i <= FDTW_DEPTH; i++)
		fdtw_node(&w, i ? "n" : "");
	for (unsigned int i = 0; i <= FDTW_DEPTH; i++)
		fdtw_end(&w);
	cr_assert_eq(fdtw_finish(&w), -FDT_ERR_BADSTATE);
	fdtw_begin(&w, big, sizeof(big)); /* room for the structure, not for the names */
	fdtw_node(&w, "");
	for (unsigned int i = 0; i < FDTW_STRINGS / 8 + 1; i++) {
		snprintf(name, sizeof(name), "n%06u", i); /* 8 bytes each */
		fdtw_empty(&w, name);
	}
	cr_assert_eq(fdtw_finish(&w), -FDT_ERR_NOSPACE);
	fdtw_begin(&w, big, sizeof(big)); /* more names than slots, each in room */
	fdtw_node(&w, "");
	for (unsigned int i = 0; i < FDTW_SLOTS; i++) {
		snprintf(name, sizeof(name), "%x", i);
		fdtw_empty(&w, name);
	}
	cr_assert_eq(fdtw_finish(&w), -FDT_ERR_NOSPACE);
	fdtw_begin(&w, big, sizeof(big)); /* as many as fit: each once, found again */
	fdtw_node(&w, "");
	strings = 0;
	for (unsigned int i = 0; i < FDTW_SLOTS - 1; i++) {
		snprintf(name, sizeof(name), "%x", i);
		strings += strlen(name) + 1;
		fdtw_node(&w, name);
		fdtw_empty(&w, name);
		if (i)
			fdtw_empty(&w, "0");
		fdtw_end(&w);
	}
	fdtw_end(&w);
	cr_assert_eq(fdtw_finish(&w), 0);
	cr_assert_eq(fdt_check_full(big, sizeof(big)), 0);
	cr_assert_eq(fdt_size_dt_strings(big), strings);
}
