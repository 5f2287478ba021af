/* Recurses without end: the stack runs out. */
#include <stdio.h>

static int deeper(volatile char *previous, int depth)
{
    volatile char frame[4096];
    frame[0] = previous != NULL ? previous[0] : 1;
    return deeper(frame, depth + 1) + frame[0];
}

int main(void)
{
    printf("recursing\n");
    fflush(stdout);
    return deeper(NULL, 0);
}
