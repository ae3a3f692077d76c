/*
 * Virtual Intel In-Memory Analytics Accelerator (IAA, "IAX"), PCI 8086:0cfe.
 *
 * State shared by the register model (iaa-regs.c), the command engine
 * (iaa-cmd.c), the work-queue portals (iaa-portal.c), descriptor execution
 * (iaa-exec.c), fault injection (iaa-fault.c) and interrupts and error
 * reporting (iaa-notify.c). The files call each other as a tree: regs on
 * top, then cmd, portal, exec, and fault and notify as leaves.
 *
 * Register and field names follow the Linux idxd driver (registers.h) so a
 * reader can put the two side by side; every field is a named mask.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef HW_MISC_IAA_H
#define HW_MISC_IAA_H

#include "hw/pci/pci.h"
#include "hw/registerfields.h"
#include "qemu/bswap.h"
#include "qemu/queue.h"
#include "qemu/timer.h"
#include "qom/object.h"

#define TYPE_INTEL_IAA "intel-iaa"
OBJECT_DECLARE_SIMPLE_TYPE(IaaState, INTEL_IAA)

#define IAA_PCI_DEVICE_ID       0x0cfe
#define IAA_PCI_CLASS           0x0880      /* system peripheral, other */

/*
 * VERSION register values (Linux registers.h DEVICE_VERSION_1/2, accel-config
 * ACCFG_DEVICE_VERSION_1/2): the only two the model takes.
 */
#define IAA_VERSION_1           0x100       /* IAA 1.0, Sapphire Rapids */
#define IAA_VERSION_2           0x200       /* IAA 2.0, Granite Rapids */

/* Limits of the capability properties (field widths of WQCAP/GRPCAP/ENGCAP). */
#define IAA_MAX_WQS             255
#define IAA_MAX_GROUPS          255
#define IAA_MAX_ENGINES         255
#define IAA_WQ_BITMAP_WORDS     4           /* 256 bits, as GRPWQCFG */
#define IAA_MAX_XFER_SHIFT      21          /* 2 MiB: what idxd programs */

/*
 * BAR0: registers
 */
REG32(VERSION, 0x00)
REG64(GENCAP, 0x10)
    FIELD(GENCAP, BLOCK_ON_FAULT, 0, 1)
    FIELD(GENCAP, OVERLAP_COPY, 1, 1)
    FIELD(GENCAP, CACHE_CTL_MEM, 2, 1)
    FIELD(GENCAP, CACHE_CTL_CACHE, 3, 1)
    FIELD(GENCAP, CMD_CAP, 4, 1)
    FIELD(GENCAP, DEST_READBACK, 8, 1)
    FIELD(GENCAP, DRAIN_READBACK, 9, 1)
    FIELD(GENCAP, EVL_SUPPORT, 13, 2)
    FIELD(GENCAP, BATCH_CONT, 15, 1)
    FIELD(GENCAP, MAX_XFER_SHIFT, 16, 5)
    FIELD(GENCAP, MAX_BATCH_SHIFT, 21, 4)
    FIELD(GENCAP, MAX_IMS_MULT, 25, 6)
    FIELD(GENCAP, CONFIG_EN, 31, 1)
REG64(WQCAP, 0x20)
    FIELD(WQCAP, TOTAL_WQ_SIZE, 0, 16)
    FIELD(WQCAP, NUM_WQS, 16, 8)
    FIELD(WQCAP, WQCFG_SIZE, 24, 4)
    FIELD(WQCAP, SHARED_MODE, 48, 1)
    FIELD(WQCAP, DEDICATED_MODE, 49, 1)
    FIELD(WQCAP, ATS_SUPPORT, 50, 1)
    FIELD(WQCAP, PRIORITY, 51, 1)
    FIELD(WQCAP, OCCUPANCY, 52, 1)
    FIELD(WQCAP, OCCUPANCY_INT, 53, 1)
    FIELD(WQCAP, OP_CONFIG, 54, 1)
    FIELD(WQCAP, PRS_SUPPORT, 55, 1)
REG64(GRPCAP, 0x30)
    FIELD(GRPCAP, NUM_GROUPS, 0, 8)
    FIELD(GRPCAP, TOTAL_RDBUFS, 8, 8)
    FIELD(GRPCAP, RDBUF_CTRL, 16, 1)
    FIELD(GRPCAP, RDBUF_LIMIT, 17, 1)
    FIELD(GRPCAP, PROGRESS_LIMIT, 18, 1)
REG64(ENGCAP, 0x38)
    FIELD(ENGCAP, NUM_ENGINES, 0, 8)
REG64(OPCAP, 0x40)                      /* 4 qwords: bit n = opcode n */
#define IAA_OPCAP_QWORDS        4
REG64(TABLE_OFFSET, 0x60)               /* 2 qwords, units of 0x100 */
    FIELD(TABLE_OFFSET, GRPCFG, 0, 16)
    FIELD(TABLE_OFFSET, WQCFG, 16, 16)
    FIELD(TABLE_OFFSET, MSIX_PERM, 32, 16)
    FIELD(TABLE_OFFSET, IMS, 48, 16)
#define IAA_TABLE_UNIT          0x100
REG32(GENCFG, 0x80)
    FIELD(GENCFG, RDBUF_LIMIT, 0, 8)
    FIELD(GENCFG, USER_INT_EN, 12, 1)
    FIELD(GENCFG, EVL_EN, 13, 1)
REG32(GENCTRL, 0x88)
    FIELD(GENCTRL, SOFTERR_INT_EN, 0, 1)
    FIELD(GENCTRL, HALT_INT_EN, 1, 1)
    FIELD(GENCTRL, EVL_INT_EN, 2, 1)
REG32(GENSTS, 0x90)
    FIELD(GENSTS, STATE, 0, 2)
    FIELD(GENSTS, RESET_TYPE, 2, 2)
REG32(INTCAUSE, 0x98)
    FIELD(INTCAUSE, ERR, 0, 1)
    FIELD(INTCAUSE, CMD, 1, 1)
    FIELD(INTCAUSE, OCCUPY, 2, 1)
    FIELD(INTCAUSE, PERFMON, 3, 1)
    FIELD(INTCAUSE, HALT, 4, 1)
    FIELD(INTCAUSE, EVL, 5, 1)
    FIELD(INTCAUSE, INT_HANDLE_REVOKED, 31, 1)
REG32(CMD, 0xa0)
    FIELD(CMD, OPERAND, 0, 20)
    FIELD(CMD, CODE, 20, 5)
    FIELD(CMD, INT_REQ, 31, 1)
REG32(CMDSTS, 0xa8)
    FIELD(CMDSTS, ERR, 0, 8)
    FIELD(CMDSTS, RESULT, 8, 16)
    FIELD(CMDSTS, ACTIVE, 31, 1)
REG32(CMDCAP, 0xb0)
REG64(SWERR, 0xc0)                      /* 4 qwords */
    FIELD(SWERR, VALID, 0, 1)
    FIELD(SWERR, OVERFLOW, 1, 1)
    FIELD(SWERR, DESC_VALID, 2, 1)
    FIELD(SWERR, WQ_IDX_VALID, 3, 1)
    FIELD(SWERR, BATCH, 4, 1)
    FIELD(SWERR, FAULT_RW, 5, 1)
    FIELD(SWERR, PRIV, 6, 1)
    FIELD(SWERR, ERROR, 8, 8)
    FIELD(SWERR, WQ_IDX, 16, 8)
    FIELD(SWERR, OPERATION, 32, 8)
    FIELD(SWERR, PASID, 40, 20)
REG64(SWERR1, 0xc8)
    FIELD(SWERR1, BATCH_IDX, 0, 16)
    FIELD(SWERR1, INVALID_FLAGS, 32, 32)
REG64(SWERR2, 0xd0)                     /* fault address */
REG64(EVLCFG, 0xe0)                     /* 2 qwords */
    FIELD(EVLCFG, PASID_EN, 0, 1)
    FIELD(EVLCFG, PRIV, 1, 1)
    FIELD(EVLCFG, BASE_ADDR, 12, 52)
REG64(EVLCFG1, 0xe8)
    FIELD(EVLCFG1, SIZE, 0, 16)
    FIELD(EVLCFG1, PASID, 16, 20)
REG64(EVLSTATUS, 0xf0)
    FIELD(EVLSTATUS, HEAD, 0, 16)
    FIELD(EVLSTATUS, TAIL, 32, 16)
    FIELD(EVLSTATUS, INT_PENDING, 62, 1)
/*
 * IAACAP (IAA 2.0 only): the compression features beyond IAA 1.0. Bits as
 * Linux 6.12 names them (drivers/dma/idxd/registers.h, union iaa_cap_reg);
 * idxd reads the register when VERSION is 0x200 or more and shows it as
 * sysfs iaa_cap. Only features the model performs are advertised.
 */
REG64(IAACAP, 0x180)
    FIELD(IAACAP, DEC_AECS_FORMAT_VER, 0, 1)
    FIELD(IAACAP, DROP_INIT_BITS, 1, 1)
    FIELD(IAACAP, CHAINING, 2, 1)
    FIELD(IAACAP, FORCE_ARRAY_OUTPUT_MOD, 3, 1)
    FIELD(IAACAP, LOAD_PART_AECS, 4, 1)
    FIELD(IAACAP, COMP_EARLY_ABORT, 5, 1)
    FIELD(IAACAP, NESTED_COMP, 6, 1)
    FIELD(IAACAP, DICTION_COMP, 7, 1)
    FIELD(IAACAP, HEADER_GEN, 8, 1)
#define IAA_SWERR_QWORDS        4
/* GENCAP.EVL_SUPPORT: event-log entries of 32 << n bytes; IAA's are 128 */
#define IAA_EVL_SUPPORT         2

/* Where the tables start; the rest of the layout is computed at realize. */
#define IAA_GRPCFG_BASE         0x400
#define IAA_MSIX_MIN_OFFSET     0x2000

/* GENSTS.STATE values */
enum {
    IAA_STATE_DISABLED = 0,
    IAA_STATE_ENABLED = 1,
    IAA_STATE_DRAIN = 2,
    IAA_STATE_HALT = 3,
};

/* GENSTS.RESET_TYPE values: what it takes to leave the halt state */
enum {
    IAA_RESET_SOFTWARE = 0,
    IAA_RESET_FLR = 1,
    IAA_RESET_WARM = 2,
    IAA_RESET_COLD = 3,
};

/* GRPCFG: 64 bytes per group */
#define IAA_GRPCFG_SIZE         64
#define IAA_GRPCFG_WQS          0x00        /* 4 x u64 bitmap */
#define IAA_GRPCFG_ENGINES      0x20        /* u64 bitmap */
#define IAA_GRPCFG_FLAGS        0x28        /* u64 */
REG64(GRPFLAGS, 0)
    FIELD(GRPFLAGS, TC_A, 0, 3)
    FIELD(GRPFLAGS, TC_B, 3, 3)
    FIELD(GRPFLAGS, USE_RDBUF_LIMIT, 7, 1)
    FIELD(GRPFLAGS, RDBUFS_RESERVED, 8, 8)
    FIELD(GRPFLAGS, RDBUFS_ALLOWED, 20, 8)
    FIELD(GRPFLAGS, DESC_PROGRESS_LIMIT, 32, 2)
    FIELD(GRPFLAGS, BATCH_PROGRESS_LIMIT, 36, 2)

/* WQCFG: 32 bytes (8 dwords) per work queue */
#define IAA_WQCFG_SIZE          32
#define IAA_WQCFG_DWORDS        (IAA_WQCFG_SIZE / 4)
#define IAA_WQCFG_SIZE_CODE     0           /* WQCAP.WQCFG_SIZE: 1 << (0 + 5) */
REG32(WQCFG0, 0x00)
    FIELD(WQCFG0, WQ_SIZE, 0, 16)
REG32(WQCFG1, 0x04)
    FIELD(WQCFG1, WQ_THRESH, 0, 16)
REG32(WQCFG2, 0x08)
    FIELD(WQCFG2, MODE, 0, 1)               /* 1 = dedicated */
    FIELD(WQCFG2, BOF, 1, 1)
    FIELD(WQCFG2, ATS_DISABLE, 2, 1)
    FIELD(WQCFG2, PRS_DISABLE, 3, 1)
    FIELD(WQCFG2, PRIORITY, 4, 4)
    FIELD(WQCFG2, PASID, 8, 20)
    FIELD(WQCFG2, PASID_EN, 28, 1)
    FIELD(WQCFG2, PRIV, 29, 1)
REG32(WQCFG3, 0x0c)
    FIELD(WQCFG3, MAX_XFER_SHIFT, 0, 5)
    FIELD(WQCFG3, MAX_BATCH_SHIFT, 5, 4)
REG32(WQCFG4, 0x10)
    FIELD(WQCFG4, OCCUPANCY_INTH, 0, 16)
    FIELD(WQCFG4, OCCUPANCY_TABLE_SEL, 16, 1)
REG32(WQCFG5, 0x14)
    FIELD(WQCFG5, OCCUPANCY_LIMIT, 0, 16)
    FIELD(WQCFG5, OCCUPANCY_INT_EN, 16, 1)
REG32(WQCFG6, 0x18)
    FIELD(WQCFG6, OCCUPANCY, 0, 16)
    FIELD(WQCFG6, OCCUPANCY_INT, 16, 1)
    FIELD(WQCFG6, MODE_SUPPORT, 29, 1)
    FIELD(WQCFG6, WQ_STATE, 30, 2)

enum {
    IAA_WQ_DISABLED = 0,
    IAA_WQ_ENABLED = 1,
};

/* MSIX_PERM: 8 bytes per MSI-X vector, the low dword is defined */
#define IAA_MSIX_PERM_SIZE      8
REG32(MSIX_PERM, 0)
    FIELD(MSIX_PERM, IGNORE, 2, 1)
    FIELD(MSIX_PERM, PASID_EN, 3, 1)
    FIELD(MSIX_PERM, PASID, 12, 20)

/* Commands (CMD.CODE) */
enum {
    IAA_CMD_ENABLE_DEVICE = 1,
    IAA_CMD_DISABLE_DEVICE = 2,
    IAA_CMD_DRAIN_ALL = 3,
    IAA_CMD_ABORT_ALL = 4,
    IAA_CMD_RESET_DEVICE = 5,
    IAA_CMD_ENABLE_WQ = 6,
    IAA_CMD_DISABLE_WQ = 7,
    IAA_CMD_DRAIN_WQ = 8,
    IAA_CMD_ABORT_WQ = 9,
    IAA_CMD_RESET_WQ = 10,
    IAA_CMD_DRAIN_PASID = 11,
    IAA_CMD_ABORT_PASID = 12,
    IAA_CMD_REQUEST_INT_HANDLE = 13,
    IAA_CMD_RELEASE_INT_HANDLE = 14,
};

/* WQ-set operand of DISABLE/DRAIN/ABORT/RESET_WQ: 16-bit mask + block */
FIELD(CMD_WQSET, BITS, 0, 16)
FIELD(CMD_WQSET, BLOCK, 16, 4)
/* Operand of REQUEST/RELEASE_INT_HANDLE */
FIELD(CMD_INTH, INDEX, 0, 16)
FIELD(CMD_INTH, IMS, 16, 1)

/* CMDSTS.ERR values */
enum {
    IAA_CMDERR_SUCCESS = 0x00,
    IAA_CMDERR_INVAL_CMD = 0x01,
    IAA_CMDERR_INVAL_WQIDX = 0x02,
    IAA_CMDERR_HW_ERR = 0x03,
    IAA_CMDERR_DEV_ENABLED = 0x10,
    IAA_CMDERR_CONFIG = 0x11,
    IAA_CMDERR_BUSMASTER_EN = 0x12,
    IAA_CMDERR_PASID_INVAL = 0x13,
    IAA_CMDERR_WQ_SIZE_ERANGE = 0x14,
    IAA_CMDERR_GRP_CONFIG = 0x15,
    IAA_CMDERR_GRP_CONFIG2 = 0x16,
    IAA_CMDERR_GRP_CONFIG3 = 0x17,
    IAA_CMDERR_GRP_CONFIG4 = 0x18,
    IAA_CMDERR_DEV_NOTEN = 0x20,
    IAA_CMDERR_WQ_ENABLED = 0x21,
    IAA_CMDERR_WQ_SIZE = 0x22,
    IAA_CMDERR_WQ_PRIOR = 0x23,
    IAA_CMDERR_WQ_MODE = 0x24,
    IAA_CMDERR_BOF_EN = 0x25,
    IAA_CMDERR_PASID_EN = 0x26,
    IAA_CMDERR_MAX_BATCH_SIZE = 0x27,
    IAA_CMDERR_MAX_XFER_SIZE = 0x28,
    IAA_CMDERR_DIS_DEV_EN = 0x31,
    IAA_CMDERR_DEV_NOT_EN = 0x32,
    IAA_CMDERR_INVAL_INT_IDX = 0x41,
    IAA_CMDERR_NO_HANDLE = 0x42,
};

/* SWERR.ERROR values for errors not tied to a completion status. */
enum {
    IAA_SWERR_WQ_NOT_ENABLED = 0x40,    /* portal write to a disabled WQ */
    IAA_SWERR_WQ_FULL = 0x41,           /* dedicated WQ already holds wq_size */
    IAA_SWERR_PORTAL = 0x42,            /* torn or misplaced portal write */
};

/*
 * BAR2: portals. Each WQ owns 4 pages; page 0 is the unlimited portal,
 * page 1 the limited one; a page holds 64 descriptor slots.
 */
#define IAA_PORTAL_PAGE         0x1000
#define IAA_PORTAL_STRIDE       (4 * IAA_PORTAL_PAGE)
#define IAA_DESC_SIZE           64

/*
 * Descriptors and completion records (64 bytes each, little-endian)
 */
#define IAA_DESC_PASID_PRIV     0x00        /* b19:0 pasid, b31 priv */
#define IAA_DESC_FLAGS          0x04        /* 24 bits */
#define IAA_DESC_OPCODE         0x07
#define IAA_DESC_COMPL_ADDR     0x08
#define IAA_DESC_SRC1_ADDR      0x10
#define IAA_DESC_DST_ADDR       0x18
#define IAA_DESC_SRC1_SIZE      0x20
#define IAA_DESC_INT_HANDLE     0x24
#define IAA_DESC_OP_FLAGS       0x26        /* (de)compression flags */
#define IAA_DESC_SRC2_ADDR      0x28
#define IAA_DESC_MAX_DST_SIZE   0x30
#define IAA_DESC_SRC2_SIZE      0x34
#define IAA_DESC_FILTER_FLAGS   0x38
#define IAA_DESC_COMP2_FLAGS    0x38        /* compress: "Compression 2 flags" */
#define IAA_DESC_NUM_INPUTS     0x3c

FIELD(DESC_W0, PASID, 0, 20)
FIELD(DESC_W0, PRIV, 31, 1)

/* Descriptor flags */
#define IAA_F_FENCE             (1u << 0)
#define IAA_F_BOF               (1u << 1)
#define IAA_F_CRAV              (1u << 2)
#define IAA_F_RCR               (1u << 3)
#define IAA_F_RCI               (1u << 4)
#define IAA_F_CRSTS             (1u << 5)
#define IAA_F_CR                (1u << 7)
#define IAA_F_CC                (1u << 8)
#define IAA_F_TCS               (0xfu << 9)
#define IAA_F_STORD             (1u << 13)
#define IAA_F_DRDBK             (1u << 14)
#define IAA_F_DSTS              (1u << 15)
#define IAA_F_RD_SRC2_AECS      (1u << 16)
#define IAA_F_RD_SRC2_2ND       (1u << 17)
#define IAA_F_WR_SRC2_AECS_COMP (1u << 18)
#define IAA_F_WR_SRC2_AECS_OVFL (1u << 19)
#define IAA_F_SRC2_STS          (1u << 20)
#define IAA_F_CRC_RFC3720       (1u << 21)
/* accepted on every opcode */
#define IAA_F_COMMON            (IAA_F_FENCE | IAA_F_CRAV | IAA_F_RCR | \
                                 IAA_F_RCI | IAA_F_CRSTS | IAA_F_CR | \
                                 IAA_F_CC | IAA_F_TCS | IAA_F_STORD | \
                                 IAA_F_DSTS)

/* Opcodes */
enum {
    IAA_OP_NOOP = 0x00,
    IAA_OP_DRAIN = 0x02,
    IAA_OP_DECOMPRESS = 0x42,
    IAA_OP_COMPRESS = 0x43,
};

/*
 * Decompression flags (descriptor bytes 38-39), numbered as in Intel QPL's
 * hardware definitions; tools/qemu/README.md ("Fidelity") has the sources.
 */
#define IAA_DECOMP_ENABLE           (1u << 0)
#define IAA_DECOMP_FLUSH_OUTPUT     (1u << 1)
#define IAA_DECOMP_STOP_ON_EOB      (1u << 2)
#define IAA_DECOMP_CHECK_FOR_EOB    (1u << 3)
#define IAA_DECOMP_SEL_BFINAL_EOB   (1u << 4)
#define IAA_DECOMP_BE               (1u << 5)   /* not modelled */
#define IAA_DECOMP_IGNORE_END_SHIFT 6
#define IAA_DECOMP_IGNORE_END_BITS  (7u << IAA_DECOMP_IGNORE_END_SHIFT)
#define IAA_DECOMP_SUPPRESS_OUTPUT  (1u << 9)
#define IAA_DECOMP_VALID            (IAA_DECOMP_ENABLE | \
                                     IAA_DECOMP_FLUSH_OUTPUT | \
                                     IAA_DECOMP_STOP_ON_EOB | \
                                     IAA_DECOMP_CHECK_FOR_EOB | \
                                     IAA_DECOMP_SEL_BFINAL_EOB | \
                                     IAA_DECOMP_IGNORE_END_BITS | \
                                     IAA_DECOMP_SUPPRESS_OUTPUT)
/* Compression flags, numbered as in Intel QPL's hardware definitions */
#define IAA_COMP_STATS_MODE         (1u << 0)   /* alone: histogram, no AECS */
#define IAA_COMP_FLUSH_OUTPUT       (1u << 1)
#define IAA_COMP_END_PROC_SHIFT     2           /* bits 3:2 */
#define IAA_COMP_END_PROC           (3u << IAA_COMP_END_PROC_SHIFT)
#define IAA_END_PROC_NONE           0
#define IAA_END_PROC_EOB            1           /* append an EOB */
#define IAA_END_PROC_EOB_STORED     2           /* ... and a stored block */
#define IAA_END_PROC_EOB_FINAL      3           /* ... and a final stored block */
#define IAA_COMP_GEN_LITS           (1u << 4)   /* not modelled */
#define IAA_COMP_BE                 (1u << 5)   /* not modelled */
#define IAA_COMP_VALID              (IAA_COMP_FLUSH_OUTPUT | IAA_COMP_END_PROC)
/*
 * IAA 2.0 (QPL ADCF_LOAD_DICT, ADCF_ENABLE_HDR_GEN): bits 11:10 load a
 * dictionary, bits 14:12 generate the Huffman tables and block header.
 */
#define IAA_COMP_LOAD_DICT_SHIFT    10
#define IAA_COMP_LOAD_DICT          (3u << IAA_COMP_LOAD_DICT_SHIFT)
#define IAA_COMP_HDR_GEN_SHIFT      12
#define IAA_COMP_HDR_GEN            (7u << IAA_COMP_HDR_GEN_SHIFT)
#define IAA_HDR_GEN_ONE_PASS        2           /* one block, BFINAL clear */
#define IAA_HDR_GEN_ONE_PASS_FINAL  3           /* one block, BFINAL set */
#define IAA_HDR_GEN_TWO_PASS        6           /* first pass, BFINAL clear */
#define IAA_HDR_GEN_TWO_PASS_FINAL  7           /* first pass, BFINAL set */
/* Compression 2 flags: the first pass writes the tables to the AECS */
#define IAA_COMP2_WRITE_AECS_HT     (1u << 1)
/* input limit of one-pass header generation (K-v13 17/22, QPL deflate) */
#define IAA_HDR_GEN_MAX_SRC         4096

/*
 * Statistics mode output (compress with IAA_COMP_STATS_MODE alone), written
 * to dst: little-endian u32 symbol counts as Intel QPL's struct
 * hw_iaa_histogram lays them out, each array followed by 2 reserved words
 * (written 0).
 */
#define IAA_STATS_LL            0x000       /* ll_sym[286]: literals, lengths */
#define IAA_STATS_LL_COUNT      286
#define IAA_STATS_D             0x480       /* d_sym[30]: distance codes */
#define IAA_STATS_D_COUNT       30
#define IAA_STATS_SIZE          1280

/* Completion record */
#define IAA_CR_SIZE             64
#define IAA_CR_ALIGN            64
#define IAA_CR_STATUS           0x00
#define IAA_CR_ERROR_CODE       0x01
#define IAA_CR_FAULT_INFO       0x02
#define IAA_CR_BYTES_COMPLETED  0x04
#define IAA_CR_FAULT_ADDR       0x08
#define IAA_CR_INVALID_FLAGS    0x10
#define IAA_CR_OUTPUT_SIZE      0x18
#define IAA_CR_OUTPUT_BITS      0x1c
#define IAA_CR_XOR_CSUM         0x1e
#define IAA_CR_CRC              0x20

/* Completion status codes */
enum {
    IAA_CS_NONE = 0x00,
    IAA_CS_SUCCESS = 0x01,
    IAA_CS_PAGE_FAULT_IR = 0x04,
    IAA_CS_ANALYTICS_ERROR = 0x0a,
    IAA_CS_OUTBUF_OVERFLOW = 0x0b,
    IAA_CS_BAD_OPCODE = 0x10,
    IAA_CS_INVALID_FLAGS = 0x11,
    IAA_CS_NOZERO_RESERVE = 0x12,
    IAA_CS_INVALID_SIZE = 0x13,
    IAA_CS_INT_HANDLE_INVAL = 0x19,
    IAA_CS_CRA_XLAT = 0x1a,
    IAA_CS_CRA_ALIGN = 0x1b,
    IAA_CS_TRANSLATION_FAIL = 0x22,
    IAA_CS_WATCHDOG = 0x24,
    IAA_CS_INVALID_COMP_FLAG = 0x30,
    IAA_CS_INVALID_INPUT_SIZE = 0x32,
};

/*
 * AECS compress record (read through src2 with RD_SRC2_AECS). With a
 * dictionary (IAA 2.0, LOAD_DICT 1..3) the level's text area and hash table
 * follow it at IAA_AECS_DICT (iaa_engine.h, iaa_dict_text_size() and
 * iaa_dict_table_size()).
 */
#define IAA_AECS_COMP_SIZE      1568
#define IAA_AECS_DICT           0x620
#define IAA_AECS_CRC            0x000
#define IAA_AECS_ACCUM_BITS     0x01c
#define IAA_AECS_ACCUM          0x020
#define IAA_AECS_ACCUM_BYTES    256
#define IAA_AECS_LL_SYM         0x120
#define IAA_AECS_LL_COUNT       286
#define IAA_AECS_D_SYM          0x5a0
#define IAA_AECS_D_COUNT        30

/*
 * Model state
 */

/* A descriptor accepted by a WQ and not yet retired. */
typedef struct IaaJob {
    QTAILQ_ENTRY(IaaJob) link;
    uint8_t desc[IAA_DESC_SIZE];
    unsigned wq;
    int64_t deadline;           /* QEMU_CLOCK_VIRTUAL ns */
    /* fault plan fixed at submission */
    bool force_status;
    uint8_t status;
    uint8_t error_code;
    bool lost_irq;
    bool force_output_size;
    uint32_t output_size;
} IaaJob;

typedef struct IaaWq {
    uint32_t cfg[IAA_WQCFG_DWORDS];
    uint32_t inflight;          /* accepted, not yet retired */
} IaaWq;

typedef struct IaaGroup {
    uint64_t wqs[IAA_WQ_BITMAP_WORDS];
    uint64_t engines;
    uint64_t flags;
} IaaGroup;

/* Assembly of one 64-byte descriptor from several portal stores. */
typedef struct IaaPortalBuf {
    uint8_t data[IAA_DESC_SIZE];
    uint32_t slot;              /* portal offset of the slot being filled */
    uint16_t dwords;            /* bit n: dword n written */
} IaaPortalBuf;

/* Kinds of injected faults, for the counters. */
enum {
    IAA_FK_STATUS,
    IAA_FK_LATE,
    IAA_FK_NEVER,
    IAA_FK_LOST_IRQ,
    IAA_FK_OUTPUT_SIZE,
    IAA_FK__COUNT,
};

typedef struct IaaFaultRule IaaFaultRule;

struct IaaState {
    PCIDevice parent_obj;

    MemoryRegion bar0;          /* registers + MSI-X table and PBA */
    MemoryRegion regs;
    MemoryRegion portals;       /* BAR2 */

    /* properties: capabilities */
    uint32_t num_wqs;
    uint32_t num_engines;
    uint32_t num_groups;
    uint32_t total_wq_size;
    uint32_t version;           /* IAA_VERSION_1 or IAA_VERSION_2 */
    uint8_t halt_reset_type;
    bool event_log;
    bool int_handles;           /* GENCAP.cmd_cap: handles can be revoked */
    /* properties: latency model, virtual ns */
    uint64_t comp_base_ns;
    uint64_t comp_ns_per_kib;
    uint64_t decomp_base_ns;
    uint64_t decomp_ns_per_kib;

    /* layout computed at realize */
    uint32_t grpcfg_off;
    uint32_t wqcfg_off;
    uint32_t msix_perm_off;
    uint32_t regs_size;
    uint32_t msix_vectors;

    /* registers */
    uint32_t gencfg;
    uint32_t genctrl;
    uint32_t gensts;
    uint32_t intcause;
    uint32_t cmd;
    uint32_t cmdsts;
    uint64_t swerr[IAA_SWERR_QWORDS];
    uint64_t evlcfg[2];
    uint64_t evlstatus;
    IaaGroup *groups;
    IaaWq *wqs;
    uint32_t *msix_perm;
    uint16_t inth_base;         /* interrupt handle of vector 0 */

    /* command engine: a command that waits for descriptors to retire */
    bool cmd_waiting;
    uint8_t cmd_wait_code;
    uint32_t cmd_wait_pasid;
    uint64_t cmd_wait_wqs[IAA_WQ_BITMAP_WORDS];

    /* portals: one assembly buffer per (vCPU, WQ) */
    IaaPortalBuf *pbufs;
    unsigned pbuf_cpus;

    /* execution */
    unsigned exec_depth;        /* > 0 while a descriptor is being run */
    QTAILQ_HEAD(, IaaJob) jobs; /* ordered by deadline */
    QEMUTimer *timer;
    int64_t *engine_free;       /* virtual time each engine becomes idle */

    /* fault injection */
    IaaFaultRule *rules;
    uint64_t injected;
    uint64_t injected_kind[IAA_FK__COUNT];

    /* statistics */
    uint64_t int_handle_revokes;
    uint64_t descs_submitted;
    uint64_t descs_completed;
    uint64_t descs_dropped;
    uint64_t descs_aborted;
    uint64_t descs_failed;
};

/* Per-job decisions taken by the fault injector at submission. */
typedef struct IaaFaultPlan {
    bool force_status;
    uint8_t status;
    uint8_t error_code;
    int64_t late_ns;
    bool never;
    bool lost_irq;
    bool force_output_size;     /* the record's output_size, whatever ran */
    uint32_t output_size;
} IaaFaultPlan;

static inline uint64_t iaa_ldq(const uint8_t *p, unsigned off)
{
    return ldq_le_p(p + off);
}

static inline uint32_t iaa_ldl(const uint8_t *p, unsigned off)
{
    return ldl_le_p(p + off);
}

static inline uint16_t iaa_ldw(const uint8_t *p, unsigned off)
{
    return lduw_le_p(p + off);
}

static inline uint32_t iaa_desc_flags(const uint8_t *d)
{
    return iaa_ldl(d, IAA_DESC_FLAGS) & 0xffffff;
}

static inline uint8_t iaa_desc_opcode(const uint8_t *d)
{
    return d[IAA_DESC_OPCODE];
}

static inline bool iaa_bitmap_test(const uint64_t *map, unsigned bit)
{
    return (map[bit / 64] >> (bit % 64)) & 1;
}

static inline uint32_t iaa_wq_state(const IaaWq *wq)
{
    return FIELD_EX32(wq->cfg[R_WQCFG6], WQCFG6, WQ_STATE);
}

/*
 * The MSI-X vector interrupt handle @handle names now, if any. Handles are
 * the vector index plus inth_base, modulo 2^16 (the descriptor's field is
 * 16 bits); a revoke moves inth_base past every handle given out before.
 */
static inline bool iaa_handle_vector(const IaaState *s, uint16_t handle,
                                     unsigned *vector)
{
    uint16_t v = handle - s->inth_base;

    if (v >= s->msix_vectors) {
        return false;
    }
    *vector = v;
    return true;
}

static inline uint32_t iaa_dev_state(const IaaState *s)
{
    return FIELD_EX32(s->gensts, GENSTS, STATE);
}

/* iaa-notify.c */
void iaa_notify_vector(IaaState *s, unsigned vector);
void iaa_raise_misc(IaaState *s, uint32_t cause, bool deliver);
void iaa_report_swerr(IaaState *s, uint64_t q0, uint32_t invalid_flags,
                      uint64_t fault_addr);
void iaa_cmd_complete(IaaState *s, uint8_t err, uint16_t result);
void iaa_revoke_int_handles(IaaState *s);

/* iaa-cmd.c */
void iaa_cmd_write(IaaState *s, uint32_t val);
void iaa_cmd_clear_state(IaaState *s);

/* iaa-portal.c */
extern const MemoryRegionOps iaa_portal_ops;
void iaa_portal_init(IaaState *s);
void iaa_portal_reset(IaaState *s);
void iaa_portal_fini(IaaState *s);

/* iaa-exec.c */
void iaa_exec_init(IaaState *s);
void iaa_exec_fini(IaaState *s);
void iaa_exec_submit(IaaState *s, unsigned wq, const uint8_t *desc);
void iaa_exec_abort(IaaState *s, const uint64_t *wqs, bool by_pasid,
                    uint32_t pasid);
void iaa_exec_reset(IaaState *s);
void iaa_exec_cmd_progress(IaaState *s);

/* iaa-fault.c */
void iaa_fault_init(IaaState *s);
void iaa_fault_fini(IaaState *s);
void iaa_fault_plan(IaaState *s, unsigned wq, const uint8_t *desc,
                    IaaFaultPlan *plan);

#endif
