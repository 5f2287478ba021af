/* Prints without end. */
#include <stdio.h>

int main(void)
{
    for (unsigned long line = 0;; line++) {
        printf("line %lu of a program that never stops talking\n", line);
    }
}
