/* corpus: a sum of squares that overflows int at run time.
 * build: clang -fsanitize=undefined -fno-sanitize-recover=all -g {src} -o {exe}
 * run: {exe}
 * build: gcc -fsanitize=undefined -fno-sanitize-recover=all -g {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    int n = 50000 + argc;
    int sum_of_squares = 0;
    for (int i = 0; i < n; i++) {
        sum_of_squares += i * i;
    }
    printf("%d\n", sum_of_squares);
    return 0;
}
