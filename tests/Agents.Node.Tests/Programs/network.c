/* Tries to reach the agent's own port on loopback and a public address; prints what happened to each. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void attempt(const char *address, int port)
{
    struct sockaddr_in target = {0};
    target.sin_family = AF_INET;
    target.sin_port = htons(port);
    inet_pton(AF_INET, address, &target.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        printf("socket: %s\n", strerror(errno));
        return;
    }
    if (connect(fd, (struct sockaddr *)&target, sizeof target) == 0) {
        printf("connected to %s:%d\n", address, port);
    } else {
        printf("connect %s:%d failed: %s\n", address, port, strerror(errno));
    }
    close(fd);
}

int main(int argc, char **argv)
{
    attempt("127.0.0.1", atoi(argv[1]));
    attempt("1.1.1.1", 53);
    return 0;
}
