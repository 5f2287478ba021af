/* A single-process program reporting the Slurm job it runs in, the CPUs Slurm gave its task and its OpenMP threads. */
#include <stdio.h>
#include <stdlib.h>

static const char *env(const char *name)
{
    const char *value = getenv(name);
    return value != NULL ? value : "(unset)";
}

int main(void)
{
    printf("job %s cpus-per-task %s threads %s\n", env("SLURM_JOB_ID"), env("SLURM_CPUS_PER_TASK"), env("OMP_NUM_THREADS"));
    return 0;
}
