#include <stdio.h>
int main(int argc, char **argv)
{
    /* Planted fault: an undeclared identifier. */
    printf("%d\n", matrix_size);
    return 0;
}
