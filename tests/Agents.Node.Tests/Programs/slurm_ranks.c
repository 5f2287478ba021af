/* Each MPI rank reports the Slurm job and task it runs as and its working directory; rank 0 prints the sum of rank + 1 over all ranks. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *env(const char *name)
{
    const char *value = getenv(name);
    return value != NULL ? value : "(unset)";
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size, mine, sum = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    mine = rank + 1;
    MPI_Allreduce(&mine, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    char cwd[256];
    printf("rank %d job %s task %s cwd %s\n", rank, env("SLURM_JOB_ID"), env("SLURM_PROCID"), getcwd(cwd, sizeof cwd) != NULL ? cwd : "(unknown)");
    if (rank == 0) {
        printf("size %d sum %d\n", size, sum);
    }
    MPI_Finalize();
    return 0;
}
