/* crc.c - crc32c (by the CPU's instruction or a table) and the T10 DIF CRC16. */
#include <string.h>
#include <pinlab/crc.h>

#if defined(__x86_64__)
#include <nmmintrin.h>
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>
#endif

#define CRC32C_POLY_LE	0x82f63b78u	/* Castagnoli, bit-reflected */
#define CRC_T10DIF_POLY	0x8bb7u		/* T10 DIF, MSB first */

static u32 crc32c_table[256];		/* crc32c of each byte value */
static u16 crc_t10dif_table[256];	/* crc_t10dif of each byte value */
static bool crc32c_insn;		/* crc32c() uses the CPU's instruction */

/* One byte value through the reflected crc32c polynomial, bit by bit. */
static u32 crc32c_byte(u32 crc)
{
	int bit;

	for (bit = 0; bit < 8; bit++)
		crc = (crc >> 1) ^ (crc & 1 ? CRC32C_POLY_LE : 0);
	return crc;
}

/* One byte value through the T10 DIF polynomial, bit by bit. */
static u16 crc_t10dif_byte(u16 crc)
{
	int bit;

	for (bit = 0; bit < 8; bit++)
		crc = (u16)(crc << 1) ^ (crc & 0x8000 ? CRC_T10DIF_POLY : 0);
	return crc;
}

#if defined(__x86_64__)

/* SSE4.2's crc32 instruction: eight bytes at a time, then the tail. */
__attribute__((target("sse4.2")))
static u32 crc32c_arch(u32 crc, const u8 *p, size_t len)
{
	u64 c = crc;
	u64 word;

	for (; len >= sizeof(word); len -= sizeof(word), p += sizeof(word)) {
		memcpy(&word, p, sizeof(word));
		c = _mm_crc32_u64(c, word);
	}
	crc = (u32)c;
	while (len--)
		crc = _mm_crc32_u8(crc, *p++);
	return crc;
}

static bool crc32c_arch_supported(void)
{
	__builtin_cpu_init();	/* we run from a constructor */
	return __builtin_cpu_supports("sse4.2");
}

#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)

/* ARMv8's crc32c instructions, built in because the target has them. */
static u32 crc32c_arch(u32 crc, const u8 *p, size_t len)
{
	u64 word;

	for (; len >= sizeof(word); len -= sizeof(word), p += sizeof(word)) {
		memcpy(&word, p, sizeof(word));
		crc = __crc32cd(crc, word);
	}
	while (len--)
		crc = __crc32cb(crc, *p++);
	return crc;
}

static bool crc32c_arch_supported(void)
{
	return true;
}

#else

static u32 crc32c_arch(u32 crc, const u8 *p, size_t len)
{
	(void)p;
	(void)len;
	return crc;
}

static bool crc32c_arch_supported(void)
{
	return false;
}

#endif

/* Fill the tables and pick the crc32c back end before main() runs. */
__attribute__((constructor))
static void crc_init(void)
{
	int i;

	for (i = 0; i < 256; i++) {
		crc32c_table[i] = crc32c_byte(i);
		crc_t10dif_table[i] = crc_t10dif_byte((u16)(i << 8));
	}
	crc32c_insn = crc32c_arch_supported();
}

/**
 * crc32c_generic() - crc32c by table lookup, one byte per step
 * @crc:  the CRC so far (~0 to start, as btrfs does)
 * @data: bytes to add
 * @len:  their number
 *
 * Like the kernel's crc32c(), no inversion is applied on the way in or out.
 *
 * Return: the updated CRC.
 */
u32 crc32c_generic(u32 crc, const void *data, size_t len)
{
	const u8 *p = data;

	while (len--)
		crc = (crc >> 8) ^ crc32c_table[(crc ^ *p++) & 0xff];
	return crc;
}

/**
 * crc32c_has_insn() - true when crc32c() uses the CPU's instruction
 */
bool crc32c_has_insn(void)
{
	return crc32c_insn;
}

/**
 * crc32c() - add @len bytes at @data to the Castagnoli CRC @crc
 * @crc:  the CRC so far
 * @data: bytes to add
 * @len:  their number
 *
 * The CPU's instruction where there is one (SSE4.2, ARMv8 CRC), else the
 * table.  No inversion on the way in or out.
 *
 * Return: the updated CRC.
 */
u32 crc32c(u32 crc, const void *data, size_t len)
{
	if (crc32c_insn)
		return crc32c_arch(crc, data, len);
	return crc32c_generic(crc, data, len);
}

/**
 * crc_t10dif() - add @len bytes at @data to the T10 DIF guard CRC @crc
 * @crc:  the CRC so far (0 to start)
 * @data: bytes to add
 * @len:  their number
 *
 * Return: the updated CRC.
 */
u16 crc_t10dif(u16 crc, const void *data, size_t len)
{
	const u8 *p = data;

	while (len--)
		crc = (u16)(crc << 8) ^ crc_t10dif_table[((crc >> 8) ^ *p++) & 0xff];
	return crc;
}

/**
 * sector_csum() - the data checksum btrfs stores for one sector
 * @v: the sector's value
 *
 * crc32c seeded with ~0 and inverted at the end, as the crypto API's
 * "crc32c" gives it to btrfs.
 *
 * Return: the checksum.
 */
u32 sector_csum(s64 v)
{
	return ~crc32c(~0u, &v, sizeof(v));
}

/**
 * sector_guard() - the T10 DIF guard tag of one sector
 * @v: the sector's value
 *
 * Return: the guard tag.
 */
u16 sector_guard(s64 v)
{
	return crc_t10dif(0, &v, sizeof(v));
}
