/* Writes to standard error forever. */
#include <stdio.h>

int main(void)
{
    for (unsigned long i = 0;; i++) {
        fprintf(stderr, "error line %lu of a program that never stops complaining\n", i);
    }
}
