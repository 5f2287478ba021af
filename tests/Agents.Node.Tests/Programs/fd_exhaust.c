/* Opens files until it may open no more, then says how many it got. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    int opened = 0;
    while (open("/dev/null", O_RDONLY) >= 0) {
        opened++;
        if (opened > 1000000) {
            break;
        }
    }
    printf("opened %d: %s\n", opened, strerror(errno));
    return 0;
}
