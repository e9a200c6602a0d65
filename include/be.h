/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Explicit byte order for guest-visible data. PAPR structures (RTAS args, TCEs,
 * VPA) and the FDT are big-endian whatever the guest's or host's endianness.
 */
#ifndef PSVM_BE_H
#define PSVM_BE_H

#include <stdint.h>
#include <string.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define cpu_to_be16(x) __builtin_bswap16(x)
#define cpu_to_be32(x) __builtin_bswap32(x)
#define cpu_to_be64(x) __builtin_bswap64(x)
#define cpu_to_le32(x) ((uint32_t)(x))
#define cpu_to_le64(x) ((uint64_t)(x))
#else
#define cpu_to_be16(x) ((uint16_t)(x))
#define cpu_to_be32(x) ((uint32_t)(x))
#define cpu_to_be64(x) ((uint64_t)(x))
#define cpu_to_le32(x) __builtin_bswap32(x)
#define cpu_to_le64(x) __builtin_bswap64(x)
#endif
#define be16_to_cpu(x) cpu_to_be16(x)
#define be32_to_cpu(x) cpu_to_be32(x)
#define be64_to_cpu(x) cpu_to_be64(x)
#define le32_to_cpu(x) cpu_to_le32(x)
#define le64_to_cpu(x) cpu_to_le64(x)

/* A len-byte (1, 2, 4, 8) value from host order to big-endian, or back. */
static inline uint64_t cpu_to_be_n(uint64_t v, unsigned int len)
{
	switch (len) {
	case 2: return cpu_to_be16((uint16_t)v);
	case 4: return cpu_to_be32((uint32_t)v);
	case 8: return cpu_to_be64(v);
	default: return v & 0xff;
	}
}

/* Unaligned accessors for guest memory (guest pointers carry no alignment promise). */
static inline uint32_t ld_be32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return be32_to_cpu(v);
}

static inline uint64_t ld_be64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return be64_to_cpu(v);
}

static inline void st_be32(void *p, uint32_t v)
{
	v = cpu_to_be32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void st_be64(void *p, uint64_t v)
{
	v = cpu_to_be64(v);
	memcpy(p, &v, sizeof(v));
}

static inline uint16_t ld_be16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline void st_be16(void *p, uint16_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static inline uint16_t ld_le16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t ld_le32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32_to_cpu(v);
}

static inline uint64_t ld_le64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64_to_cpu(v);
}

#endif
