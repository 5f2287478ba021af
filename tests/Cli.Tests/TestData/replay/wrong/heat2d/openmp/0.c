/* Planted fault: the iteration never ends (the study saw CUDA codes loop forever unnoticed). */
#include <stdio.h>
int main(void)
{
    volatile unsigned long spins = 0;
    for (;;) spins++;
    printf("never\n");
    return 0;
}
