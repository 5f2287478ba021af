/* An infinite loop that never sleeps. */
int main(void)
{
    volatile unsigned long counter = 0;
    for (;;) {
        counter++;
    }
}
