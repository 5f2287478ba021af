/* corpus: an illegal instruction (SIGILL): no category of its own, so 'other', with the signal kept.
 * build: gcc -g {src} -o {exe}
 * run: {exe}
 */
int main(int argc, char **argv)
{
    if (argc < 100) {
        __builtin_trap();
    }
    return 0;
}
