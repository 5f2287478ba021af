/* corpus: a pointer stored in an int (a warning in gcc 12 and clang 14, an error in newer compilers).
 * build: gcc -pedantic-errors {src} -o {exe}
 * build: clang -Werror=int-conversion {src} -o {exe}
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    int n = 1024;
    int block = malloc(n * sizeof(double));
    printf("%d\n", block != 0);
    return 0;
}
