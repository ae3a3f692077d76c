/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deterministic test data for the IAA engine host tests and benchmark:
 * a PRNG, "real" 4 KiB pages read from files on this machine (shared
 * libraries and documentation, as a stand-in for the memory pages zswap
 * compresses), and a generator of buffers of various kinds.
 *
 * Header-only (static functions) so test_engine.c and bench_engine.c can
 * both use it without a library.
 */
#ifndef TEST_CORPUS_H
#define TEST_CORPUS_H

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE		4096
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define CORPUS_SEED	0x1aa2024c0ffee5ull

/* ---- PRNG (splitmix64) ---- */
struct rng {
	uint64_t s;
};

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* uniform in [0, n) */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(((rng_next(r) & 0xffffffffull) * n) >> 32) : 0;
}

static inline void rng_fill(struct rng *r, uint8_t *p, size_t n)
{
	while (n) {
		uint64_t v = rng_next(r);
		size_t k = n < 8 ? n : 8;

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

/* ---- real pages ---- */
struct strv {
	char **v;
	size_t n, cap;
};

static __attribute__((unused)) void strv_add(struct strv *s, const char *str)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			abort();
	}
	s->v[s->n++] = strdup(str);
}

static __attribute__((unused)) void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static __attribute__((unused)) int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static __attribute__((unused)) bool compressed_name(const char *name)
{
	static const char *const ext[] = {
		".gz", ".xz", ".bz2", ".zst", ".lz4", ".zip", ".jar", ".png",
		".jpg", ".jpeg", ".gif", ".ico", ".svgz", ".woff", ".woff2",
		".lzma", ".br", ".7z",
	};
	size_t l = strlen(name);

	for (size_t i = 0; i < ARRAY_SIZE(ext); i++) {
		size_t e = strlen(ext[i]);

		if (l > e && !strcmp(name + l - e, ext[i]))
			return true;
	}
	return false;
}

/* regular files >= 4 KiB under dir (not following symlinks), depth <= 4 */
static __attribute__((unused)) void collect_files(struct strv *out, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth < 4)
			collect_files(out, path, depth + 1);
		else if (S_ISREG(st.st_mode) && st.st_size >= PAGE &&
			 !compressed_name(de->d_name))
			strv_add(out, path);
	}
	closedir(d);
}

static __attribute__((unused)) bool same_filled(const uint8_t *p, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (p[i] != p[0])
			return false;
	return true;
}

/* synthetic fallback when no files can be read */
static __attribute__((unused)) void synth_page(struct rng *r, uint8_t *p, int kind);

/*
 * Load npages real pages (deterministic for a given set of installed
 * files): 3/4 from /usr/lib/x86_64-linux-gnu, 1/4 from /usr/share/doc,
 * page-aligned, skipping same-filled pages (zswap stores those without
 * compressing). Returns the number of pages taken from files; the rest
 * are synthetic.
 */
static __attribute__((unused)) size_t load_real_pages(uint8_t *buf, size_t npages, uint64_t seed)
{
	static const char *const dirs[2] = {
		"/usr/lib/x86_64-linux-gnu", "/usr/share/doc",
	};
	struct strv files[2] = { { 0 } };
	struct rng r = { seed };
	size_t got = 0, k, tries = 0;

	for (k = 0; k < 2; k++) {
		collect_files(&files[k], dirs[k], 0);
		qsort(files[k].v, files[k].n, sizeof(char *), cmp_str);
	}
	for (k = 0; k < npages && tries < npages * 8; tries++) {
		struct strv *f = &files[(k % 4 == 3) ? 1 : 0];
		uint8_t *p = buf + k * PAGE;
		struct stat st;
		int fd;

		if (!f->n)
			f = files[0].n ? &files[0] : &files[1];
		if (!f->n)
			break;
		fd = open(f->v[rng_below(&r, f->n)], O_RDONLY);
		if (fd < 0)
			continue;
		if (!fstat(fd, &st) && st.st_size >= PAGE) {
			off_t off = (off_t)rng_below(&r, st.st_size / PAGE) * PAGE;

			if (pread(fd, p, PAGE, off) == PAGE && !same_filled(p, PAGE)) {
				k++;
				got++;
			}
		}
		close(fd);
	}
	for (; k < npages; k++)
		synth_page(&r, buf + k * PAGE, (int)(k % 3));
	strv_free(&files[0]);
	strv_free(&files[1]);
	return got;
}

/* ---- synthetic content ---- */
static const char *const words[] = {
	"the", "of", "and", "to", "in", "is", "that", "for", "it", "with",
	"as", "was", "on", "be", "at", "by", "this", "had", "not", "are",
	"but", "from", "or", "have", "an", "they", "which", "one", "you",
	"were", "all", "we", "her", "she", "there", "would", "their", "will",
	"when", "who", "him", "been", "has", "more", "if", "no", "out", "so",
	"said", "what", "up", "its", "about", "than", "into", "them", "can",
	"only", "other", "time", "new", "some", "could", "these", "two",
	"may", "first", "then", "do", "any", "like", "my", "now", "over",
	"such", "our", "man", "me", "even", "most", "made", "after", "also",
	"did", "many", "off", "before", "must", "well", "back", "through",
	"years", "much", "where", "your", "way", "down", "should", "because",
	"long", "each", "just", "state", "people", "those", "too", "how",
	"little", "good", "world", "make", "very", "year", "still", "see",
	"own", "work", "men", "day", "get", "here", "between", "both", "life",
	"being", "under", "never", "same", "another", "know", "while", "last",
	"device", "memory", "page", "kernel", "compress", "buffer", "queue",
	"descriptor", "completion", "interrupt", "driver", "struct", "return",
	"static", "unsigned", "const", "error", "status", "size_t", "offset",
};

static __attribute__((unused)) void gen_text(struct rng *r, uint8_t *p, size_t n)
{
	size_t i = 0, nw = ARRAY_SIZE(words);

	while (i < n) {
		/* roughly Zipf: small indices much more likely */
		uint32_t a = rng_below(r, nw), b = rng_below(r, nw);
		const char *w = words[a < b ? a : b];
		size_t l = strlen(w);
		uint32_t x = rng_below(r, 100);

		for (size_t j = 0; j < l && i < n; j++)
			p[i++] = (x < 3 && j == 0) ? (uint8_t)(w[j] - 32) : (uint8_t)w[j];
		if (i < n)
			p[i++] = x < 6 ? '\n' : x < 12 ? ',' : x < 16 ? '.' : ' ';
	}
}

/* structs of small integers, pointers and padding, like heap pages */
static __attribute__((unused)) void gen_binary(struct rng *r, uint8_t *p, size_t n)
{
	uint64_t base = 0x00007f3a12000000ull + (rng_next(r) & 0xfff000);
	size_t i = 0;

	while (i < n) {
		uint8_t rec[64];
		uint32_t kind = rng_below(r, 4);

		memset(rec, 0, sizeof(rec));
		for (int f = 0; f < 8; f++) {
			uint64_t v;

			switch ((kind + f) % 4) {
			case 0:
				v = base + (rng_below(r, 4096) << 4);
				break;
			case 1:
				v = rng_below(r, 64);
				break;
			case 2:
				v = 0;
				break;
			default:
				v = rng_below(r, 3) ? rng_below(r, 1000) : rng_next(r);
				break;
			}
			memcpy(rec + 8 * f, &v, 8);
		}
		for (size_t j = 0; j < sizeof(rec) && i < n; j++)
			p[i++] = rec[j];
	}
}

static __attribute__((unused)) void gen_repeat(struct rng *r, uint8_t *p, size_t n)
{
	uint32_t period = 1 + rng_below(r, rng_below(r, 2) ? 16 : 600);
	uint8_t pat[600];

	rng_fill(r, pat, period);
	for (size_t i = 0; i < n; i++) {
		p[i] = pat[i % period];
		if (rng_below(r, 1000) == 0)
			p[i] ^= (uint8_t)rng_next(r);
	}
}

static __attribute__((unused)) void gen_sparse(struct rng *r, uint8_t *p, size_t n)
{
	memset(p, 0, n);
	for (size_t i = 0; i < n; i++)
		if (rng_below(r, 16) == 0)
			p[i] = (uint8_t)rng_next(r);
}

static __attribute__((unused)) void synth_page(struct rng *r, uint8_t *p, int kind)
{
	if (kind == 0)
		gen_text(r, p, PAGE);
	else if (kind == 1)
		gen_binary(r, p, PAGE);
	else
		gen_sparse(r, p, PAGE);
}

enum pattern {
	PAT_ZERO, PAT_RANDOM, PAT_TEXT, PAT_BINARY, PAT_REAL, PAT_REPEAT,
	PAT_SPARSE, PAT_COUNT
};

static const char *const pattern_name[PAT_COUNT] = {
	"zeros", "random", "text", "binary", "real", "repeat", "sparse",
};

/* fill p[0..n) with pattern; real data comes from 'real' (nreal bytes) */
static __attribute__((unused)) void gen_pattern(struct rng *r, uint8_t *p, size_t n, int pat,
			const uint8_t *real, size_t nreal)
{
	switch (pat) {
	case PAT_ZERO:
		memset(p, 0, n);
		break;
	case PAT_RANDOM:
		rng_fill(r, p, n);
		break;
	case PAT_TEXT:
		gen_text(r, p, n);
		break;
	case PAT_BINARY:
		gen_binary(r, p, n);
		break;
	case PAT_REAL: {
		size_t i = 0;

		while (i < n) {
			size_t off = rng_below(r, nreal / PAGE) * PAGE;
			size_t k = n - i < PAGE ? n - i : PAGE;

			memcpy(p + i, real + off, k);
			i += k;
		}
		break;
	}
	case PAT_REPEAT:
		gen_repeat(r, p, n);
		break;
	default:
		gen_sparse(r, p, n);
		break;
	}
}

/* ---- the corpus: >= 10,000 buffers of 1 B .. 64 KiB ---- */
struct buf {
	uint8_t *p;
	uint32_t n;
	int pat;
};

struct corpus {
	struct buf *b;
	size_t n;
	uint8_t *real;		/* real pages */
	size_t nreal_pages;
	size_t real_from_files;
};

#define CORPUS_REAL_PAGES	2048
#define CORPUS_SPREAD		2000

static __attribute__((unused)) void corpus_init(struct corpus *c, uint64_t seed)
{
	struct rng r = { seed };
	size_t i, k = 0;

	c->nreal_pages = CORPUS_REAL_PAGES;
	c->real = malloc((size_t)CORPUS_REAL_PAGES * PAGE);
	if (!c->real)
		abort();
	c->real_from_files = load_real_pages(c->real, CORPUS_REAL_PAGES, seed);

	c->n = 2 * PAGE + CORPUS_SPREAD;
	c->b = calloc(c->n, sizeof(*c->b));
	if (!c->b)
		abort();
	/* every size 1..4096 with rotating patterns, and again with real data */
	for (i = 1; i <= PAGE; i++) {
		c->b[k].n = i;
		c->b[k++].pat = (int)(i % PAT_COUNT);
		c->b[k].n = i;
		c->b[k++].pat = PAT_REAL;
	}
	/* log-uniform spread of sizes 4097..65536 over all patterns */
	for (i = 0; i < CORPUS_SPREAD; i++) {
		double u = (double)rng_below(&r, 1u << 20) / (1u << 20);
		uint32_t n = (uint32_t)(4097.0 * pow(65536.0 / 4097.0, u));

		c->b[k].n = n > 65536 ? 65536 : n;
		c->b[k++].pat = (int)rng_below(&r, PAT_COUNT);
	}
	if (c->b[k - 1].n < 65536)
		c->b[k - 1].n = 65536;
	for (i = 0; i < c->n; i++) {
		c->b[i].p = malloc(c->b[i].n);
		if (!c->b[i].p)
			abort();
		gen_pattern(&r, c->b[i].p, c->b[i].n, c->b[i].pat, c->real,
			    (size_t)c->nreal_pages * PAGE);
	}
}

static __attribute__((unused)) void corpus_free(struct corpus *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->b[i].p);
	free(c->b);
	free(c->real);
	memset(c, 0, sizeof(*c));
}

#endif /* TEST_CORPUS_H */
