/* SPDX-License-Identifier: GPL-2.0-only */
/* The pseries NVRAM (devices/nvram.c): QEMU's spapr-nvram, optionally kept in a file. */
#ifndef PSVM_NVRAM_H
#define PSVM_NVRAM_H

#include "device.h"

#define NVRAM_REG 0x71000001 /* QEMU's: the VIO address after the console's */
#define NVRAM_NODE_NAME "nvram@71000001"
#define NVRAM_DEFAULT_SIZE (64 << 10)
#define NVRAM_MIN_SIZE (8 << 10)
#define NVRAM_MAX_SIZE (1 << 20)
#define NVRAM_BLOCK_LEN 16	/* partition lengths count these */
#define NVRAM_HEADER_LEN 16	/* signature, checksum, be16 length, 12-byte name */
#define NVRAM_SIG_FREE 0x7f

/* Built in: made after the console. */
extern const struct device_kind nvram_kind;

/* The checksum byte of a partition header, as Linux checks it. */
uint8_t nvram_header_checksum(const uint8_t *hdr);
/* size bytes of blank nvram: one free partition over all of it. */
void nvram_format(uint8_t *buf, uint32_t size);
/* 0 if an existing nvram file's size is one psvm takes, else -1 with err set. */
int nvram_check_size(uint64_t size, char *err, size_t errlen);

#endif
