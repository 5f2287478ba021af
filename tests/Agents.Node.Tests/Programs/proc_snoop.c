/* Lists every process it can see in /proc with its command line: the agent, other jobs, the host. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>

int main(void)
{
    DIR *proc = opendir("/proc");
    if (proc == NULL) {
        printf("no /proc\n");
        return 0;
    }
    struct dirent *entry;
    int seen = 0;
    while ((entry = readdir(proc)) != NULL) {
        if (!isdigit((unsigned char)entry->d_name[0])) {
            continue;
        }
        char path[300];
        snprintf(path, sizeof path, "/proc/%s/cmdline", entry->d_name);
        FILE *file = fopen(path, "r");
        char command[200] = "";
        if (file != NULL) {
            size_t n = fread(command, 1, sizeof command - 1, file);
            for (size_t i = 0; i < n; i++) {
                if (command[i] == '\0') {
                    command[i] = ' ';
                }
            }
            command[n] = '\0';
            fclose(file);
        }
        printf("pid %s: %s\n", entry->d_name, command);
        seen++;
    }
    closedir(proc);
    printf("processes seen: %d\n", seen);
    return 0;
}
