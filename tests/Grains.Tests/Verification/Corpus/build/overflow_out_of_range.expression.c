/* corpus: a grid size whose product overflows int at compile time.
 * build: gcc -Werror=overflow {src} -o {exe}
 * build: clang -Werror=integer-overflow {src} -o {exe}
 */
#include <stdio.h>

#define N 65536

int main(void)
{
    int cells = N * N;
    printf("%d\n", cells);
    return 0;
}
