package io.dvdrental.pipelines.services;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Brings the real local services of one stack up, reuses the ones already running, and brings them down.
 * Each service runs detached in its own process, with its pid and log under {@code .local/<stack>/}.
 */
public final class LocalStack {

    public enum State { STARTED, REUSED, STOPPED, NOT_RUNNING, RUNNING, UNHEALTHY }

    public record Entry(String service, State state, String address) {
    }

    private final StackConfig config;
    private final LocalCredentials credentials;
    private final Map<String, LocalService> services = new LinkedHashMap<>();

    private LocalStack(StackConfig config) throws IOException {
        this.config = config;
        this.credentials = LocalCredentials.loadOrCreate(config.home());
        for (LocalService service : List.of(new PostgresService(config), new KafkaService(config),
                new S3Service(config, credentials), new ClickHouseService(config))) {
            services.put(service.name(), service);
        }
    }

    public static LocalStack of(StackConfig config) throws IOException {
        return new LocalStack(config);
    }

    public StackConfig config() {
        return config;
    }

    public LocalCredentials credentials() {
        return credentials;
    }

    public Collection<String> serviceNames() {
        return services.keySet();
    }

    /** Connection settings for the application, by Spring property name. */
    public Map<String, String> applicationProperties() {
        return config.applicationProperties(credentials);
    }

    /**
     * Starts every named service that is not running (all when {@code names} is empty) and waits until each answers.
     * A service of this stack that is already running is reused, so a second {@code up} is harmless.
     */
    public List<Entry> up(Collection<String> names) throws IOException, InterruptedException {
        List<LocalService> selected = select(names);
        Files.createDirectories(config.logs());
        Files.createDirectories(config.run());
        Map<LocalService, State> outcome = new LinkedHashMap<>();
        Map<LocalService, Process> launched = new LinkedHashMap<>();
        for (LocalService service : selected) {
            if (runningPid(service).isPresent()) {
                outcome.put(service, State.REUSED);
                continue;
            }
            for (LocalService.Port port : service.ports()) {
                if (!ProcessSupport.free(port.number())) {
                    throw new PortTakenException(service.name(), port);
                }
            }
            launched.put(service, launch(service));
            outcome.put(service, State.STARTED);
        }
        for (LocalService service : selected) {
            awaitReady(service, launched.get(service));
            service.afterReady();
        }
        writeEnvironmentFile();
        return outcome.entrySet().stream().map(e -> new Entry(e.getKey().name(), e.getValue(), e.getKey().address()))
                .collect(Collectors.toList());
    }

    /** Stops the named services (all when empty), each gracefully first; returns what was stopped. */
    public List<Entry> down(Collection<String> names) throws IOException, InterruptedException {
        List<Entry> entries = new ArrayList<>();
        List<LocalService> selected = new ArrayList<>(select(names));
        java.util.Collections.reverse(selected);
        for (LocalService service : selected) {
            Optional<ProcessHandle> process = runningPid(service).flatMap(ProcessSupport::alive);
            if (process.isEmpty()) {
                entries.add(new Entry(service.name(), State.NOT_RUNNING, service.address()));
                continue;
            }
            stop(process.get());
            Files.deleteIfExists(pidFile(service));
            entries.add(new Entry(service.name(), State.STOPPED, service.address()));
        }
        return entries;
    }

    public List<Entry> status() {
        return services.values().stream().map(s -> new Entry(s.name(),
                runningPid(s).isEmpty() ? State.NOT_RUNNING : s.isReady() ? State.RUNNING : State.UNHEALTHY,
                s.address())).collect(Collectors.toList());
    }

    /** {@code .local/<stack>/services.env}: the application settings as environment variables, for the server. */
    public Path environmentFile() {
        return config.home().resolve("services.env");
    }

    private void writeEnvironmentFile() throws IOException {
        StringBuilder sb = new StringBuilder("# Written by the service launcher for stack '" + config.name() + "'.\n");
        applicationProperties().forEach((k, v) ->
                sb.append(StackConfig.environmentName(k)).append('=').append(v).append('\n'));
        Files.writeString(environmentFile(), sb.toString(), StandardCharsets.UTF_8);
    }

    private List<LocalService> select(Collection<String> names) {
        if (names == null || names.isEmpty()) {
            return List.copyOf(services.values());
        }
        List<LocalService> selected = new ArrayList<>();
        for (String name : names) {
            LocalService service = services.get(name);
            if (service == null) {
                throw new IllegalArgumentException("Unknown service '" + name + "'; known: " + services.keySet());
            }
            selected.add(service);
        }
        return selected;
    }

    private Path pidFile(LocalService service) {
        return config.run().resolve(service.name() + ".pid");
    }

    /** The pid of this stack's running process for the service, if its pid file names a live process. */
    private Optional<Long> runningPid(LocalService service) {
        Path file = pidFile(service);
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(file).trim());
            return ProcessSupport.alive(pid).isPresent() ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Process launch(LocalService service) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            // Its own session: the service outlives the launcher and a Ctrl-C in the launching terminal.
            command.add("/usr/bin/setsid");
        }
        command.addAll(service.prepare());
        Path log = config.logs().resolve(service.name() + ".log");
        Files.writeString(log, "=== " + Instant.now() + " starting " + service.name() + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command)
                .directory(config.data(service.name()).toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Files.writeString(pidFile(service), Long.toString(process.pid()));
        return process;
    }

    private void awaitReady(LocalService service, Process launched) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(service.startTimeout());
        while (!service.isReady()) {
            if (launched != null && !launched.isAlive()) {
                Files.deleteIfExists(pidFile(service));
                throw new IOException(service.name() + " exited with code " + launched.exitValue()
                        + " while starting; last lines of " + logTail(service));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException(service.name() + " did not answer within " + service.startTimeout().toSeconds()
                        + " s; last lines of " + logTail(service));
            }
            Thread.sleep(250);
        }
    }

    private String logTail(LocalService service) throws IOException {
        Path log = config.logs().resolve(service.name() + ".log");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** SIGTERM first, so each service shuts down its own way (PostgreSQL fast, Kafka controlled); then force. */
    private static void stop(ProcessHandle process) {
        List<ProcessHandle> children = process.descendants().collect(Collectors.toList());
        process.destroy();
        try {
            process.onExit().get(Duration.ofSeconds(40).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
