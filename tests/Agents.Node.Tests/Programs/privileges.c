/* Tries to become root, mount, chroot, set the clock, load a new user namespace and reboot: each must fail. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/time.h>
#include <unistd.h>

static void report(const char *what, int result)
{
    if (result == 0) {
        printf("%s succeeded\n", what);
    } else {
        printf("%s failed: %s\n", what, strerror(errno));
    }
}

int main(void)
{
    printf("uid %d euid %d\n", (int)getuid(), (int)geteuid());
    report("setuid(0)", setuid(0));
    report("mount tmpfs", mount("none", "/usr", "tmpfs", 0, NULL));
    report("remount / rw", mount(NULL, "/", NULL, MS_REMOUNT, NULL));
    report("chroot", chroot("/tmp"));
    struct timeval epoch = { 0, 0 };
    report("settimeofday", settimeofday(&epoch, NULL));
    report("reboot", reboot(RB_POWER_OFF));
    return 0;
}
