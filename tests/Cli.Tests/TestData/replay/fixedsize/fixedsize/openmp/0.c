#include <stdio.h>

#ifndef N
#define N 100
#endif
#define STEPS 10

int main(void)
{
    double sum = 0.0;
    int step, i;
    for (step = 0; step < STEPS; step++) {
        #pragma omp parallel for reduction(+:sum)
        for (i = 0; i < N; i++) {
            sum += i * 0.5;
        }
    }
    printf("N %d steps %d sum %.1f\n", N, STEPS, sum);
    return 0;
}
