// SPDX-License-Identifier: GPL-2.0
/*
 * afalg_acomp: raw-socket tests of the AF_ALG type "acomp" (algif_acomp.ko),
 * with no library between the test and the socket. zlib is the reference:
 * raw deflate (windowBits -15) both ways.
 *
 *   afalg_acomp roundtrip ALG LIMIT     sizes 1 B..LIMIT, socket both ways and
 *                                       against zlib both ways
 *   afalg_acomp sizes ALG SIZE...       the same checks for these sizes only
 *   afalg_acomp errno ALG LIMIT         EMSGSIZE ENOSPC EBADMSG EINVAL EBUSY
 *   afalg_acomp readsizes ALG           every read size 0..output length, with
 *                                       canaries past the buffer
 *   afalg_acomp fuzz ALG N SEED         N malformed streams, checked by zlib
 *   afalg_acomp bind ALG UID GID WANT   bind as UID/GID: WANT ok or an errno
 *   afalg_acomp bind-raised ALG UID GID WANT
 *                                       the socket made first, then
 *                                       crypto.af_alg_restrict set to 2, then
 *                                       bind as UID/GID: WANT as for bind
 *   afalg_acomp memlimit ALG            SO_SNDBUF bounds a socket's buffers
 *   afalg_acomp aio ALG DEPTH ROUNDS    DEPTH op sockets, one io_submit each
 *                                       round, every result checked (ROUNDS
 *                                       as Ns: for N seconds)
 *   afalg_acomp aio-close ALG DEPTH N   close the sockets with reads in flight
 *   afalg_acomp aio-mmap ALG FILE MS    an aio read into a MAP_SHARED mapping of
 *                                       FILE, written back by another process
 *                                       MS ms into the read; after msync and
 *                                       the page cache dropped, FILE holds
 *                                       the output
 *   afalg_acomp runas UID GID PROG ARG...  exec PROG as UID/GID (no passwd needed)
 *
 * Exit status 0: every check passed. Diagnostics go to stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/aio_abi.h>
#include <linux/if_alg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#ifndef SOL_ALG
#define SOL_ALG 279
#endif
#define MAXBUF (128 * 1024)
#define CANARY 64

static int failures;

#define FAIL(...) do { fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); failures++; } while (0)

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Data of a kind: 0 zeros, 1 text-like, 2 random, 3 runs */
static void fill(unsigned char *p, size_t n, int kind)
{
	static const char words[] = "the quick brown fox jumps over a lazy dog while idxd queues ";
	size_t i;

	for (i = 0; i < n; i++) {
		switch (kind) {
		case 0: p[i] = 0; break;
		case 1: p[i] = words[(i * 7 + i / 61) % (sizeof(words) - 1)]; break;
		case 2: p[i] = rnd(); break;
		default: p[i] = (i / 100) & 0xff; break;
		}
	}
}

static int bind_alg(const char *alg)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "acomp" };
	int s = socket(AF_ALG, SOCK_SEQPACKET, 0);

	if (s < 0)
		return -errno;
	strncpy((char *)sa.salg_name, alg, sizeof(sa.salg_name) - 1);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(s);
		return -e;
	}
	return s;
}

static int op_socket(int tfm)
{
	int s = accept(tfm, NULL, 0);

	return s < 0 ? -errno : s;
}

/* sendmsg with an ALG_SET_OP cmsg (op < 0: none) */
static ssize_t send_req(int s, int op, const void *buf, size_t len, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(uint32_t))] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (op >= 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_ALG;
		c->cmsg_type = ALG_SET_OP;
		c->cmsg_len = CMSG_LEN(sizeof(uint32_t));
		*(uint32_t *)CMSG_DATA(c) = op;
	}
	return sendmsg(s, &msg, flags) < 0 ? -errno : (ssize_t)len;
}

/*
 * The read of a request: recvmsg, since read(fd, buf, 0) returns 0 in the
 * socket layer without reaching the socket (a request stays pending).
 */
static ssize_t recv_out(int s, void *out, size_t outlen)
{
	struct iovec iov = { .iov_base = out, .iov_len = outlen };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r = recvmsg(s, &msg, 0);

	return r < 0 ? -errno : r;
}

/* One request: the output length or -errno */
static ssize_t sock_op(int s, int op, const void *in, size_t inlen, void *out, size_t outlen)
{
	ssize_t r = send_req(s, op, in, inlen, 0);

	if (r < 0)
		return r;
	return recv_out(s, out, outlen);
}

static ssize_t zdeflate(const void *in, size_t inlen, void *out, size_t outlen, int level)
{
	z_stream z = { 0 };
	ssize_t r;

	if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	z.next_in = (void *)in;
	z.avail_in = inlen;
	z.next_out = out;
	z.avail_out = outlen;
	r = deflate(&z, Z_FINISH) == Z_STREAM_END ? (ssize_t)z.total_out : -1;
	deflateEnd(&z);
	return r;
}

/* zlib raw inflate: length, -1 corrupt, -2 output too small */
static ssize_t zinflate(const void *in, size_t inlen, void *out, size_t outlen, size_t *used)
{
	z_stream z = { 0 };
	ssize_t r;
	int ret;

	if (inflateInit2(&z, -15) != Z_OK)
		return -1;
	z.next_in = (void *)in;
	z.avail_in = inlen;
	z.next_out = out;
	z.avail_out = outlen;
	ret = inflate(&z, Z_FINISH);
	if (ret == Z_STREAM_END)
		r = z.total_out;
	else if ((ret == Z_BUF_ERROR || ret == Z_OK) && !z.avail_out)
		r = -2;
	else
		r = -1;
	if (used)
		*used = inlen - z.avail_in;
	inflateEnd(&z);
	return r;
}

static int get_tfm_op(const char *alg, int *tfm, int *op)
{
	*tfm = bind_alg(alg);
	if (*tfm < 0) {
		FAIL("bind %s: %s", alg, strerror(-*tfm));
		return -1;
	}
	*op = op_socket(*tfm);
	if (*op < 0) {
		FAIL("accept: %s", strerror(-*op));
		return -1;
	}
	return 0;
}

/*
 * Both bounce buffers of a socket fit the default send buffer (208 KiB) up to
 * a 64 KiB limit; a larger limit needs a larger SO_SNDBUF
 */
static void big_sndbuf(int s, size_t limit)
{
	int v = 1 << 20;

	if (limit > 65536 && setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)))
		FAIL("SO_SNDBUF: %s", strerror(errno));
}

static unsigned char in[2 * MAXBUF], comp[2 * MAXBUF], out[2 * MAXBUF];

static void roundtrip_one(int s, size_t n, int kind)
{
	ssize_t c, d, z;
	int level;

	fill(in, n, kind);
	c = sock_op(s, ALG_OP_ENCRYPT, in, n, comp, MAXBUF);
	/* random data near 128 KiB: its worst case (9 bits a byte) outgrows the largest output */
	if (c == -ENOSPC && kind == 2 && n + n / 8 + 64 > MAXBUF)
		return;
	if (c <= 0) {
		FAIL("compress %zu B kind %d: %s", n, kind, c ? strerror(-c) : "empty");
		return;
	}
	d = sock_op(s, ALG_OP_DECRYPT, comp, c, out, MAXBUF);
	if (d != (ssize_t)n || memcmp(in, out, n))
		FAIL("round trip %zu B kind %d: got %zd", n, kind, d);
	/* our output, inflated by zlib */
	z = zinflate(comp, c, out, MAXBUF, NULL);
	if (z != (ssize_t)n || memcmp(in, out, n))
		FAIL("zlib inflate of our %zu B kind %d: got %zd", n, kind, z);
	/* zlib's output (32 KiB window), decompressed through the socket */
	for (level = 1; level <= 9; level += 4) {
		z = zdeflate(in, n, comp, sizeof(comp), level);
		if (z <= 0 || z > MAXBUF) {
			if (z > MAXBUF)	/* an input of the limit that zlib expands */
				continue;
			FAIL("zlib deflate %zu", n);
			continue;
		}
		d = sock_op(s, ALG_OP_DECRYPT, comp, z, out, MAXBUF);
		if (d != (ssize_t)n || memcmp(in, out, n))
			FAIL("socket inflate of zlib -%d %zu B kind %d: got %zd", level, n, kind, d);
	}
}

static int cmd_roundtrip(const char *alg, size_t limit)
{
	int tfm, s, kind, cases = 0;
	size_t n;

	if (limit > MAXBUF)
		limit = MAXBUF;
	if (get_tfm_op(alg, &tfm, &s))
		return 1;
	big_sndbuf(s, limit);
	for (n = 1; n <= limit; ) {
		for (kind = 0; kind < 4; kind++, cases++)
			roundtrip_one(s, n, kind);
		if (failures > 20)
			break;
		if (n < 300)
			n++;
		else if (n == limit)
			break;
		else {
			size_t next = n * 5 / 4 + rnd() % 97;

			n = next > limit ? limit : next;
		}
	}
	/* sizes around page and power-of-two boundaries */
	for (n = 1024; n <= limit; n *= 2) {
		size_t m;

		for (m = n - 1; m <= n + 1 && m <= limit; m++)
			for (kind = 0; kind < 4; kind++, cases++)
				roundtrip_one(s, m, kind);
	}
	fprintf(stderr, "roundtrip: %d cases, %d failures\n", cases, failures);
	return failures != 0;
}

static int cmd_sizes(const char *alg, int argc, char **argv)
{
	int tfm, s, kind, i;

	if (get_tfm_op(alg, &tfm, &s))
		return 1;
	big_sndbuf(s, MAXBUF);
	for (i = 0; i < argc; i++) {
		size_t n = strtoul(argv[i], NULL, 0);

		if (!n || n > MAXBUF) {
			FAIL("size %s out of 1..%d", argv[i], MAXBUF);
			continue;
		}
		for (kind = 0; kind < 4; kind++)
			roundtrip_one(s, n, kind);
	}
	close(s);
	close(tfm);
	fprintf(stderr, "sizes: %d sizes, %d failures\n", argc, failures);
	return failures != 0;
}

static void expect(const char *what, ssize_t got, ssize_t want)
{
	if (got != want)
		FAIL("%s: got %zd (%s), want %zd (%s)", what, got, got < 0 ? strerror(-got) : "ok",
		     want, want < 0 ? strerror(-want) : "ok");
}

static int cmd_errno(const char *alg, size_t limit)
{
	char cbuf[CMSG_SPACE(sizeof(uint32_t)) * 2] = { 0 };
	struct iovec iov = { .iov_base = in, .iov_len = 100 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	int tfm, s;
	ssize_t c, r;

	tfm = bind_alg(alg);
	/* setkey is not a thing here (af_alg refuses it anyway once an op socket exists) */
	r = setsockopt(tfm, SOL_ALG, ALG_SET_KEY, in, 16);
	expect("setkey", r < 0 ? -errno : r, -ENOPROTOOPT);
	close(tfm);
	if (get_tfm_op(alg, &tfm, &s))
		return 1;
	big_sndbuf(s, limit);
	/* EMSGSIZE: over the limit, in one send and across MSG_MORE */
	fill(in, limit + 1, 1);
	expect("send limit+1", send_req(s, ALG_OP_ENCRYPT, in, limit + 1, 0), -EMSGSIZE);
	expect("send limit in two parts", send_req(s, ALG_OP_ENCRYPT, in, limit / 2, MSG_MORE),
	       limit / 2);
	expect("second part over", send_req(s, -1, in, limit - limit / 2 + 1, 0), -EMSGSIZE);
	expect("exactly the limit", sock_op(s, ALG_OP_ENCRYPT, in, limit, comp, MAXBUF) > 0, 1);
	/* a decompress takes up to limit + limit/8 + 64 (capped at 128 KiB): a fixed-Huffman worst case */
	{
		size_t dl = limit + limit / 8 + 64 > MAXBUF ? MAXBUF : limit + limit / 8 + 64;

		expect("decompress input over its bound", send_req(s, ALG_OP_DECRYPT, in, dl + 1, 0),
		       -EMSGSIZE);
		expect("compress op in the last part, over the limit",
		       send_req(s, -1, in, limit, MSG_MORE) == (ssize_t)limit &&
		       send_req(s, ALG_OP_ENCRYPT, in, 1, 0) == -EMSGSIZE, 1);
	}
	/* the request after an error starts afresh */
	fill(in, 4096, 1);
	c = sock_op(s, ALG_OP_ENCRYPT, in, 4096, comp, MAXBUF);
	expect("compress after errors", c > 0, 1);
	/* ENOSPC: compress output one byte short of the buffer, decompress likewise */
	expect("compress to a short buffer", sock_op(s, ALG_OP_ENCRYPT, in, 4096, out, c - 1), -ENOSPC);
	expect("compress to the exact buffer", sock_op(s, ALG_OP_ENCRYPT, in, 4096, out, c), c);
	expect("decompress to a short buffer", sock_op(s, ALG_OP_DECRYPT, comp, c, out, 4095), -ENOSPC);
	/* random data: output larger than the input succeeds when the buffer holds it */
	fill(in, 4096, 2);
	r = sock_op(s, ALG_OP_ENCRYPT, in, 4096, comp, MAXBUF);
	if (r <= 4096)
		FAIL("incompressible 4096 B: got %zd, want more than the input", r);
	expect("incompressible into the input's size", sock_op(s, ALG_OP_ENCRYPT, in, 4096, out, 4096),
	       -ENOSPC);
	/* EBADMSG: a corrupt stream (reserved block type 3), a truncated one */
	memset(comp, 0xff, 64);
	expect("corrupt stream", sock_op(s, ALG_OP_DECRYPT, comp, 64, out, MAXBUF), -EBADMSG);
	fill(in, 8192, 1);
	c = sock_op(s, ALG_OP_ENCRYPT, in, 8192, comp, MAXBUF);
	expect("truncated stream", sock_op(s, ALG_OP_DECRYPT, comp, c / 2, out, MAXBUF), -EBADMSG);
	/* EINVAL: no op, a bad op, zero length, an IV, read with nothing sent, op change */
	expect("no op", send_req(s, -1, in, 100, 0), -EINVAL);
	expect("op 5", send_req(s, 5, in, 100, 0), -EINVAL);
	expect("zero length", send_req(s, ALG_OP_ENCRYPT, in, 0, 0), -EINVAL);
	r = read(s, out, 100);
	expect("read with nothing sent", r < 0 ? -errno : r, -EINVAL);
	expect("op then other op", send_req(s, ALG_OP_ENCRYPT, in, 10, MSG_MORE), 10);
	expect("other op", send_req(s, ALG_OP_DECRYPT, in, 10, 0), -EINVAL);
	msg.msg_control = cbuf;
	msg.msg_controllen = CMSG_SPACE(sizeof(uint32_t)) + CMSG_SPACE(sizeof(uint32_t));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_ALG;
	cm->cmsg_type = ALG_SET_OP;
	cm->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	*(uint32_t *)CMSG_DATA(cm) = ALG_OP_ENCRYPT;
	cm = CMSG_NXTHDR(&msg, cm);
	cm->cmsg_level = SOL_ALG;
	cm->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
	cm->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	r = sendmsg(s, &msg, 0);
	expect("assoclen cmsg", r < 0 ? -errno : r, -EINVAL);
	/* EBUSY: a second write while a request is pending; the first still completes */
	fill(in, 1000, 1);
	expect("pending request", send_req(s, ALG_OP_ENCRYPT, in, 1000, 0), 1000);
	expect("second write", send_req(s, ALG_OP_ENCRYPT, in, 1000, 0), -EBUSY);
	r = read(s, comp, MAXBUF);
	expect("the first request completes", r > 0, 1);
	expect("and decompresses", sock_op(s, ALG_OP_DECRYPT, comp, r, out, MAXBUF), 1000);
	/* no such algorithm, and one outside the allowlist */
	expect("bind no-such-alg", bind_alg("no-such-alg"), -ENOENT);
	r = bind_alg("lzo");
	if (r >= 0)
		close(r);
	expect("bind lzo (not allowed)", r, -ENOENT);
	close(s);
	close(tfm);
	fprintf(stderr, "errno: %d failures\n", failures);
	return failures != 0;
}

/* A buffer of n bytes followed by CANARY bytes of 0xa5 */
static int canary_ok(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < CANARY; i++)
		if (p[n + i] != 0xa5)
			return 0;
	return 1;
}

static int cmd_readsizes(const char *alg)
{
	static unsigned char buf[MAXBUF + CANARY];
	int tfm, s, kind;
	ssize_t c, d, r;
	size_t n, inlen = 3000;

	if (get_tfm_op(alg, &tfm, &s))
		return 1;
	for (kind = 1; kind <= 2; kind++) {
		fill(in, inlen, kind);
		c = sock_op(s, ALG_OP_ENCRYPT, in, inlen, comp, MAXBUF);
		if (c <= 0) {
			FAIL("compress: %zd", c);
			return 1;
		}
		for (n = 0; n <= (size_t)c + 1; n++) {
			memset(buf, 0xa5, n + CANARY);
			r = sock_op(s, ALG_OP_ENCRYPT, in, inlen, buf, n);
			if (n < (size_t)c ? r != -ENOSPC : (r != c || memcmp(buf, comp, c)))
				FAIL("compress kind %d into %zu B: got %zd, output %zd", kind, n, r, c);
			if (!canary_ok(buf, n))
				FAIL("compress kind %d into %zu B: written past the buffer", kind, n);
		}
		d = inlen;
		for (n = 0; n <= (size_t)d + 1; n++) {
			memset(buf, 0xa5, n + CANARY);
			r = sock_op(s, ALG_OP_DECRYPT, comp, c, buf, n);
			if (n < (size_t)d ? r != -ENOSPC : (r != d || memcmp(buf, in, d)))
				FAIL("decompress kind %d into %zu B: got %zd", kind, n, r);
			if (!canary_ok(buf, n))
				FAIL("decompress kind %d into %zu B: written past the buffer", kind, n);
			if (failures > 20)
				return 1;
		}
	}
	fprintf(stderr, "readsizes: %d failures\n", failures);
	return failures != 0;
}

static int cmd_fuzz(const char *alg, long count, unsigned long seed)
{
	static unsigned char src[8192], stream[2 * 8192], buf[MAXBUF + CANARY], ref[MAXBUF];
	long i, ok = 0, bad = 0, nospc = 0, other = 0, rejected = 0;
	int tfm, s;

	rng_state ^= seed * 0x9e3779b97f4a7c15ULL;
	if (get_tfm_op(alg, &tfm, &s))
		return 1;
	for (i = 0; i < count && failures < 20; i++) {
		size_t n = 1 + rnd() % sizeof(src), len, room, used;
		ssize_t c, r, z;
		int k, muts;

		/* a valid stream, of the socket or of zlib, then mutated */
		fill(src, n, rnd() % 4);
		if (rnd() & 1)
			c = zdeflate(src, n, stream, sizeof(stream), 1 + rnd() % 9);
		else
			c = sock_op(s, ALG_OP_ENCRYPT, src, n, stream, sizeof(stream));
		if (c <= 0) {
			FAIL("fuzz %ld: compress failed %zd", i, c);
			continue;
		}
		len = c;
		switch (rnd() % 4) {
		case 0:		/* bit flips */
			muts = 1 + rnd() % 8;
			for (k = 0; k < muts; k++)
				stream[rnd() % len] ^= 1 << (rnd() % 8);
			break;
		case 1:		/* truncation */
			len = rnd() % len + 1;
			break;
		case 2:		/* random bytes over a span */
			for (k = rnd() % len; k < (int)len && rnd() % 16; k++)
				stream[k] = rnd();
			break;
		default:	/* pure garbage */
			len = 1 + rnd() % 2048;
			for (k = 0; k < (int)len; k++)
				stream[k] = rnd();
			break;
		}
		room = rnd() % 3 ? n + rnd() % 64 : rnd() % (MAXBUF + 1);
		memset(buf, 0xa5, room + CANARY);
		r = sock_op(s, ALG_OP_DECRYPT, stream, len, buf, room);
		if (!canary_ok(buf, room))
			FAIL("fuzz %ld: written past a %zu B buffer", i, room);
		z = zinflate(stream, len, ref, sizeof(ref), &used);
		if (r >= 0) {
			ok++;
			/* a success must be zlib's output of a complete stream */
			if (z != r || memcmp(buf, ref, r))
				FAIL("fuzz %ld: socket gave %zd B, zlib %zd (%zu of %zu B used)", i, r, z,
				     used, len);
		} else if (r == -EBADMSG) {
			bad++;
			if (z >= 0 && used == len && (size_t)z <= room)
				rejected++;
		} else if (r == -ENOSPC) {
			nospc++;
			if (z >= 0 && (size_t)z <= room)
				FAIL("fuzz %ld: ENOSPC for %zd B into %zu B", i, z, room);
		} else {
			other++;
			FAIL("fuzz %ld: unexpected %s", i, strerror(-r));
		}
	}
	/* a stream zlib reads whole and the socket refuses: not a wrong result, but counted */
	if (rejected)
		FAIL("fuzz: %ld valid streams refused", rejected);
	fprintf(stderr, "fuzz: %ld streams: %ld decoded, %ld EBADMSG, %ld ENOSPC, %ld other; %d failures\n",
		i, ok, bad, nospc, other, failures);
	return failures != 0;
}

static int errno_of(const char *name)
{
	if (!strcmp(name, "ok"))
		return 0;
	if (!strcmp(name, "EPERM"))
		return EPERM;
	if (!strcmp(name, "ENOENT"))
		return ENOENT;
	if (!strcmp(name, "EAFNOSUPPORT"))
		return EAFNOSUPPORT;
	return -1;
}

static int cmd_bind(const char *alg, int uid, int gid, const char *want)
{
	gid_t g = gid;
	int s, op;
	ssize_t r;

	if (setgroups(1, &g) || setgid(gid) || setuid(uid)) {
		FAIL("dropping to %d/%d: %s", uid, gid, strerror(errno));
		return 1;
	}
	s = bind_alg(alg);
	if (s < 0) {
		if (-s != errno_of(want))
			FAIL("bind as %d/%d: %s, want %s", uid, gid, strerror(-s), want);
		return failures != 0;
	}
	if (errno_of(want)) {
		FAIL("bind as %d/%d succeeded, want %s", uid, gid, want);
		return 1;
	}
	op = op_socket(s);
	fill(in, 1000, 1);
	r = op < 0 ? op : sock_op(op, ALG_OP_ENCRYPT, in, 1000, comp, MAXBUF);
	if (r <= 0)
		FAIL("compress as %d/%d: %zd", uid, gid, r);
	return failures != 0;
}

/* A bind on a socket made before af_alg_restrict was raised to 2 */
static int cmd_bind_raised(const char *alg, int uid, int gid, const char *want)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG, .salg_type = "acomp" };
	int s = socket(AF_ALG, SOCK_SEQPACKET, 0), fd, r;
	gid_t g = gid;

	if (s < 0) {
		FAIL("socket: %s", strerror(errno));
		return 1;
	}
	fd = open("/proc/sys/crypto/af_alg_restrict", O_WRONLY);
	if (fd < 0 || write(fd, "2\n", 2) != 2) {
		FAIL("af_alg_restrict: %s", strerror(errno));
		return 1;
	}
	close(fd);
	if (setgroups(1, &g) || setgid(gid) || setuid(uid)) {
		FAIL("dropping to %d/%d: %s", uid, gid, strerror(errno));
		return 1;
	}
	strncpy((char *)sa.salg_name, alg, sizeof(sa.salg_name) - 1);
	r = bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? errno : 0;
	close(s);
	if (r != errno_of(want))
		FAIL("bind as %d/%d after level 2: %s, want %s", uid, gid,
		     r ? strerror(r) : "ok", want);
	return failures != 0;
}

static int cmd_memlimit(const char *alg)
{
	int tfm, s, v = 4096;
	ssize_t r;

	if (get_tfm_op(alg, &tfm, &s))
		return 1;
	/* the kernel doubles it: 8 KiB for both bounce buffers */
	if (setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)))
		FAIL("SO_SNDBUF: %s", strerror(errno));
	fill(in, 65536, 1);
	expect("64 KiB into an 8 KiB socket", send_req(s, ALG_OP_ENCRYPT, in, 65536, 0), -ENOBUFS);
	r = sock_op(s, ALG_OP_ENCRYPT, in, 1024, comp, 4096);
	expect("1 KiB into 4 KiB", r > 0, 1);
	/* a compress's room is its input's worst case; a decompress's is the read buffer */
	expect("1 KiB compressed into a 64 KiB buffer", sock_op(s, ALG_OP_ENCRYPT, in, 1024, out, 65536),
	       r);
	expect("decompress into a 64 KiB buffer", sock_op(s, ALG_OP_DECRYPT, comp, r, out, 65536),
	       -ENOBUFS);
	expect("decompress into 4 KiB", sock_op(s, ALG_OP_DECRYPT, comp, r, out, 4096), 1024);
	v = 1 << 20;
	if (setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)))
		FAIL("SO_SNDBUF: %s", strerror(errno));
	r = sock_op(s, ALG_OP_ENCRYPT, in, 65536, comp, MAXBUF);
	expect("64 KiB once the limit is raised", r > 0, 1);
	close(s);
	close(tfm);
	fprintf(stderr, "memlimit: %d failures\n", failures);
	return failures != 0;
}

/* --- aio ------------------------------------------------------------------------------------ */
static long io_setup_(unsigned int n, aio_context_t *ctx) { return syscall(SYS_io_setup, n, ctx); }
static long io_destroy_(aio_context_t ctx) { return syscall(SYS_io_destroy, ctx); }
static long io_submit_(aio_context_t ctx, long n, struct iocb **p)
{
	return syscall(SYS_io_submit, ctx, n, p);
}
static long io_getevents_(aio_context_t ctx, long min, long max, struct io_event *ev)
{
	return syscall(SYS_io_getevents, ctx, min, max, ev, NULL);
}

#define MAXDEPTH 64

static int cmd_aio(const char *alg, int depth, const char *count, int check_close)
{
	long rounds = atol(count);
	int seconds = count[strlen(count) - 1] == 's';
	time_t t_end = time(NULL) + rounds;
	static unsigned char src[MAXDEPTH][16384], dst[MAXDEPTH][MAXBUF];
	struct iocb cb[MAXDEPTH], *cbp[MAXDEPTH];
	struct io_event ev[MAXDEPTH];
	size_t len[MAXDEPTH];
	int tfm, s[MAXDEPTH], dir[MAXDEPTH], i;
	aio_context_t actx = 0;
	long round, done = 0;

	if (depth < 1 || depth > MAXDEPTH)
		return 2;
	tfm = bind_alg(alg);
	if (tfm < 0) {
		FAIL("bind: %s", strerror(-tfm));
		return 1;
	}
	if (io_setup_(depth, &actx)) {
		FAIL("io_setup: %s", strerror(errno));
		return 1;
	}
	for (i = 0; i < depth; i++)
		s[i] = op_socket(tfm);
	for (round = 0; (seconds ? time(NULL) < t_end : round < rounds) && failures < 20; round++) {
		long got = 0, n;

		for (i = 0; i < depth; i++) {
			ssize_t r;

			if (check_close && s[i] < 0)
				s[i] = op_socket(tfm);
			len[i] = 1 + rnd() % sizeof(src[i]);
			fill(src[i], len[i], 1 + rnd() % 3);
			/* half compress (checked by zlib), half decompress zlib's stream */
			dir[i] = rnd() & 1;
			if (dir[i]) {
				r = send_req(s[i], ALG_OP_ENCRYPT, src[i], len[i], 0);
			} else {
				ssize_t z = zdeflate(src[i], len[i], dst[i], MAXBUF, 1 + rnd() % 9);

				r = send_req(s[i], ALG_OP_DECRYPT, dst[i], z, 0);
			}
			if (r < 0)
				FAIL("aio send %d: %s", i, strerror(-r));
			memset(&cb[i], 0, sizeof(cb[i]));
			cb[i].aio_fildes = s[i];
			cb[i].aio_lio_opcode = IOCB_CMD_PREAD;
			cb[i].aio_buf = (uintptr_t)dst[i];
			cb[i].aio_nbytes = MAXBUF;
			cb[i].aio_data = i;
			cbp[i] = &cb[i];
		}
		n = io_submit_(actx, depth, cbp);
		if (n != depth) {
			FAIL("io_submit: %ld (%s)", n, strerror(errno));
			break;
		}
		if (check_close) {
			/* close every op socket with its read in flight */
			for (i = 0; i < depth; i++) {
				close(s[i]);
				s[i] = -1;
			}
		}
		while (got < depth) {
			n = io_getevents_(actx, 1, depth - got, ev);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				FAIL("io_getevents: %s", strerror(errno));
				return 1;
			}
			for (i = 0; i < n; i++) {
				int k = ev[i].data;
				long res = ev[i].res;
				ssize_t z;

				if (res < 0) {
					FAIL("aio %d: %s", k, strerror(-res));
					continue;
				}
				if (dir[k]) {
					static unsigned char ref[16384];

					z = zinflate(dst[k], res, ref, sizeof(ref), NULL);
					if (z != (ssize_t)len[k] || memcmp(ref, src[k], len[k]))
						FAIL("aio %d: compress output inflates to %zd, want %zu", k,
						     z, len[k]);
				} else if (res != (long)len[k] || memcmp(dst[k], src[k], len[k])) {
					FAIL("aio %d: decompress gave %ld, want %zu", k, res, len[k]);
				}
			}
			got += n;
		}
		done += got;
	}
	io_destroy_(actx);
	fprintf(stderr, "aio: depth %d, %ld requests, %d failures\n", depth, done, failures);
	(void)round;
	return failures != 0;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * The output of an aio read lands in pages the read pinned. Writeback that
 * runs while they are pinned (the child's fsync, sync_ms into the read)
 * cleans them; the CPU then writes the output through the kernel's mapping,
 * which does not dirty them. Unless the socket marks them dirty when it
 * unpins them, msync writes nothing and dropping the page cache loses the
 * output. The device must take longer than sync_ms (the suite slows it).
 */
static int cmd_aio_mmap(const char *alg, const char *path, int sync_ms)
{
	static unsigned char back[65536];
	const size_t n = sizeof(back);
	struct iocb cb = { 0 }, *cbp = &cb;
	struct io_event ev;
	struct timespec t0;
	aio_context_t actx = 0;
	int tfm, s, fd, dc, status;
	unsigned char *map;
	long took;
	ssize_t c;
	pid_t pid;

	if (get_tfm_op(alg, &tfm, &s))
		return 1;
	fill(in, n, 1);
	c = sock_op(s, ALG_OP_ENCRYPT, in, n, comp, MAXBUF);
	if (c <= 0) {
		FAIL("compress: %zd", c);
		return 1;
	}
	/* the file, on disk as zeros */
	memset(back, 0, n);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, back, n) != (ssize_t)n || fsync(fd)) {
		FAIL("%s: %s", path, strerror(errno));
		return 1;
	}
	map = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED || io_setup_(1, &actx)) {
		FAIL("mmap or io_setup: %s", strerror(errno));
		return 1;
	}
	if (send_req(s, ALG_OP_DECRYPT, comp, c, 0) != c) {
		FAIL("send");
		return 1;
	}
	cb.aio_fildes = s;
	cb.aio_lio_opcode = IOCB_CMD_PREAD;
	cb.aio_buf = (uintptr_t)map;
	cb.aio_nbytes = n;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (!pid) {
		usleep(sync_ms * 1000);
		_exit(fsync(fd) ? 1 : 0);
	}
	if (io_submit_(actx, 1, &cbp) != 1) {
		FAIL("io_submit: %s", strerror(errno));
		return 1;
	}
	while (io_getevents_(actx, 1, 1, &ev) != 1)
		if (errno != EINTR) {
			FAIL("io_getevents: %s", strerror(errno));
			return 1;
		}
	took = ms_since(&t0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		FAIL("the writeback (fsync) failed");
	/* the case shows something only if the writeback ran with the read in flight */
	if (took <= sync_ms + 50)
		FAIL("the read took %ld ms: not past the writeback at %d ms", took, sync_ms);
	if (ev.res != (long)n || memcmp(map, in, n))
		FAIL("aio into the mapping: %lld, want %zu and the data", (long long)ev.res, n);
	if (msync(map, n, MS_SYNC) || munmap(map, n))
		FAIL("msync: %s", strerror(errno));
	close(fd);
	io_destroy_(actx);
	/* only what reached the disk is left */
	dc = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (dc < 0 || write(dc, "3", 1) != 1)
		FAIL("drop_caches: %s", strerror(errno));
	if (dc >= 0)
		close(dc);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, back, n) != (ssize_t)n)
		FAIL("read back %s: %s", path, strerror(errno));
	else if (memcmp(back, in, n))
		FAIL("the output is not in the file after writeback (read %ld ms, writeback at %d ms)",
		     took, sync_ms);
	if (fd >= 0)
		close(fd);
	close(s);
	close(tfm);
	fprintf(stderr, "aio-mmap: read took %ld ms, %d failures\n", took, failures);
	return failures != 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "roundtrip") && argc == 4)
		return cmd_roundtrip(argv[2], strtoul(argv[3], NULL, 0));
	if (!strcmp(cmd, "sizes") && argc >= 4)
		return cmd_sizes(argv[2], argc - 3, argv + 3);
	if (!strcmp(cmd, "errno") && argc == 4)
		return cmd_errno(argv[2], strtoul(argv[3], NULL, 0));
	if (!strcmp(cmd, "readsizes") && argc == 3)
		return cmd_readsizes(argv[2]);
	if (!strcmp(cmd, "fuzz") && argc == 5)
		return cmd_fuzz(argv[2], atol(argv[3]), strtoul(argv[4], NULL, 0));
	if (!strcmp(cmd, "bind") && argc == 6)
		return cmd_bind(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5]);
	if (!strcmp(cmd, "bind-raised") && argc == 6)
		return cmd_bind_raised(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5]);
	if (!strcmp(cmd, "memlimit") && argc == 3)
		return cmd_memlimit(argv[2]);
	if (!strcmp(cmd, "aio") && argc == 5)
		return cmd_aio(argv[2], atoi(argv[3]), argv[4], 0);
	if (!strcmp(cmd, "aio-close") && argc == 5)
		return cmd_aio(argv[2], atoi(argv[3]), argv[4], 1);
	if (!strcmp(cmd, "aio-mmap") && argc == 5)
		return cmd_aio_mmap(argv[2], argv[3], atoi(argv[4]));
	if (!strcmp(cmd, "runas") && argc >= 5) {
		gid_t g = atoi(argv[3]);

		if (setgroups(1, &g) || setgid(g) || setuid(atoi(argv[2]))) {
			perror("afalg_acomp runas");
			return 2;
		}
		execv(argv[4], argv + 4);
		perror(argv[4]);
		return 127;
	}
	fprintf(stderr, "usage: see the head of tests/progs/afalg_acomp.c\n");
	return 2;
}
