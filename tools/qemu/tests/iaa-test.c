/*
 * qtest for the virtual Intel IAA device (intel-iaa): registers, commands,
 * portals, descriptor execution, the latency model, fault injection and the
 * halt state, all without a guest. Virtual time only moves when the test
 * steps it, so every timing check is exact.
 *
 * Built inside QEMU's tree as tests/qtest/iaa-test (see tools/qemu/tests/run).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "libqtest.h"
#include "libqos/libqos-pc.h"
#include "libqos/pci-pc.h"
#include "qapi/qmp/qdict.h"
#include "hw/pci/pci_regs.h"

#define DEVFN           QPCI_DEVFN(4, 0)
#define QOM_PATH        "/machine/peripheral/iaa0"

/* registers */
#define VERSION         0x00
#define GENCAP          0x10
#define WQCAP           0x20
#define GRPCAP          0x30
#define ENGCAP          0x38
#define OPCAP           0x40
#define TABLE_OFFSET    0x60
#define GENCFG          0x80
#define GENCTRL         0x88
#define GENSTS          0x90
#define INTCAUSE        0x98
#define CMD             0xa0
#define CMDSTS          0xa8
#define SWERR           0xc0
#define IAACAP          0x180

/* IAACAP of version=0x200: the IAA 2.0 features the model performs */
#define IAACAP_V2       0x180ull         /* header_gen, diction_comp */

#define INTC_ERR        0x01
#define INTC_CMD        0x02
#define INTC_HALT       0x10

enum {
    C_ENABLE_DEVICE = 1, C_DISABLE_DEVICE, C_DRAIN_ALL, C_ABORT_ALL,
    C_RESET_DEVICE, C_ENABLE_WQ, C_DISABLE_WQ, C_DRAIN_WQ, C_ABORT_WQ,
    C_RESET_WQ, C_DRAIN_PASID, C_ABORT_PASID, C_REQUEST_INT_HANDLE,
    C_RELEASE_INT_HANDLE,
};
#define INTC_INT_HANDLE_REVOKED 0x80000000u

/* descriptors */
#define F_CRAV          (1u << 2)
#define F_RCR           (1u << 3)
#define F_RCI           (1u << 4)
#define F_CC            (1u << 8)
#define F_AECS          (1u << 16)
#define F_WR_AECS       (1u << 18)      /* write src2 as AECS, always */
#define F_CRC32C        (1u << 21)
#define OP_NOOP         0x00
#define OP_DRAIN        0x02
#define OP_DECOMPRESS   0x42
#define OP_COMPRESS     0x43
#define AECS_SIZE       1568
/* decompression flags, numbered as in Intel QPL's hardware definitions */
#define D_ENABLE        0x001
#define D_FLUSH         0x002
#define D_STOP_EOB      0x004
#define D_CHECK_EOB     0x008
#define D_SEL_BFINAL    0x010
#define D_BE            0x020
#define D_IGNORE_END(n) ((n) << 6)
#define D_SUPPRESS      0x200
/* what a one-shot decompress asks for: to the end of the final block */
#define D_ONE_SHOT      (D_ENABLE | D_FLUSH | D_STOP_EOB | D_CHECK_EOB | \
                         D_SEL_BFINAL)
/* compression flags; statistics mode, its histogram (QPL hw_iaa_histogram) */
#define C_STATS         0x001
#define C_FLUSH         0x002
#define C_EOB           0x004           /* END_PROC 1 */
#define C_HDR_GEN(v)    ((v) << 12)     /* IAA 2.0 header generation */
#define C_DICT(v)       ((v) << 10)     /* IAA 2.0 dictionary level */
#define STATS_SIZE      1280
#define STATS_LL        0               /* u32 ll[286], 2 reserved */
#define STATS_D         288             /* u32 d[30], 2 reserved */

typedef struct Iaa {
    QOSState *qs;
    QTestState *qts;
    QPCIDevice *dev;
    QPCIBar bar0;
    QPCIBar bar2;
    uint64_t mem;               /* 1 MiB of guest scratch, page aligned */
    unsigned slot;              /* rotating portal slot, as idxd does */
} Iaa;

/* guest scratch layout */
#define M_CR            0x00000     /* completion records, 64 B each */
#define M_AECS          0x10000
#define M_SRC           0x20000
#define M_DST           0x40000
#define M_DST2          0x60000

static Iaa *iaa_start(const char *props)
{
    Iaa *t = g_new0(Iaa, 1);
    uint64_t size;

    /* IAA_QTEST_ARGS: e.g. firmware directories (-L) for a tree without */
    t->qs = qtest_pc_boot("-nodefaults -m 256 %s "
                          "-device intel-iaa,id=iaa0,addr=04.0%s%s",
                          getenv("IAA_QTEST_ARGS") ?: "",
                          props ? "," : "", props ? props : "");
    t->qts = t->qs->qts;
    t->dev = qpci_device_find(t->qs->pcibus, DEVFN);
    g_assert(t->dev);
    /* the MSI-X table is in BAR0: let the MSI-X helper map it, once */
    qpci_msix_enable(t->dev);
    g_assert_cmphex(t->dev->msix_table_off, >=, 0x1000);
    t->bar0 = t->dev->msix_table_bar;
    t->bar2 = qpci_iomap(t->dev, 2, &size);
    g_assert_cmphex(size, >=, 0x4000);
    qpci_device_enable(t->dev);
    t->mem = guest_alloc(&t->qs->alloc, 1 << 20);
    g_assert_cmphex(t->mem & 0xfff, ==, 0);
    return t;
}

static void iaa_stop(Iaa *t)
{
    qpci_msix_disable(t->dev);
    g_free(t->dev);
    qtest_shutdown(t->qs);
    g_free(t);
}

static uint32_t rd32(Iaa *t, uint64_t off)
{
    return qpci_io_readl(t->dev, t->bar0, off);
}

static uint64_t rd64(Iaa *t, uint64_t off)
{
    return qpci_io_readq(t->dev, t->bar0, off);
}

static void wr32(Iaa *t, uint64_t off, uint32_t v)
{
    qpci_io_writel(t->dev, t->bar0, off, v);
}

static void wr64(Iaa *t, uint64_t off, uint64_t v)
{
    qpci_io_writeq(t->dev, t->bar0, off, v);
}

static uint32_t grpcfg(Iaa *t)
{
    return (rd64(t, TABLE_OFFSET) & 0xffff) * 0x100;
}

static uint32_t wqcfg(Iaa *t, unsigned wq, unsigned dw)
{
    return ((rd64(t, TABLE_OFFSET) >> 16) & 0xffff) * 0x100 + wq * 32 + dw * 4;
}

static uint32_t cmd(Iaa *t, unsigned code, uint32_t operand, bool int_req)
{
    wr32(t, CMD, (int_req ? 1u << 31 : 0) | code << 20 | operand);
    return rd32(t, CMDSTS);
}

/* MSI-X: all vectors start masked, so a notification shows as pending. */
static bool vec_pending(Iaa *t, unsigned v)
{
    return qpci_msix_pending(t->dev, v);
}

/* Clear a pending vector by unmasking it (delivering) and masking again. */
static void vec_clear(Iaa *t, unsigned v)
{
    uint64_t ctrl = t->dev->msix_table_off + v * 16 + 12;

    qpci_io_writel(t->dev, t->dev->msix_table_bar, ctrl, 0);
    qpci_io_writel(t->dev, t->dev->msix_table_bar, ctrl, 1);
    g_assert(!vec_pending(t, v));
}

static int64_t qom_get_int(Iaa *t, const char *prop)
{
    QDict *rsp = qtest_qmp(t->qts, "{'execute':'qom-get','arguments':"
                           "{'path':%s,'property':%s}}", QOM_PATH, prop);
    int64_t v;

    g_assert(qdict_haskey(rsp, "return"));
    v = qdict_get_int(rsp, "return");
    qobject_unref(rsp);
    return v;
}

static bool qom_set_str(Iaa *t, const char *prop, const char *val)
{
    QDict *rsp = qtest_qmp(t->qts, "{'execute':'qom-set','arguments':"
                           "{'path':%s,'property':%s,'value':%s}}",
                           QOM_PATH, prop, val);
    bool ok = qdict_haskey(rsp, "return");

    qobject_unref(rsp);
    return ok;
}

static void qom_set_int(Iaa *t, const char *prop, int64_t val)
{
    qtest_qmp_assert_success(t->qts, "{'execute':'qom-set','arguments':"
                             "{'path':%s,'property':%s,'value':%" PRId64 "}}",
                             QOM_PATH, prop, val);
}

static void qom_set_bool(Iaa *t, const char *prop, bool val)
{
    qtest_qmp_assert_success(t->qts, "{'execute':'qom-set','arguments':"
                             "{'path':%s,'property':%s,'value':%i}}",
                             QOM_PATH, prop, val);
}

/* qom-set of a bool that may be refused */
static bool qom_try_bool(Iaa *t, const char *prop, bool val)
{
    QDict *rsp = qtest_qmp(t->qts, "{'execute':'qom-set','arguments':"
                           "{'path':%s,'property':%s,'value':%i}}",
                           QOM_PATH, prop, val);
    bool ok = qdict_haskey(rsp, "return");

    qobject_unref(rsp);
    return ok;
}

static void latency(Iaa *t, int64_t comp, int64_t decomp)
{
    qom_set_int(t, "comp-base-ns", comp);
    qom_set_int(t, "comp-ns-per-kib", 0);
    qom_set_int(t, "decomp-base-ns", decomp);
    qom_set_int(t, "decomp-ns-per-kib", 0);
}

/* Configure WQ @wq (dedicated, @size entries) in group 0 with @engines. */
static void wq_config(Iaa *t, unsigned wq, unsigned size, uint64_t engines)
{
    uint64_t g0 = rd64(t, grpcfg(t));

    wr32(t, wqcfg(t, wq, 0), size);
    wr32(t, wqcfg(t, wq, 2), 1 | 10 << 4);      /* dedicated, priority 10 */
    wr32(t, wqcfg(t, wq, 3), 21);               /* max_xfer_shift */
    wr64(t, grpcfg(t), g0 | 1ull << wq);
    wr64(t, grpcfg(t) + 0x20, engines);
}

/* RESET, one WQ of @size on @engines, device and WQ enabled. */
static void setup(Iaa *t, unsigned size, uint64_t engines)
{
    g_assert_cmphex(cmd(t, C_RESET_DEVICE, 0, false), ==, 0);
    wr32(t, GENCTRL, 3);
    wq_config(t, 0, size, engines);
    g_assert_cmphex(cmd(t, C_ENABLE_DEVICE, 0, false), ==, 0);
    g_assert_cmphex(cmd(t, C_ENABLE_WQ, 0, false), ==, 0);
}

/* ldl_le_p() returns int: keep CRCs and sizes unsigned */
static uint32_t le32(const uint8_t *p)
{
    return ldl_le_p(p);
}

typedef struct Desc {
    uint8_t b[64];
} Desc;

static Desc desc(uint8_t op, uint32_t flags, unsigned cr)
{
    Desc d = { { 0 } };

    stl_le_p(d.b + 4, flags);
    d.b[7] = op;
    stq_le_p(d.b + 8, cr == UINT_MAX ? 0 : M_CR + cr * 64);
    return d;
}

static void desc_addrs(Iaa *t, Desc *d)
{
    /* turn scratch offsets into guest addresses */
    for (unsigned off = 8; off <= 0x28; off += 8) {
        if (off == 0x20) {
            continue;
        }
        if (ldq_le_p(d->b + off) || off == 8) {
            stq_le_p(d->b + off, t->mem + ldq_le_p(d->b + off));
        }
    }
}

static void submit_raw(Iaa *t, unsigned wq, const Desc *d)
{
    uint64_t base = wq * 0x4000 + 0x1000 + (t->slot++ % 64) * 64;

    for (unsigned i = 0; i < 8; i++) {
        qpci_io_writeq(t->dev, t->bar2, base + i * 8, ldq_le_p(d->b + i * 8));
    }
}

static void submit(Iaa *t, unsigned wq, Desc d)
{
    desc_addrs(t, &d);
    submit_raw(t, wq, &d);
}

static void cr_read(Iaa *t, unsigned cr, uint8_t rec[64])
{
    qtest_memread(t->qts, t->mem + M_CR + cr * 64, rec, 64);
}

static uint8_t cr_status(Iaa *t, unsigned cr)
{
    uint8_t rec[64];

    cr_read(t, cr, rec);
    return rec[0];
}

static void cr_clear(Iaa *t)
{
    qtest_memset(t->qts, t->mem + M_CR, 0, 0x1000);
}

/* RFC 1951 fixed Huffman codes as AECS entries (code | length << 15) */
static void aecs_fixed(Iaa *t)
{
    uint8_t a[AECS_SIZE] = { 0 };

    for (unsigned s = 0; s < 286; s++) {
        uint32_t code, len;

        if (s < 144) {
            code = 0x30 + s, len = 8;
        } else if (s < 256) {
            code = 0x190 + s - 144, len = 9;
        } else if (s < 280) {
            code = s - 256, len = 7;
        } else {
            code = 0xc0 + s - 280, len = 8;
        }
        stl_le_p(a + 0x120 + 4 * s, code | len << 15);
    }
    for (unsigned s = 0; s < 30; s++) {
        stl_le_p(a + 0x5a0 + 4 * s, s | 5 << 15);
    }
    stl_le_p(a + 0x1c, 3);      /* 3 accumulated bits: BFINAL=1, BTYPE=01 */
    a[0x20] = 3;
    qtest_memwrite(t->qts, t->mem + M_AECS, a, sizeof(a));
}

static Desc desc_compress(unsigned cr, uint32_t len, uint32_t cap)
{
    Desc d = desc(OP_COMPRESS, F_CRAV | F_RCR | F_CC | F_AECS, cr);

    stq_le_p(d.b + 0x10, M_SRC);
    stq_le_p(d.b + 0x18, M_DST);
    stl_le_p(d.b + 0x20, len);
    stw_le_p(d.b + 0x26, 0x6);              /* flush output, append EOB */
    stq_le_p(d.b + 0x28, M_AECS);
    stl_le_p(d.b + 0x30, cap);
    stl_le_p(d.b + 0x34, AECS_SIZE);
    return d;
}

/* statistics of M_SRC into M_DST, the way QPL asks: no AECS at all */
static Desc desc_stats(unsigned cr, uint32_t len, uint32_t cap)
{
    Desc d = desc(OP_COMPRESS, F_CRAV | F_RCR | F_CC, cr);

    stq_le_p(d.b + 0x10, M_SRC);
    stq_le_p(d.b + 0x18, M_DST);
    stl_le_p(d.b + 0x20, len);
    stw_le_p(d.b + 0x26, C_STATS);
    stl_le_p(d.b + 0x30, cap);
    return d;
}

/* one-pass header generation of M_SRC into M_DST, as K-v13 17/22 sends it */
static Desc desc_hdr_gen(unsigned cr, uint32_t len, uint32_t cap,
                         uint16_t cflags)
{
    Desc d = desc(OP_COMPRESS, F_CRAV | F_RCR | F_CC, cr);

    stq_le_p(d.b + 0x10, M_SRC);
    stq_le_p(d.b + 0x18, M_DST);
    stl_le_p(d.b + 0x20, len);
    stw_le_p(d.b + 0x26, cflags);
    stl_le_p(d.b + 0x30, cap);
    return d;
}

/*
 * First of two header-gen passes over M_SRC, as QPL sends it: no dst, the
 * AECS at M_AECS written (and read when @rd), compression-2 flags bit 1
 */
static Desc desc_hdr_gen_aecs(unsigned cr, uint32_t len, uint16_t cflags,
                              bool rd)
{
    Desc d = desc(OP_COMPRESS, F_CRAV | F_RCR | F_CC | F_WR_AECS |
                  (rd ? F_AECS : 0), cr);

    stq_le_p(d.b + 0x10, M_SRC);
    stl_le_p(d.b + 0x20, len);
    stw_le_p(d.b + 0x26, cflags);
    stq_le_p(d.b + 0x28, M_AECS);
    stl_le_p(d.b + 0x34, AECS_SIZE);
    stl_le_p(d.b + 0x38, 0x2);
    return d;
}

static Desc desc_decompress(unsigned cr, uint32_t len, uint32_t cap,
                            uint16_t flags)
{
    Desc d = desc(OP_DECOMPRESS, F_CRAV | F_RCR | F_CC, cr);

    stq_le_p(d.b + 0x10, M_DST);
    stq_le_p(d.b + 0x18, M_DST2);
    stl_le_p(d.b + 0x20, len);
    stw_le_p(d.b + 0x26, flags);
    stl_le_p(d.b + 0x30, cap);
    return d;
}

/* ------------------------------------------------------------------------ */

static void test_identity(void)
{
    Iaa *t = iaa_start("num-wqs=6");
    uint8_t cap;

    g_assert_cmphex(qpci_config_readw(t->dev, PCI_VENDOR_ID), ==, 0x8086);
    g_assert_cmphex(qpci_config_readw(t->dev, PCI_DEVICE_ID), ==, 0x0cfe);
    g_assert_cmpint(qpci_msix_table_size(t->dev), ==, 7);
    cap = qpci_find_capability(t->dev, PCI_CAP_ID_MSIX, 0);
    g_assert_cmpint(cap, !=, 0);
    /* the table lives in BAR0, above the registers */
    g_assert_cmphex(qpci_config_readl(t->dev, cap + PCI_MSIX_TABLE) & 7, ==, 0);
    iaa_stop(t);
}

static void test_caps(void)
{
    Iaa *t = iaa_start(NULL);
    uint64_t tbl;

    g_assert_cmphex(rd32(t, VERSION), ==, 0x100);
    /* config_en, max_xfer_shift 21, event log (128-B entries), cache ctl */
    g_assert_cmphex(rd64(t, GENCAP), ==, 0x80154004);
    g_assert_cmphex(rd64(t, WQCAP), ==, 0x001a000000080080ull);
    g_assert_cmphex(rd64(t, GRPCAP), ==, 0x4004);
    g_assert_cmphex(rd64(t, ENGCAP), ==, 8);
    g_assert_cmphex(rd64(t, OPCAP), ==, 0x5);
    g_assert_cmphex(rd64(t, OPCAP + 8), ==, 0xc);
    g_assert_cmphex(rd64(t, OPCAP + 16), ==, 0);
    tbl = rd64(t, TABLE_OFFSET);
    g_assert_cmphex(tbl & 0xffff, ==, 0x4);
    g_assert_cmphex(rd64(t, TABLE_OFFSET + 8), ==, 0);  /* no perfmon */
    /* 32-bit halves of a 64-bit register */
    g_assert_cmphex(rd32(t, WQCAP + 4), ==, 0x001a0000);
    g_assert_cmphex(rd32(t, GENSTS), ==, 0);
    /* IAA 1.0 has no IAACAP */
    g_assert_cmphex(rd64(t, IAACAP), ==, 0);
    iaa_stop(t);

    t = iaa_start("num-wqs=16,num-engines=3,num-groups=2,total-wq-size=40,"
                  "version=0x200,event-log=off");
    g_assert_cmphex(rd32(t, VERSION), ==, 0x200);
    g_assert_cmphex(rd64(t, IAACAP), ==, IAACAP_V2);
    g_assert_cmphex(rd64(t, GENCAP), ==, 0x80150004);
    g_assert_cmphex(rd64(t, WQCAP) & 0xffffff, ==, 0x100028);
    g_assert_cmphex(rd64(t, GRPCAP) & 0xff, ==, 2);
    g_assert_cmphex(rd64(t, ENGCAP), ==, 3);
    g_assert_cmpint(qpci_msix_table_size(t->dev), ==, 17);
    iaa_stop(t);
}

/* Only 0x100 and 0x200 are versions; anything else fails at realize. */
static void test_version_refused(void)
{
    static const char *const bad[] = { "0x0", "0x101", "0x1ff", "0x300" };
    const char *qemu = getenv("QTEST_QEMU_BINARY");

    g_assert(qemu);
    for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
        /* IAA_QTEST_ARGS: the firmware directories, as iaa_start() */
        g_autofree char *cmd =
            g_strdup_printf("%s -M q35 -accel qtest -nodefaults -display none "
                            "-S %s -device intel-iaa,version=%s", qemu,
                            getenv("IAA_QTEST_ARGS") ?: "", bad[i]);
        g_auto(GStrv) argv = NULL;
        g_autofree char *err = NULL;
        int wstatus;

        g_assert(g_shell_parse_argv(cmd, NULL, &argv, NULL));
        g_assert(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                              NULL, NULL, NULL, &err, &wstatus, NULL));
        g_assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0);
        g_assert_nonnull(strstr(err, "version must be 0x100 (IAA 1.0) or "
                                "0x200 (IAA 2.0)"));
    }
}

static void test_reset_polled(void)
{
    Iaa *t = iaa_start(NULL);

    /* the probe-time reset is polled: no cause, no interrupt */
    g_assert_cmphex(cmd(t, C_RESET_DEVICE, 0, false), ==, 0);
    g_assert_cmphex(rd32(t, INTCAUSE), ==, 0);
    g_assert(!vec_pending(t, 0));
    /* the same with int_req: cause, vector 0, write-1-to-clear */
    g_assert_cmphex(cmd(t, C_RESET_DEVICE, 0, true), ==, 0);
    g_assert_cmphex(rd32(t, INTCAUSE), ==, INTC_CMD);
    g_assert(vec_pending(t, 0));
    vec_clear(t, 0);
    wr32(t, INTCAUSE, INTC_CMD);
    g_assert_cmphex(rd32(t, INTCAUSE), ==, 0);
    iaa_stop(t);
}

static void test_config_regs(void)
{
    Iaa *t = iaa_start(NULL);

    for (unsigned dw = 0; dw < 8; dw++) {
        wr32(t, wqcfg(t, 1, dw), 0xffffffff);
    }
    g_assert_cmphex(rd32(t, wqcfg(t, 1, 0)), ==, 0xffff);
    g_assert_cmphex(rd32(t, wqcfg(t, 1, 1)), ==, 0xffff);
    g_assert_cmphex(rd32(t, wqcfg(t, 1, 2)), ==, 0x3ffffff1);
    g_assert_cmphex(rd32(t, wqcfg(t, 1, 3)), ==, 0x1ff);
    for (unsigned dw = 4; dw < 8; dw++) {
        g_assert_cmphex(rd32(t, wqcfg(t, 1, dw)), ==, 0); /* read-only */
    }
    /* GRPCFG: only existing WQs and engines, defined flags */
    wr64(t, grpcfg(t) + 64, ~0ull);
    wr64(t, grpcfg(t) + 64 + 8, ~0ull);
    wr64(t, grpcfg(t) + 64 + 0x20, ~0ull);
    wr64(t, grpcfg(t) + 64 + 0x28, ~0ull);
    g_assert_cmphex(rd64(t, grpcfg(t) + 64), ==, 0xff);
    g_assert_cmphex(rd64(t, grpcfg(t) + 64 + 8), ==, 0);
    g_assert_cmphex(rd64(t, grpcfg(t) + 64 + 0x20), ==, 0xff);
    g_assert_cmphex(rd64(t, grpcfg(t) + 64 + 0x28), ==, 0x0ff0ff3f);
    wr32(t, GENCFG, ~0u);
    g_assert_cmphex(rd32(t, GENCFG), ==, 0x30ff);
    wr32(t, GENCTRL, ~0u);
    g_assert_cmphex(rd32(t, GENCTRL), ==, 0x7);
    /* RESET_WQ clears the WQ's configuration, RESET_DEVICE everything */
    g_assert_cmphex(cmd(t, C_RESET_WQ, 1 << 1, false), ==, 0);
    g_assert_cmphex(rd32(t, wqcfg(t, 1, 0)), ==, 0);
    g_assert_cmphex(rd32(t, wqcfg(t, 1, 2)), ==, 0);
    g_assert_cmphex(cmd(t, C_RESET_DEVICE, 0, false), ==, 0);
    g_assert_cmphex(rd64(t, grpcfg(t) + 64), ==, 0);
    g_assert_cmphex(rd32(t, GENCFG), ==, 0);
    g_assert_cmphex(rd32(t, GENCTRL), ==, 0);
    iaa_stop(t);
}

static void test_commands(void)
{
    Iaa *t = iaa_start("total-wq-size=64");
    uint16_t pcicmd = qpci_config_readw(t->dev, PCI_COMMAND);

    /* ENABLE_DEVICE needs bus mastering and sane sizes */
    qpci_config_writew(t->dev, PCI_COMMAND, pcicmd & ~PCI_COMMAND_MASTER);
    g_assert_cmphex(cmd(t, C_ENABLE_DEVICE, 0, false), ==, 0x12);
    qpci_config_writew(t->dev, PCI_COMMAND, pcicmd);
    wq_config(t, 0, 40, 1);
    wq_config(t, 1, 40, 1);
    g_assert_cmphex(cmd(t, C_ENABLE_DEVICE, 0, false), ==, 0x14);
    wr32(t, wqcfg(t, 1, 0), 24);
    g_assert_cmphex(cmd(t, C_ENABLE_DEVICE, 0, true), ==, 0);
    g_assert_cmphex(rd32(t, GENSTS), ==, 1);
    g_assert_cmphex(rd32(t, INTCAUSE), ==, INTC_CMD);
    g_assert(vec_pending(t, 0));
    vec_clear(t, 0);
    wr32(t, INTCAUSE, ~0u);
    g_assert_cmphex(cmd(t, C_ENABLE_DEVICE, 0, false), ==, 0x10);

    /* ENABLE_WQ */
    g_assert_cmphex(cmd(t, C_ENABLE_WQ, 8, false), ==, 0x02);
    g_assert_cmphex(cmd(t, C_ENABLE_WQ, 2, false), ==, 0x22);  /* size 0 */
    wr32(t, wqcfg(t, 2, 0), 4);
    g_assert_cmphex(cmd(t, C_ENABLE_WQ, 2, false), ==, 0x24);  /* shared */
    g_assert_cmphex(cmd(t, C_ENABLE_WQ, 0, false), ==, 0);
    g_assert_cmphex(rd32(t, wqcfg(t, 0, 6)) >> 30, ==, 1);
    g_assert_cmphex(cmd(t, C_ENABLE_WQ, 0, false), ==, 0x21);
    /* an enabled WQ keeps its configuration */
    wr32(t, wqcfg(t, 0, 0), 7);
    g_assert_cmphex(rd32(t, wqcfg(t, 0, 0)), ==, 40);
    wr32(t, wqcfg(t, 1, 0), 30);                /* 40 + 30 > 64 */
    g_assert_cmphex(cmd(t, C_ENABLE_WQ, 1, false), ==, 0x22);
    wr32(t, wqcfg(t, 1, 0), 24);
    g_assert_cmphex(cmd(t, C_ENABLE_WQ, 1, false), ==, 0);

    /* WQ-set commands: bitmask operand */
    g_assert_cmphex(cmd(t, C_DISABLE_WQ, 1 << 9, false), ==, 0x02);
    g_assert_cmphex(cmd(t, C_DISABLE_WQ, 3, true), ==, 0);
    g_assert_cmphex(rd32(t, wqcfg(t, 0, 6)) >> 30, ==, 0);
    g_assert_cmphex(rd32(t, wqcfg(t, 1, 6)) >> 30, ==, 0);
    g_assert_cmphex(rd32(t, INTCAUSE), ==, INTC_CMD);
    wr32(t, INTCAUSE, INTC_CMD);
    vec_clear(t, 0);

    /* unknown command */
    g_assert_cmphex(cmd(t, 0x1f, 0, false), ==, 0x01);
    /* DISABLE_DEVICE, then again */
    g_assert_cmphex(cmd(t, C_DISABLE_DEVICE, 0, false), ==, 0);
    g_assert_cmphex(rd32(t, GENSTS), ==, 0);
    g_assert_cmphex(cmd(t, C_DISABLE_DEVICE, 0, false), ==, 0x31);
    g_assert_cmphex(cmd(t, C_DRAIN_WQ, 1, false), ==, 0x32);
    iaa_stop(t);
}

static void test_desc_basic(void)
{
    Iaa *t = iaa_start("comp-base-ns=0,comp-ns-per-kib=0,"
                       "decomp-base-ns=0,decomp-ns-per-kib=0");
    uint8_t rec[64];
    Desc d;

    setup(t, 16, 1);
    cr_clear(t);

    submit(t, 0, desc(OP_NOOP, F_CRAV | F_RCR, 0));
    g_assert_cmphex(cr_status(t, 0), ==, 0x01);

    submit(t, 0, desc(0x77, F_CRAV | F_RCR, 1));
    g_assert_cmphex(cr_status(t, 1), ==, 0x10);

    submit(t, 0, desc(OP_NOOP, F_CRAV | F_RCR | 1u << 6 | 1u << 1, 2));
    cr_read(t, 2, rec);
    g_assert_cmphex(rec[0], ==, 0x11);
    g_assert_cmphex(le32(rec + 0x10), ==, 0x42);

    /* compression without its tables */
    d = desc_compress(3, 16, 64);
    stl_le_p(d.b + 4, (F_CRAV | F_RCR) | OP_COMPRESS << 24);
    submit(t, 0, d);
    cr_read(t, 3, rec);
    g_assert_cmphex(rec[0], ==, 0x11);
    g_assert_cmphex(le32(rec + 0x10), ==, F_AECS);

    /* interrupt handles: MSI-X index; out of range is 0x19 */
    d = desc(OP_NOOP, F_CRAV | F_RCR | F_RCI, 4);
    stw_le_p(d.b + 0x24, 1);
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 4), ==, 0x01);
    g_assert(vec_pending(t, 1));
    vec_clear(t, 1);
    stw_le_p(d.b + 0x24, 9);
    stq_le_p(d.b + 8, M_CR + 5 * 64);
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 5), ==, 0x19);

    /* success without RCR: no record */
    submit(t, 0, desc(OP_NOOP, F_CRAV, 6));
    g_assert_cmphex(cr_status(t, 6), ==, 0);

    /* an error with nowhere to report it goes to SWERR */
    g_assert_cmphex(rd64(t, SWERR), ==, 0);
    submit(t, 0, desc(0x77, 0, UINT_MAX));
    g_assert_cmphex(rd64(t, SWERR) & 0xffff0f, ==, 0x00100d);
    g_assert_cmphex((rd64(t, SWERR) >> 32) & 0xff, ==, 0x77);
    g_assert_cmphex(rd32(t, INTCAUSE) & INTC_ERR, ==, INTC_ERR);
    g_assert(vec_pending(t, 0));        /* GENCTRL.softerr_int_en */
    vec_clear(t, 0);
    wr64(t, SWERR, 3);
    g_assert_cmphex(rd64(t, SWERR) & 3, ==, 0);
    wr32(t, INTCAUSE, ~0u);

    /* misaligned completion record address */
    d = desc(0x77, F_CRAV | F_RCR, 7);
    stq_le_p(d.b + 8, M_CR + 7 * 64 + 8);
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 7), ==, 0);
    g_assert_cmphex((rd64(t, SWERR) >> 8) & 0xff, ==, 0x1b);
    wr64(t, SWERR, 3);

    /* a source outside guest memory: translation failure, no crash */
    d = desc_compress(8, 64, 64);
    desc_addrs(t, &d);
    stq_le_p(d.b + 0x10, 0x7ff000000000ull);
    submit_raw(t, 0, &d);
    cr_read(t, 8, rec);
    g_assert_cmphex(rec[0], ==, 0x22);
    g_assert_cmphex(ldq_le_p(rec + 8), ==, 0x7ff000000000ull);
    iaa_stop(t);
}

static void test_compress(void)
{
    Iaa *t = iaa_start("comp-base-ns=0,comp-ns-per-kib=0,"
                       "decomp-base-ns=0,decomp-ns-per-kib=0");
    g_autofree uint8_t *src = g_malloc(4096);
    g_autofree uint8_t *out = g_malloc(4096);
    uint8_t rec[64];
    uint32_t clen, crc;

    for (unsigned i = 0; i < 4096; i++) {
        src[i] = "hello, accelerated world "[i % 25] ^ (i / 512);
    }
    setup(t, 16, 0xff);
    cr_clear(t);
    aecs_fixed(t);
    qtest_memwrite(t->qts, t->mem + M_SRC, src, 4096);

    submit(t, 0, desc_compress(0, 4096, 4096));
    cr_read(t, 0, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    clen = le32(rec + 0x18);
    crc = le32(rec + 0x20);
    g_assert_cmpuint(rec[0x1c], <, 8);          /* valid bits, last byte */
    g_assert_cmpuint(clen, >, 0);
    g_assert_cmpuint(clen, <, 1024);
    g_assert_cmphex(crc, !=, 0);

    /* decompress it back, then verify-style with output suppressed */
    submit(t, 0, desc_decompress(1, clen, 4096, D_ONE_SHOT));
    cr_read(t, 1, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 4096);
    g_assert_cmphex(le32(rec + 0x20), ==, crc);
    qtest_memread(t->qts, t->mem + M_DST2, out, 4096);
    g_assert(!memcmp(src, out, 4096));

    qtest_memset(t->qts, t->mem + M_DST2, 0xa5, 4096);
    submit(t, 0, desc_decompress(2, clen, 4096, D_ONE_SHOT | D_SUPPRESS));
    cr_read(t, 2, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmphex(le32(rec + 0x20), ==, crc);
    g_assert_cmpuint(le32(rec + 0x18), ==, 0);  /* nothing was written */
    qtest_memread(t->qts, t->mem + M_DST2, out, 16);
    for (unsigned i = 0; i < 16; i++) {
        g_assert_cmphex(out[i], ==, 0xa5);
    }

    /* too small a destination: 0x0a/0x19 for compress, 0x0b for inflate */
    submit(t, 0, desc_compress(3, 4096, 16));
    cr_read(t, 3, rec);
    g_assert_cmphex(rec[0], ==, 0x0a);
    g_assert_cmphex(rec[1], ==, 0x19);
    submit(t, 0, desc_decompress(4, clen, 1000, D_ONE_SHOT));
    g_assert_cmphex(cr_status(t, 4), ==, 0x0b);

    /* corrupt stream: analytics error with a reason */
    qtest_memset(t->qts, t->mem + M_DST, 0xff, 8);
    submit(t, 0, desc_decompress(5, clen, 4096, D_ONE_SHOT));
    cr_read(t, 5, rec);
    g_assert_cmphex(rec[0], ==, 0x0a);
    g_assert_cmphex(rec[1], !=, 0);

    /*
     * END_PROC 3 (idxd-config's flags 0x0e): EOB, then an empty final
     * stored block, byte aligned, so output_bits is 0; STATS_MODE beside
     * other flags (alone: compress-stats) and big-endian output are refused
     */
    {
        Desc d = desc_compress(8, 4096, 4096);
        uint8_t tail[4];

        stw_le_p(d.b + 0x26, 0x0e);
        submit(t, 0, d);
        cr_read(t, 8, rec);
        g_assert_cmphex(rec[0], ==, 0x01);
        g_assert_cmpuint(le32(rec + 0x18), >=, clen + 4);
        g_assert_cmpuint(le32(rec + 0x18), <=, clen + 5);
        g_assert_cmpuint(rec[0x1c], ==, 0);
        qtest_memread(t->qts, t->mem + M_DST + le32(rec + 0x18) - 4, tail, 4);
        g_assert(!memcmp(tail, "\x00\x00\xff\xff", 4));
        stw_le_p(d.b + 0x26, 0x07);
        submit(t, 0, d);
        g_assert_cmphex(cr_status(t, 8), ==, 0x30);
        for (unsigned i = 0; i < 3; i++) {
            /* big-endian, GEN_LITS, indexing: each beside FLUSH|END_PROC 1 */
            static const uint16_t bad[] = { 0x26, 0x16, 0x46 };

            stw_le_p(d.b + 0x26, bad[i]);
            submit(t, 0, d);
            g_assert_cmphex(cr_status(t, 8), ==, 0x30);
        }
    }

    /*
     * Sizes: src1_size 0 is 0x32; more than 2^max_xfer_shift (2 MiB by
     * default) is 0x13; a compress AECS shorter than 1568 bytes is 0x13
     */
    submit(t, 0, desc_decompress(9, 0, 4096, D_ONE_SHOT));
    g_assert_cmphex(cr_status(t, 9), ==, 0x32);
    submit(t, 0, desc_decompress(9, (2u << 20) + 1, 4096, D_ONE_SHOT));
    g_assert_cmphex(cr_status(t, 9), ==, 0x13);
    {
        Desc d = desc_compress(9, 4096, 4096);

        stl_le_p(d.b + 0x34, AECS_SIZE - 1);
        submit(t, 0, d);
        g_assert_cmphex(cr_status(t, 9), ==, 0x13);
    }

    /*
     * Not modelled, refused with 0x11 naming the flag: the decompress AECS
     * (read or written) and AECS write-back on compress
     */
    {
        static const uint32_t aecs_flags[] = {
            1u << 16, 1u << 18, 1u << 19, 1u << 22,
        };

        for (unsigned i = 0; i < G_N_ELEMENTS(aecs_flags); i++) {
            Desc d = desc_decompress(10, clen, 4096, D_ONE_SHOT);

            stl_le_p(d.b + 4, (F_CRAV | F_RCR | F_CC | aecs_flags[i]) |
                              OP_DECOMPRESS << 24);
            submit(t, 0, d);
            cr_read(t, 10, rec);
            g_assert_cmphex(rec[0], ==, 0x11);
            g_assert_cmphex(le32(rec + 0x10), ==, aecs_flags[i]);
        }
        for (unsigned i = 1; i < 3; i++) {
            Desc d = desc_compress(10, 4096, 4096);

            stl_le_p(d.b + 4, (F_CRAV | F_RCR | F_CC | F_AECS |
                               aecs_flags[i]) | OP_COMPRESS << 24);
            submit(t, 0, d);
            cr_read(t, 10, rec);
            g_assert_cmphex(rec[0], ==, 0x11);
            g_assert_cmphex(le32(rec + 0x10), ==, aecs_flags[i]);
        }
    }

    /* unknown (de)compression flags */
    submit(t, 0, desc_decompress(6, clen, 4096, 0x1000 | D_ONE_SHOT));
    g_assert_cmphex(cr_status(t, 6), ==, 0x30);
    submit(t, 0, desc_decompress(7, clen, 4096, D_BE | D_ONE_SHOT));
    g_assert_cmphex(cr_status(t, 7), ==, 0x30);   /* not modelled */
    iaa_stop(t);
}

/* reflected CRC, bit by bit: CRC-32 (0xedb88320) or CRC-32C (0x82f63b78) */
static uint32_t crc_ref(uint32_t poly, const uint8_t *p, size_t n)
{
    uint32_t c = ~0u;

    while (n--) {
        c ^= *p++;
        for (unsigned k = 0; k < 8; k++) {
            c = c & 1 ? (c >> 1) ^ poly : c >> 1;
        }
    }
    return ~c;
}

/* the 320 words of the histogram at M_DST */
static void stats_read(Iaa *t, uint32_t w[STATS_SIZE / 4])
{
    uint8_t b[STATS_SIZE];

    qtest_memread(t->qts, t->mem + M_DST, b, sizeof(b));
    for (unsigned i = 0; i < STATS_SIZE / 4; i++) {
        w[i] = le32(b + 4 * i);
    }
}

/* nothing at M_DST .. + n changed from the 0xa5 fill */
static bool dst_untouched(Iaa *t, size_t n)
{
    g_autofree uint8_t *b = g_malloc(n);

    qtest_memread(t->qts, t->mem + M_DST, b, n);
    for (size_t i = 0; i < n; i++) {
        if (b[i] != 0xa5) {
            return false;
        }
    }
    return true;
}

/*
 * Statistics mode (compr_flags STATS_MODE alone, no AECS): the histogram
 * of the parse a compress makes, its layout, the record, and the readings
 * the model takes where public sources are silent.
 */
static void test_compress_stats(void)
{
    static const uint16_t lbase[29] = {
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
        35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
    };
    Iaa *t = iaa_start("comp-base-ns=0,comp-ns-per-kib=0,"
                       "decomp-base-ns=0,decomp-ns-per-kib=0");
    g_autofree uint8_t *src = g_malloc(4096);
    uint32_t w[STATS_SIZE / 4], crc, lits = 0, nlen = 0, ndist = 0;
    uint64_t lo = 0, hi = 0, bits = 3 + 7;     /* fixed header, EOB */
    uint8_t rec[64];
    Desc d;

    for (unsigned i = 0; i < 4096; i++) {
        src[i] = "hello, accelerated world "[i % 25] ^ (i / 512);
    }
    setup(t, 16, 0xff);
    cr_clear(t);
    aecs_fixed(t);
    qtest_memwrite(t->qts, t->mem + M_SRC, src, 4096);

    /* success: 1280 bytes, reserved words 0, nothing past them */
    qtest_memset(t->qts, t->mem + M_DST, 0xa5, 8192);
    submit(t, 0, desc_stats(0, 4096, 4096));
    cr_read(t, 0, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, STATS_SIZE);
    g_assert_cmpuint(le32(rec + 0x04), ==, 4096);
    g_assert_cmpuint(rec[0x1c], ==, 0);
    crc = le32(rec + 0x20);
    g_assert_cmphex(crc, ==, crc_ref(0xedb88320, src, 4096));
    stats_read(t, w);
    g_assert_cmpuint(w[STATS_LL + 286], ==, 0);
    g_assert_cmpuint(w[STATS_LL + 287], ==, 0);
    g_assert_cmpuint(w[STATS_D + 30], ==, 0);
    g_assert_cmpuint(w[STATS_D + 31], ==, 0);
    {
        uint8_t after[64];

        qtest_memread(t->qts, t->mem + M_DST + STATS_SIZE, after, 64);
        for (unsigned i = 0; i < 64; i++) {
            g_assert_cmphex(after[i], ==, 0xa5);
        }
    }
    g_assert_cmpuint(w[STATS_LL + 256], ==, 0);         /* EOB: never counted */
    /* literals + match lengths cover the input; one distance per length */
    for (unsigned s = 0; s < 286; s++) {
        unsigned x = s < 265 || s == 285 ? 0 : (s - 261) / 4;

        if (s < 256) {
            lits += w[STATS_LL + s];
            bits += (uint64_t)w[STATS_LL + s] * (s < 144 ? 8 : 9);
        } else if (s > 256) {
            nlen += w[STATS_LL + s];
            lo += (uint64_t)w[STATS_LL + s] * lbase[s - 257];
            hi += (uint64_t)w[STATS_LL + s] *
                  (lbase[s - 257] + (1u << x) - 1);
            bits += (uint64_t)w[STATS_LL + s] * ((s < 280 ? 7 : 8) + x);
        }
    }
    for (unsigned s = 0; s < 30; s++) {
        ndist += w[STATS_D + s];
        bits += (uint64_t)w[STATS_D + s] * (5 + (s < 4 ? 0 : s / 2 - 1));
    }
    g_assert_cmpuint(nlen, >, 0);
    g_assert_cmpuint(ndist, ==, nlen);
    g_assert_cmpuint(lits + lo, <=, 4096);
    g_assert_cmpuint(lits + hi, >=, 4096);

    /*
     * The counts are the parse of a compress: with the fixed codes they
     * give the size of the device's own fixed compress to the bit, and the
     * same CRC
     */
    submit(t, 0, desc_compress(1, 4096, 4096));
    cr_read(t, 1, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, (bits + 7) / 8);
    g_assert_cmpuint(rec[0x1c], ==, bits % 8);
    g_assert_cmphex(le32(rec + 0x20), ==, crc);

    /*
     * An input whose parse is known: 25 distinct bytes, then their repeats:
     * 25 literals, 15 matches of 258 (code 285) and one of 10 (code 264),
     * none with extra bits, so literals + lengths = the input exactly
     */
    {
        uint8_t p[3905];
        uint32_t sum = 0;

        for (unsigned i = 0; i < sizeof(p); i++) {
            p[i] = 'A' + i % 25;
        }
        qtest_memwrite(t->qts, t->mem + M_SRC, p, sizeof(p));
        submit(t, 0, desc_stats(2, sizeof(p), STATS_SIZE));
        g_assert_cmphex(cr_status(t, 2), ==, 0x01);
        stats_read(t, w);
        for (unsigned s = 0; s < 286; s++) {
            uint32_t want = s >= 'A' && s < 'A' + 25 ? 1 :
                            s == 285 ? 15 : s == 264 ? 1 : 0;

            g_assert_cmpuint(w[STATS_LL + s], ==, want);
            sum += s < 256 ? w[STATS_LL + s] :
                   s > 256 ? w[STATS_LL + s] * lbase[s - 257] : 0;
        }
        g_assert_cmpuint(sum, ==, sizeof(p));
        g_assert_cmpuint(w[STATS_D + 9], >=, 1);        /* distance 25 */
        ndist = 0;
        for (unsigned s = 0; s < 30; s++) {
            ndist += w[STATS_D + s];
        }
        g_assert_cmpuint(ndist, ==, 16);
        qtest_memwrite(t->qts, t->mem + M_SRC, src, 4096);
    }

    /* STATS_MODE beside any other compression flag: 0x30 */
    {
        static const uint16_t extra[] = {
            C_FLUSH, C_EOB, C_FLUSH | C_EOB, 3u << 2, 1u << 4, 1u << 5,
            0x1000,
        };

        for (unsigned i = 0; i < G_N_ELEMENTS(extra); i++) {
            d = desc_stats(3, 4096, 4096);
            stw_le_p(d.b + 0x26, C_STATS | extra[i]);
            qtest_memset(t->qts, t->mem + M_DST, 0xa5, STATS_SIZE);
            submit(t, 0, d);
            cr_read(t, 3, rec);
            g_assert_cmphex(rec[0], ==, 0x30);
            g_assert_cmpuint(le32(rec + 0x18), ==, 0);
            g_assert(dst_untouched(t, STATS_SIZE));
        }
    }

    /* a histogram that does not fit: 0x0a/0x19, nothing written */
    qtest_memset(t->qts, t->mem + M_DST, 0xa5, STATS_SIZE);
    submit(t, 0, desc_stats(4, 4096, STATS_SIZE - 1));
    cr_read(t, 4, rec);
    g_assert_cmphex(rec[0], ==, 0x0a);
    g_assert_cmphex(rec[1], ==, 0x19);
    g_assert_cmpuint(le32(rec + 0x18), ==, 0);
    g_assert(dst_untouched(t, STATS_SIZE));

    /*
     * No AECS: not required and not read (RD_SRC2_AECS with src2 outside
     * guest memory and src2_size 0 still succeeds); a normal compress
     * without it is still refused
     */
    d = desc_stats(5, 4096, 4096);
    desc_addrs(t, &d);
    stl_le_p(d.b + 4, F_CRAV | F_RCR | F_AECS | OP_COMPRESS << 24);
    stq_le_p(d.b + 0x28, 0x7ff000000000ull);
    submit_raw(t, 0, &d);
    cr_read(t, 5, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, STATS_SIZE);
    d = desc_compress(6, 4096, 4096);
    stl_le_p(d.b + 4, (F_CRAV | F_RCR) | OP_COMPRESS << 24);
    submit(t, 0, d);
    cr_read(t, 6, rec);
    g_assert_cmphex(rec[0], ==, 0x11);
    g_assert_cmphex(le32(rec + 0x10), ==, F_AECS);

    /* sizes as a compress: src1_size 0 is 0x32, over 2^max_xfer_shift 0x13 */
    submit(t, 0, desc_stats(7, 0, 4096));
    g_assert_cmphex(cr_status(t, 7), ==, 0x32);
    submit(t, 0, desc_stats(8, (2u << 20) + 1, 4096));
    g_assert_cmphex(cr_status(t, 8), ==, 0x13);

    /* the histogram's DMA is checked: a dst outside guest memory is 0x22 */
    d = desc_stats(9, 4096, 4096);
    desc_addrs(t, &d);
    stq_le_p(d.b + 0x18, 0x7ff000000000ull);
    submit_raw(t, 0, &d);
    cr_read(t, 9, rec);
    g_assert_cmphex(rec[0], ==, 0x22);
    g_assert_cmphex(ldq_le_p(rec + 8), ==, 0x7ff000000000ull);
    g_assert_cmphex(rec[2] & 1, ==, 1);                 /* a write */
    g_assert_cmpuint(le32(rec + 0x18), ==, 0);

    /* CRC_RFC3720: CRC-32C of the input */
    d = desc_stats(10, 4096, 4096);
    stl_le_p(d.b + 4, F_CRAV | F_RCR | F_CRC32C | OP_COMPRESS << 24);
    submit(t, 0, d);
    cr_read(t, 10, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmphex(le32(rec + 0x20), ==, crc_ref(0x82f63b78, src, 4096));

    /* latency: that of a compress of the same input */
    qom_set_int(t, "comp-base-ns", 500);
    qom_set_int(t, "comp-ns-per-kib", 100);
    submit(t, 0, desc_stats(11, 1024, 4096));
    g_assert_cmphex(cr_status(t, 11), ==, 0);
    qtest_clock_step(t->qts, 599);
    g_assert_cmphex(cr_status(t, 11), ==, 0);
    qtest_clock_step(t->qts, 1);
    g_assert_cmphex(cr_status(t, 11), ==, 0x01);
    latency(t, 0, 0);

    /* fault rules for op=compress apply: the operation is not performed */
    g_assert(qom_set_str(t, "inject", "op=compress,status=analytics,"
                                      "error=0x19"));
    qtest_memset(t->qts, t->mem + M_DST, 0xa5, STATS_SIZE);
    submit(t, 0, desc_stats(12, 4096, 4096));
    cr_read(t, 12, rec);
    g_assert_cmphex(rec[0], ==, 0x0a);
    g_assert_cmphex(rec[1], ==, 0x19);
    g_assert(dst_untouched(t, STATS_SIZE));
    submit(t, 0, desc_stats(13, 4096, 4096));         /* the rule is gone */
    g_assert_cmphex(cr_status(t, 13), ==, 0x01);
    iaa_stop(t);
}

/*
 * The decompression flags on a stream of two blocks: a stored block
 * without BFINAL ("hello"), then the device's own final fixed block.
 * Which EOB ends the job, what the record then says, IGNORE_END_BITS, and
 * what happens to the bits after a final block without STOP_ON_EOB.
 */
/*
 * One-pass header generation (IAA 2.0): one dynamic block from the input
 * alone, no AECS; the device's own decompress reads it back. Refused on
 * IAA 1.0 and outside the public form (README "IAA 2.0").
 */
static void test_hdr_gen(void)
{
    Iaa *t = iaa_start("version=0x200,comp-base-ns=0,comp-ns-per-kib=0,"
                       "decomp-base-ns=0,decomp-ns-per-kib=0");
    g_autofree uint8_t *src = g_malloc(4097);
    g_autofree uint8_t *out = g_malloc(4096);
    uint8_t rec[64], first;
    uint32_t crc, size;
    Desc d;

    for (unsigned i = 0; i < 4097; i++) {
        src[i] = "hello, accelerated world "[i % 25] ^ (i / 512);
    }
    setup(t, 16, 0xff);
    cr_clear(t);
    qtest_memwrite(t->qts, t->mem + M_SRC, src, 4097);

    /* final block (0x3006): BFINAL 1, BTYPE 10; decompresses to the input */
    submit(t, 0, desc_hdr_gen(0, 4096, 8192, C_HDR_GEN(3) | C_EOB | C_FLUSH));
    cr_read(t, 0, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x04), ==, 4096);
    size = le32(rec + 0x18);
    g_assert_cmpuint(size, >, 0);
    g_assert_cmpuint(size, <, 4096 / 4);
    crc = le32(rec + 0x20);
    g_assert_cmphex(crc, ==, crc_ref(0xedb88320, src, 4096));
    qtest_memread(t->qts, t->mem + M_DST, &first, 1);
    g_assert_cmphex(first & 7, ==, 5);
    submit(t, 0, desc_decompress(1, size, 4096, D_ONE_SHOT));
    cr_read(t, 1, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 4096);
    g_assert_cmphex(le32(rec + 0x20), ==, crc);
    qtest_memread(t->qts, t->mem + M_DST2, out, 4096);
    g_assert(!memcmp(out, src, 4096));

    /* non-final block (0x2006): BFINAL 0, ends at its EOB */
    submit(t, 0, desc_hdr_gen(2, 1000, 8192, C_HDR_GEN(2) | C_EOB | C_FLUSH));
    cr_read(t, 2, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    size = le32(rec + 0x18);
    qtest_memread(t->qts, t->mem + M_DST, &first, 1);
    g_assert_cmphex(first & 7, ==, 4);
    submit(t, 0, desc_decompress(3, size, 4096, D_ENABLE | D_FLUSH |
                                 D_STOP_EOB | D_CHECK_EOB));
    cr_read(t, 3, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 1000);
    qtest_memread(t->qts, t->mem + M_DST2, out, 1000);
    g_assert(!memcmp(out, src, 1000));

    /* too small a dst: the compress overflow, nothing past max_dst_size */
    qtest_memset(t->qts, t->mem + M_DST, 0xa5, 8192);
    submit(t, 0, desc_hdr_gen(4, 4096, 64, C_HDR_GEN(3) | C_EOB | C_FLUSH));
    cr_read(t, 4, rec);
    g_assert_cmphex(rec[0], ==, 0x0a);
    g_assert_cmphex(rec[1], ==, 0x19);
    qtest_memread(t->qts, t->mem + M_DST + 64, &first, 1);
    g_assert_cmphex(first, ==, 0xa5);

    /* over 4 KiB: 0x32; an AECS read: 0x11 naming it */
    submit(t, 0, desc_hdr_gen(5, 4097, 8192, C_HDR_GEN(3) | C_EOB | C_FLUSH));
    g_assert_cmphex(cr_status(t, 5), ==, 0x32);
    d = desc_hdr_gen(6, 4096, 8192, C_HDR_GEN(3) | C_EOB | C_FLUSH);
    stl_le_p(d.b + 4, F_CRAV | F_RCR | F_CC | F_AECS);
    d.b[7] = OP_COMPRESS;
    stq_le_p(d.b + 0x28, M_AECS);
    stl_le_p(d.b + 0x34, AECS_SIZE);
    submit(t, 0, d);
    cr_read(t, 6, rec);
    g_assert_cmphex(rec[0], ==, 0x11);
    g_assert_cmphex(le32(rec + 0x10), ==, F_AECS);
    /* END_PROC other than 1, statistics mode beside it: 0x30 */
    submit(t, 0, desc_hdr_gen(7, 4096, 8192, C_HDR_GEN(3) | C_FLUSH));
    g_assert_cmphex(cr_status(t, 7), ==, 0x30);
    submit(t, 0, desc_hdr_gen(8, 4096, 8192, C_HDR_GEN(3) | 0xc | C_FLUSH));
    g_assert_cmphex(cr_status(t, 8), ==, 0x30);
    submit(t, 0, desc_hdr_gen(9, 4096, 8192, C_HDR_GEN(3) | C_EOB | C_STATS));
    g_assert_cmphex(cr_status(t, 9), ==, 0x30);
    /* the other HDR_GEN values, on an ordinary compress with its AECS */
    aecs_fixed(t);
    for (unsigned v = 1; v < 6; v++) {
        if (v == 2 || v == 3) {
            continue;
        }
        d = desc_compress(10 + v, 4096, 8192);
        stw_le_p(d.b + 0x26, C_HDR_GEN(v) | C_EOB | C_FLUSH);
        submit(t, 0, d);
        g_assert_cmphex(cr_status(t, 10 + v), ==, 0x30);
    }
    iaa_stop(t);

    /* IAA 1.0: the same descriptor is a compression flag it does not take */
    t = iaa_start("comp-base-ns=0,comp-ns-per-kib=0");
    setup(t, 16, 0xff);
    cr_clear(t);
    qtest_memwrite(t->qts, t->mem + M_SRC, src, 4096);
    submit(t, 0, desc_hdr_gen(0, 4096, 8192, C_HDR_GEN(3) | C_EOB | C_FLUSH));
    cr_read(t, 0, rec);
    g_assert_cmphex(rec[0], ==, 0x30);
    g_assert_cmpuint(le32(rec + 0x18), ==, 0);
    submit(t, 0, desc_hdr_gen(1, 4096, 8192, C_HDR_GEN(2) | C_EOB | C_FLUSH));
    g_assert_cmphex(cr_status(t, 1), ==, 0x30);
    iaa_stop(t);

    /* latency: a statistics pass and a compress, twice a compress's */
    t = iaa_start("version=0x200,comp-base-ns=500,comp-ns-per-kib=100");
    setup(t, 16, 0xff);
    cr_clear(t);
    qtest_memwrite(t->qts, t->mem + M_SRC, src, 1024);
    submit(t, 0, desc_hdr_gen(0, 1024, 8192, C_HDR_GEN(3) | C_EOB | C_FLUSH));
    qtest_clock_step(t->qts, 1199);
    g_assert_cmphex(cr_status(t, 0), ==, 0);
    qtest_clock_step(t->qts, 1);
    g_assert_cmphex(cr_status(t, 0), ==, 0x01);
    iaa_stop(t);
}

/*
 * Two-pass header generation (IAA 2.0): the first pass writes the tables
 * and the header into the AECS, an ordinary compress reading it writes the
 * block; no 4 KiB limit. Refused on IAA 1.0 and outside the public form.
 */
static void test_hdr_gen_two_pass(void)
{
    Iaa *t = iaa_start("version=0x200,comp-base-ns=0,comp-ns-per-kib=0,"
                       "decomp-base-ns=0,decomp-ns-per-kib=0");
    g_autofree uint8_t *src = g_malloc(16384);
    g_autofree uint8_t *out = g_malloc(16384);
    g_autofree uint8_t *one = g_malloc(4096);
    uint8_t rec[64], aecs[AECS_SIZE], first;
    uint32_t crc, size;
    Desc d;

    for (unsigned i = 0; i < 16384; i++) {
        src[i] = "hello, accelerated world "[i % 25] ^ (i / 512);
    }
    setup(t, 16, 0xff);
    cr_clear(t);
    qtest_memwrite(t->qts, t->mem + M_SRC, src, 16384);

    /* pass 1 over 16 KiB: nothing to dst, the AECS holds tables + header */
    qtest_memset(t->qts, t->mem + M_AECS, 0xa5, AECS_SIZE);
    qtest_memset(t->qts, t->mem + M_DST, 0xa5, 64);
    submit(t, 0, desc_hdr_gen_aecs(0, 16384, C_HDR_GEN(7) | C_EOB | C_FLUSH,
                                   false));
    cr_read(t, 0, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 0);
    g_assert_cmpuint(le32(rec + 0x04), ==, 16384);
    crc = le32(rec + 0x20);
    g_assert_cmphex(crc, ==, crc_ref(0xedb88320, src, 16384));
    qtest_memread(t->qts, t->mem + M_DST, &first, 1);
    g_assert_cmphex(first, ==, 0xa5);
    qtest_memread(t->qts, t->mem + M_AECS, aecs, AECS_SIZE);
    g_assert_cmphex(le32(aecs), ==, 0);                 /* seed: none read */
    g_assert_cmpuint(le32(aecs + 0x1c), >, 3);
    g_assert_cmpuint(le32(aecs + 0x1c), <=, 2048);
    g_assert_cmphex(aecs[0x20] & 7, ==, 5);             /* BFINAL, dynamic */
    g_assert_cmphex(le32(aecs + 0x120 + 4 * 256) >> 15, !=, 0);  /* EOB */

    /* pass 2: an ordinary compress reading it; the device reads it back */
    submit(t, 0, desc_compress(1, 16384, 16384));
    cr_read(t, 1, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmphex(le32(rec + 0x20), ==, crc);
    size = le32(rec + 0x18);
    g_assert_cmpuint(size, <, 16384 / 4);
    submit(t, 0, desc_decompress(2, size, 16384, D_ONE_SHOT));
    cr_read(t, 2, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 16384);
    qtest_memread(t->qts, t->mem + M_DST2, out, 16384);
    g_assert(!memcmp(out, src, 16384));

    /* on 4 KiB the two passes write the one-pass block, byte for byte */
    submit(t, 0, desc_hdr_gen_aecs(3, 4096, C_HDR_GEN(7) | C_EOB | C_FLUSH,
                                   false));
    g_assert_cmphex(cr_status(t, 3), ==, 0x01);
    submit(t, 0, desc_compress(4, 4096, 8192));
    cr_read(t, 4, rec);
    size = le32(rec + 0x18);
    qtest_memread(t->qts, t->mem + M_DST, out, size);
    submit(t, 0, desc_hdr_gen(5, 4096, 8192, C_HDR_GEN(3) | C_EOB | C_FLUSH));
    cr_read(t, 5, rec);
    g_assert_cmpuint(le32(rec + 0x18), ==, size);
    qtest_memread(t->qts, t->mem + M_DST, one, size);
    g_assert(!memcmp(out, one, size));

    /*
     * non-final, after bits already in the accumulator (read with
     * RD_SRC2_AECS): BFINAL 0 of the new block follows them, seed kept
     */
    memset(aecs, 0, sizeof(aecs));
    stl_le_p(aecs, 0x12345678);
    aecs[0x20] = 0x2;                   /* BFINAL 0, BTYPE 01, then EOB */
    stl_le_p(aecs + 0x1c, 10);
    qtest_memwrite(t->qts, t->mem + M_AECS, aecs, AECS_SIZE);
    submit(t, 0, desc_hdr_gen_aecs(6, 1000, C_HDR_GEN(6) | C_EOB, true));
    cr_read(t, 6, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmphex(le32(rec + 0x20), !=, crc_ref(0xedb88320, src, 1000));
    qtest_memread(t->qts, t->mem + M_AECS, aecs, AECS_SIZE);
    g_assert_cmphex(le32(aecs), ==, 0x12345678);
    g_assert_cmphex(aecs[0x20], ==, 0x2);
    g_assert_cmphex(aecs[0x21] & 0x1c, ==, 0x10);       /* bits 10-12: 0,01 */

    /* the public form only */
    d = desc_hdr_gen_aecs(7, 1000, C_HDR_GEN(7) | C_EOB | C_FLUSH, false);
    stl_le_p(d.b + 4, F_CRAV | F_RCR | F_CC);
    d.b[7] = OP_COMPRESS;
    submit(t, 0, d);
    cr_read(t, 7, rec);
    g_assert_cmphex(rec[0], ==, 0x11);
    g_assert_cmphex(le32(rec + 0x10), ==, F_WR_AECS);
    d = desc_hdr_gen_aecs(8, 1000, C_HDR_GEN(7) | C_EOB | C_FLUSH, false);
    stl_le_p(d.b + 0x38, 0);
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 8), ==, 0x30);
    d = desc_hdr_gen_aecs(9, 1000, C_HDR_GEN(7) | C_EOB | C_FLUSH, false);
    stl_le_p(d.b + 0x38, 0x3);
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 9), ==, 0x30);
    submit(t, 0, desc_hdr_gen_aecs(10, 1000, C_HDR_GEN(7) | C_FLUSH, false));
    g_assert_cmphex(cr_status(t, 10), ==, 0x30);
    d = desc_hdr_gen_aecs(11, 1000, C_HDR_GEN(7) | C_EOB | C_FLUSH, false);
    stl_le_p(d.b + 0x34, AECS_SIZE - 32);
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 11), ==, 0x13);
    /* a full accumulator: no room for the header */
    memset(aecs, 0, sizeof(aecs));
    stl_le_p(aecs + 0x1c, 2040);
    qtest_memwrite(t->qts, t->mem + M_AECS, aecs, AECS_SIZE);
    submit(t, 0, desc_hdr_gen_aecs(12, 1000, C_HDR_GEN(7) | C_EOB, true));
    cr_read(t, 12, rec);
    g_assert_cmphex(rec[0], ==, 0x0a);
    g_assert_cmphex(rec[1], ==, 0x16);
    iaa_stop(t);

    /* IAA 1.0: a compression flag it does not take */
    t = iaa_start("comp-base-ns=0,comp-ns-per-kib=0");
    setup(t, 16, 0xff);
    cr_clear(t);
    qtest_memwrite(t->qts, t->mem + M_SRC, src, 4096);
    submit(t, 0, desc_hdr_gen_aecs(0, 4096, C_HDR_GEN(7) | C_EOB | C_FLUSH,
                                   false));
    g_assert_cmphex(cr_status(t, 0), ==, 0x30);
    iaa_stop(t);

    /* latency of the first pass: a statistics pass, a compress's */
    t = iaa_start("version=0x200,comp-base-ns=500,comp-ns-per-kib=100");
    setup(t, 16, 0xff);
    cr_clear(t);
    qtest_memwrite(t->qts, t->mem + M_SRC, src, 1024);
    submit(t, 0, desc_hdr_gen_aecs(0, 1024, C_HDR_GEN(7) | C_EOB | C_FLUSH,
                                   false));
    qtest_clock_step(t->qts, 599);
    g_assert_cmphex(cr_status(t, 0), ==, 0);
    qtest_clock_step(t->qts, 1);
    g_assert_cmphex(cr_status(t, 0), ==, 0x01);
    iaa_stop(t);
}

/*
 * Dictionary compression (IAA 2.0): LOAD_DICT 1..3 with the level's text
 * area and hash table after the 0x620 bytes of the AECS. The device's
 * decompress takes no dictionary, so a stored block holding the text area
 * goes first: the stream [stored text][compressed block] decodes to text
 * and input, and the block alone fails where it reaches into the text.
 */
#define DICT_TEXT(v)    ((v) == 1 ? 2048u : 4096u)
#define DICT_TABLE(v)   ((v) == 3 ? 8192u : 4096u)
#define DICT_AECS(v)    (0x620 + DICT_TEXT(v) + DICT_TABLE(v))

/*
 * The fixed tables, then the text area of level @v with @raw bytes of @dict
 * right-aligned in it, then the hash table
 */
static void aecs_dict(Iaa *t, unsigned v, const uint8_t *dict, uint32_t raw)
{
    g_autofree uint8_t *sec = g_malloc0(DICT_TEXT(v) + DICT_TABLE(v));

    aecs_fixed(t);
    memcpy(sec + DICT_TEXT(v) - raw, dict, raw);
    /* the hash table: its content is not used, any bytes will do */
    memset(sec + DICT_TEXT(v), 0x5a, DICT_TABLE(v));
    qtest_memwrite(t->qts, t->mem + M_AECS + 0x620, sec,
                   DICT_TEXT(v) + DICT_TABLE(v));
}

static Desc desc_dict(unsigned cr, unsigned v, uint32_t len)
{
    Desc d = desc_compress(cr, len, 16384);

    stq_le_p(d.b + 0x18, M_DST + 5 + DICT_TEXT(v));
    stw_le_p(d.b + 0x26, C_FLUSH | C_EOB | C_DICT(v));
    stl_le_p(d.b + 0x34, DICT_AECS(v));
    return d;
}

/*
 * A stored block (BFINAL 0) of the AECS's text area at M_DST, before the
 * @size bytes a desc_dict() compress wrote; decompress the whole into
 * M_DST2 and return the record's status.
 */
static uint8_t dict_decode(Iaa *t, unsigned cr, unsigned v, uint32_t size,
                           uint32_t out_len)
{
    uint32_t text = DICT_TEXT(v);
    g_autofree uint8_t *b = g_malloc(5 + text);

    b[0] = 0;
    stw_le_p(b + 1, text);
    stw_le_p(b + 3, ~text);
    qtest_memread(t->qts, t->mem + M_AECS + 0x620, b + 5, text);
    qtest_memwrite(t->qts, t->mem + M_DST, b, 5 + text);
    submit(t, 0, desc_decompress(cr, 5 + text + size, text + out_len,
                                 D_ONE_SHOT));
    return cr_status(t, cr);
}

static void test_dictionary(void)
{
    Iaa *t = iaa_start("version=0x200,comp-base-ns=0,comp-ns-per-kib=0,"
                       "decomp-base-ns=0,decomp-ns-per-kib=0");
    g_autofree uint8_t *dict = g_malloc(4096);
    g_autofree uint8_t *out = g_malloc(8192);
    g_autofree uint8_t *zero = g_malloc0(4096);
    uint8_t rec[64], sec[64];
    uint32_t w[STATS_SIZE / 4], lits_plain = 0, lits_dict = 0, size;
    Desc d;

    /* random text (an LCG's high bytes): only the dictionary makes matches */
    for (uint32_t i = 0, x = 1; i < 4096; i++) {
        x = x * 1103515245u + 12345u;
        dict[i] = x >> 24;
    }
    setup(t, 16, 0xff);
    cr_clear(t);

    for (unsigned v = 1; v <= 3; v++) {
        uint32_t text = DICT_TEXT(v), n = text;
        unsigned cr = 4 * v;

        /* the input repeats the whole text area: every match reaches into it */
        aecs_dict(t, v, dict, text);
        qtest_memwrite(t->qts, t->mem + M_SRC, dict, n);
        submit(t, 0, desc_dict(cr, v, n));
        cr_read(t, cr, rec);
        g_assert_cmphex(rec[0], ==, 0x01);
        g_assert_cmpuint(le32(rec + 0x04), ==, n);
        g_assert_cmphex(le32(rec + 0x20), ==, crc_ref(0xedb88320, dict, n));
        size = le32(rec + 0x18);
        g_assert_cmpuint(size, <, n / 16);
        g_assert_cmphex(dict_decode(t, cr + 1, v, size, n), ==, 0x01);
        cr_read(t, cr + 1, rec);
        g_assert_cmpuint(le32(rec + 0x18), ==, text + n);
        qtest_memread(t->qts, t->mem + M_DST2, out, text + n);
        g_assert(!memcmp(out, dict, text));
        g_assert(!memcmp(out + text, dict, n));
        /* the block alone refers to history it does not have */
        d = desc_decompress(cr + 2, size, n, D_ONE_SHOT);
        stq_le_p(d.b + 0x10, M_DST + 5 + text);
        submit(t, 0, d);
        cr_read(t, cr + 2, rec);
        g_assert_cmphex(rec[0], ==, 0x0a);
        g_assert_cmphex(rec[1], ==, 0x12);
    }

    /*
     * 64 bytes of dictionary, then a zero page: the matches reach into the
     * zero padding, so the text area as a whole is the history
     */
    aecs_dict(t, 2, dict, 64);
    qtest_memwrite(t->qts, t->mem + M_SRC, zero, 4096);
    submit(t, 0, desc_dict(16, 2, 4096));
    cr_read(t, 16, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    size = le32(rec + 0x18);
    g_assert_cmpuint(size, <, 64);
    g_assert_cmphex(dict_decode(t, 17, 2, size, 4096), ==, 0x01);
    qtest_memread(t->qts, t->mem + M_DST2 + 4096, out, 4096);
    g_assert(!memcmp(out, zero, 4096));
    /* only the 64 dictionary bytes before it: a reference past them */
    {
        uint8_t hdr[5] = { 0, 64, 0, (uint8_t)~64, 0xff };

        /* a stored block of the last 64 bytes, then the compressed one */
        qtest_memwrite(t->qts, t->mem + M_DST + 4096 - 64, hdr, 5);
        d = desc_decompress(18, 5 + 64 + size, 8192, D_ONE_SHOT);
        stq_le_p(d.b + 0x10, M_DST + 4096 - 64);
        submit(t, 0, d);
        cr_read(t, 18, rec);
        g_assert_cmphex(rec[0], ==, 0x0a);
        g_assert_cmphex(rec[1], ==, 0x12);
    }

    /* statistics mode with a dictionary counts the parse that uses it */
    qtest_memwrite(t->qts, t->mem + M_SRC, dict, 4096);
    aecs_dict(t, 3, dict, 4096);
    submit(t, 0, desc_stats(20, 4096, STATS_SIZE));
    g_assert_cmphex(cr_status(t, 20), ==, 0x01);
    stats_read(t, w);
    for (unsigned i = 0; i < 256; i++) {
        lits_plain += w[STATS_LL + i];
    }
    d = desc_stats(21, 4096, STATS_SIZE);
    stl_le_p(d.b + 4, F_CRAV | F_RCR | F_CC | F_AECS);
    d.b[7] = OP_COMPRESS;
    stw_le_p(d.b + 0x26, C_STATS | C_DICT(3));
    stq_le_p(d.b + 0x28, M_AECS);
    stl_le_p(d.b + 0x34, DICT_AECS(3));
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 21), ==, 0x01);
    stats_read(t, w);
    for (unsigned i = 0; i < 256; i++) {
        lits_dict += w[STATS_LL + i];
    }
    g_assert_cmpuint(lits_plain, >, 4000);
    g_assert_cmpuint(lits_dict, <, 16);
    /* ... and it reads its text from the AECS, so RD_SRC2_AECS is needed */
    stl_le_p(d.b + 4, F_CRAV | F_RCR | F_CC);
    d.b[7] = OP_COMPRESS;
    stq_le_p(d.b + 8, M_CR + 22 * 64);
    submit(t, 0, d);
    cr_read(t, 22, rec);
    g_assert_cmphex(rec[0], ==, 0x11);
    g_assert_cmphex(le32(rec + 0x10), ==, F_AECS);

    /*
     * two passes with the dictionary (what QPL sends): the tables fit the
     * parse with it, the text area stays, the block decodes after it
     */
    aecs_dict(t, 1, dict + 1000, 2048);
    qtest_memwrite(t->qts, t->mem + M_SRC, dict + 500, 3000);
    qtest_memset(t->qts, t->mem + M_AECS, 0, AECS_SIZE);
    d = desc_hdr_gen_aecs(24, 3000, C_HDR_GEN(7) | C_EOB | C_FLUSH | C_DICT(1),
                          true);
    stl_le_p(d.b + 0x34, DICT_AECS(1));
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 24), ==, 0x01);
    qtest_memread(t->qts, t->mem + M_AECS + 0x620 + 2048 - 64, sec, 64);
    g_assert(!memcmp(sec, dict + 1000 + 2048 - 64, 64));
    submit(t, 0, desc_dict(25, 1, 3000));
    cr_read(t, 25, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    size = le32(rec + 0x18);
    g_assert_cmpuint(size, <, 3000 / 2);
    g_assert_cmphex(dict_decode(t, 26, 1, size, 3000), ==, 0x01);
    qtest_memread(t->qts, t->mem + M_DST2 + 2048, out, 3000);
    g_assert(!memcmp(out, dict + 500, 3000));

    /* src2_size: exactly 0x620 + text + table, else 0x13 */
    aecs_dict(t, 2, dict, 4096);
    d = desc_dict(28, 2, 4096);
    stl_le_p(d.b + 0x34, DICT_AECS(2) - 32);
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 28), ==, 0x13);
    d = desc_dict(29, 2, 4096);
    stl_le_p(d.b + 0x34, DICT_AECS(2) + 32);
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 29), ==, 0x13);
    d = desc_dict(30, 1, 4096);
    stl_le_p(d.b + 0x34, DICT_AECS(3));
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 30), ==, 0x13);
    /* never with one pass (QPL takes two with a dictionary): 0x30 */
    submit(t, 0, desc_hdr_gen(31, 4096, 8192,
                              C_HDR_GEN(3) | C_EOB | C_FLUSH | C_DICT(1)));
    g_assert_cmphex(cr_status(t, 31), ==, 0x30);
    iaa_stop(t);

    /* IAA 1.0: a compression flag it does not take, as HDR_GEN's */
    t = iaa_start("comp-base-ns=0,comp-ns-per-kib=0");
    setup(t, 16, 0xff);
    cr_clear(t);
    qtest_memwrite(t->qts, t->mem + M_SRC, dict, 4096);
    for (unsigned v = 1; v <= 3; v++) {
        aecs_dict(t, v, dict, DICT_TEXT(v));
        submit(t, 0, desc_dict(v, v, 4096));
        cr_read(t, v, rec);
        g_assert_cmphex(rec[0], ==, 0x30);
        g_assert_cmpuint(le32(rec + 0x18), ==, 0);
    }
    d = desc_stats(4, 4096, STATS_SIZE);
    stw_le_p(d.b + 0x26, C_STATS | C_DICT(1));
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 4), ==, 0x30);
    iaa_stop(t);
}

static void test_decompress_flags(void)
{
    static const uint8_t stored[] = { 0x00, 5, 0, 0xfa, 0xff,
                                      'h', 'e', 'l', 'l', 'o' };
    Iaa *t = iaa_start("comp-base-ns=0,comp-ns-per-kib=0,"
                       "decomp-base-ns=0,decomp-ns-per-kib=0");
    g_autofree uint8_t *src = g_malloc(2000);
    g_autofree uint8_t *stream = g_malloc(4096);
    g_autofree uint8_t *out = g_malloc(4096);
    uint32_t clen, slen, crc_all, pad;
    uint8_t rec[64];

    for (unsigned i = 0; i < 2000; i++) {
        src[i] = " world, and more of it"[i % 22] ^ (i / 300);
    }
    setup(t, 16, 0xff);
    cr_clear(t);
    aecs_fixed(t);
    qtest_memwrite(t->qts, t->mem + M_SRC, src, 2000);
    submit(t, 0, desc_compress(0, 2000, 4096));
    cr_read(t, 0, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    clen = le32(rec + 0x18);
    memcpy(stream, stored, sizeof(stored));
    qtest_memread(t->qts, t->mem + M_DST, stream + sizeof(stored), clen);
    slen = sizeof(stored) + clen;
    qtest_memwrite(t->qts, t->mem + M_DST, stream, slen);
    memcpy(out, "hello", 5);
    memcpy(out + 5, src, 2000);
    crc_all = le32(rec + 0x20);     /* of src only; the whole is below */

    /* to the final block's EOB: all of it, all input consumed */
    submit(t, 0, desc_decompress(1, slen, 4096, D_ONE_SHOT));
    cr_read(t, 1, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 2005);
    g_assert_cmpuint(le32(rec + 0x04), ==, slen);
    crc_all = le32(rec + 0x20);
    g_assert_cmphex(crc_all, !=, 0);
    {
        g_autofree uint8_t *got = g_malloc(2005);

        qtest_memread(t->qts, t->mem + M_DST2, got, 2005);
        g_assert(!memcmp(got, out, 2005));
    }

    /* STOP_ON_EOB | CHECK_FOR_EOB without SEL_BFINAL_EOB: the first block */
    submit(t, 0, desc_decompress(2, slen, 4096, D_ONE_SHOT & ~D_SEL_BFINAL));
    cr_read(t, 2, rec);
    g_assert_cmphex(rec[0], ==, 0x01);              /* success ... */
    g_assert_cmpuint(le32(rec + 0x18), ==, 5);       /* ... and short */
    g_assert_cmpuint(le32(rec + 0x04), ==, sizeof(stored));

    /* verify-style: nothing written, output_size 0, CRC of all of it */
    qtest_memset(t->qts, t->mem + M_DST2, 0xa5, 4096);
    submit(t, 0, desc_decompress(3, slen, 4096, D_ONE_SHOT | D_SUPPRESS));
    cr_read(t, 3, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 0);
    g_assert_cmphex(le32(rec + 0x20), ==, crc_all);
    g_assert_cmphex(qtest_readb(t->qts, t->mem + M_DST2), ==, 0xa5);

    /* cut inside the final block: CHECK_FOR_EOB says so, no check: partial */
    submit(t, 0, desc_decompress(4, slen - 2, 4096, D_ONE_SHOT));
    cr_read(t, 4, rec);
    g_assert_cmphex(rec[0], ==, 0x0a);
    g_assert_cmphex(rec[1], ==, 0x0f);
    submit(t, 0, desc_decompress(5, slen - 2, 4096,
                                 D_ONE_SHOT & ~D_CHECK_EOB));
    cr_read(t, 5, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), >, 5);
    g_assert_cmpuint(le32(rec + 0x18), <, 2005);
    g_assert_cmpuint(le32(rec + 0x04), ==, slen - 2);

    /*
     * Without STOP_ON_EOB the padding after the final EOB is read as a
     * block header: CHECK_FOR_EOB fails unless IGNORE_END_BITS names the
     * padding. The fixed block's bit length gives the padding.
     */
    for (pad = 0; pad < 8; pad++) {
        submit(t, 0, desc_decompress(6, slen, 4096,
                                     (D_ONE_SHOT & ~D_STOP_EOB) |
                                     D_IGNORE_END(pad)));
        cr_read(t, 6, rec);
        if (rec[0] == 0x01) {
            break;
        }
        g_assert_cmphex(rec[0], ==, 0x0a);
    }
    g_assert_cmpuint(pad, <, 8);
    g_assert_cmpuint(le32(rec + 0x18), ==, 2005);
    if (pad) {
        submit(t, 0, desc_decompress(7, slen, 4096, D_ONE_SHOT & ~D_STOP_EOB));
        cr_read(t, 7, rec);
        g_assert_cmphex(rec[0], ==, 0x0a);
        g_assert_cmphex(rec[1], ==, 0x0f);
    }

    /* ENABLE clear: the input is copied as it is */
    submit(t, 0, desc_decompress(10, 40, 4096, D_FLUSH));
    cr_read(t, 10, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 40);
    {
        uint8_t got[40];

        qtest_memread(t->qts, t->mem + M_DST2, got, 40);
        g_assert(!memcmp(got, stream, 40));
    }

    /* without FLUSH_OUTPUT only whole 8-byte words are written */
    qtest_memset(t->qts, t->mem + M_DST2, 0xa5, 4096);
    submit(t, 0, desc_decompress(9, slen, 4096, D_ONE_SHOT & ~D_FLUSH));
    cr_read(t, 9, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 2000);   /* 2005 & ~7 */
    g_assert_cmphex(qtest_readb(t->qts, t->mem + M_DST2 + 1999), ==, out[1999]);
    g_assert_cmphex(qtest_readb(t->qts, t->mem + M_DST2 + 2000), ==, 0xa5);

    /* STOP_ON_EOB ignores trailing bytes; bytes_completed ends at the EOB */
    stream[slen] = 0xff;
    stream[slen + 1] = 0xff;
    qtest_memwrite(t->qts, t->mem + M_DST, stream, slen + 2);
    submit(t, 0, desc_decompress(8, slen + 2, 4096, D_ONE_SHOT));
    cr_read(t, 8, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 2005);
    g_assert_cmpuint(le32(rec + 0x04), ==, slen);
    iaa_stop(t);
}

static void test_portal(void)
{
    Iaa *t = iaa_start(NULL);
    Desc d = desc(OP_NOOP, F_CRAV | F_RCR, 0);

    latency(t, 0, 0);
    setup(t, 2, 1);
    cr_clear(t);
    desc_addrs(t, &d);

    /* to a disabled WQ: dropped, SWERR with the WQ, ERR cause */
    submit_raw(t, 3, &d);
    g_assert_cmphex(cr_status(t, 0), ==, 0);
    g_assert_cmphex(rd64(t, SWERR) & 0xffff0f, ==, 0x03400d);
    g_assert_cmphex(rd32(t, INTCAUSE), ==, INTC_ERR);
    g_assert_cmpint(qom_get_int(t, "descs-dropped"), ==, 1);
    /* a second error only sets overflow */
    submit_raw(t, 3, &d);
    g_assert_cmphex(rd64(t, SWERR) & 3, ==, 3);
    wr64(t, SWERR, 3);
    wr32(t, INTCAUSE, ~0u);
    vec_clear(t, 0);

    /* 4-byte stores assemble too; the unlimited portal works as well */
    for (unsigned i = 0; i < 16; i++) {
        qpci_io_writel(t->dev, t->bar2, i * 4, ldl_le_p(d.b + i * 4));
    }
    g_assert_cmphex(cr_status(t, 0), ==, 0x01);

    /* a torn descriptor is abandoned when the next slot starts */
    cr_clear(t);
    qpci_io_writeq(t->dev, t->bar2, 0x1000 + 64, ldq_le_p(d.b));
    submit_raw(t, 0, &d);
    g_assert_cmphex(cr_status(t, 0), ==, 0x01);

    /* dedicated WQ depth: 2 in flight, the third is dropped */
    cr_clear(t);
    latency(t, 1000, 1000);
    d = desc_compress(0, 64, 4096);
    desc_addrs(t, &d);
    aecs_fixed(t);
    for (unsigned i = 0; i < 3; i++) {
        stq_le_p(d.b + 8, t->mem + M_CR + i * 64);
        submit_raw(t, 0, &d);
    }
    g_assert_cmphex((rd64(t, SWERR) >> 8) & 0xff, ==, 0x41);
    g_assert_cmphex(rd32(t, wqcfg(t, 0, 6)) & 0xffff, ==, 2);   /* occupancy */
    qtest_clock_step(t->qts, 1000);             /* one engine: in turn */
    g_assert_cmphex(cr_status(t, 0), ==, 0x01);
    g_assert_cmphex(cr_status(t, 1), ==, 0);
    qtest_clock_step(t->qts, 1000);
    g_assert_cmphex(cr_status(t, 1), ==, 0x01);
    g_assert_cmphex(cr_status(t, 2), ==, 0);
    g_assert_cmpint(qom_get_int(t, "descs-dropped"), ==, 3);
    iaa_stop(t);
}

static void test_timing(void)
{
    Iaa *t = iaa_start("comp-base-ns=500,comp-ns-per-kib=100");
    Desc d;

    setup(t, 16, 0x3);                          /* two engines */
    cr_clear(t);
    aecs_fixed(t);
    d = desc_compress(0, 1024, 4096);           /* 500 + 100 ns */
    desc_addrs(t, &d);
    for (unsigned i = 0; i < 3; i++) {
        stq_le_p(d.b + 8, t->mem + M_CR + i * 64);
        submit_raw(t, 0, &d);
    }
    g_assert_cmphex(cr_status(t, 0), ==, 0);
    qtest_clock_step(t->qts, 599);
    g_assert_cmphex(cr_status(t, 0), ==, 0);
    qtest_clock_step(t->qts, 1);
    g_assert_cmphex(cr_status(t, 0), ==, 0x01);
    g_assert_cmphex(cr_status(t, 1), ==, 0x01);
    g_assert_cmphex(cr_status(t, 2), ==, 0);    /* waits for an engine */

    /* DRAIN_WQ waits for the WQ to empty; a DRAIN descriptor likewise */
    d = desc(OP_DRAIN, F_CRAV | F_RCR, 3);
    submit(t, 0, d);
    g_assert_cmphex(cmd(t, C_DRAIN_WQ, 1, true), ==, 1u << 31);
    g_assert_cmphex(rd32(t, INTCAUSE) & INTC_CMD, ==, 0);
    qtest_clock_step(t->qts, 599);
    g_assert_cmphex(rd32(t, CMDSTS), ==, 1u << 31);
    g_assert_cmphex(cr_status(t, 3), ==, 0);
    qtest_clock_step(t->qts, 1);
    g_assert_cmphex(cr_status(t, 2), ==, 0x01);
    g_assert_cmphex(cr_status(t, 3), ==, 0x01);
    g_assert_cmphex(rd32(t, CMDSTS), ==, 0);
    g_assert_cmphex(rd32(t, INTCAUSE) & INTC_CMD, ==, INTC_CMD);
    wr32(t, INTCAUSE, ~0u);

    /* DISABLE_WQ drains too; ABORT_WQ drops without a record */
    submit(t, 0, desc_compress(4, 1024, 4096));
    g_assert_cmphex(cmd(t, C_DISABLE_WQ, 1, false), ==, 1u << 31);
    qtest_clock_step(t->qts, 600);
    g_assert_cmphex(rd32(t, CMDSTS), ==, 0);
    g_assert_cmphex(cr_status(t, 4), ==, 0x01);
    g_assert_cmphex(cmd(t, C_ENABLE_WQ, 0, false), ==, 0);
    submit(t, 0, desc_compress(5, 1024, 4096));
    g_assert_cmphex(cmd(t, C_ABORT_WQ, 1, false), ==, 0);
    qtest_clock_step(t->qts, 10000);
    g_assert_cmphex(cr_status(t, 5), ==, 0);
    g_assert_cmpint(qom_get_int(t, "descs-aborted"), ==, 1);
    iaa_stop(t);
}

static void test_faults(void)
{
    Iaa *t = iaa_start(NULL);
    Desc d;
    uint8_t rec[64];

    latency(t, 0, 0);
    setup(t, 16, 1);
    cr_clear(t);

    g_assert(!qom_set_str(t, "inject", "op=0x00,bogus=1"));
    g_assert(!qom_set_str(t, "inject", "op=0x00,count=2"));
    g_assert(qom_set_str(t, "inject", "op=noop,status=watchdog,count=2"));
    g_assert(qom_set_str(t, "inject", "op=0x00,status=0x0a,error=5,every=3"));
    for (unsigned i = 0; i < 6; i++) {
        submit(t, 0, desc(OP_NOOP, F_CRAV | F_RCR, i));
    }
    g_assert_cmphex(cr_status(t, 0), ==, 0x24);
    g_assert_cmphex(cr_status(t, 1), ==, 0x24);
    cr_read(t, 2, rec);                         /* 3rd match of rule 2 */
    g_assert_cmphex(rec[0], ==, 0x0a);
    g_assert_cmphex(rec[1], ==, 0x05);
    g_assert_cmphex(cr_status(t, 3), ==, 0x01);
    g_assert_cmphex(cr_status(t, 4), ==, 0x01);
    g_assert_cmphex(cr_status(t, 5), ==, 0x0a);
    g_assert_cmpint(qom_get_int(t, "injected"), ==, 4);
    g_assert_cmpint(qom_get_int(t, "injected-status"), ==, 4);
    g_assert(qom_set_str(t, "inject", "clear"));

    /* page fault: fault address in the record */
    cr_clear(t);
    g_assert(qom_set_str(t, "inject", "op=compress,status=page-fault"));
    aecs_fixed(t);
    submit(t, 0, desc_compress(0, 64, 4096));
    cr_read(t, 0, rec);
    g_assert_cmphex(rec[0], ==, 0x04);
    g_assert_cmphex(ldq_le_p(rec + 8), ==, t->mem + M_SRC);

    /* late: completes after the extra virtual time even with latency 0 */
    g_assert(qom_set_str(t, "inject", "late=5us"));
    submit(t, 0, desc(OP_NOOP, F_CRAV | F_RCR, 1));
    qtest_clock_step(t->qts, 4999);
    g_assert_cmphex(cr_status(t, 1), ==, 0);
    qtest_clock_step(t->qts, 1);
    g_assert_cmphex(cr_status(t, 1), ==, 0x01);

    /* never: no record, ever; the WQ does not count it as in flight */
    g_assert(qom_set_str(t, "inject", "never"));
    submit(t, 0, desc(OP_NOOP, F_CRAV | F_RCR, 2));
    qtest_clock_step(t->qts, 1000000);
    g_assert_cmphex(cr_status(t, 2), ==, 0);
    g_assert_cmphex(cmd(t, C_DRAIN_WQ, 1, false), ==, 0);

    /* lost-irq: record written, no interrupt */
    g_assert(qom_set_str(t, "inject", "lost-irq"));
    d = desc(OP_NOOP, F_CRAV | F_RCR | F_RCI, 3);
    stw_le_p(d.b + 0x24, 1);
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 3), ==, 0x01);
    g_assert(!vec_pending(t, 1));
    stq_le_p(d.b + 8, M_CR + 4 * 64);
    submit(t, 0, d);
    g_assert(vec_pending(t, 1));
    vec_clear(t, 1);

    g_assert_cmpint(qom_get_int(t, "injected-late"), ==, 1);
    g_assert_cmpint(qom_get_int(t, "injected-never"), ==, 1);
    g_assert_cmpint(qom_get_int(t, "injected-lost-irq"), ==, 1);
    iaa_stop(t);
}

/*
 * Faults that make the record lie: output-size= changes only the record's
 * output_size, never what is written; status=int-handle-inval writes 0x19
 * and raises no interrupt.
 */
static void test_faults_record(void)
{
    Iaa *t = iaa_start(NULL);
    g_autofree uint8_t *src = g_malloc(4096);
    g_autofree uint8_t *ref = g_malloc(4096);
    g_autofree uint8_t *out = g_malloc(8192);
    uint8_t rec[64];
    uint32_t clen;
    Desc d;

    for (unsigned i = 0; i < 4096; i++) {
        src[i] = "the record says otherwise "[i % 26] ^ (i / 700);
    }
    latency(t, 0, 0);
    setup(t, 16, 1);
    cr_clear(t);
    aecs_fixed(t);
    qtest_memwrite(t->qts, t->mem + M_SRC, src, 4096);

    g_assert(!qom_set_str(t, "inject", "output-size"));
    g_assert(!qom_set_str(t, "inject", "output-size=0x100000000"));
    g_assert(!qom_set_str(t, "inject", "output-size=-1"));

    /* the reference: the same compress without a rule */
    submit(t, 0, desc_compress(0, 4096, 4096));
    cr_read(t, 0, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    clen = le32(rec + 0x18);
    g_assert_cmpuint(clen, >, 0);
    g_assert_cmpuint(clen, <, 4096);
    qtest_memread(t->qts, t->mem + M_DST, ref, clen);

    /* compress: the record claims 8192 bytes of a 4096-byte destination */
    g_assert(qom_set_str(t, "inject", "op=compress,output-size=8192"));
    qtest_memset(t->qts, t->mem + M_DST, 0xa5, 8192);
    submit(t, 0, desc_compress(1, 4096, 4096));
    cr_read(t, 1, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 8192);
    qtest_memread(t->qts, t->mem + M_DST, out, 8192);
    g_assert(!memcmp(out, ref, clen));
    for (unsigned i = clen; i < 8192; i++) {
        g_assert_cmphex(out[i], ==, 0xa5);
    }
    /* the rule fired once and is gone */
    submit(t, 0, desc_compress(2, 4096, 4096));
    cr_read(t, 2, rec);
    g_assert_cmpuint(le32(rec + 0x18), ==, clen);

    /* decompress: all 4096 bytes written, nothing past them, record lies */
    g_assert(qom_set_str(t, "inject", "op=decompress,output-size=0xffffffff"));
    qtest_memset(t->qts, t->mem + M_DST2, 0xa5, 8192);
    submit(t, 0, desc_decompress(3, clen, 4096, D_ONE_SHOT));
    cr_read(t, 3, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmphex(le32(rec + 0x18), ==, 0xffffffff);
    qtest_memread(t->qts, t->mem + M_DST2, out, 8192);
    g_assert(!memcmp(out, src, 4096));
    for (unsigned i = 4096; i < 8192; i++) {
        g_assert_cmphex(out[i], ==, 0xa5);
    }
    /* ... and 0 says less than was written */
    g_assert(qom_set_str(t, "inject", "op=decompress,output-size=0"));
    submit(t, 0, desc_decompress(4, clen, 4096, D_ONE_SHOT));
    cr_read(t, 4, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 0);

    /* beside status=: the status replaces the operation, the size stays */
    g_assert(qom_set_str(t, "inject", "op=noop,status=overflow,"
                         "output-size=100"));
    submit(t, 0, desc(OP_NOOP, F_CRAV | F_RCR, 5));
    cr_read(t, 5, rec);
    g_assert_cmphex(rec[0], ==, 0x0b);
    g_assert_cmpuint(le32(rec + 0x18), ==, 100);

    /* a late one keeps its size until it completes */
    g_assert(qom_set_str(t, "inject", "op=noop,late=1us,output-size=7"));
    submit(t, 0, desc(OP_NOOP, F_CRAV | F_RCR, 6));
    g_assert_cmphex(cr_status(t, 6), ==, 0);
    qtest_clock_step(t->qts, 1000);
    cr_read(t, 6, rec);
    g_assert_cmphex(rec[0], ==, 0x01);
    g_assert_cmpuint(le32(rec + 0x18), ==, 7);
    g_assert_cmpint(qom_get_int(t, "injected-output-size"), ==, 5);

    /* interrupt handle invalid: record 0x19, no interrupt */
    vec_clear(t, 1);
    g_assert(qom_set_str(t, "inject", "op=noop,status=int-handle-inval"));
    d = desc(OP_NOOP, F_CRAV | F_RCR | F_RCI, 7);
    stw_le_p(d.b + 0x24, 1);
    submit(t, 0, d);
    cr_read(t, 7, rec);
    g_assert_cmphex(rec[0], ==, 0x19);
    g_assert(!vec_pending(t, 1));
    /* the next one on the same handle interrupts again */
    stq_le_p(d.b + 8, M_CR + 8 * 64);
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 8), ==, 0x01);
    g_assert(vec_pending(t, 1));
    vec_clear(t, 1);
    g_assert_cmpint(qom_get_int(t, "injected-status"), ==, 2);
    g_assert_cmpint(qom_get_int(t, "injected"), ==, 6);
    iaa_stop(t);
}

/* REQUEST_INT_HANDLE for MSI-X vector @idx: its handle */
static uint16_t int_handle(Iaa *t, unsigned idx)
{
    uint32_t sts = cmd(t, C_REQUEST_INT_HANDLE, idx, false);

    g_assert_cmphex(sts & 0xff, ==, 0);
    return (sts >> 8) & 0xffff;
}

static Desc desc_rci(uint8_t op, unsigned cr, uint16_t handle)
{
    Desc d = desc(op, F_CRAV | F_RCR | F_RCI, cr);

    stw_le_p(d.b + 0x24, handle);
    return d;
}

/*
 * Interrupt handles that can be revoked (int-handles=on): GENCAP.cmd_cap,
 * handles from REQUEST_INT_HANDLE, and revoke-int-handles, after which the
 * old handles give 0x19 and no interrupt, in flight too, until the driver
 * asks for new ones; a drain with a new handle interrupts.
 */
static void test_int_handles(void)
{
    Iaa *t = iaa_start(NULL);
    uint16_t h0, h1, h2;
    Desc d;

    /* without the property: cmd_cap clear, nothing to revoke */
    g_assert_cmphex(rd64(t, GENCAP) & 0x10, ==, 0);
    g_assert(!qom_try_bool(t, "revoke-int-handles", true));
    iaa_stop(t);

    t = iaa_start("int-handles=on");
    latency(t, 0, 0);
    g_assert_cmphex(rd64(t, GENCAP), ==, 0x80154014);
    g_assert_cmphex(rd32(t, 0xb0) & (3u << 13), ==, 3u << 13);
    setup(t, 16, 1);
    cr_clear(t);
    vec_clear(t, 0);
    vec_clear(t, 1);

    h0 = int_handle(t, 1);
    g_assert_cmphex(cmd(t, C_REQUEST_INT_HANDLE, 9, false) & 0xff, ==, 0x41);
    submit(t, 0, desc_rci(OP_NOOP, 0, h0));
    g_assert_cmphex(cr_status(t, 0), ==, 0x01);
    g_assert(vec_pending(t, 1));
    vec_clear(t, 1);

    /* revoke: INTCAUSE bit 31 and vector 0, whatever GENCTRL says */
    wr32(t, GENCTRL, 0);
    g_assert(qom_try_bool(t, "revoke-int-handles", true));
    g_assert_cmphex(rd32(t, INTCAUSE), ==, INTC_INT_HANDLE_REVOKED);
    g_assert(vec_pending(t, 0));
    vec_clear(t, 0);
    wr32(t, INTCAUSE, INTC_INT_HANDLE_REVOKED);
    g_assert_cmphex(rd32(t, INTCAUSE), ==, 0);
    g_assert_cmpint(qom_get_int(t, "int-handle-revokes"), ==, 1);

    /* the old handle: 0x19, nothing done, no interrupt */
    submit(t, 0, desc_rci(OP_NOOP, 1, h0));
    g_assert_cmphex(cr_status(t, 1), ==, 0x19);
    g_assert(!vec_pending(t, 1));
    g_assert_cmphex(cmd(t, C_RELEASE_INT_HANDLE, h0, false) & 0xff, ==, 0x41);

    /* a new one for the same vector works */
    h1 = int_handle(t, 1);
    g_assert_cmphex(h1, !=, h0);
    submit(t, 0, desc_rci(OP_NOOP, 2, h1));
    g_assert_cmphex(cr_status(t, 2), ==, 0x01);
    g_assert(vec_pending(t, 1));
    vec_clear(t, 1);

    /* in flight across a revoke: 0x19 when it completes, no interrupt */
    g_assert(qom_set_str(t, "inject", "op=noop,late=1us"));
    submit(t, 0, desc_rci(OP_NOOP, 3, h1));
    g_assert(qom_try_bool(t, "revoke-int-handles", true));
    vec_clear(t, 0);
    h2 = int_handle(t, 1);
    g_assert_cmphex(h2, !=, h1);
    g_assert_cmphex(h2, !=, h0);
    /* idxd's drain after a revoke: RCI with the new handle, no record */
    d = desc(OP_DRAIN, F_RCI, UINT_MAX);
    stw_le_p(d.b + 0x24, h2);
    submit(t, 0, d);
    g_assert_cmphex(cr_status(t, 3), ==, 0);
    g_assert(!vec_pending(t, 1));
    qtest_clock_step(t->qts, 1000);
    g_assert_cmphex(cr_status(t, 3), ==, 0x19);
    g_assert(vec_pending(t, 1));                /* the drain's */
    vec_clear(t, 1);
    g_assert_cmphex(cmd(t, C_RELEASE_INT_HANDLE, h2, false), ==, 0);

    /* a device reset gives the first handles again */
    setup(t, 16, 1);
    g_assert_cmphex(int_handle(t, 1), ==, h0);
    iaa_stop(t);
}

static void test_halt(void)
{
    Iaa *t = iaa_start(NULL);

    latency(t, 0, 0);
    setup(t, 16, 1);
    cr_clear(t);
    vec_clear(t, 0);

    qom_set_bool(t, "halt", true);
    g_assert_cmphex(rd32(t, GENSTS) & 3, ==, 3);
    g_assert_cmphex(rd32(t, INTCAUSE) & INTC_HALT, ==, INTC_HALT);
    g_assert(vec_pending(t, 0));                /* GENCTRL.halt_int_en */
    vec_clear(t, 0);

    submit(t, 0, desc(OP_NOOP, F_CRAV | F_RCR, 0));
    g_assert_cmphex(cr_status(t, 0), ==, 0);
    g_assert_cmpint(qom_get_int(t, "descs-dropped"), ==, 1);
    g_assert_cmphex(cmd(t, C_ENABLE_DEVICE, 0, false), ==, 0x03);

    g_assert_cmphex(cmd(t, C_RESET_DEVICE, 0, false), ==, 0);
    g_assert_cmphex(rd32(t, GENSTS), ==, 0);
    setup(t, 16, 1);
    submit(t, 0, desc(OP_NOOP, F_CRAV | F_RCR, 1));
    g_assert_cmphex(cr_status(t, 1), ==, 0x01);
    iaa_stop(t);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/iaa/identity", test_identity);
    qtest_add_func("/iaa/caps", test_caps);
    qtest_add_func("/iaa/version-refused", test_version_refused);
    qtest_add_func("/iaa/reset-polled", test_reset_polled);
    qtest_add_func("/iaa/config-regs", test_config_regs);
    qtest_add_func("/iaa/commands", test_commands);
    qtest_add_func("/iaa/desc-basic", test_desc_basic);
    qtest_add_func("/iaa/compress", test_compress);
    qtest_add_func("/iaa/compress-stats", test_compress_stats);
    qtest_add_func("/iaa/hdr-gen", test_hdr_gen);
    qtest_add_func("/iaa/hdr-gen-two-pass", test_hdr_gen_two_pass);
    qtest_add_func("/iaa/dictionary", test_dictionary);
    qtest_add_func("/iaa/decompress-flags", test_decompress_flags);
    qtest_add_func("/iaa/portal", test_portal);
    qtest_add_func("/iaa/timing", test_timing);
    qtest_add_func("/iaa/faults", test_faults);
    qtest_add_func("/iaa/faults-record", test_faults_record);
    qtest_add_func("/iaa/int-handles", test_int_handles);
    qtest_add_func("/iaa/halt", test_halt);
    return g_test_run();
}
