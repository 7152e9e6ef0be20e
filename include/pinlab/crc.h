/* crc.h - the back ends behind crc32c(), for tests that compare them (crc32c() is in bio.h). */
#ifndef PINLAB_CRC_H
#define PINLAB_CRC_H

#include <pinlab/types.h>

/** crc32c_generic() - crc32c() by table, whatever the CPU has */
u32 crc32c_generic(u32 crc, const void *data, size_t len);

/** crc32c_has_insn() - Return: true when crc32c() uses the CPU's instruction */
bool crc32c_has_insn(void);

#endif /* PINLAB_CRC_H */
