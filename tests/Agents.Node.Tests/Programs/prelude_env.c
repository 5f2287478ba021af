/* Prints what the site's prelude set. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    const char *greeting = getenv("KS_SITE_GREETING");
    printf("greeting: %s\n", greeting != NULL ? greeting : "(unset)");
    return 0;
}
