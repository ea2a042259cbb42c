package io.dvdrental.pipelines.services;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code up|down|status|env [service...]} for one stack ({@code DVD_STACK}, default "demo"), and
 * {@code server-command <exec jar> [JVM option...]}: the java command that starts the server ({@link ServerLaunch};
 * the options after the server's own), one argument per line. Exit code 0 on success, 1 on a failure, 2 on a usage
 * error; failures print one clear line.
 */
public final class LocalStackCli {

    private LocalStackCli() {
    }

    public static void main(String[] args) {
        if (args.length >= 2 && args[0].equals("server-command")) {
            serverCommand(Path.of(args[1]), Arrays.copyOfRange(args, 2, args.length));
        }
        if (args.length == 0 || !List.of("up", "down", "status", "env").contains(args[0])) {
            System.err.println("usage: services up|down|status|env [postgres|kafka|s3|clickhouse ...]");
            System.exit(2);
        }
        List<String> names = Arrays.asList(args).subList(1, args.length);
        try {
            LocalStack stack = LocalStack.of(StackConfig.fromSettings("demo"));
            switch (args[0]) {
                case "up" -> print(stack, stack.up(names));
                case "down" -> print(stack, stack.down(names));
                case "status" -> print(stack, stack.status());
                default -> System.out.println(stack.environmentFile());
            }
            System.exit(0);
        } catch (Exception e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void serverCommand(Path jar, String[] jvmOptions) {
        try {
            ServerLaunch.of(jar, StackConfig.projectRoot()).command(true, jvmOptions).forEach(System.out::println);
            System.exit(0);
        } catch (Exception e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void print(LocalStack stack, List<LocalStack.Entry> entries) {
        System.out.println("stack '" + stack.config().name() + "' in " + stack.config().home());
        for (LocalStack.Entry entry : entries) {
            System.out.printf("  %-11s %-11s %s%n", entry.service(), entry.state(), entry.address());
        }
    }
}
