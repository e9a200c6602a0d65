// SPDX-License-Identifier: GPL-2.0-only
/* Core RTAS services: console, time, power, CPUs, OS termination, events, parameters. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arch.h"
#include "console.h"
#include "log.h"
#include "vm.h"

static void rtas_display_character(struct vcpu *cpu, struct rtas_call *c)
{
	char ch;

	ch = (char)c->args[0];
	console_write(cpu->vm->console, &ch, 1);
	rtas_status(c, RTAS_OK);
}

static void rtas_get_time_of_day(struct vcpu *cpu, struct rtas_call *c)
{
	struct timespec ts;
	struct tm tm;
	time_t t;

	clock_gettime(CLOCK_REALTIME, &ts);
	t = ts.tv_sec + cpu->vm->rtc_offset_s;
	gmtime_r(&t, &tm);
	c->rets[0] = RTAS_OK;
	c->rets[1] = (uint32_t)tm.tm_year + 1900;
	c->rets[2] = (uint32_t)tm.tm_mon + 1;
	c->rets[3] = (uint32_t)tm.tm_mday;
	c->rets[4] = (uint32_t)tm.tm_hour;
	c->rets[5] = (uint32_t)tm.tm_min;
	c->rets[6] = (uint32_t)tm.tm_sec;
	c->rets[7] = (uint32_t)ts.tv_nsec;
}

static void rtas_set_time_of_day(struct vcpu *cpu, struct rtas_call *c)
{
	struct tm tm = { 0 };
	time_t t;

	if (c->args[0] < 1900 || c->args[0] > 9999 || c->args[1] < 1 || c->args[1] > 12 ||
	    c->args[2] < 1 || c->args[2] > 31 || c->args[3] > 23 || c->args[4] > 59 ||
	    c->args[5] > 59 || c->args[6] > 999999999) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	tm.tm_year = (int)c->args[0] - 1900;
	tm.tm_mon = (int)c->args[1] - 1;
	tm.tm_mday = (int)c->args[2];
	tm.tm_hour = (int)c->args[3];
	tm.tm_min = (int)c->args[4];
	tm.tm_sec = (int)c->args[5];
	t = timegm(&tm);
	cpu->vm->rtc_offset_s = (int64_t)t - (int64_t)time(NULL);
	rtas_status(c, RTAS_OK);
}

static void rtas_power_off(struct vcpu *cpu, struct rtas_call *c)
{
	pr_info("guest: power-off (vCPU %u)", cpu->id);
	rtas_status(c, RTAS_OK);
	vm_request_stop(cpu->vm, PSVM_EXIT_POWEROFF);
}

static void rtas_system_reboot(struct vcpu *cpu, struct rtas_call *c)
{
	rtas_status(c, RTAS_OK);
	vm_request_stop(cpu->vm, PSVM_EXIT_REBOOT);
}

static void rtas_query_cpu_stopped_state(struct vcpu *cpu, struct rtas_call *c)
{
	struct vm *vm = cpu->vm;
	struct vcpu *t;

	t = vm_vcpu(vm, c->args[0]);
	if (!t) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	pthread_mutex_lock(&vm->lock);
	c->rets[1] = t->state == VCPU_STOPPED ? 0 : 2; /* 0 stopped, 2 not stopped */
	pthread_mutex_unlock(&vm->lock);
	c->rets[0] = RTAS_OK;
}

static void rtas_start_cpu(struct vcpu *cpu, struct rtas_call *c)
{
	struct vm *vm = cpu->vm;
	struct vcpu *t;
	int32_t status = RTAS_OK;

	t = vm_vcpu(vm, c->args[0]);
	if (!t || !gpa_to_hva(&vm->mem, c->args[1], 4)) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	pthread_mutex_lock(&vm->lock);
	if (t->state != VCPU_STOPPED) {
		status = RTAS_HW_ERROR;
	} else {
		t->start_pc = c->args[1];
		t->start_r3 = c->args[2];
		t->state = VCPU_STARTING;
		pthread_cond_broadcast(&vm->cond);
	}
	pthread_mutex_unlock(&vm->lock);
	rtas_status(c, status);
}

static void rtas_stop_self(struct vcpu *cpu, struct rtas_call *c)
{
	struct vm *vm = cpu->vm;

	/* The run loop parks the vCPU before it re-enters the guest. */
	pthread_mutex_lock(&vm->lock);
	cpu->state = VCPU_STOPPED;
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
	rtas_status(c, RTAS_OK);
}

static void rtas_os_term(struct vcpu *cpu, struct rtas_call *c)
{
	struct vm *vm = cpu->vm;
	char text[1025];
	const char *msg;
	uint64_t gpa;
	size_t n = 0;

	/*
	 * The message is a NUL-terminated string in guest memory: at most 1 KiB of it, and
	 * only printable ASCII reaches psvm's log (no escape sequences for the terminal).
	 */
	gpa = c->args[0];
	msg = gpa_to_hva(&vm->mem, gpa, 1);
	if (msg)
		for (; n < 1024 && gpa + n < vm->mem.size && msg[n]; n++)
			text[n] = msg[n] >= 0x20 && msg[n] < 0x7f ? msg[n] : '?';
	text[n] = 0;
	pr_warn("guest called ibm,os-term: %s", text);
	rtas_status(c, RTAS_OK);
	vm_request_stop(vm, PSVM_EXIT_OS_TERM);
}

/* No error logs to report: status 1 = "no errors found". */
static void rtas_event_scan(struct vcpu *cpu __unused, struct rtas_call *c)
{
	rtas_status(c, 1);
}

static void rtas_check_exception(struct vcpu *cpu __unused, struct rtas_call *c)
{
	if (c->nargs != 6 && c->nargs != 7) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	rtas_status(c, 1);
}

/* PAPR's system parameters that QEMU's pseries answers (Linux's lparcfg reads 20) */
#define SYSPARM_SPLPAR_CHARACTERISTICS 20
#define SYSPARM_DIAGNOSTICS_RUN_MODE 42
#define SYSPARM_UUID 48
#define RTAS_SYSPARM_PARAM_ERROR -9999
#define RTAS_NOT_AUTHORIZED -9002

/* A parameter goes out as a be16 length, then as much of the value as fits. */
static int32_t sysparm_put(struct vm *vm, uint32_t buf, uint32_t len, const void *val,
			   uint16_t vlen)
{
	uint8_t *p;
	uint32_t n;

	if (len < 2)
		return RTAS_SYSPARM_PARAM_ERROR;
	n = MIN(len - 2, vlen);
	p = gpa_to_hva(&vm->mem, buf, 2 + (uint64_t)n);
	if (!p)
		return RTAS_PARAM_ERROR;
	p[0] = (uint8_t)(vlen >> 8);
	p[1] = (uint8_t)vlen;
	if (n)
		memcpy(p + 2, val, n);
	return RTAS_OK;
}

static void rtas_get_system_parameter(struct vcpu *cpu, struct rtas_call *c)
{
	struct vm *vm = cpu->vm;
	char text[128];
	uint8_t off = 0; /* diagnostics run mode: disabled */
	int n;

	switch (c->args[0]) {
	case SYSPARM_SPLPAR_CHARACTERISTICS:
		n = snprintf(text, sizeof(text), "MaxEntCap=%u,DesMem=%llu,DesProcs=%u,MaxPlatProcs=%u",
			     vm->nr_vcpus, (unsigned long long)(vm->mem.size >> 20), vm->nr_vcpus,
			     vm->nr_vcpus);
		rtas_status(c, sysparm_put(vm, c->args[1], c->args[2], text, (uint16_t)(n + 1)));
		break;
	case SYSPARM_DIAGNOSTICS_RUN_MODE:
		rtas_status(c, sysparm_put(vm, c->args[1], c->args[2], &off, 1));
		break;
	case SYSPARM_UUID: /* psvm gives guests no UUID: an empty one, as QEMU without -uuid */
		rtas_status(c, sysparm_put(vm, c->args[1], c->args[2], NULL, 0));
		break;
	default:
		rtas_status(c, RTAS_NOT_SUPPORTED);
	}
}

static void rtas_set_system_parameter(struct vcpu *cpu __unused, struct rtas_call *c)
{
	switch (c->args[0]) {
	case SYSPARM_SPLPAR_CHARACTERISTICS:
	case SYSPARM_DIAGNOSTICS_RUN_MODE:
	case SYSPARM_UUID:
		rtas_status(c, RTAS_NOT_AUTHORIZED);
		break;
	default:
		rtas_status(c, RTAS_NOT_SUPPORTED);
	}
}

static const struct rtas_def core_calls[] = {
	{ "display-character", rtas_display_character, 1, 1 },
	{ "get-time-of-day", rtas_get_time_of_day, 0, 8 },
	{ "set-time-of-day", rtas_set_time_of_day, 7, 1 },
	{ "power-off", rtas_power_off, 2, 1 },
	{ "system-reboot", rtas_system_reboot, 0, 1 },
	{ "query-cpu-stopped-state", rtas_query_cpu_stopped_state, 1, 2 },
	{ "start-cpu", rtas_start_cpu, 3, 1 },
	{ "stop-self", rtas_stop_self, 0, 1 },
	{ "ibm,os-term", rtas_os_term, 1, 1 },
	{ "event-scan", rtas_event_scan, 4, RTAS_ANY },
	{ "check-exception", rtas_check_exception, RTAS_ANY, RTAS_ANY }, /* 6 or 7 args */
	{ "ibm,get-system-parameter", rtas_get_system_parameter, 3, 1 },
	{ "ibm,set-system-parameter", rtas_set_system_parameter, 2, 1 },
};

static const struct hcall_entry rtas_hcalls[] = {
	HCALL(KVMPPC_H_RTAS, rtas_hcall),
};

int rtas_register_core(struct vm *vm)
{
	return rtas_register_table(&vm->rtas, core_calls, ARRAY_SIZE(core_calls)) ||
	       hcall_register_table(&vm->hcalls, rtas_hcalls, ARRAY_SIZE(rtas_hcalls));
}
