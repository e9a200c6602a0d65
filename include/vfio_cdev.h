/* SPDX-License-Identifier: GPL-2.0-only */
/* VFIO device cdevs: /dev/vfio/devices/vfioN, bound to iommufd. */
#ifndef PSVM_VFIO_CDEV_H
#define PSVM_VFIO_CDEV_H

#include <stddef.h>
#include <stdint.h>

/* VFIO cdev: bind the device to iommufd (dev_id out) and attach it to an IOAS/HWPT. */
int vfio_cdev_bind(int devfd, int iommufd, uint32_t *dev_id);
int vfio_cdev_attach(int devfd, uint32_t pt_id);
int vfio_cdev_detach(int devfd);

/* The cdev of PCI device bdf (/sys/bus/pci/devices/BDF/vfio-dev/vfioN): 0 or -errno. */
int vfio_cdev_path(const char *bdf, char *path, size_t len);
/* The PCI address of a cdev, through sysfs: 0, or -1 with err set. */
int vfio_cdev_bdf(const char *path, char *bdf, size_t len, char *err, size_t errlen);

#endif
