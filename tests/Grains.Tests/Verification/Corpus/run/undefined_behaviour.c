/* corpus: a shift wider than the type, under UBSan.
 * build: clang -fsanitize=undefined -fno-sanitize-recover=all -g {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    int bits = 30 + 10 * argc;
    unsigned long mask = 1 << bits;
    printf("%lu\n", mask);
    return 0;
}
