/* corpus: an integer constant too large for any integer type.
 * build: gcc -pedantic-errors {src} -o {exe}
 * build: clang {src} -o {exe}
 */
#include <stdio.h>

int main(void)
{
    long long candidates = 99999999999999999999;
    printf("%lld\n", candidates);
    return 0;
}
