/* corpus: a loop counter declared in the for statement, built in C89 mode.
 * build: gcc -std=c89 -pedantic-errors {src} -o {exe}
 * build: clang -std=c89 -pedantic-errors {src} -o {exe}
 */
#include <stdio.h>

int main(void)
{
    double sum = 0.0;
    for (int i = 0; i < 1000; i++) {
        sum += 1.0 / (i + 1);
    }
    printf("%f\n", sum);
    return 0;
}
