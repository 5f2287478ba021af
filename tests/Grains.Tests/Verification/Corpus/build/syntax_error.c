/* corpus: a missing semicolon.
 * build: gcc {src} -o {exe}
 * build: clang {src} -o {exe}
 */
#include <stdio.h>

int main(void)
{
    double total = 0.0
    printf("%f\n", total);
    return 0;
}
