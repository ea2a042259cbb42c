/*
 * Hosts the ClickHouse engine shipped as libchdb.so (npm @chdb/lib-linux-x64-gnu) in its own process.
 * clickhouse-local opens real HTTP and native listeners on "SYSTEM START LISTEN"; the launcher passes a
 * query that blocks forever, so this process serves until it is signalled.
 * Usage: chhost PATH/TO/libchdb.so [clickhouse-local arguments...]
 */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: chhost LIBCHDB [clickhouse-local args...]\n");
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW);
    if (!lib) {
        fprintf(stderr, "cannot load %s: %s\n", argv[1], dlerror());
        return 1;
    }
    void *(*query_cmdline)(int, char **) = (void *(*)(int, char **)) dlsym(lib, "chdb_query_cmdline");
    if (!query_cmdline) {
        fprintf(stderr, "chdb_query_cmdline not found: %s\n", dlerror());
        return 1;
    }
    /* argv[0] of the engine is skipped by it; reuse our slot for it. */
    argv[1] = "clickhouse";
    query_cmdline(argc - 1, argv + 1);
    fprintf(stderr, "clickhouse-local returned: the blocking query ended\n");
    return 1;
}
