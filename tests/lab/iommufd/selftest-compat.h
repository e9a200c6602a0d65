/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Forced into the kernel's iommu selftests (-include): Debian's linux-source-6.12
 * (6.12.117) ships selftests written for a newer uAPI than 6.12's. These names stand
 * for "the 6.12 behaviour": hw-info without an input type, mock devices without PASID.
 */
#define IOMMU_HW_INFO_TYPE_DEFAULT 0
#define IOMMU_HW_INFO_FLAG_INPUT_TYPE 0
#define MOCK_FLAGS_DEVICE_PASID 0
#define MOCK_PASID_WIDTH 0
