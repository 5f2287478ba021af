/* corpus: a file that includes itself twice at every level: 2^40 inclusions, so the compiler never finishes.
 * timeout: 2
 * build: gcc {src} -o {exe}
 */
#if __INCLUDE_LEVEL__ < 40
#include __FILE__
#include __FILE__
#endif
#if __INCLUDE_LEVEL__ == 0
int main(void)
{
    return 0;
}
#endif
