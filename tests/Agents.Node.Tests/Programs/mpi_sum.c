/* Each rank contributes rank + 1; rank 0 prints the sum, every rank prints the CPUs it may run on. */
#include <mpi.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size, mine, sum = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    mine = rank + 1;
    MPI_Allreduce(&mine, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    FILE *status = fopen("/proc/self/status", "r");
    char line[512];
    while (fgets(line, sizeof line, status) != NULL) {
        if (strncmp(line, "Cpus_allowed_list:", 18) == 0) {
            printf("rank %d cpus %s", rank, line + 18 + strspn(line + 18, " \t"));
        }
    }
    fclose(status);
    if (rank == 0) {
        printf("size %d sum %d\n", size, sum);
    }
    MPI_Finalize();
    return 0;
}
