/* crc.h - crc32c() and the T10 DIF CRC of lib/crc.c, and the per-sector checksums built on them. */
#ifndef PINLAB_CRC_H
#define PINLAB_CRC_H

#include <pinlab/types.h>

/** crc32c() - Castagnoli CRC (the SSE4.2/ARMv8 instruction where there is one) */
u32 crc32c(u32 crc, const void *data, size_t len);
/** crc_t10dif() - the T10 DIF guard CRC16 */
u16 crc_t10dif(u16 crc, const void *data, size_t len);
/** sector_csum() - crc32c of one sector's value, as btrfs stores it */
u32 sector_csum(s64 v);
/** sector_guard() - T10-DIF guard of one sector's value */
u16 sector_guard(s64 v);

/* The back ends behind crc32c(), for tests that compare them. */
/** crc32c_generic() - crc32c() by table, whatever the CPU has */
u32 crc32c_generic(u32 crc, const void *data, size_t len);

/** crc32c_has_insn() - Return: true when crc32c() uses the CPU's instruction */
bool crc32c_has_insn(void);

#endif /* PINLAB_CRC_H */
