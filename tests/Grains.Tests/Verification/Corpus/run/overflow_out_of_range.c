/* corpus: an input value that does not fit a long, caught by strtol.
 * build: gcc -g {src} -o {exe}
 * run: {exe}
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    const char *text = "123456789012345678901234567890";
    errno = 0;
    long n = strtol(text, NULL, 10);
    if (errno == ERANGE) {
        perror("strtol");
        return 1;
    }
    printf("%ld\n", n);
    return 0;
}
