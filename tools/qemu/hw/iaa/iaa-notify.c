/*
 * Virtual Intel IAA: interrupts and error reporting. MSI-X vectors, the
 * misc causes (INTCAUSE and vector 0), software errors (SWERR), the end of
 * a command (CMDSTS) and the interrupt handle revoke. Every other file of
 * the device reports through these; this one calls none of them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "hw/pci/msix.h"
#include "iaa.h"

void iaa_notify_vector(IaaState *s, unsigned vector)
{
    PCIDevice *pdev = PCI_DEVICE(s);

    if (!msix_present(pdev) || vector >= s->msix_vectors) {
        return;
    }
    /* A PCI reset forgets which vectors are in use: claim them again. */
    if (!pdev->msix_entry_used[vector]) {
        msix_vector_use(pdev, vector);
    }
    msix_notify(pdev, vector);
}

/* Latch @cause in INTCAUSE and, if @deliver, signal the misc vector 0. */
void iaa_raise_misc(IaaState *s, uint32_t cause, bool deliver)
{
    s->intcause |= cause;
    if (deliver) {
        iaa_notify_vector(s, 0);
    }
}

/*
 * Revoke every interrupt handle given out: from now on a descriptor that
 * carries one completes with 0x19 and no interrupt, and REQUEST_INT_HANDLE
 * gives new ones. INTCAUSE.INT_HANDLE_REVOKED (bit 31) has no enable bit in
 * GENCTRL, so vector 0 always fires (6.12 idxd registers.h
 * IDXD_INTC_INT_HANDLE_REVOKED, irq.c idxd_misc_thread()).
 */
void iaa_revoke_int_handles(IaaState *s)
{
    s->inth_base += s->msix_vectors;
    s->int_handle_revokes++;
    iaa_raise_misc(s, R_INTCAUSE_INT_HANDLE_REVOKED_MASK, true);
}

/*
 * Record a software error. A second error while the first is still valid
 * only sets the overflow bit, as the register holds one error at a time.
 */
void iaa_report_swerr(IaaState *s, uint64_t q0, uint32_t invalid_flags,
                      uint64_t fault_addr)
{
    if (FIELD_EX64(s->swerr[0], SWERR, VALID)) {
        s->swerr[0] = FIELD_DP64(s->swerr[0], SWERR, OVERFLOW, 1);
    } else {
        s->swerr[0] = FIELD_DP64(q0, SWERR, VALID, 1);
        s->swerr[1] = FIELD_DP64(0, SWERR1, INVALID_FLAGS, invalid_flags);
        s->swerr[2] = fault_addr;
        s->swerr[3] = 0;
    }
    iaa_raise_misc(s, R_INTCAUSE_ERR_MASK,
                   FIELD_EX32(s->genctrl, GENCTRL, SOFTERR_INT_EN));
}

/*
 * A command's end: CMDSTS gets the error code and result; with INT_REQ,
 * INTCAUSE.CMD is latched and vector 0 fires.
 */
void iaa_cmd_complete(IaaState *s, uint8_t err, uint16_t result)
{
    uint32_t sts = 0;

    sts = FIELD_DP32(sts, CMDSTS, ERR, err);
    sts = FIELD_DP32(sts, CMDSTS, RESULT, result);
    s->cmdsts = sts;
    s->cmd_waiting = false;
    if (FIELD_EX32(s->cmd, CMD, INT_REQ)) {
        iaa_raise_misc(s, R_INTCAUSE_CMD_MASK, true);
    }
}
