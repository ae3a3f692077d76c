/*
 * Virtual Intel IAA: BAR2 work-queue portals.
 *
 * A descriptor arrives as one 64-byte MOVDIR64B, which reaches the model as
 * several stores (eight 8-byte ones under TCG, each taken under the BQL on
 * its own). Under MTTCG the stores of two vCPUs can interleave, so every
 * (vCPU, WQ) pair assembles into its own buffer; stores that do not come
 * from a vCPU (qtest, DMA) share one extra buffer per WQ.
 *
 * A complete descriptor is checked against the WQ's state and depth, then
 * handed to iaa-exec.c. Descriptors that cannot be accepted are dropped and
 * reported in SWERR.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/boards.h"
#include "hw/core/cpu.h"
#include "iaa.h"

#define IAA_ALL_DWORDS  ((1u << (IAA_DESC_SIZE / 4)) - 1)

static IaaPortalBuf *iaa_portal_buf(IaaState *s, unsigned wq)
{
    unsigned slot = s->pbuf_cpus - 1;       /* not a vCPU */

    if (current_cpu && current_cpu->cpu_index < slot) {
        slot = current_cpu->cpu_index;
    }
    return &s->pbufs[slot * s->num_wqs + wq];
}

static void iaa_portal_drop(IaaState *s, unsigned wq, const uint8_t *desc,
                            uint8_t error)
{
    uint64_t q0 = 0;
    uint32_t w0 = iaa_ldl(desc, IAA_DESC_PASID_PRIV);

    s->descs_dropped++;
    q0 = FIELD_DP64(q0, SWERR, DESC_VALID, 1);
    q0 = FIELD_DP64(q0, SWERR, WQ_IDX_VALID, 1);
    q0 = FIELD_DP64(q0, SWERR, PRIV, FIELD_EX32(w0, DESC_W0, PRIV));
    q0 = FIELD_DP64(q0, SWERR, ERROR, error);
    q0 = FIELD_DP64(q0, SWERR, WQ_IDX, wq);
    q0 = FIELD_DP64(q0, SWERR, OPERATION, iaa_desc_opcode(desc));
    q0 = FIELD_DP64(q0, SWERR, PASID, FIELD_EX32(w0, DESC_W0, PASID));
    iaa_report_swerr(s, q0, 0, 0);
}

static void iaa_portal_submit(IaaState *s, unsigned wq, const uint8_t *desc)
{
    IaaWq *q = &s->wqs[wq];

    if (iaa_dev_state(s) == IAA_STATE_HALT) {
        /* a halted device ignores its portals */
        s->descs_dropped++;
        return;
    }
    if (iaa_dev_state(s) != IAA_STATE_ENABLED ||
        iaa_wq_state(q) != IAA_WQ_ENABLED) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "intel-iaa: descriptor to disabled WQ %u dropped\n", wq);
        iaa_portal_drop(s, wq, desc, IAA_SWERR_WQ_NOT_ENABLED);
        return;
    }
    if (q->inflight >= FIELD_EX32(q->cfg[R_WQCFG0], WQCFG0, WQ_SIZE)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "intel-iaa: WQ %u full (%u), descriptor dropped\n",
                      wq, q->inflight);
        iaa_portal_drop(s, wq, desc, IAA_SWERR_WQ_FULL);
        return;
    }
    iaa_exec_submit(s, wq, desc);
}

static uint64_t iaa_portal_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void iaa_portal_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    IaaState *s = opaque;
    unsigned wq = addr / IAA_PORTAL_STRIDE;
    unsigned page = (addr / IAA_PORTAL_PAGE) % 4;
    unsigned off = addr % IAA_DESC_SIZE;
    uint32_t slot = addr - off;
    uint8_t desc[IAA_DESC_SIZE];
    IaaPortalBuf *pb;

    if (wq >= s->num_wqs || page > 1) {
        /* pages 2-3 of each WQ and the BAR's padding are not portals */
        qemu_log_mask(LOG_GUEST_ERROR, "intel-iaa: store to non-portal "
                      "offset 0x%" HWADDR_PRIx " ignored\n", addr);
        return;
    }
    if (s->exec_depth) {
        /* the device's own DMA hit its portal: refuse to recurse */
        qemu_log_mask(LOG_GUEST_ERROR, "intel-iaa: DMA into the portals "
                      "ignored\n");
        return;
    }

    pb = iaa_portal_buf(s, wq);
    if (pb->dwords && pb->slot != slot) {
        qemu_log_mask(LOG_GUEST_ERROR, "intel-iaa: WQ %u: descriptor at "
                      "0x%x abandoned after a partial write\n", wq, pb->slot);
        pb->dwords = 0;
    }
    pb->slot = slot;
    if (size == 8) {
        stq_le_p(pb->data + off, val);
    } else {
        stl_le_p(pb->data + off, val);
    }
    pb->dwords |= ((1u << (size / 4)) - 1) << (off / 4);
    if (pb->dwords != IAA_ALL_DWORDS) {
        return;
    }
    memcpy(desc, pb->data, sizeof(desc));
    pb->dwords = 0;
    iaa_portal_submit(s, wq, desc);
}

const MemoryRegionOps iaa_portal_ops = {
    .read = iaa_portal_read,
    .write = iaa_portal_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 8,
        .unaligned = false,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 8,
    },
};

void iaa_portal_init(IaaState *s)
{
    MachineState *ms = MACHINE(qdev_get_machine());

    s->pbuf_cpus = ms->smp.max_cpus + 1;
    s->pbufs = g_new0(IaaPortalBuf, s->pbuf_cpus * s->num_wqs);
}

void iaa_portal_reset(IaaState *s)
{
    for (unsigned i = 0; i < s->pbuf_cpus * s->num_wqs; i++) {
        s->pbufs[i].dwords = 0;
    }
}

void iaa_portal_fini(IaaState *s)
{
    g_free(s->pbufs);
    s->pbufs = NULL;
}
