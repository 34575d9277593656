/*
 * The kernel's own CPU cost of sending one media-sized UDP datagram on this machine: the floor under the SFU's
 * CPU per forwarded packet, which no change inside the JVM can go below while each packet out is one datagram.
 *
 * It sends 1,150-octet datagrams round-robin to 40 receivers (as the SFU fans one publisher out to 40
 * subscribers), paced at RATE datagrams a second, and prints the sender's user and system CPU per datagram
 * (getrusage). With the receivers on this host (the default: 127.0.0.1, drained by a child process on CPU 1) the
 * kernel delivers each datagram to its socket in the sender's system time, as it does for the bench rig's clients;
 * with DEST_IP an address beyond a local interface nothing local receives them (a NIC-like path).
 *
 *   cc -O2 -o udp_send_floor udp_send_floor.c
 *   taskset -c 0 ./udp_send_floor sendto|sendmmsg|connected COUNT RATE [DEST_IP]
 *
 * Modes: one sendto per datagram on one unconnected socket (what the SFU does), one sendmmsg per round of 40, or
 * one send per datagram on 40 connected sockets (the route cached per socket).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RECEIVERS 40
#define DATAGRAM 1150

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}

static double micros(struct timeval t) {
    return t.tv_sec * 1e6 + t.tv_usec;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s sendto|sendmmsg|connected COUNT RATE [DEST_IP]\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    long count = atol(argv[2]);
    int rate = atoi(argv[3]);
    int local = argc <= 4;
    struct sockaddr_in targets[RECEIVERS];
    int poll = epoll_create1(0);
    for (int i = 0; i < RECEIVERS; i++) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(20000 + i)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (!local && inet_pton(AF_INET, argv[4], &a.sin_addr) != 1) {
            fprintf(stderr, "bad DEST_IP %s\n", argv[4]);
            return 2;
        }
        targets[i] = a;
        if (local) {
            int rx = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            if (bind(rx, (struct sockaddr *) &a, sizeof a) != 0) {
                perror("bind");
                return 1;
            }
            struct epoll_event event = {.events = EPOLLIN, .data.fd = rx};
            epoll_ctl(poll, EPOLL_CTL_ADD, rx, &event);
        }
    }
    if (local && fork() == 0) {
        pin(1);
        char buffer[2048];
        struct epoll_event events[RECEIVERS];
        int ready;
        while ((ready = epoll_wait(poll, events, RECEIVERS, 1000)) > 0) {
            for (int k = 0; k < ready; k++) {
                while (recv(events[k].data.fd, buffer, sizeof buffer, 0) > 0) {
                }
            }
        }
        return 0;
    }
    pin(0);
    int tx = socket(AF_INET, SOCK_DGRAM, 0);
    int connected[RECEIVERS];
    for (int i = 0; i < RECEIVERS; i++) {
        connected[i] = socket(AF_INET, SOCK_DGRAM, 0);
        connect(connected[i], (struct sockaddr *) &targets[i], sizeof targets[i]);
    }
    char datagram[DATAGRAM];
    memset(datagram, 7, sizeof datagram);
    struct mmsghdr messages[RECEIVERS];
    struct iovec parts[RECEIVERS];
    memset(messages, 0, sizeof messages);
    for (int i = 0; i < RECEIVERS; i++) {
        parts[i].iov_base = datagram;
        parts[i].iov_len = sizeof datagram;
        messages[i].msg_hdr.msg_name = &targets[i];
        messages[i].msg_hdr.msg_namelen = sizeof targets[i];
        messages[i].msg_hdr.msg_iov = &parts[i];
        messages[i].msg_hdr.msg_iovlen = 1;
    }
    struct rusage before, after;
    struct timespec start, now;
    getrusage(RUSAGE_SELF, &before);
    clock_gettime(CLOCK_MONOTONIC, &start);
    long sent = 0;
    for (long round = 0; round < count / RECEIVERS; round++) {
        if (strcmp(mode, "sendmmsg") == 0) {
            int n = sendmmsg(tx, messages, RECEIVERS, 0);
            sent += n > 0 ? n : 0;
        } else {
            for (int i = 0; i < RECEIVERS; i++) {
                ssize_t n = strcmp(mode, "connected") == 0
                    ? send(connected[i], datagram, sizeof datagram, 0)
                    : sendto(tx, datagram, sizeof datagram, 0, (struct sockaddr *) &targets[i], sizeof targets[i]);
                sent += n > 0;
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        double due = (double) (round + 1) * RECEIVERS / rate;
        double elapsed = (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
        if (due > elapsed) {
            struct timespec pause = {0, (long) ((due - elapsed) * 1e9)};
            nanosleep(&pause, NULL);
        }
    }
    getrusage(RUSAGE_SELF, &after);
    if (sent == 0) {
        fprintf(stderr, "nothing sent\n");
        return 1;
    }
    printf("%s: %ld datagrams, user %.2f us, system %.2f us per datagram\n", mode, sent,
        (micros(after.ru_utime) - micros(before.ru_utime)) / sent,
        (micros(after.ru_stime) - micros(before.ru_stime)) / sent);
    return 0;
}
