/* OpenMP sum of squares in C89: the elements are independent, the sum (modulo 1000003, exact in
 * unsigned arithmetic) and the odd count are reductions. Every variable is declared at the top of its block. */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

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
    #pragma omp parallel for schedule(static) reduction(+ : sum, odd)
    for (i = 0; i < n; i++) {
        unsigned long x = (state + (unsigned long)i * 2654435761UL) % 1000003UL;
        sum += x * x % 1000003UL;
        odd += (long)(x & 1);
    }
    printf("n %ld sum %lu odd %ld\n", n, sum % 1000003UL, odd);
    return 0;
}
