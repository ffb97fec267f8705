#define _GNU_SOURCE /* pipe2 */
#include "hog.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

bool hog_start(hog *h, const params *p, char *err, size_t errlen) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t copies = cores > 2 ? (size_t)(cores - 1) : 1;
    if (copies > HOG_MAX) {
        copies = HOG_MAX;
    }
    /* argv is built before fork: the child only execs. */
    char *argv[PARAMS_MAX_ARGV];
    for (size_t i = 0; i < p->hog_len; i++) {
        argv[i] = (char *)p->hog_command[i];
    }
    argv[p->hog_len] = NULL;
    h->n = 0;
    fflush(NULL);
    for (size_t i = 0; i < copies; i++) {
        /* A close-on-exec pipe tells whether the exec worked: the child writes errno only if it failed. */
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) {
            snprintf(err, errlen, "pipe2: %s", strerror(errno));
            hog_stop(h);
            return false;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            execvp(argv[0], argv);
            int e = errno;
            ssize_t unused = write(fds[1], &e, sizeof e);
            (void)unused;
            _exit(127);
        }
        close(fds[1]);
        if (pid < 0) {
            snprintf(err, errlen, "fork: %s", strerror(errno));
            close(fds[0]);
            hog_stop(h);
            return false;
        }
        h->pids[h->n++] = pid;
        int child_errno = 0;
        ssize_t got;
        while ((got = read(fds[0], &child_errno, sizeof child_errno)) < 0 && errno == EINTR) {
        }
        close(fds[0]);
        if (got > 0) {
            snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(child_errno));
            hog_stop(h);
            return false;
        }
    }
    return true;
}

void hog_stop(hog *h) {
    for (size_t i = 0; i < h->n; i++) {
        if (h->pids[i] > 0) {
            kill(h->pids[i], SIGKILL);
        }
    }
    for (size_t i = 0; i < h->n; i++) {
        if (h->pids[i] > 0) {
            while (waitpid(h->pids[i], NULL, 0) < 0 && errno == EINTR) {
            }
        }
    }
    h->n = 0;
}
