/* corpus: a loop whose step skips its exit condition.
 * timeout: 2
 * build: gcc -g {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>

int main(void)
{
    volatile long i = 0;
    long steps = 0;
    while (i != 1001) {
        i += 2;
        steps++;
    }
    printf("%ld\n", steps);
    return 0;
}
