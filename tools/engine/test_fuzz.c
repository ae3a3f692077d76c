// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fuzz [--seed S] [--count N] [--list K]
 *
 * The reliability suite's malformed-stream corpus (tests/module/iaa_fuzz.h, the very streams
 * the guest feeds to deflate-iaa with the same seed) through the device's engine, decompress
 * with the flags the driver sets (stop_on_eob, check_for_eob) and the stream's dlen as
 * dst_cap. Every stream is judged against zlib with the device's 4 KiB window:
 *   zlib accepts          success, same size, same bytes, same input consumed
 *   zlib: invalid data    an analytics error
 *   zlib: truncated       analytics error "input ended before the final EOB"
 *   zlib: output > cap    output buffer overflow, dst_cap bytes as zlib's
 * and nothing may be written past dst_cap (guard bytes). The generator is checked too: its
 * valid kinds must inflate with zlib's 32 KiB window. The corpus digest is printed, and for the
 * default corpus must be IAA_FZ_DIGEST, the value the guest module checks as well.
 * KTAP on stdout; exit 0 when every case passed. --list K prints the first K streams.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "iaa_engine.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#include "../../tests/module/iaa_fuzz.h"

#define GUARD		64
#define CANARY		0xa5
#define MAX_MSGS	10

enum { OR_END, OR_DATAERR, OR_TRUNC, OR_OVERFLOW, OR_NR };
static const char *const or_name[OR_NR] = { "accepted", "invalid", "truncated", "overflow" };

struct oracle {
	int st;
	size_t out_len;		/* bytes produced, <= cap */
	size_t in_used;		/* for OR_END */
};

/*
 * zlib raw inflate with a 2^wbits window into out[cap + 1]: one byte more tells an overflow.
 * zlib lets a match reach back into the output of the current call as well as into its
 * window, so once the output is larger than the window it is produced a byte per call: only
 * then does a distance beyond the window fail as it does on the device.
 */
static struct oracle oracle(const u8 *src, size_t n, u8 *out, size_t cap, int wbits)
{
	size_t win = (size_t)1 << wbits;
	struct oracle o = { 0 };
	z_stream z;
	int ret;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -wbits) != Z_OK)
		abort();
	z.next_in = (Bytef *)src;
	z.avail_in = n;
	z.next_out = out;
	do {
		size_t left = cap + 1 - z.total_out;

		z.avail_out = z.total_out < win ? (left < win - z.total_out ? left :
						   win - z.total_out) : 1;
		ret = inflate(&z, Z_NO_FLUSH);
	} while (ret == Z_OK && z.total_out < cap + 1);
	o.out_len = z.total_out;
	if (o.out_len > cap) {
		o.st = OR_OVERFLOW;
		o.out_len = cap;
	} else if (ret == Z_STREAM_END) {
		o.st = OR_END;
		o.in_used = n - z.avail_in;
	} else if (ret == Z_DATA_ERROR) {
		o.st = OR_DATAERR;
	} else if (ret == Z_BUF_ERROR || ret == Z_OK) {
		o.st = OR_TRUNC;
	} else {
		abort();
	}
	inflateEnd(&z);
	return o;
}

static unsigned int fails[4], msgs;

#define FAIL(c, fmt, ...) do {							\
	fails[c]++;								\
	if (msgs++ < MAX_MSGS)							\
		printf("# FAIL stream %" PRIu64 " (%s, %u B, dlen %u): " fmt "\n",	\
		       i, iaa_fz_kind_name[s.kind], s.len, s.dlen, ##__VA_ARGS__);	\
} while (0)

enum { C_DIGEST, C_GEN, C_ENGINE, C_GUARD };

int main(int argc, char **argv)
{
	u64 seed = IAA_FZ_SEED, count = IAA_FZ_COUNT, digest = 0, list = 0, i;
	unsigned int by_or[OR_NR] = { 0 }, by_kind[IAA_FZ_NR] = { 0 }, wide_fallback = 0;
	unsigned int kind_or[IAA_FZ_NR][OR_NR] = { { 0 } };
	u8 *buf = malloc(IAA_FZ_MAX_STREAM), *ref = malloc(IAA_FZ_MAX_OUT + 1);
	u8 *big = malloc(4 * IAA_FZ_MAX_OUT + 1), *dst = malloc(IAA_FZ_MAX_OUT + GUARD);
	int a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--seed") && a + 1 < argc)
			seed = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--count") && a + 1 < argc)
			count = strtoull(argv[++a], NULL, 0);
		else if (!strcmp(argv[a], "--list") && a + 1 < argc)
			list = strtoull(argv[++a], NULL, 0);
	}
	if (!buf || !ref || !big || !dst)
		abort();
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..4\n");
	printf("# fuzz corpus: seed %" PRIu64 ", %" PRIu64 " streams (tests/module/iaa_fuzz.h)\n",
	       seed, count);

	for (i = 0; i < count; i++) {
		struct iaa_fz_stream s = { .buf = buf };
		struct iaa_decomp_args d;
		struct iaa_result r;
		struct oracle o, w;
		bool valid_kind;

		iaa_fz_make(seed, i, &s);
		digest += iaa_fz_hash(&s);
		by_kind[s.kind]++;
		if (i < list) {
			printf("# %" PRIu64 " %s len %u dlen %u:", i, iaa_fz_kind_name[s.kind],
			       s.len, s.dlen);
			for (u32 k = 0; k < s.len && k < 32; k++)
				printf(" %02x", buf[k]);
			printf("\n");
		}

		/* the generator: valid kinds are valid deflate (32 KiB window) */
		w = oracle(buf, s.len, big, 4 * IAA_FZ_MAX_OUT, 15);
		kind_or[s.kind][oracle(buf, s.len, big, s.dlen, 15).st]++;
		valid_kind = s.kind == IAA_FZ_VALID || s.kind == IAA_FZ_EXPAND ||
			     s.kind == IAA_FZ_WIDE || s.kind == IAA_FZ_TRAILING;
		if (valid_kind && w.st != OR_END)
			FAIL(C_GEN, "a valid kind that zlib calls %s", or_name[w.st]);
		if (s.kind == IAA_FZ_EXPAND && w.st == OR_END && w.out_len > 1 &&
		    w.out_len <= s.dlen)
			FAIL(C_GEN, "expand kind fits dlen (%zu)", w.out_len);

		/* the engine, as the driver asks it */
		o = oracle(buf, s.len, ref, s.dlen, 12);
		by_or[o.st]++;
		memset(dst, CANARY, s.dlen + GUARD);
		d = (struct iaa_decomp_args){
			.src = buf, .src_len = s.len, .dst = dst, .dst_cap = s.dlen,
			.stop_on_eob = true, .check_for_eob = true,
			.sel_bfinal_eob = true,
		};
		iaa_decompress(&d, &r);
		for (int g = 0; g < GUARD; g++) {
			if (dst[s.dlen + g] != CANARY) {
				FAIL(C_GUARD, "byte %u past dst_cap written", s.dlen + g);
				break;
			}
		}
		switch (o.st) {
		case OR_END:
			if (r.status != IAA_ST_SUCCESS || r.out_size != o.out_len ||
			    memcmp(dst, ref, o.out_len) || r.in_consumed != o.in_used)
				FAIL(C_ENGINE, "zlib accepts (%zu B, %zu in); engine %#x/%#x size %u in %u",
				     o.out_len, o.in_used, r.status, r.error_code, r.out_size,
				     r.in_consumed);
			break;
		case OR_DATAERR:
			if (r.status != IAA_ST_ANALYTICS_ERROR || !r.error_code ||
			    r.error_code == IAA_ERR_BAD_EOF)
				FAIL(C_ENGINE, "zlib: invalid; engine %#x/%#x", r.status,
				     r.error_code);
			if (w.st == OR_END || w.st == OR_OVERFLOW)
				wide_fallback++;
			break;
		case OR_TRUNC:
			if (r.status != IAA_ST_ANALYTICS_ERROR || r.error_code != IAA_ERR_BAD_EOF)
				FAIL(C_ENGINE, "zlib: truncated; engine %#x/%#x", r.status,
				     r.error_code);
			break;
		case OR_OVERFLOW:
			if (r.status != IAA_ST_OUTBUF_OVERFLOW || r.out_size != s.dlen ||
			    memcmp(dst, ref, s.dlen))
				FAIL(C_ENGINE, "zlib: overflow; engine %#x/%#x size %u", r.status,
				     r.error_code, r.out_size);
			break;
		}
	}

	printf("# digest %#018" PRIx64 "%s\n", digest,
	       seed == IAA_FZ_SEED && count == IAA_FZ_COUNT ? " (default corpus)" : "");
	printf("# kinds:");
	for (a = 0; a < IAA_FZ_NR; a++)
		printf(" %s=%u", iaa_fz_kind_name[a], by_kind[a]);
	printf("\n# as the driver sees them (zlib, 32 KiB window, dlen): kind accepted/invalid/truncated/overflow\n");
	for (a = 0; a < IAA_FZ_NR; a++)
		printf("#   %-10s %5u %5u %5u %5u\n", iaa_fz_kind_name[a], kind_or[a][OR_END],
		       kind_or[a][OR_DATAERR], kind_or[a][OR_TRUNC], kind_or[a][OR_OVERFLOW]);
	printf("# zlib 4 KiB window: accepted=%u invalid=%u truncated=%u overflow=%u;"
	       " valid only with 32 KiB (the driver decodes them in software): %u\n",
	       by_or[OR_END], by_or[OR_DATAERR], by_or[OR_TRUNC], by_or[OR_OVERFLOW],
	       wide_fallback);
	printf("# fuzz corpus: streams tried %" PRIu64 ", engine disagreements %u,"
	       " writes past dst_cap %u\n", count, fails[C_ENGINE], fails[C_GUARD]);

	if (seed == IAA_FZ_SEED && count == IAA_FZ_COUNT && digest != IAA_FZ_DIGEST) {
		printf("# digest differs from IAA_FZ_DIGEST %#018llx\n", IAA_FZ_DIGEST);
		fails[C_DIGEST]++;
	}
	printf("%sok 1 fuzz corpus: digest%s\n", fails[C_DIGEST] ? "not " : "",
	       seed == IAA_FZ_SEED && count == IAA_FZ_COUNT ? " is IAA_FZ_DIGEST" : "");
	printf("%sok 2 fuzz corpus: generator's valid kinds inflate\n", fails[C_GEN] ? "not " : "");
	printf("%sok 3 fuzz corpus: engine agrees with zlib (4 KiB window) on %" PRIu64
	       " streams\n", fails[C_ENGINE] ? "not " : "", count);
	printf("%sok 4 fuzz corpus: nothing written past dst_cap\n", fails[C_GUARD] ? "not " : "");
	free(buf);
	free(ref);
	free(big);
	free(dst);
	return fails[C_DIGEST] || fails[C_GEN] || fails[C_ENGINE] || fails[C_GUARD];
}
