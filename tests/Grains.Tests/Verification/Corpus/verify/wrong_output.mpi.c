/* corpus: every rank sums its own block, but rank 0 prints only its partial sum: right with one rank,
 * silently wrong with more (the study's MPI "speedups" with wrong results).
 * technology: mpi
 * build: mpicc -O2 {src} -o {exe}
 * reference: mpirun --allow-run-as-root --oversubscribe -np 1 {exe}
 * run: mpirun --allow-run-as-root --oversubscribe -np 2 {exe}
 * repeat: 2
 */
#include <mpi.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const long n = 1000000;
    long first = n * rank / size, last = n * (rank + 1) / size;
    long long sum = 0;
    for (long i = first; i < last; i++) {
        sum += i;
    }
    if (rank == 0) {
        printf("sum %lld\n", sum);
    }
    MPI_Finalize();
    return 0;
}
