// SPDX-License-Identifier: GPL-2.0-only
/* psvm: a small KVM VMM for POWER pseries guests. Command line front end. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "bench.h"
#include "cli.h"
#include "info.h"
#include "config.h"
#include "crash.h"
#include "log.h"
#include "run.h"

const char psvm_version[] = PSVM_VERSION;

static void host_memory_info(void)
{
	char line[256], thp[128] = "?";
	unsigned long total = 0, size = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			sscanf(line, "HugePages_Total: %lu", &total);
			sscanf(line, "Hugepagesize: %lu kB", &size);
		}
		fclose(f);
	}
	f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	if (f) {
		if (!fgets(thp, sizeof(thp), f))
			strcpy(thp, "?");
		thp[strcspn(thp, "\n")] = 0;
		fclose(f);
	}
	printf("huge pages: %lu x %lu kB reserved (--hugetlb on); THP: %s\n", total, size, thp);
}

static void usage(FILE *f)
{
	fputs("usage: psvm run --kernel FILE [options]   boot a pseries guest under KVM\n"
	      "       psvm info                          what this host offers\n"
	      "       psvm bench map-unmap [options]     map engine throughput on /dev/iommu\n"
	      "       psvm --help | --version\n"
	      "\n"
	      "run options (each also a config-file key without the dashes):\n"
	      "  --kernel FILE        ELF vmlinux (ppc64, LE or BE), or a flat image with\n"
	      "  --kernel-format flat   (both loaded at 4 MiB, entered big-endian, as QEMU)\n"
	      "  --initrd FILE        initramfs\n"
	      "  --cmdline STR        kernel command line\n"
	      "  -m, --memory SIZE    guest RAM, e.g. 512M, 2G (default 512M; bare number = MiB)\n"
	      "  -c, --cpus N         vCPUs (default 1); secondaries wait for RTAS start-cpu\n"
	      "  --console stdio|FILE guest console (default stdio)\n"
	      "  --mmu auto|radix|hash  MMU offered to the guest (default auto: radix where KVM\n"
	      "                       runs it, else hash)\n"
	      "  --irqchip auto|xics|xive  interrupt controller (default auto: XIVE exploitation\n"
	      "                       mode where KVM offers it and RAM pages are >= 64K)\n"
	      "  --on-reboot exit|restart  what a guest reboot does (default exit, status 4)\n"
	      "  --timeout SECONDS    stop the guest after this long (exit status 6)\n"
	      "  --nvram FILE         keep the guest's nvram (64 KiB, Linux's oops log) in FILE\n"
	      "                       across reboots and runs (default: in memory)\n"
	      "  --hugetlb on|off     back guest RAM with huge pages\n"
	      "  --device vfio,host=DDDD:BB:DD.F | vfio,path=/dev/vfio/devices/vfioN\n"
	      "                       [,engine=E][,backend=auto|legacy|iommufd]\n"
	      "                       pass a PCI device through (repeatable); E: auto (default:\n"
	      "                       kvm where the host can, else coalesce), kvm (TCE hcalls\n"
	      "                       served in KVM), or psvm's map engine ioctl|coalesce|uring|nested\n"
	      "  --config FILE        read settings from FILE first (key = value lines)\n"
	      "  -v, --verbose        more log (repeat for debug)\n"
	      "\n"
	      "exit status: the guest's: 0 power-off, 3 ibm,os-term (panic), 4 reboot,\n"
	      "5 vCPU fault, 6 timeout, 128+N signal N; 1 psvm error, 2 usage error\n",
	      f);
}

static int cmd_run(int argc, char **argv)
{
	struct psvm_config cfg;
	sigset_t stop;
	char err[512];
	int status;

	/*
	 * Stop signals stay blocked from here, and across a restart's exec (pending signals
	 * survive it): psvm_run's signalfd sees them all, none kills psvm halfway.
	 */
	psvm_stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	config_init(&cfg);
	switch (cli_run_config(argc, argv, &cfg, err, sizeof(err))) {
	case CLI_OK:
		break;
	case CLI_HELP:
		usage(stdout);
		config_free(&cfg);
		return 0;
	case CLI_BAD_OPTION: /* getopt said which */
		usage(stderr);
		config_free(&cfg);
		return PSVM_EXIT_USAGE;
	default:
		fprintf(stderr, "psvm: %s\n", err);
		config_free(&cfg);
		return PSVM_EXIT_USAGE;
	}
	status = psvm_run(&cfg);
	if (status == PSVM_EXIT_REBOOT && cfg.on_reboot == REBOOT_RESTART) {
		/* Everything is torn down: a fresh exec is the simplest complete reset. */
		config_free(&cfg);
		fprintf(stderr, "psvm: guest rebooted, restarting\n");
		execv("/proc/self/exe", argv - 1);
		perror("psvm: restart");
		return PSVM_EXIT_ERROR;
	}
	config_free(&cfg);
	return status; /* still blocked: a late signal must not replace the guest's status */
}

int main(int argc, char **argv)
{
	setvbuf(stderr, NULL, _IOLBF, 0);
	crash_handlers_install();
	log_time_enabled(); /* the clock of PSVM_LOG_TIME starts here */
	if (argc < 2) {
		usage(stderr);
		return PSVM_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("psvm %s\n", psvm_version);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "bench"))
		return psvm_bench(argc - 1, argv + 1);
	if (!strcmp(argv[1], "info")) {
		printf("psvm %s\n", psvm_version);
		arch_info();
		info_iommufd();
		host_memory_info();
		return 0;
	}
	fprintf(stderr, "psvm: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return PSVM_EXIT_USAGE;
}
