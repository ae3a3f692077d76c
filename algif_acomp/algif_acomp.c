// SPDX-License-Identifier: GPL-2.0
/*
 * algif_acomp: an AF_ALG socket type for acomp (compression) algorithms.
 *
 * bind() with salg_type "acomp" and salg_name an acomp algorithm (a driver
 * name such as "deflate-iaa", or a cra_name such as "deflate"), accept() an
 * op socket, then one request at a time on it:
 *
 *   sendmsg(input, ALG_SET_OP cmsg)  ALG_OP_ENCRYPT compresses,
 *                                    ALG_OP_DECRYPT decompresses
 *   read()/recvmsg(output buffer)    returns the output length
 *
 * Who may bind, checked in this order before anything is allocated or
 * loaded: the caller (CAP_SYS_ADMIN, or a member of the group parameter),
 * then, where the kernel has it, the administrator's af_alg_restrict (see
 * algif_acomp_restriction()), then the name it asked for. A name in the
 * allow parameter is allocated as the crypto API does for any caller, which
 * may load the module "crypto-NAME" or build a template instance. Any other
 * name may only be a driver name of an allowed algorithm (such as
 * "deflate-iaa" when "deflate" is allowed), and is looked up only among the
 * algorithms already registered and tested: nothing is loaded or
 * instantiated for it. Once allocated, the algorithm's cra_name or driver
 * name must be in the allow parameter, whatever name found it (a name can
 * alias another algorithm).
 *
 * Errors: EMSGSIZE (input above max_request_bytes; for a decompress, above
 * the largest stream a compress of that much gives), ENOSPC (the output does
 * not fit the read buffer), EBADMSG (a corrupt stream), EINVAL (a malformed
 * request), EBUSY (a request already pending), ENOBUFS (over the socket's
 * send buffer), EPERM (bind not allowed), ENOENT (no such algorithm, or one
 * outside the allowlist).
 *
 * Safety: the input is copied into a kernel buffer at sendmsg time and the
 * device writes only into a kernel buffer, which is then copied out to the
 * caller. User pages never reach the algorithm, and nothing is written past
 * the caller's buffer. The buffers are charged to the socket (against
 * sk_sndbuf) and to the memory cgroup (__GFP_ACCOUNT). An aio read pins the
 * pages of its buffer and the CPU copies the output into them from a work
 * item after the algorithm completed; the pages it copied output into are
 * marked dirty as they are unpinned, so that output to a shared file
 * mapping reaches the file even if writeback cleaned the pages while they
 * were pinned.
 *
 * af_alg keeps one request per op socket; many in flight means many op
 * sockets of one bound socket, each with its iocb (io_submit). Where the
 * socket layer no longer passes iocbs (7.2 on), every read is synchronous.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/acompress.h>
#include <crypto/if_alg.h>
#include <linux/cred.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/net.h>
#include <linux/scatterlist.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include <net/sock.h>

#include "algif_acomp_compat.h"

/* The largest request and output: CRYPTO_ACOMP_DST_MAX, scomp's limit too */
#define ALGIF_ACOMP_MAX		CRYPTO_ACOMP_DST_MAX
#define ALGIF_ACOMP_DEFAULT	(64 * 1024)
/* Pages of an aio read buffer of ALGIF_ACOMP_MAX bytes at any offset */
#define ALGIF_ACOMP_PAGES	(ALGIF_ACOMP_MAX / PAGE_SIZE + 1)

static unsigned int max_request = ALGIF_ACOMP_DEFAULT;

static int max_request_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	if (!v || v > ALGIF_ACOMP_MAX)
		return -EINVAL;
	WRITE_ONCE(max_request, v);
	return 0;
}

static const struct kernel_param_ops max_request_ops = {
	.set = max_request_set,
	.get = param_get_uint,
};

module_param_cb(max_request_bytes, &max_request_ops, &max_request, 0644);
MODULE_PARM_DESC(max_request_bytes,
		 "Largest input of one request in bytes (1-131072, default 65536)");

static int group = -1;
module_param(group, int, 0644);
MODULE_PARM_DESC(group,
		 "Group (gid) whose members may bind besides CAP_SYS_ADMIN (default -1: none)");

static char *allow = "deflate";
module_param(allow, charp, 0444);
MODULE_PARM_DESC(allow,
		 "Comma-separated algorithm names (cra_name or driver name) that may be bound (default \"deflate\": deflate and its drivers)");

static struct workqueue_struct *algif_acomp_wq;

/*
 * The allow parameter as af_alg's allowlist, made at load (allow is
 * read-only), for af_alg_check_restriction(). Every entry carries
 * AF_ALG_UNPRIVILEGED: who may bind is decided by algif_acomp_permitted()
 * before af_alg is asked, and af_alg's own rule (CAP_SYS_ADMIN or
 * CAP_NET_ADMIN) would refuse the members of the group parameter.
 */
static struct af_alg_allowlist_entry *algif_acomp_list;
static char *algif_acomp_names;		/* the copy the entries point into */

enum algif_acomp_state {
	ACOMP_IDLE,		/* no input */
	ACOMP_FILLING,		/* input sent with MSG_MORE */
	ACOMP_READY,		/* a whole request, waiting for its read */
	ACOMP_BUSY,		/* an aio read in flight */
};

struct algif_acomp_ctx {
	struct sock *sk;
	struct acomp_req *req;
	struct crypto_wait wait;

	enum algif_acomp_state state;
	bool op_set;
	bool compress;

	u8 *src;			/* input bounce buffer */
	unsigned int src_cap;
	unsigned int src_len;
	u8 *dst;			/* output bounce buffer */
	unsigned int dst_cap;
	unsigned int dlen;		/* output room of the current request */
	struct scatterlist src_sg;
	struct scatterlist dst_sg;

	/* aio: the caller's pinned buffer and the completion */
	struct kiocb *iocb;
	struct sg_table usgt;
	struct scatterlist usg[ALGIF_ACOMP_PAGES];
	struct page *upages[ALGIF_ACOMP_PAGES];	/* for unpinning */
	unsigned int ulen;
	bool unpin;
	int err;
	struct work_struct work;
};

/* Is @name one of the comma-separated names of the allow parameter? */
static bool algif_acomp_allowed(const char *name)
{
	const char *p = allow;
	size_t n = strlen(name);

	while (p && *p) {
		const char *end = strchrnul(p, ',');

		if (end - p == n && !strncmp(p, name, n))
			return true;
		p = *end ? end + 1 : NULL;
	}
	return false;
}

static bool algif_acomp_permitted(void)
{
	int gid = READ_ONCE(group);

	if (capable(CAP_SYS_ADMIN))
		return true;
	if (gid < 0)
		return false;
	return in_group_p(make_kgid(&init_user_ns, gid));
}

static int algif_acomp_list_init(void)
{
	const char *names = allow ? allow : "";
	unsigned int n = 1, i = 0;
	char *p, *name;

	if (!ALGIF_ACOMP_HAVE_RESTRICT)
		return 0;
	algif_acomp_names = kstrdup(names, GFP_KERNEL);
	if (!algif_acomp_names)
		return -ENOMEM;
	for (p = algif_acomp_names; *p; p++)
		n += *p == ',';
	/* a last entry with no name ends the list */
	algif_acomp_list = kcalloc(n + 1, sizeof(*algif_acomp_list), GFP_KERNEL);
	if (!algif_acomp_list) {
		kfree(algif_acomp_names);
		return -ENOMEM;
	}
	p = algif_acomp_names;
	while ((name = strsep(&p, ","))) {
		if (!*name)
			continue;
		algif_acomp_list[i].name = name;
		algif_acomp_list[i].flags = AF_ALG_UNPRIVILEGED;
		i++;
	}
	return 0;
}

static void algif_acomp_list_free(void)
{
	kfree(algif_acomp_list);
	kfree(algif_acomp_names);
}

/*
 * The administrator's af_alg_restrict, as af_alg judges it for the entry of
 * the allowlist that admits @name: @name itself when it is listed. A name
 * outside the list is admitted only as the driver name of a listed
 * algorithm, known once it is found; as every entry has the same flags,
 * af_alg's verdict for the first one is its verdict for that one, and is
 * had before anything is looked up. Level 0 and 1 admit (the caller passed
 * algif_acomp_permitted() already, at least as strict as level 1 is for
 * the kernel's own types); level 2, raised after the socket was made,
 * refuses with ENOENT, as it does every type's bind.
 */
static int algif_acomp_restriction(const char *name, bool listed)
{
	if (!ALGIF_ACOMP_HAVE_RESTRICT)
		return 0;
	if (!algif_acomp_list[0].name)
		return -ENOENT;		/* nothing allowed */
	return af_alg_check_restriction(listed ? name : algif_acomp_list[0].name,
					algif_acomp_list);
}

static void *algif_acomp_bind_name(const char *name, u32 type, u32 mask)
{
	bool listed = algif_acomp_allowed(name);
	struct crypto_acomp *tfm;
	struct crypto_tfm *base;
	int err;

	if (!algif_acomp_permitted())
		return ERR_PTR(-EPERM);
	err = algif_acomp_restriction(name, listed);
	if (err)
		return ERR_PTR(err);

	/* a name not allowed as such: registered and tested algorithms only */
	if (!listed) {
		type |= CRYPTO_ALG_TESTED;
		mask |= CRYPTO_ALG_TESTED | CRYPTO_NOLOAD;
	}
	tfm = crypto_alloc_acomp(name, type, mask);
	if (IS_ERR(tfm))
		return tfm;

	base = crypto_acomp_tfm(tfm);
	if (!algif_acomp_allowed(crypto_tfm_alg_name(base)) &&
	    !algif_acomp_allowed(crypto_tfm_alg_driver_name(base))) {
		crypto_free_acomp(tfm);
		return ERR_PTR(-ENOENT);
	}
	return tfm;
}

static void algif_acomp_release(void *private)
{
	crypto_free_acomp(private);
}

/* Wake pollers after a change of state */
static void algif_acomp_wakeup(struct sock *sk)
{
	struct socket_wq *wq;

	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLIN | EPOLLRDNORM |
					   EPOLLOUT | EPOLLWRNORM);
	rcu_read_unlock();
}

/* Forget the current request; the buffers stay for the next one */
static void algif_acomp_reset(struct algif_acomp_ctx *ctx)
{
	ctx->state = ACOMP_IDLE;
	ctx->src_len = 0;
	ctx->op_set = false;
}

static void algif_acomp_free(u8 *buf, unsigned int cap)
{
	if (buf) {
		memzero_explicit(buf, cap);
		free_pages_exact(buf, cap);
	}
}

/*
 * Make *@buf hold at least @need bytes (contiguous: the device reads and
 * writes it through one descriptor), keeping what it held. Both buffers
 * together stay within the socket's send buffer.
 */
static int algif_acomp_grow(struct algif_acomp_ctx *ctx, u8 **buf,
			    unsigned int *cap, unsigned int need,
			    unsigned int keep)
{
	struct sock *sk = ctx->sk;
	unsigned int other = ctx->src_cap + ctx->dst_cap - *cap;
	unsigned int size;
	u8 *p;

	if (*cap >= need)
		return 0;

	/* whole pages, exactly: what the socket is charged is what it holds */
	size = PAGE_ALIGN(need);
	if ((u64)other + size > (unsigned int)READ_ONCE(sk->sk_sndbuf))
		return -ENOBUFS;

	p = alloc_pages_exact(size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!p)
		return -ENOMEM;
	if (keep)
		memcpy(p, *buf, keep);
	algif_acomp_free(*buf, *cap);
	*buf = p;
	*cap = size;
	return 0;
}

/*
 * The largest compress output of @len bytes: literals at 9 bits each (fixed
 * Huffman, deflate-iaa's worst case; zlib's stored blocks and lzo need less)
 * and a block header, within the largest output.
 */
static unsigned int algif_acomp_bound(unsigned int len)
{
	return min_t(unsigned int, len + len / 8 + 64, ALGIF_ACOMP_MAX);
}

/* A decompress takes the stream of the largest compress */
static unsigned int algif_acomp_decompress_limit(unsigned int limit)
{
	return algif_acomp_bound(limit);
}

static int algif_acomp_parse_op(struct msghdr *msg, int *op)
{
	struct cmsghdr *cmsg;

	*op = -1;
	for_each_cmsghdr(cmsg, msg) {
		if (!CMSG_OK(msg, cmsg))
			return -EINVAL;
		/* only ALG_SET_OP: no IV, no assoclen, nothing of another level */
		if (cmsg->cmsg_level != SOL_ALG || cmsg->cmsg_type != ALG_SET_OP ||
		    cmsg->cmsg_len < CMSG_LEN(sizeof(u32)))
			return -EINVAL;
		*op = *(u32 *)CMSG_DATA(cmsg);
		if (*op != ALG_OP_ENCRYPT && *op != ALG_OP_DECRYPT)
			return -EINVAL;
	}
	return 0;
}

static int algif_acomp_sendmsg(struct socket *sock, struct msghdr *msg,
			       size_t size)
{
	struct sock *sk = sock->sk;
	struct algif_acomp_ctx *ctx = alg_sk(sk)->private;
	unsigned int limit = READ_ONCE(max_request), dlimit = limit;
	int op, err;

	err = algif_acomp_parse_op(msg, &op);
	if (err)
		return err;

	lock_sock(sk);
	if (ctx->state == ACOMP_READY || ctx->state == ACOMP_BUSY) {
		err = -EBUSY;
		goto out;
	}

	if (op >= 0) {
		bool compress = op == ALG_OP_ENCRYPT;

		if (ctx->op_set && ctx->compress != compress) {
			err = -EINVAL;
			goto fail;
		}
		ctx->op_set = true;
		ctx->compress = compress;
	}

	/* the op may come with the last part: the larger bound until then */
	if (!ctx->op_set || !ctx->compress)
		dlimit = algif_acomp_decompress_limit(limit);
	if ((u64)ctx->src_len + size > dlimit) {
		err = -EMSGSIZE;
		goto fail;
	}

	if (size) {
		err = algif_acomp_grow(ctx, &ctx->src, &ctx->src_cap,
				       ctx->src_len + size, ctx->src_len);
		if (err)
			goto fail;
		if (!copy_from_iter_full(ctx->src + ctx->src_len, size,
					 &msg->msg_iter)) {
			err = -EFAULT;
			goto fail;
		}
		ctx->src_len += size;
	}

	if (msg->msg_flags & MSG_MORE) {
		ctx->state = ACOMP_FILLING;
	} else {
		if (!ctx->op_set || !ctx->src_len) {
			err = -EINVAL;
			goto fail;
		}
		if (ctx->compress && ctx->src_len > limit) {
			err = -EMSGSIZE;
			goto fail;
		}
		ctx->state = ACOMP_READY;
	}
	release_sock(sk);
	algif_acomp_wakeup(sk);
	return size;

fail:
	algif_acomp_reset(ctx);
out:
	release_sock(sk);
	return err;
}

/* The errno of a finished request, in the socket's terms */
static int algif_acomp_result(struct algif_acomp_ctx *ctx, int err,
			      unsigned int room)
{
	switch (err) {
	case 0:
		if (ctx->req->dlen > ctx->dlen)
			return -EIO;		/* the algorithm overran its room */
		return ctx->req->dlen > room ? -ENOSPC : 0;
	case -E2BIG:
	case -EOVERFLOW:
		return -ENOSPC;
	case -EINVAL:
		/*
		 * The request was checked here; software deflate (zlib)
		 * reports both a short buffer and a bad stream as -EINVAL.
		 */
		return ctx->compress ? -ENOSPC : -EBADMSG;
	default:
		return err;
	}
}

static int algif_acomp_start(struct algif_acomp_ctx *ctx)
{
	return ctx->compress ? crypto_acomp_compress(ctx->req) :
			       crypto_acomp_decompress(ctx->req);
}

/*
 * Release the aio read's pages, @written bytes of output copied into them
 * from their start. The pages written are marked dirty: writeback may have
 * cleaned them while they were pinned, and the CPU wrote through the
 * kernel's mapping, which does not dirty them. The others are only unpinned.
 */
static void algif_acomp_unpin(struct algif_acomp_ctx *ctx,
			      unsigned int written)
{
	struct scatterlist *sg;
	unsigned int i, dirty = 0;

	if (ctx->unpin) {
		for_each_sg(ctx->usgt.sgl, sg, ctx->usgt.nents, i) {
			ctx->upages[i] = sg_page(sg);
			if (written) {
				dirty = i + 1;
				written -= min(written, sg->length);
			}
		}
		unpin_user_pages_dirty_lock(ctx->upages, dirty, true);
		unpin_user_pages(ctx->upages + dirty, ctx->usgt.nents - dirty);
	}
	ctx->usgt.nents = 0;
	ctx->unpin = false;
}

/* An aio read's end: copy out, unpin, complete (process context) */
static void algif_acomp_aio_done(struct work_struct *work)
{
	struct algif_acomp_ctx *ctx = container_of(work, struct algif_acomp_ctx,
						   work);
	struct sock *sk = ctx->sk;
	struct kiocb *iocb;
	int err;

	lock_sock(sk);
	err = algif_acomp_result(ctx, ctx->err, ctx->ulen);
	if (!err && ctx->req->dlen &&
	    sg_copy_from_buffer(ctx->usgt.sgl, ctx->usgt.nents, ctx->dst,
				ctx->req->dlen) != ctx->req->dlen)
		err = -EFAULT;
	algif_acomp_unpin(ctx, err ? 0 : ctx->req->dlen);
	if (!err)
		err = ctx->req->dlen;
	iocb = ctx->iocb;
	ctx->iocb = NULL;
	algif_acomp_reset(ctx);
	release_sock(sk);
	algif_acomp_wakeup(sk);

	sock_put(sk);
	iocb->ki_complete(iocb, err);
}

static void algif_acomp_aio_cb(void *data, int err)
{
	struct algif_acomp_ctx *ctx = data;

	if (err == -EINPROGRESS)	/* a backlogged request started */
		return;
	ctx->err = err;
	queue_work(algif_acomp_wq, &ctx->work);
}

static int algif_acomp_recv_aio(struct algif_acomp_ctx *ctx,
				struct msghdr *msg, unsigned int room)
{
	struct sock *sk = ctx->sk;
	ssize_t got = 0;
	int err;

	sg_init_table(ctx->usg, ALGIF_ACOMP_PAGES);
	ctx->usgt.sgl = ctx->usg;
	ctx->usgt.nents = 0;
	ctx->usgt.orig_nents = 0;
	ctx->unpin = iov_iter_extract_will_pin(&msg->msg_iter);
	if (room) {
		got = extract_iter_to_sg(&msg->msg_iter, room, &ctx->usgt,
					 ALGIF_ACOMP_PAGES, 0);
		if (got < 0) {
			ctx->usgt.nents = 0;
			return got;
		}
		if (!got)
			return -EFAULT;
		sg_mark_end(&ctx->usgt.sgl[ctx->usgt.nents - 1]);
	}
	/* what could not be pinned is not room for output */
	ctx->ulen = got;

	ctx->iocb = algif_acomp_msg_iocb(msg);
	ctx->state = ACOMP_BUSY;
	sock_hold(sk);
	acomp_request_set_callback(ctx->req, CRYPTO_TFM_REQ_MAY_SLEEP |
				   CRYPTO_TFM_REQ_MAY_BACKLOG,
				   algif_acomp_aio_cb, ctx);
	err = algif_acomp_start(ctx);
	if (err == -EINPROGRESS || err == -EBUSY)
		return -EIOCBQUEUED;

	/* finished at once: complete here, as a synchronous read */
	sock_put(sk);
	ctx->iocb = NULL;
	err = algif_acomp_result(ctx, err, ctx->ulen);
	if (!err && ctx->req->dlen &&
	    sg_copy_from_buffer(ctx->usgt.sgl, ctx->usgt.nents, ctx->dst,
				ctx->req->dlen) != ctx->req->dlen)
		err = -EFAULT;
	algif_acomp_unpin(ctx, err ? 0 : ctx->req->dlen);
	return err ? err : ctx->req->dlen;
}

static int algif_acomp_recvmsg(struct socket *sock, struct msghdr *msg,
			       size_t ignored, int flags)
{
	struct sock *sk = sock->sk;
	struct algif_acomp_ctx *ctx = alg_sk(sk)->private;
	size_t left = msg_data_left(msg);
	unsigned int room = min_t(size_t, left, ALGIF_ACOMP_MAX);
	struct kiocb *iocb;
	int err;

	lock_sock(sk);
	if (ctx->state != ACOMP_READY) {
		err = ctx->state == ACOMP_BUSY ? -EBUSY : -EINVAL;
		goto out;
	}

	/*
	 * At least one byte, so that an output of one byte reads as ENOSPC.
	 * A compress never needs more than its input's worst case.
	 */
	ctx->dlen = max(room, 1U);
	if (ctx->compress)
		ctx->dlen = min(ctx->dlen, algif_acomp_bound(ctx->src_len));
	err = algif_acomp_grow(ctx, &ctx->dst, &ctx->dst_cap, ctx->dlen, 0);
	if (err)
		goto done;

	sg_init_one(&ctx->src_sg, ctx->src, ctx->src_len);
	sg_init_one(&ctx->dst_sg, ctx->dst, ctx->dlen);
	acomp_request_set_params(ctx->req, &ctx->src_sg, &ctx->dst_sg,
				 ctx->src_len, ctx->dlen);

	iocb = algif_acomp_msg_iocb(msg);
	if (iocb && !is_sync_kiocb(iocb)) {
		err = algif_acomp_recv_aio(ctx, msg, room);
		if (err == -EIOCBQUEUED)
			goto out;
		goto done;
	}

	acomp_request_set_callback(ctx->req, CRYPTO_TFM_REQ_MAY_SLEEP |
				   CRYPTO_TFM_REQ_MAY_BACKLOG,
				   crypto_req_done, &ctx->wait);
	err = crypto_wait_req(algif_acomp_start(ctx), &ctx->wait);
	err = algif_acomp_result(ctx, err, room);
	if (!err && copy_to_iter(ctx->dst, ctx->req->dlen, &msg->msg_iter) !=
		    ctx->req->dlen)
		err = -EFAULT;
	if (!err)
		err = ctx->req->dlen;

done:
	/* the request is consumed, whatever its result */
	algif_acomp_reset(ctx);
	release_sock(sk);
	algif_acomp_wakeup(sk);
	return err;
out:
	release_sock(sk);
	return err;
}

static __poll_t algif_acomp_poll(struct file *file, struct socket *sock,
				 poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct algif_acomp_ctx *ctx = alg_sk(sk)->private;
	enum algif_acomp_state state;
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);
	state = READ_ONCE(ctx->state);
	if (state == ACOMP_READY)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (state == ACOMP_IDLE || state == ACOMP_FILLING)
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/*
 * sock_orphan() clears sk_wq under the callback lock: an aio completion that
 * outlives the socket wakes nobody instead of a freed wait queue.
 */
static int algif_acomp_sock_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (sk) {
		lock_sock(sk);
		sock_orphan(sk);
		release_sock(sk);
	}
	return af_alg_release(sock);
}

/* Not const: af_alg_register_type() sets its owner (to af_alg) */
static struct proto_ops algif_acomp_ops = {
	.family		= PF_ALG,
	.owner		= THIS_MODULE,

	.connect	= sock_no_connect,
	.socketpair	= sock_no_socketpair,
	.getname	= sock_no_getname,
	.ioctl		= sock_no_ioctl,
	.listen		= sock_no_listen,
	.shutdown	= sock_no_shutdown,
	.mmap		= sock_no_mmap,
	.bind		= sock_no_bind,
	.accept		= sock_no_accept,

	.release	= algif_acomp_sock_release,
	.sendmsg	= algif_acomp_sendmsg,
	.recvmsg	= algif_acomp_recvmsg,
	.poll		= algif_acomp_poll,
};

static void algif_acomp_sock_destruct(struct sock *sk)
{
	struct alg_sock *ask = alg_sk(sk);
	struct algif_acomp_ctx *ctx = ask->private;

	/* an aio read holds the socket: none is in flight here */
	acomp_request_free(ctx->req);
	algif_acomp_free(ctx->src, ctx->src_cap);
	algif_acomp_free(ctx->dst, ctx->dst_cap);
	sock_kfree_s(sk, ctx, sizeof(*ctx));
	af_alg_release_parent(sk);
}

static int algif_acomp_accept(void *private, struct sock *sk)
{
	struct alg_sock *ask = alg_sk(sk);
	struct algif_acomp_ctx *ctx;

	ctx = sock_kmalloc(sk, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	memset(ctx, 0, sizeof(*ctx));

	ctx->req = acomp_request_alloc(private);
	if (!ctx->req) {
		sock_kfree_s(sk, ctx, sizeof(*ctx));
		return -ENOMEM;
	}
	ctx->sk = sk;
	crypto_init_wait(&ctx->wait);
	INIT_WORK(&ctx->work, algif_acomp_aio_done);

	ask->private = ctx;
	sk->sk_destruct = algif_acomp_sock_destruct;
	return 0;
}

static const struct af_alg_type algif_type_acomp = {
	.bind		= algif_acomp_bind,
	.release	= algif_acomp_release,
	.accept		= algif_acomp_accept,
	.ops		= &algif_acomp_ops,
	.name		= "acomp",
	.owner		= THIS_MODULE,
};

static int __init algif_acomp_init(void)
{
	int err;

	err = algif_acomp_list_init();
	if (err)
		return err;
	algif_acomp_wq = alloc_workqueue("algif_acomp", WQ_UNBOUND, 0);
	if (!algif_acomp_wq) {
		algif_acomp_list_free();
		return -ENOMEM;
	}
	err = af_alg_register_type(&algif_type_acomp);
	if (err) {
		destroy_workqueue(algif_acomp_wq);
		algif_acomp_list_free();
	}
	return err;
}

static void __exit algif_acomp_exit(void)
{
	int err = af_alg_unregister_type(&algif_type_acomp);

	WARN_ON(err);
	/* waits for the last aio completion to return */
	destroy_workqueue(algif_acomp_wq);
	algif_acomp_list_free();
}

module_init(algif_acomp_init);
module_exit(algif_acomp_exit);
MODULE_DESCRIPTION("User-space interface for compression algorithms");
MODULE_LICENSE("GPL");
