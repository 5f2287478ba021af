/* Allocates and touches memory until something stops it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    for (size_t total = 0;; total += 1 << 20) {
        char *block = malloc(1 << 20);
        if (block == NULL) {
            printf("malloc failed after %zu MiB\n", total >> 20);
            return 3;
        }
        memset(block, 1, 1 << 20);
    }
}
