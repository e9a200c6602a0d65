/* SPDX-License-Identifier: GPL-2.0-only */
/* `psvm info`: what the host offers psvm. */
#ifndef PSVM_INFO_H
#define PSVM_INFO_H

/* iommufd, io_uring commands on it, VFIO cdev devices and their IOMMU HW info. */
void info_iommufd(void);

#endif
