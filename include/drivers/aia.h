/* SPDX-License-Identifier: MIT */
/*
 * The RISC-V Advanced Interrupt Architecture's host side (AIA spec 1.0):
 * an APLIC interrupt domain's registers (chapter 4) and an IMSIC's S-level
 * interrupt file (chapter 3), as drivers/irq/aplic.c and imsic.c use them.
 * L0 drives the S-level domain the device tree gives it; the M-level
 * domain, its delegation and the MSI address configuration are the
 * firmware's (4.5.3, 4.5.4).
 */
#ifndef DRIVERS_AIA_H
#define DRIVERS_AIA_H

#include <stdbool.h>
#include <stdint.h>

#include <l0/bits.h>

/* APLIC domain registers, offsets from its base (AIA spec 4.5). */
#define APLIC_DOMAINCFG 0x0000
#define APLIC_SOURCECFG(i) (0x0004 + 4 * ((i)-1)) /* sources 1..1023 */
#define APLIC_SETIPNUM 0x1cdc
#define APLIC_SETIENUM 0x1edc
#define APLIC_CLRIE(k) (0x1f00 + 4 * (k))
#define APLIC_CLRIENUM 0x1fdc
#define APLIC_TARGET(i) (0x3004 + 4 * ((i)-1))
#define APLIC_IDC(h) (0x4000 + 32 * (h)) /* direct mode: hart index h */
#define APLIC_MAX_SOURCES 1023

/* domaincfg (4.5.1). */
#define DOMAINCFG_IE BIT(8) /* interrupts are delivered */
#define DOMAINCFG_DM BIT(2) /* delivery mode: 0 direct, 1 MSI */
#define DOMAINCFG_BE BIT(0) /* big-endian registers */

/* sourcecfg (4.5.2): D (delegated to a child) or the source mode SM. */
#define SOURCECFG_D BIT(10)
#define SOURCECFG_SM GENMASK(2, 0)
#define SM_INACTIVE 0
#define SM_LEVEL1 6 /* level-sensitive, asserted high */

/* target (4.5.16): direct and MSI delivery forms. */
#define TARGET_HART GENMASK(31, 18)
#define TARGET_IPRIO GENMASK(7, 0)   /* direct: priority, 1 highest */
#define TARGET_GUEST GENMASK(17, 12) /* MSI: 0 is the S-level file */
#define TARGET_EIID GENMASK(10, 0)   /* MSI: the identity at the file */

/* Interrupt delivery control of one hart, direct mode (4.8). */
#define IDC_IDELIVERY 0x00
#define IDC_IFORCE 0x04
#define IDC_ITHRESHOLD 0x08
#define IDC_CLAIMI 0x1c
#define IDC_ID GENMASK(25, 16) /* topi/claimi: the source */

/* IMSIC interrupt file registers, by siselect (3.8). */
#define IMSIC_EIDELIVERY 0x70
#define IMSIC_EITHRESHOLD 0x72
#define IMSIC_EIE0 0xc0 /* RV64: eie0, eie2, ... each 64 identities */
#define IMSIC_EIE(id) (IMSIC_EIE0 + 2 * ((id) / 64))
#define EIDELIVERY_ON 1
#define TOPEI_ID GENMASK(26, 16) /* stopei: the identity (3.9) */

/*
 * The APLIC domain at `base` with `nsources` sources, in MSI mode or not:
 * every source off, then delivery on. False when the domain does not take
 * that mode (domaincfg.DM is WARL, 4.5.1).
 */
bool aplic_setup(uint64_t base, unsigned int nsources, bool msi);
/*
 * Make source `irq` level-high active with `target` (a TARGET_* value),
 * enabled. False when out of range or not delegated to this domain (its
 * sourcecfg then stays 0, 4.5.2).
 */
bool aplic_route(unsigned int irq, uint32_t target);
void aplic_enable(unsigned int irq);
void aplic_disable(unsigned int irq);
/*
 * MSI mode: set the source pending again if it is still asserted, so that
 * a level the handler did not clear sends a new MSI (4.9.2).
 */
void aplic_retrigger(unsigned int irq);
/* Direct mode: the IDC of hart index `hart`, delivering, threshold 0. */
void aplic_idc_setup(unsigned int hart);
/* Direct mode: claim the top pending source at that IDC; 0: none (4.8.1). */
unsigned int aplic_idc_claim(unsigned int hart);

/*
 * The S-level interrupt file of this hart: registers through siselect and
 * sireg, and the claim of its top identity through stopei (3.8, 3.9). In
 * drivers/irq/io.c; the unit tests put a fake file here.
 */
uint64_t imsic_read(unsigned int reg);
void imsic_write(unsigned int reg, uint64_t v);
/* Read stopei and claim what it names (a write of it): the raw value. */
uint64_t imsic_claim_top(void);

#endif
