// SPDX-License-Identifier: GPL-2.0-only
/* VFIO device cdevs (VFIO_DEVICE_CDEV): finding them, binding them to iommufd, attaching. */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "log.h"
#include "vfio_cdev.h"

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

int vfio_cdev_bind(int devfd, int iommufd, uint32_t *dev_id)
{
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b), .iommufd = iommufd };
	int r = xioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &b);

	if (!r)
		*dev_id = b.out_devid;
	return r;
}

int vfio_cdev_attach(int devfd, uint32_t pt_id)
{
	struct vfio_device_attach_iommufd_pt a = { .argsz = sizeof(a), .pt_id = pt_id };

	return xioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a);
}

int vfio_cdev_detach(int devfd)
{
	struct vfio_device_detach_iommufd_pt d = { .argsz = sizeof(d) };

	return xioctl(devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &d);
}

int vfio_cdev_path(const char *bdf, char *path, size_t len)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "vfio", 4)) {
			snprintf(path, len, "/dev/vfio/devices/%s", de->d_name);
			closedir(d);
			return 0;
		}
	closedir(d);
	return -ENOENT;
}

int vfio_cdev_bdf(const char *path, char *bdf, size_t len, char *err, size_t errlen)
{
	char sys[PATH_MAX], link[PATH_MAX], *copy = strdup(path);
	ssize_t n;

	if (!copy)
		return errorf(err, errlen, "out of memory");
	snprintf(sys, sizeof(sys), "/sys/class/vfio-dev/%s/device", basename(copy));
	free(copy);
	n = readlink(sys, link, sizeof(link) - 1);
	if (n < 0)
		return errorf(err, errlen, "%s: not a VFIO device cdev (%s: %s)", path, sys,
			      strerror(errno));
	link[n] = 0;
	snprintf(bdf, len, "%s", basename(link));
	return 0;
}
