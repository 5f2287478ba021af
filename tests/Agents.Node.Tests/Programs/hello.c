/* A well-behaved program: the agent must still serve it after every hostile one. */
#include <stdio.h>

int main(void)
{
    printf("hello from the sandbox\n");
    return 0;
}
