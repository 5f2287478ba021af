/* corpus: a program that refuses its arguments and exits with an error code.
 * build: gcc -g {src} -o {exe}
 * run: {exe}
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s N ITERATIONS\n", argv[0]);
        return 2;
    }
    return 0;
}
