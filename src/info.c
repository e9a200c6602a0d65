// SPDX-License-Identifier: GPL-2.0-only
/* `psvm info`: what the host's iommufd offers and what its VFIO devices' IOMMUs report. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/iommufd.h>
#include <linux/iommufd_test.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "info.h"
#include "iommufd.h"
#include "uapi_kpatch.h"
#include "vfio_cdev.h"

static const char *hw_info_type_name(uint32_t t)
{
	switch (t) {
	case IOMMU_HW_INFO_TYPE_NONE: return "none";
	case IOMMU_HW_INFO_TYPE_INTEL_VTD: return "intel-vtd";
	case IOMMU_HW_INFO_TYPE_SPAPR_TCE: return "spapr-tce";
	case IOMMU_HW_INFO_TYPE_SELFTEST: return "selftest-mock";
	default: return "unknown";
	}
}

void info_iommufd(void)
{
	char err[256], path[300];
	struct dirent *de;
	uint8_t data[256];
	DIR *d;
	int fd = iommufd_open(err, sizeof(err)), r;

	if (fd < 0) {
		printf("iommufd: no: %s\n", err);
		return;
	}
	r = iommufd_uring_cmd_supported(fd);
	printf("iommufd: /dev/iommu; io_uring uring_cmd on it: %s\n",
	       r > 0 ? "yes" : r == 0 ? "no (needs kernel-patch/; psvm uses the coalesce engine)" :
	       "no io_uring");
	d = opendir("/dev/vfio/devices");
	if (!d) {
		printf("vfio cdev devices: none\n");
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		struct iommufd_hw_info hw = { 0 };
		uint32_t dev_id;
		int dfd, ifd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/dev/vfio/devices/%s", de->d_name);
		dfd = open(path, O_RDWR | O_CLOEXEC);
		ifd = iommufd_open(err, sizeof(err));
		if (dfd < 0 || ifd < 0) {
			printf("%s: cannot open: %s\n", path, strerror(errno));
		} else if ((r = vfio_cdev_bind(dfd, ifd, &dev_id)) ||
			   (r = iommufd_get_hw_info(ifd, dev_id, data, sizeof(data), &hw))) {
			printf("%s: bind/hw info: %s\n", path, strerror(-r));
		} else {
			printf("%s: iommu hw info %s (type %u), capabilities %#llx, PASID bits %u\n",
			       path, hw_info_type_name(hw.type), hw.type,
			       (unsigned long long)hw.caps, hw.pasid_log2);
			if (hw.type == IOMMU_HW_INFO_TYPE_SPAPR_TCE) {
				struct iommu_hw_info_spapr_tce t;

				memcpy(&t, data, sizeof(t));
				printf("%s: TCE windows: %u at once, page sizes %#llx, 32-bit %#llx+%#llx, "
				       "64-bit at %s%#llx, %u table levels\n",
				       path, t.windows, (unsigned long long)t.pgsizes,
				       (unsigned long long)t.dma32_start,
				       (unsigned long long)t.dma32_size,
				       t.flags & IOMMU_HW_INFO_SPAPR_TCE_DMA64_FIXED ? "" :
				       "(made by the platform) ",
				       (unsigned long long)t.dma64_start, t.max_levels);
			}
		}
		if (dfd >= 0)
			close(dfd);
		if (ifd >= 0)
			close(ifd);
	}
	closedir(d);
	close(fd);
}
