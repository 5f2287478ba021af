/* corpus: every rank receives from its neighbour before sending: nobody ever sends.
 * technology: mpi
 * timeout: 2
 * build: mpicc -g {src} -o {exe}
 * run: mpirun --allow-run-as-root --oversubscribe -np 2 {exe}
 * build: mpicc.mpich -g {src} -o {exe}
 * run: mpirun.mpich -np 2 {exe}
 */
#include <mpi.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    double left[1024], right[1024] = {0};
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int peer = (rank + 1) % size;
    MPI_Recv(left, 1024, MPI_DOUBLE, peer, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Send(right, 1024, MPI_DOUBLE, peer, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}
