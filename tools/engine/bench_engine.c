// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host throughput benchmark of the IAA engine on real 4 KiB pages:
 * compress with the fixed tables (as the Linux iaa_crypto driver does),
 * decompress the result, and zlib level 1 (4 KiB window) for reference.
 * MB/s are per CPU second of this thread (1 MB = 10^6 bytes).
 *
 * usage: bench_engine [pages] [seconds-per-measurement]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zlib.h>

#include "iaa_engine.h"
#include "test_corpus.h"

/*
 * CPU time of this thread: the figures stay meaningful on a loaded
 * machine (wall time would count the time other processes run).
 */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	size_t npages = argc > 1 ? strtoul(argv[1], NULL, 0) : 2048;
	double secs = argc > 2 ? atof(argv[2]) : 1.0;
	uint32_t ll[IAA_LL_SYMS], d[IAA_D_SYMS];
	const uint8_t hdr = 0x3;	/* BFINAL=1, BTYPE=01 */
	uint8_t *pages, *comp, *out;
	uint32_t *clen;
	uint64_t in_total = 0, out_total = 0, z_total = 0;
	size_t i, got, iters;
	double t0, t, c_mbs, d_mbs, z_mbs;
	z_stream zs;

	if (!npages)
		npages = 1;
	pages = malloc(npages * PAGE);
	comp = malloc(npages * 2 * PAGE);
	out = malloc(PAGE);
	clen = malloc(npages * sizeof(*clen));
	if (!pages || !comp || !out || !clen)
		return 1;
	got = load_real_pages(pages, npages, CORPUS_SEED);
	iaa_fixed_tables(ll, d);
	printf("# bench: %zu pages (%zu from files), seed 0x%llx\n", npages, got,
	       (unsigned long long)CORPUS_SEED);

	/* compress */
	iters = 0;
	t0 = now();
	do {
		for (i = 0; i < npages; i++) {
			struct iaa_comp_args a = {
				.src = pages + i * PAGE, .src_len = PAGE,
				.dst = comp + i * 2 * PAGE, .dst_cap = 2 * PAGE,
				.ll_sym = ll, .d_sym = d,
				.accum = &hdr, .accum_bits = 3,
				.append_eob = true, .flush_output = true,
			};
			struct iaa_result r;

			iaa_compress(&a, &r);
			if (r.status != IAA_ST_SUCCESS) {
				fprintf(stderr, "compress failed on page %zu\n", i);
				return 1;
			}
			clen[i] = r.out_size;
		}
		iters++;
		t = now() - t0;
	} while (t < secs);
	c_mbs = (double)iters * npages * PAGE / t / 1e6;
	for (i = 0; i < npages; i++) {
		in_total += PAGE;
		out_total += clen[i];
	}

	/* decompress */
	iters = 0;
	t0 = now();
	do {
		for (i = 0; i < npages; i++) {
			struct iaa_decomp_args a = {
				.src = comp + i * 2 * PAGE, .src_len = clen[i],
				.dst = out, .dst_cap = PAGE,
				.stop_on_eob = true, .check_for_eob = true,
				.sel_bfinal_eob = true,
			};
			struct iaa_result r;

			iaa_decompress(&a, &r);
			if (r.status != IAA_ST_SUCCESS || r.out_size != PAGE) {
				fprintf(stderr, "decompress failed on page %zu\n", i);
				return 1;
			}
		}
		iters++;
		t = now() - t0;
	} while (t < secs);
	d_mbs = (double)iters * npages * PAGE / t / 1e6;

	/* zlib level 1, 4 KiB window, for reference */
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 1, Z_DEFLATED, -12, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 1;
	iters = 0;
	t0 = now();
	do {
		z_total = 0;
		for (i = 0; i < npages; i++) {
			deflateReset(&zs);
			zs.next_in = pages + i * PAGE;
			zs.avail_in = PAGE;
			zs.next_out = comp;
			zs.avail_out = 2 * PAGE;
			deflate(&zs, Z_FINISH);
			z_total += 2 * PAGE - zs.avail_out;
		}
		iters++;
		t = now() - t0;
	} while (t < secs);
	z_mbs = (double)iters * npages * PAGE / t / 1e6;
	deflateEnd(&zs);

	printf("# bench: compress   %8.1f MB/s  ratio %.3f\n", c_mbs,
	       (double)in_total / out_total);
	printf("# bench: decompress %8.1f MB/s\n", d_mbs);
	printf("# bench: zlib-1     %8.1f MB/s  ratio %.3f\n", z_mbs,
	       (double)in_total / z_total);
	printf("# bench: ratio ours/zlib-1 = %.3f\n",
	       ((double)in_total / out_total) / ((double)in_total / z_total));
	free(pages);
	free(comp);
	free(out);
	free(clen);
	return 0;
}
