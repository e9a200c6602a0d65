/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PSVM_BENCH_H
#define PSVM_BENCH_H

/* `psvm bench map-unmap ...`: argv[0] is "bench". Returns the exit status. */
int psvm_bench(int argc, char **argv);

#endif
