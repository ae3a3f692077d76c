/*
 * Virtual Intel IAA: the command interface (CMD / CMDSTS).
 *
 * A command is executed when CMD is written. Most finish at once; the ones
 * that must wait for outstanding descriptors (drain, disable) keep
 * CMDSTS.ACTIVE set until iaa_exec_cmd_progress() sees the work retired.
 * Completion: CMDSTS gets the error code (and result), then, only when the
 * command asked for it with INT_REQ, INTCAUSE.CMD is latched and MSI-X
 * vector 0 fires. The polled commands (INT_REQ clear) never interrupt.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "iaa.h"

/* Clear the writable WQCFG fields and the state of one WQ (RESET_WQ). */
static void iaa_wq_reset_config(IaaState *s, unsigned wq)
{
    memset(s->wqs[wq].cfg, 0, sizeof(s->wqs[wq].cfg));
}

/*
 * Everything RESET_DEVICE clears; capabilities are not state. Also the
 * register side of a PCI reset and of leaving halt from outside.
 */
void iaa_cmd_clear_state(IaaState *s)
{
    s->gencfg = 0;
    s->genctrl = 0;
    s->gensts = 0;
    s->intcause = 0;
    s->inth_base = 0;
    s->cmdsts = 0;
    memset(s->swerr, 0, sizeof(s->swerr));
    memset(s->evlcfg, 0, sizeof(s->evlcfg));
    s->evlstatus = 0;
    memset(s->groups, 0, s->num_groups * sizeof(*s->groups));
    for (unsigned i = 0; i < s->num_wqs; i++) {
        iaa_wq_reset_config(s, i);
        s->wqs[i].inflight = 0;
    }
    memset(s->msix_perm, 0, s->msix_vectors * sizeof(*s->msix_perm));
}

/* Park the command until the selected work has retired. */
static void iaa_cmd_wait(IaaState *s, uint8_t code, const uint64_t *wqs,
                         bool by_pasid, uint32_t pasid)
{
    s->cmd_waiting = true;
    s->cmd_wait_code = code;
    s->cmd_wait_pasid = by_pasid ? pasid : UINT32_MAX;
    if (wqs) {
        memcpy(s->cmd_wait_wqs, wqs, sizeof(s->cmd_wait_wqs));
    } else {
        memset(s->cmd_wait_wqs, 0xff, sizeof(s->cmd_wait_wqs));
    }
    s->cmdsts = R_CMDSTS_ACTIVE_MASK;
    iaa_exec_cmd_progress(s);
}

static bool iaa_wq_in_group(IaaState *s, unsigned wq)
{
    for (unsigned g = 0; g < s->num_groups; g++) {
        if (iaa_bitmap_test(s->groups[g].wqs, wq)) {
            return true;
        }
    }
    return false;
}

static void iaa_set_wq_state(IaaState *s, unsigned wq, uint32_t state)
{
    s->wqs[wq].cfg[R_WQCFG6] = FIELD_DP32(s->wqs[wq].cfg[R_WQCFG6], WQCFG6,
                                          WQ_STATE, state);
}

/* ENABLE_DEVICE: check the whole configuration, then start. */
static uint8_t iaa_enable_device(IaaState *s)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    uint64_t engines_seen = 0;
    uint64_t wqs_seen[IAA_WQ_BITMAP_WORDS] = { 0 };
    uint32_t total = 0;

    if (iaa_dev_state(s) != IAA_STATE_DISABLED) {
        return IAA_CMDERR_DEV_ENABLED;
    }
    if (!(pci_get_word(pdev->config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
        return IAA_CMDERR_BUSMASTER_EN;
    }
    for (unsigned g = 0; g < s->num_groups; g++) {
        IaaGroup *grp = &s->groups[g];

        /* a WQ or an engine may belong to one group only */
        for (unsigned i = 0; i < IAA_WQ_BITMAP_WORDS; i++) {
            if (wqs_seen[i] & grp->wqs[i]) {
                return IAA_CMDERR_GRP_CONFIG;
            }
            wqs_seen[i] |= grp->wqs[i];
        }
        if (engines_seen & grp->engines) {
            return IAA_CMDERR_GRP_CONFIG2;
        }
        engines_seen |= grp->engines;
    }
    for (unsigned w = 0; w < s->num_wqs; w++) {
        if (iaa_bitmap_test(wqs_seen, w)) {
            total += FIELD_EX32(s->wqs[w].cfg[R_WQCFG0], WQCFG0, WQ_SIZE);
        }
    }
    if (total > s->total_wq_size) {
        return IAA_CMDERR_WQ_SIZE_ERANGE;
    }
    s->gensts = FIELD_DP32(s->gensts, GENSTS, STATE, IAA_STATE_ENABLED);
    return IAA_CMDERR_SUCCESS;
}

static uint8_t iaa_enable_wq(IaaState *s, uint32_t id)
{
    IaaWq *wq;
    uint32_t size, used = 0;

    if (id >= s->num_wqs) {
        return IAA_CMDERR_INVAL_WQIDX;
    }
    wq = &s->wqs[id];
    if (iaa_dev_state(s) != IAA_STATE_ENABLED) {
        return IAA_CMDERR_DEV_NOTEN;
    }
    if (iaa_wq_state(wq) == IAA_WQ_ENABLED) {
        return IAA_CMDERR_WQ_ENABLED;
    }
    size = FIELD_EX32(wq->cfg[R_WQCFG0], WQCFG0, WQ_SIZE);
    for (unsigned w = 0; w < s->num_wqs; w++) {
        if (iaa_wq_state(&s->wqs[w]) == IAA_WQ_ENABLED) {
            used += FIELD_EX32(s->wqs[w].cfg[R_WQCFG0], WQCFG0, WQ_SIZE);
        }
    }
    if (size == 0 || used + size > s->total_wq_size) {
        return IAA_CMDERR_WQ_SIZE;
    }
    /* only dedicated WQs: shared ones need ENQCMD and PASIDs */
    if (!FIELD_EX32(wq->cfg[R_WQCFG2], WQCFG2, MODE)) {
        return IAA_CMDERR_WQ_MODE;
    }
    if (FIELD_EX32(wq->cfg[R_WQCFG2], WQCFG2, PASID_EN)) {
        return IAA_CMDERR_PASID_EN;
    }
    if (FIELD_EX32(wq->cfg[R_WQCFG3], WQCFG3, MAX_BATCH_SHIFT) != 0) {
        return IAA_CMDERR_MAX_BATCH_SIZE;
    }
    if (FIELD_EX32(wq->cfg[R_WQCFG3], WQCFG3, MAX_XFER_SHIFT) >
        IAA_MAX_XFER_SHIFT) {
        return IAA_CMDERR_MAX_XFER_SIZE;
    }
    if (!iaa_wq_in_group(s, id)) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "intel-iaa: WQ %u enabled without a group, "
                      "it will use every engine\n", id);
    }
    wq->inflight = 0;
    iaa_set_wq_state(s, id, IAA_WQ_ENABLED);
    return IAA_CMDERR_SUCCESS;
}

/* Decode the WQ-set operand into a bitmap; false if it names no real WQ. */
static bool iaa_decode_wqset(IaaState *s, uint32_t operand, uint64_t *wqs)
{
    uint32_t bits = FIELD_EX32(operand, CMD_WQSET, BITS);
    uint32_t block = FIELD_EX32(operand, CMD_WQSET, BLOCK);

    memset(wqs, 0, IAA_WQ_BITMAP_WORDS * sizeof(uint64_t));
    for (unsigned b = 0; b < 16; b++) {
        unsigned id = block * 16 + b;

        if (!(bits & (1u << b))) {
            continue;
        }
        if (id >= s->num_wqs) {
            return false;
        }
        wqs[id / 64] |= 1ull << (id % 64);
    }
    return true;
}

static void iaa_cmd_wqset(IaaState *s, uint8_t code, uint32_t operand)
{
    uint64_t wqs[IAA_WQ_BITMAP_WORDS];

    if (!iaa_decode_wqset(s, operand, wqs)) {
        iaa_cmd_complete(s, IAA_CMDERR_INVAL_WQIDX, 0);
        return;
    }
    if (code != IAA_CMD_RESET_WQ && iaa_dev_state(s) != IAA_STATE_ENABLED) {
        iaa_cmd_complete(s, IAA_CMDERR_DEV_NOT_EN, 0);
        return;
    }

    switch (code) {
    case IAA_CMD_DISABLE_WQ:
        /* stop accepting at once, finish when the WQs have drained */
        for (unsigned w = 0; w < s->num_wqs; w++) {
            if (iaa_bitmap_test(wqs, w)) {
                iaa_set_wq_state(s, w, IAA_WQ_DISABLED);
            }
        }
        iaa_cmd_wait(s, code, wqs, false, 0);
        break;
    case IAA_CMD_DRAIN_WQ:
        iaa_cmd_wait(s, code, wqs, false, 0);
        break;
    case IAA_CMD_ABORT_WQ:
        iaa_exec_abort(s, wqs, false, 0);
        iaa_cmd_complete(s, IAA_CMDERR_SUCCESS, 0);
        break;
    case IAA_CMD_RESET_WQ:
        iaa_exec_abort(s, wqs, false, 0);
        for (unsigned w = 0; w < s->num_wqs; w++) {
            if (iaa_bitmap_test(wqs, w)) {
                iaa_wq_reset_config(s, w);
            }
        }
        iaa_cmd_complete(s, IAA_CMDERR_SUCCESS, 0);
        break;
    }
}

void iaa_cmd_write(IaaState *s, uint32_t val)
{
    uint8_t code = FIELD_EX32(val, CMD, CODE);
    uint32_t operand = FIELD_EX32(val, CMD, OPERAND);
    uint8_t err;

    if (s->cmd_waiting) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "intel-iaa: command 0x%x written while command %u "
                      "is active, ignored\n", val, s->cmd_wait_code);
        return;
    }
    s->cmd = val;
    s->cmdsts = R_CMDSTS_ACTIVE_MASK;

    /* In halt only a reset is obeyed. */
    if (iaa_dev_state(s) == IAA_STATE_HALT && code != IAA_CMD_RESET_DEVICE) {
        iaa_cmd_complete(s, IAA_CMDERR_HW_ERR, 0);
        return;
    }

    switch (code) {
    case IAA_CMD_ENABLE_DEVICE:
        iaa_cmd_complete(s, iaa_enable_device(s), 0);
        break;

    case IAA_CMD_DISABLE_DEVICE:
        if (iaa_dev_state(s) != IAA_STATE_ENABLED) {
            iaa_cmd_complete(s, IAA_CMDERR_DIS_DEV_EN, 0);
            break;
        }
        for (unsigned w = 0; w < s->num_wqs; w++) {
            iaa_set_wq_state(s, w, IAA_WQ_DISABLED);
        }
        s->gensts = FIELD_DP32(s->gensts, GENSTS, STATE, IAA_STATE_DRAIN);
        iaa_cmd_wait(s, code, NULL, false, 0);
        break;

    case IAA_CMD_DRAIN_ALL:
        iaa_cmd_wait(s, code, NULL, false, 0);
        break;

    case IAA_CMD_ABORT_ALL:
        iaa_exec_abort(s, NULL, false, 0);
        iaa_cmd_complete(s, IAA_CMDERR_SUCCESS, 0);
        break;

    case IAA_CMD_RESET_DEVICE:
        iaa_exec_reset(s);
        iaa_cmd_clear_state(s);
        iaa_portal_reset(s);
        iaa_cmd_complete(s, IAA_CMDERR_SUCCESS, 0);
        break;

    case IAA_CMD_ENABLE_WQ:
        iaa_cmd_complete(s, iaa_enable_wq(s, operand), 0);
        break;

    case IAA_CMD_DISABLE_WQ:
    case IAA_CMD_DRAIN_WQ:
    case IAA_CMD_ABORT_WQ:
    case IAA_CMD_RESET_WQ:
        iaa_cmd_wqset(s, code, operand);
        break;

    case IAA_CMD_DRAIN_PASID:
        iaa_cmd_wait(s, code, NULL, true, operand);
        break;

    case IAA_CMD_ABORT_PASID:
        iaa_exec_abort(s, NULL, true, operand);
        iaa_cmd_complete(s, IAA_CMDERR_SUCCESS, 0);
        break;

    case IAA_CMD_REQUEST_INT_HANDLE: {
        /*
         * MSI-X only: the operand is a table index, the result its handle
         * (6.12 idxd device.c idxd_device_request_int_handle())
         */
        uint32_t idx = FIELD_EX32(operand, CMD_INTH, INDEX);

        err = IAA_CMDERR_SUCCESS;
        if (FIELD_EX32(operand, CMD_INTH, IMS) || idx >= s->msix_vectors) {
            err = IAA_CMDERR_INVAL_INT_IDX;
        }
        iaa_cmd_complete(s, err, err ? 0 : (uint16_t)(s->inth_base + idx));
        break;
    }

    case IAA_CMD_RELEASE_INT_HANDLE: {
        /*
         * The operand is a handle (idxd_device_release_int_handle()); one
         * revoked since is refused like a bad index
         */
        unsigned vector;

        err = IAA_CMDERR_SUCCESS;
        if (FIELD_EX32(operand, CMD_INTH, IMS) ||
            !iaa_handle_vector(s, FIELD_EX32(operand, CMD_INTH, INDEX),
                               &vector)) {
            err = IAA_CMDERR_INVAL_INT_IDX;
        }
        iaa_cmd_complete(s, err, 0);
        break;
    }

    default:
        qemu_log_mask(LOG_GUEST_ERROR, "intel-iaa: unknown command %u\n",
                      code);
        iaa_cmd_complete(s, IAA_CMDERR_INVAL_CMD, 0);
        break;
    }
}
