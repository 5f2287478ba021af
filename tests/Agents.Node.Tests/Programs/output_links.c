/* Makes its output files links to a file outside its work directory, hoping the agent reads that file back for it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        return 2;
    }
    printf("symlink %s\n", symlink(argv[1], "symlinked.txt") == 0 ? "made" : strerror(errno));
    printf("hardlink %s\n", link(argv[1], "hardlinked.txt") == 0 ? "made" : strerror(errno));
    printf("relative symlink %s\n", symlink("../../../../../../../../..", "up") == 0 ? "made" : strerror(errno));
    return 0;
}
