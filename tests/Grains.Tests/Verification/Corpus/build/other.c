/* corpus: an #error directive: no rule names it, and its raw text is kept.
 * build: gcc {src} -o {exe}
 * build: clang {src} -o {exe}
 */
#include <stdio.h>

#if !defined(_OPENMP)
#error "this kernel must be compiled with OpenMP enabled"
#endif

int main(void)
{
    printf("hello\n");
    return 0;
}
