/* Hangs without using the CPU, as a deadlocked program does. */
#include <unistd.h>

int main(void)
{
    for (;;) {
        pause();
    }
}
