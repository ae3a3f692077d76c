/*
 * Virtual Intel IAA: PCI identity, the BAR0 register model, MSI-X, the
 * halt state and the QOM type with its run-time controls (halt, interrupt
 * handle revoke). Commands are executed by iaa-cmd.c, descriptors by
 * iaa-exec.c; interrupts and errors are reported by iaa-notify.c.
 *
 * All registers are modelled as 32-bit granules; the memory core splits
 * the driver's 64-bit accesses into two ascending 32-bit ones, which is
 * exactly how the 64-bit registers are laid out (low dword first).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/module.h"
#include "qemu/host-utils.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "iaa.h"

/*
 * Capabilities: derived from the properties, never changed by the guest
 */

#define IAA_TOTAL_RDBUFS        64

static uint64_t iaa_gencap(IaaState *s)
{
    uint64_t v = 0;

    v = FIELD_DP64(v, GENCAP, CACHE_CTL_MEM, 1);
    /* 6.12 idxd reads CMDCAP, and so requests handles, only with cmd_cap */
    v = FIELD_DP64(v, GENCAP, CMD_CAP, s->int_handles);
    if (s->event_log) {
        v = FIELD_DP64(v, GENCAP, EVL_SUPPORT, IAA_EVL_SUPPORT);
    }
    v = FIELD_DP64(v, GENCAP, MAX_XFER_SHIFT, IAA_MAX_XFER_SHIFT);
    v = FIELD_DP64(v, GENCAP, MAX_BATCH_SHIFT, 0);
    v = FIELD_DP64(v, GENCAP, CONFIG_EN, 1);
    return v;
}

static uint64_t iaa_wqcap(IaaState *s)
{
    uint64_t v = 0;

    v = FIELD_DP64(v, WQCAP, TOTAL_WQ_SIZE, s->total_wq_size);
    v = FIELD_DP64(v, WQCAP, NUM_WQS, s->num_wqs);
    v = FIELD_DP64(v, WQCAP, WQCFG_SIZE, IAA_WQCFG_SIZE_CODE);
    v = FIELD_DP64(v, WQCAP, DEDICATED_MODE, 1);
    v = FIELD_DP64(v, WQCAP, PRIORITY, 1);
    v = FIELD_DP64(v, WQCAP, OCCUPANCY, 1);
    return v;
}

static uint64_t iaa_grpcap(IaaState *s)
{
    uint64_t v = 0;

    v = FIELD_DP64(v, GRPCAP, NUM_GROUPS, s->num_groups);
    v = FIELD_DP64(v, GRPCAP, TOTAL_RDBUFS, IAA_TOTAL_RDBUFS);
    return v;
}

static uint64_t iaa_opcap(unsigned qword)
{
    static const uint8_t ops[] = {
        IAA_OP_NOOP, IAA_OP_DRAIN, IAA_OP_DECOMPRESS, IAA_OP_COMPRESS,
    };
    uint64_t v = 0;

    for (unsigned i = 0; i < ARRAY_SIZE(ops); i++) {
        if (ops[i] / 64 == qword) {
            v |= 1ull << (ops[i] % 64);
        }
    }
    return v;
}

static uint64_t iaa_table_offset(IaaState *s, unsigned qword)
{
    uint64_t v = 0;

    if (qword == 0) {
        v = FIELD_DP64(v, TABLE_OFFSET, GRPCFG, s->grpcfg_off / IAA_TABLE_UNIT);
        v = FIELD_DP64(v, TABLE_OFFSET, WQCFG, s->wqcfg_off / IAA_TABLE_UNIT);
        v = FIELD_DP64(v, TABLE_OFFSET, MSIX_PERM,
                       s->msix_perm_off / IAA_TABLE_UNIT);
    }
    /* qword 1: perfmon offset 0, no performance monitor */
    return v;
}

/*
 * IAACAP: zero on IAA 1.0, which has no such register. On IAA 2.0 a bit is
 * set only for a feature the model performs, so software that keys on a bit
 * never meets a behaviour the model lacks (README "IAA 2.0").
 *
 * dec_aecs_format_ver (bit 0) stays clear. QPL reads it as "generation 2
 * minimum capabilities" (iaa_features_checks.hpp): format-2 decompress AECS,
 * CRC64 record fields, CRC select with CRC64, a non-zero-size rule, the
 * ignore-end-bits extension (decompression flags bit 14) and a "last
 * descriptor bit" in the compression AECS at a position that is not public.
 * The model has no decompress AECS and no CRC64 opcode, and the sixth item
 * cannot be modelled at all; with the bit set QPL would send format-2 AECS
 * and flag bit 14 that the model refuses. Clear, QPL and Linux take their
 * IAA 1.0 paths for those, which the model runs.
 */
static uint64_t iaa_iaacap(IaaState *s)
{
    uint64_t v = 0;

    if (s->version < IAA_VERSION_2) {
        return 0;
    }
    v = FIELD_DP64(v, IAACAP, DEC_AECS_FORMAT_VER, 0);
    v = FIELD_DP64(v, IAACAP, DICTION_COMP, 1);
    v = FIELD_DP64(v, IAACAP, HEADER_GEN, 1);
    return v;
}

static uint32_t iaa_cmdcap(void)
{
    uint32_t v = 0;

    for (unsigned c = IAA_CMD_ENABLE_DEVICE; c <= IAA_CMD_RELEASE_INT_HANDLE;
         c++) {
        v |= 1u << c;
    }
    return v;
}

/*
 * Writable-bit masks of the configuration tables
 */

static const uint32_t iaa_wqcfg_wmask[IAA_WQCFG_DWORDS] = {
    [R_WQCFG0] = R_WQCFG0_WQ_SIZE_MASK,
    [R_WQCFG1] = R_WQCFG1_WQ_THRESH_MASK,
    [R_WQCFG2] = R_WQCFG2_MODE_MASK | R_WQCFG2_PRIORITY_MASK |
                 R_WQCFG2_PASID_MASK | R_WQCFG2_PASID_EN_MASK |
                 R_WQCFG2_PRIV_MASK,
    [R_WQCFG3] = R_WQCFG3_MAX_XFER_SHIFT_MASK | R_WQCFG3_MAX_BATCH_SHIFT_MASK,
    /* occupancy interrupts, occupancy, state: not writable */
};

static uint64_t iaa_low_bits(uint32_t n, unsigned qword)
{
    if (n <= qword * 64) {
        return 0;
    }
    n -= qword * 64;
    return n >= 64 ? ~0ull : (1ull << n) - 1;
}

static uint64_t iaa_grpcfg_wmask(IaaState *s, unsigned qword)
{
    switch (qword) {
    case 0 ... 3:
        return iaa_low_bits(s->num_wqs, qword);
    case 4:
        return iaa_low_bits(s->num_engines, 0);
    case 5:
        return R_GRPFLAGS_TC_A_MASK | R_GRPFLAGS_TC_B_MASK |
               R_GRPFLAGS_RDBUFS_RESERVED_MASK | R_GRPFLAGS_RDBUFS_ALLOWED_MASK;
    default:
        return 0;
    }
}

static uint64_t *iaa_grpcfg_qword(IaaState *s, unsigned group, unsigned qword)
{
    IaaGroup *g = &s->groups[group];

    switch (qword) {
    case 0 ... 3:
        return &g->wqs[qword];
    case 4:
        return &g->engines;
    case 5:
        return &g->flags;
    default:
        return NULL;
    }
}

static uint32_t iaa_half(uint64_t v, hwaddr off)
{
    return (off & 4) ? v >> 32 : (uint32_t)v;
}

static void iaa_set_half(uint64_t *v, hwaddr off, uint32_t val, uint64_t wmask)
{
    unsigned shift = (off & 4) ? 32 : 0;
    uint64_t m = wmask & (0xffffffffull << shift);

    *v = (*v & ~m) | (((uint64_t)val << shift) & m);
}


static void iaa_enter_halt(IaaState *s, uint8_t reset_type)
{
    if (iaa_dev_state(s) == IAA_STATE_HALT) {
        return;
    }
    /* Outstanding work is lost; a waiting command fails. */
    iaa_exec_abort(s, NULL, false, 0);
    for (unsigned i = 0; i < s->num_wqs; i++) {
        s->wqs[i].cfg[R_WQCFG6] = FIELD_DP32(s->wqs[i].cfg[R_WQCFG6], WQCFG6,
                                             WQ_STATE, IAA_WQ_DISABLED);
    }
    s->gensts = FIELD_DP32(0, GENSTS, STATE, IAA_STATE_HALT);
    s->gensts = FIELD_DP32(s->gensts, GENSTS, RESET_TYPE, reset_type);
    iaa_exec_cmd_progress(s);
    iaa_raise_misc(s, R_INTCAUSE_HALT_MASK,
                   FIELD_EX32(s->genctrl, GENCTRL, HALT_INT_EN));
}

/*
 * Reset
 */


static void iaa_qdev_reset(DeviceState *dev)
{
    IaaState *s = INTEL_IAA(dev);

    iaa_exec_reset(s);
    iaa_cmd_clear_state(s);
    s->cmd = 0;
    s->cmd_waiting = false;
    iaa_portal_reset(s);
}

/*
 * BAR0 access
 */

static uint32_t iaa_reg_read(IaaState *s, hwaddr off)
{
    if (off >= s->grpcfg_off &&
        off < s->grpcfg_off + s->num_groups * IAA_GRPCFG_SIZE) {
        hwaddr o = off - s->grpcfg_off;
        uint64_t *q = iaa_grpcfg_qword(s, o / IAA_GRPCFG_SIZE,
                                       (o % IAA_GRPCFG_SIZE) / 8);
        return q ? iaa_half(*q, o) : 0;
    }
    if (off >= s->wqcfg_off &&
        off < s->wqcfg_off + s->num_wqs * IAA_WQCFG_SIZE) {
        hwaddr o = off - s->wqcfg_off;
        IaaWq *wq = &s->wqs[o / IAA_WQCFG_SIZE];
        unsigned dw = (o % IAA_WQCFG_SIZE) / 4;

        if (dw == R_WQCFG6) {
            return FIELD_DP32(wq->cfg[dw], WQCFG6, OCCUPANCY,
                              MIN(wq->inflight, 0xffff));
        }
        return wq->cfg[dw];
    }
    if (off >= s->msix_perm_off &&
        off < s->msix_perm_off + s->msix_vectors * IAA_MSIX_PERM_SIZE) {
        hwaddr o = off - s->msix_perm_off;
        return (o % IAA_MSIX_PERM_SIZE) ? 0 : s->msix_perm[o / 8];
    }

    switch (off & ~7ull) {
    case A_VERSION:
        return (off & 4) ? 0 : s->version;
    case A_GENCAP:
        return iaa_half(iaa_gencap(s), off);
    case A_WQCAP:
        return iaa_half(iaa_wqcap(s), off);
    case A_GRPCAP:
        return iaa_half(iaa_grpcap(s), off);
    case A_ENGCAP:
        return iaa_half(s->num_engines, off);
    case A_OPCAP ... A_OPCAP + 8 * (IAA_OPCAP_QWORDS - 1):
        return iaa_half(iaa_opcap((off - A_OPCAP) / 8), off);
    case A_TABLE_OFFSET ... A_TABLE_OFFSET + 8:
        return iaa_half(iaa_table_offset(s, (off - A_TABLE_OFFSET) / 8), off);
    case A_SWERR ... A_SWERR + 8 * (IAA_SWERR_QWORDS - 1):
        return iaa_half(s->swerr[(off - A_SWERR) / 8], off);
    case A_EVLCFG:
    case A_EVLCFG1:
        return iaa_half(s->evlcfg[(off - A_EVLCFG) / 8], off);
    case A_EVLSTATUS:
        return iaa_half(s->evlstatus, off);
    case A_IAACAP:
        return iaa_half(iaa_iaacap(s), off);
    }

    switch (off) {
    case A_GENCFG:
        return s->gencfg;
    case A_GENCTRL:
        return s->genctrl;
    case A_GENSTS:
        return s->gensts;
    case A_INTCAUSE:
        return s->intcause;
    case A_CMD:
        return s->cmd;
    case A_CMDSTS:
        return s->cmdsts;
    case A_CMDCAP:
        return iaa_cmdcap();
    }
    return 0;
}

static void iaa_reg_write(IaaState *s, hwaddr off, uint32_t val)
{
    if (off >= s->grpcfg_off &&
        off < s->grpcfg_off + s->num_groups * IAA_GRPCFG_SIZE) {
        /*
         * Accepted at any time: idxd rewrites every group whenever it binds
         * a WQ, also while the device is enabled, and routing reads the
         * table at submission.
         */
        hwaddr o = off - s->grpcfg_off;
        unsigned qword = (o % IAA_GRPCFG_SIZE) / 8;
        uint64_t *q = iaa_grpcfg_qword(s, o / IAA_GRPCFG_SIZE, qword);

        if (q) {
            iaa_set_half(q, o, val, iaa_grpcfg_wmask(s, qword));
        }
        return;
    }
    if (off >= s->wqcfg_off &&
        off < s->wqcfg_off + s->num_wqs * IAA_WQCFG_SIZE) {
        hwaddr o = off - s->wqcfg_off;
        IaaWq *wq = &s->wqs[o / IAA_WQCFG_SIZE];
        unsigned dw = (o % IAA_WQCFG_SIZE) / 4;
        uint32_t m = iaa_wqcfg_wmask[dw];

        /* An enabled WQ keeps its configuration. */
        if (iaa_wq_state(wq) == IAA_WQ_DISABLED) {
            wq->cfg[dw] = (wq->cfg[dw] & ~m) | (val & m);
        }
        return;
    }
    if (off >= s->msix_perm_off &&
        off < s->msix_perm_off + s->msix_vectors * IAA_MSIX_PERM_SIZE) {
        hwaddr o = off - s->msix_perm_off;

        if (!(o % IAA_MSIX_PERM_SIZE)) {
            s->msix_perm[o / 8] = val & (R_MSIX_PERM_IGNORE_MASK |
                                         R_MSIX_PERM_PASID_EN_MASK |
                                         R_MSIX_PERM_PASID_MASK);
        }
        return;
    }

    if (s->event_log) {
        /*
         * The event log is configurable but the model never posts to it:
         * every error is reported in SWERR, which idxd reads as well.
         */
        switch (off & ~7ull) {
        case A_EVLCFG:
            iaa_set_half(&s->evlcfg[0], off, val, R_EVLCFG_PASID_EN_MASK |
                         R_EVLCFG_PRIV_MASK | R_EVLCFG_BASE_ADDR_MASK);
            return;
        case A_EVLCFG1:
            iaa_set_half(&s->evlcfg[1], off, val,
                         R_EVLCFG1_SIZE_MASK | R_EVLCFG1_PASID_MASK);
            return;
        case A_EVLSTATUS:
            if (off & 4) {
                /* interrupt pending is write-1-to-clear */
                s->evlstatus &= ~(((uint64_t)val << 32) &
                                  R_EVLSTATUS_INT_PENDING_MASK);
            } else {
                iaa_set_half(&s->evlstatus, off, val, R_EVLSTATUS_HEAD_MASK);
            }
            return;
        }
    }

    switch (off) {
    case A_GENCFG:
        s->gencfg = val & (R_GENCFG_RDBUF_LIMIT_MASK |
                           R_GENCFG_USER_INT_EN_MASK |
                           (s->event_log ? R_GENCFG_EVL_EN_MASK : 0));
        return;
    case A_GENCTRL:
        s->genctrl = val & (R_GENCTRL_SOFTERR_INT_EN_MASK |
                            R_GENCTRL_HALT_INT_EN_MASK |
                            (s->event_log ? R_GENCTRL_EVL_INT_EN_MASK : 0));
        return;
    case A_INTCAUSE:
        s->intcause &= ~val;
        return;
    case A_CMD:
        iaa_cmd_write(s, val);
        return;
    case A_SWERR:
        /* valid and overflow are write-1-to-clear, the rest is read-only */
        s->swerr[0] &= ~((uint64_t)val &
                         (R_SWERR_VALID_MASK | R_SWERR_OVERFLOW_MASK));
        return;
    }
    qemu_log_mask(LOG_GUEST_ERROR,
                  "intel-iaa: write 0x%x to read-only or reserved register "
                  "0x%" HWADDR_PRIx "\n", val, off);
}

static uint64_t iaa_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    return iaa_reg_read(opaque, addr);
}

static void iaa_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    iaa_reg_write(opaque, addr, val);
}

static const MemoryRegionOps iaa_mmio_ops = {
    .read = iaa_mmio_read,
    .write = iaa_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 8,
        .unaligned = false,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

/*
 * QOM
 */

static void iaa_layout(IaaState *s)
{
    uint32_t end;

    s->msix_vectors = s->num_wqs + 1;
    s->grpcfg_off = IAA_GRPCFG_BASE;
    s->wqcfg_off = ROUND_UP(s->grpcfg_off + s->num_groups * IAA_GRPCFG_SIZE,
                            IAA_TABLE_UNIT);
    s->msix_perm_off = ROUND_UP(s->wqcfg_off + s->num_wqs * IAA_WQCFG_SIZE,
                                IAA_TABLE_UNIT);
    end = s->msix_perm_off + s->msix_vectors * IAA_MSIX_PERM_SIZE;
    s->regs_size = pow2ceil(MAX(end, 0x1000));
}

static bool iaa_check_props(IaaState *s, Error **errp)
{
    if (s->version != IAA_VERSION_1 && s->version != IAA_VERSION_2) {
        error_setg(errp, "version must be 0x%x (IAA 1.0) or 0x%x (IAA 2.0), "
                   "not 0x%x", IAA_VERSION_1, IAA_VERSION_2, s->version);
        return false;
    }
    if (s->num_wqs < 1 || s->num_wqs > IAA_MAX_WQS) {
        error_setg(errp, "num-wqs must be 1..%d", IAA_MAX_WQS);
        return false;
    }
    /* GRPENGCFG is a single 64-bit bitmap */
    if (s->num_engines < 1 || s->num_engines > 64) {
        error_setg(errp, "num-engines must be 1..64");
        return false;
    }
    if (s->num_groups < 1 || s->num_groups > IAA_MAX_GROUPS) {
        error_setg(errp, "num-groups must be 1..%d", IAA_MAX_GROUPS);
        return false;
    }
    if (s->total_wq_size < 1 || s->total_wq_size > 0xffff) {
        error_setg(errp, "total-wq-size must be 1..65535");
        return false;
    }
    if (s->halt_reset_type > IAA_RESET_COLD) {
        error_setg(errp, "halt-reset-type must be 0..3");
        return false;
    }
    return true;
}

static void iaa_realize(PCIDevice *pdev, Error **errp)
{
    IaaState *s = INTEL_IAA(pdev);
    uint32_t table_off, pba_off, bar0_size;
    uint64_t portal_size;

    if (!iaa_check_props(s, errp)) {
        return;
    }
    iaa_layout(s);

    s->groups = g_new0(IaaGroup, s->num_groups);
    s->wqs = g_new0(IaaWq, s->num_wqs);
    s->msix_perm = g_new0(uint32_t, s->msix_vectors);

    pci_config_set_class(pdev->config, IAA_PCI_CLASS);
    pdev->config[PCI_INTERRUPT_PIN] = 0;
    if (pci_bus_is_express(pci_get_bus(pdev))) {
        /* an endpoint (root-complex integrated on pcie.0), resettable by FLR */
        pcie_endpoint_cap_init(pdev, 0x80);
        pcie_cap_flr_init(pdev);
    } else {
        pdev->cap_present &= ~QEMU_PCI_CAP_EXPRESS;
    }

    /* BAR0: registers, then the MSI-X table and PBA on their own pages */
    table_off = MAX(s->regs_size, IAA_MSIX_MIN_OFFSET);
    pba_off = table_off + ROUND_UP(s->msix_vectors * PCI_MSIX_ENTRY_SIZE,
                                   0x1000);
    bar0_size = pow2ceil(pba_off + ROUND_UP(DIV_ROUND_UP(s->msix_vectors, 64)
                                            * 8, 0x1000));
    memory_region_init(&s->bar0, OBJECT(s), "intel-iaa-bar0", bar0_size);
    memory_region_init_io(&s->regs, OBJECT(s), &iaa_mmio_ops, s,
                          "intel-iaa-regs", s->regs_size);
    memory_region_add_subregion(&s->bar0, 0, &s->regs);
    pci_register_bar(pdev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->bar0);
    if (msix_init(pdev, s->msix_vectors, &s->bar0, 0, table_off,
                  &s->bar0, 0, pba_off, 0, errp) < 0) {
        return;
    }
    for (unsigned v = 0; v < s->msix_vectors; v++) {
        msix_vector_use(pdev, v);
    }

    /* BAR2: the portals */
    portal_size = pow2ceil((uint64_t)s->num_wqs * IAA_PORTAL_STRIDE);
    memory_region_init_io(&s->portals, OBJECT(s), &iaa_portal_ops, s,
                          "intel-iaa-portals", portal_size);
    pci_register_bar(pdev, 2, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->portals);

    iaa_portal_init(s);
    iaa_exec_init(s);
    iaa_cmd_clear_state(s);
}

static void iaa_exit(PCIDevice *pdev)
{
    IaaState *s = INTEL_IAA(pdev);

    iaa_exec_fini(s);
    iaa_portal_fini(s);
    msix_uninit(pdev, &s->bar0, &s->bar0);
    g_free(s->groups);
    g_free(s->wqs);
    g_free(s->msix_perm);
}

static void iaa_config_write(PCIDevice *pdev, uint32_t addr, uint32_t val,
                             int len)
{
    pci_default_write_config(pdev, addr, val, len);
    if (pci_is_express(pdev)) {
        pcie_cap_flr_write_config(pdev, addr, val, len);
    }
}

/*
 * Run-time controls (QOM properties): halt, interrupt handle revoke
 */

static bool iaa_get_halt(Object *obj, Error **errp)
{
    return iaa_dev_state(INTEL_IAA(obj)) == IAA_STATE_HALT;
}

static void iaa_set_halt(Object *obj, bool value, Error **errp)
{
    IaaState *s = INTEL_IAA(obj);

    if (!DEVICE(obj)->realized) {
        error_setg(errp, "halt: the device is not realized yet");
        return;
    }
    if (value) {
        iaa_enter_halt(s, s->halt_reset_type);
    } else if (iaa_dev_state(s) == IAA_STATE_HALT) {
        /* leaving halt from outside is the same as a device reset */
        iaa_exec_reset(s);
        iaa_cmd_clear_state(s);
        iaa_portal_reset(s);
        s->cmd_waiting = false;
    }
}

/*
 * Interrupt handle revoke
 */

static void iaa_set_revoke(Object *obj, bool value, Error **errp)
{
    IaaState *s = INTEL_IAA(obj);

    if (!DEVICE(obj)->realized) {
        error_setg(errp, "revoke-int-handles: the device is not realized yet");
        return;
    }
    if (!s->int_handles) {
        /* without cmd_cap no driver asked for handles: none to revoke */
        error_setg(errp, "revoke-int-handles: needs int-handles=on");
        return;
    }
    if (value) {
        iaa_revoke_int_handles(s);
    }
}

static void iaa_instance_init(Object *obj)
{
    IaaState *s = INTEL_IAA(obj);

    /* PCIe config space unless realize finds a conventional bus */
    PCI_DEVICE(obj)->cap_present |= QEMU_PCI_CAP_EXPRESS;

    /* The latency model may be changed at run time (qom-set). */
    s->comp_base_ns = 300;
    s->comp_ns_per_kib = 300;
    s->decomp_base_ns = 200;
    s->decomp_ns_per_kib = 200;
    static const struct {
        const char *name;
        size_t offset;
        const char *desc;
    } lat[] = {
        { "comp-base-ns", offsetof(IaaState, comp_base_ns),
          "compress latency: fixed part, virtual ns" },
        { "comp-ns-per-kib", offsetof(IaaState, comp_ns_per_kib),
          "compress latency: virtual ns per KiB of input" },
        { "decomp-base-ns", offsetof(IaaState, decomp_base_ns),
          "decompress latency: fixed part, virtual ns" },
        { "decomp-ns-per-kib", offsetof(IaaState, decomp_ns_per_kib),
          "decompress latency: virtual ns per KiB of max(input, output "
          "capacity)" },
    };

    for (unsigned i = 0; i < ARRAY_SIZE(lat); i++) {
        object_property_add_uint64_ptr(obj, lat[i].name,
                                       (uint64_t *)((char *)s +
                                                    lat[i].offset),
                                       OBJ_PROP_FLAG_READWRITE);
        object_property_set_description(obj, lat[i].name, lat[i].desc);
    }
    object_property_add_bool(obj, "halt", iaa_get_halt, iaa_set_halt);
    object_property_set_description(obj, "halt",
                                    "true: enter the halt state; "
                                    "false: leave it with a device reset");
    object_property_add_bool(obj, "revoke-int-handles", NULL, iaa_set_revoke);
    object_property_set_description(obj, "revoke-int-handles",
                                    "true: revoke every interrupt handle "
                                    "(needs int-handles=on)");
    iaa_fault_init(s);
}

static void iaa_instance_finalize(Object *obj)
{
    iaa_fault_fini(INTEL_IAA(obj));
}

static Property iaa_props[] = {
    DEFINE_PROP_UINT32("num-wqs", IaaState, num_wqs, 8),
    DEFINE_PROP_UINT32("num-engines", IaaState, num_engines, 8),
    DEFINE_PROP_UINT32("num-groups", IaaState, num_groups, 4),
    DEFINE_PROP_UINT32("total-wq-size", IaaState, total_wq_size, 128),
    DEFINE_PROP_UINT32("version", IaaState, version, 0x100),
    DEFINE_PROP_UINT8("halt-reset-type", IaaState, halt_reset_type,
                      IAA_RESET_SOFTWARE),
    DEFINE_PROP_BOOL("event-log", IaaState, event_log, true),
    DEFINE_PROP_BOOL("int-handles", IaaState, int_handles, false),
    DEFINE_PROP_END_OF_LIST(),
};

static const VMStateDescription iaa_vmstate = {
    .name = TYPE_INTEL_IAA,
    .unmigratable = 1,
};

static void iaa_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    pc->realize = iaa_realize;
    pc->exit = iaa_exit;
    pc->config_write = iaa_config_write;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = IAA_PCI_DEVICE_ID;
    pc->class_id = IAA_PCI_CLASS;
    pc->revision = 0;

    dc->desc = "Intel In-Memory Analytics Accelerator (IAA)";
    dc->reset = iaa_qdev_reset;
    dc->vmsd = &iaa_vmstate;
    device_class_set_props(dc, iaa_props);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo iaa_type_info = {
    .name = TYPE_INTEL_IAA,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(IaaState),
    .instance_init = iaa_instance_init,
    .instance_finalize = iaa_instance_finalize,
    .class_init = iaa_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { INTERFACE_CONVENTIONAL_PCI_DEVICE },
        { },
    },
};

static void iaa_register_types(void)
{
    type_register_static(&iaa_type_info);
}

type_init(iaa_register_types)
