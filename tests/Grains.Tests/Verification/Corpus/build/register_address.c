/* corpus: the address of a register variable passed to a function.
 * build: gcc {src} -o {exe}
 * build: clang {src} -o {exe}
 */
#include <stdio.h>

static void accumulate(long *total, int value)
{
    *total += value;
}

int main(void)
{
    register long total = 0;
    for (int i = 0; i < 100; i++) {
        accumulate(&total, i);
    }
    printf("%ld\n", total);
    return 0;
}
