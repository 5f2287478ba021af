/* Sum of squares (modulo 1000003) and count of odd values of N seeded pseudo-random integers.
 * Written in C89: every variable is declared at the top of its block. Usage: squares89 N SEED. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long n, i, odd = 0;
    unsigned long state, sum = 0;
    if (argc != 3) {
        fprintf(stderr, "usage: %s N SEED\n", argv[0]);
        return 1;
    }
    n = atol(argv[1]);
    state = strtoul(argv[2], NULL, 10);
    for (i = 0; i < n; i++) {
        unsigned long x = (state + (unsigned long)i * 2654435761UL) % 1000003UL;
        sum = (sum + x * x % 1000003UL) % 1000003UL;
        odd += (long)(x & 1);
    }
    printf("n %ld sum %lu odd %ld\n", n, sum, odd);
    return 0;
}
