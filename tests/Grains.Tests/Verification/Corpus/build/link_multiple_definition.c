/* corpus: a global defined in code that two translation units both compile (here: the same file twice).
 * build: gcc {src} {src} -o {exe}
 * build: clang {src} {src} -o {exe}
 */
#include <stdio.h>

int iterations = 0;

void step(void)
{
    iterations++;
}

int main(void)
{
    step();
    printf("%d\n", iterations);
    return 0;
}
