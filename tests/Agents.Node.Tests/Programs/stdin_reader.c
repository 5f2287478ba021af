/* Waits for input on standard input: in the sandbox there is none, and it must not wait forever. */
#include <stdio.h>

int main(void)
{
    char line[100];
    if (fgets(line, sizeof line, stdin) == NULL) {
        printf("stdin closed\n");
    } else {
        printf("stdin gave: %s", line);
    }
    return 0;
}
