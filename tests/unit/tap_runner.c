// SPDX-License-Identifier: GPL-2.0-only
#include <sys/wait.h>
#include <unistd.h>

#include "tap_runner.h"

static struct tap_test *head, **tail = &head;
static unsigned int count;

void tap_register(struct tap_test *t)
{
	*tail = t;
	tail = &t->next;
	count++;
}

int main(void)
{
	unsigned int i = 0, passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("1..%u\n", count);
	for (struct tap_test *t = head; t; t = t->next) {
		int status = -1;
		pid_t pid = fork();

		if (pid == 0) {
			if (t->init)
				t->init();
			t->fn();
			if (t->fini)
				t->fini();
			_exit(0);
		}
		if (pid > 0)
			waitpid(pid, &status, 0);
		i++;
		if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			printf("ok %u - %s::%s\n", i, t->suite, t->name);
			passed++;
		} else {
			printf("not ok %u - %s::%s%s\n", i, t->suite, t->name,
			       pid > 0 && WIFSIGNALED(status) ? " (crashed)" : "");
			failed++;
		}
	}
	printf("# %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
