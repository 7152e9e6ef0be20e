/* crc.h - crc32c() and the T10 DIF CRC of lib/crc.c, and the per-sector checksums built on them. */
#ifndef PINLAB_CRC_H
#define PINLAB_CRC_H

#include <pinlab/types.h>

u32 crc32c(u32 crc, const void *data, size_t len);
u16 crc_t10dif(u16 crc, const void *data, size_t len);
u32 sector_csum(s64 v);
u16 sector_guard(s64 v);

/* The back ends behind crc32c(), for tests that compare them. */
u32 crc32c_generic(u32 crc, const void *data, size_t len);

bool crc32c_has_insn(void);

#endif /* PINLAB_CRC_H */
