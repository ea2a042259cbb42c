package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.services.ServerLaunch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The integration server as its own process, started the way {@code ./dvd server start} does ({@link ServerLaunch}:
 * the exec jar extracted, with its class archive when there is one; profile {@code local}, the stack's settings as
 * environment variables), so that it can be killed with SIGKILL and started again on the same state.
 */
public final class ServerProcess implements AutoCloseable {

    private final ServerLaunch launch;
    private final Map<String, String> environment;
    /** Settings of a scenario on top of the harness's, for the next starts (e.g. change data capture on). */
    private Map<String, String> settings = Map.of();
    private final Path log;
    private final ServerApi api;
    private Process process;
    private int starts;
    private int kills;

    public ServerProcess(ServerLaunch launch, Map<String, String> environment, Path log, ServerApi api) {
        this.launch = launch;
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.api = api;
    }

    /** Another replica: the same jar and environment on another HTTP port, with its own log. */
    public ServerProcess sibling(int port, Path siblingLog) {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("SERVER_PORT", String.valueOf(port));
        return new ServerProcess(launch, env, siblingLog, new ServerApi(java.net.URI.create("http://127.0.0.1:" + port)));
    }

    /** A free port for another replica. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * SIGSTOP: the process keeps its state, its in-flight insert and its consumers, but answers nothing (a JVM in a
     * long GC pause, a frozen node). {@link #resume()} sends SIGCONT.
     */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        if (alive() && new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** The exec jar of the routes module, as built by Maven. */
    public static Path findJar(Path root) throws IOException {
        try (var files = Files.list(root.resolve("routes").resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("routes-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new IOException("No routes/target/routes-*-exec.jar: build first "
                            + "(./mvnw -pl routes -am package -DskipTests)"));
        }
    }

    /**
     * Starts the server and waits until it is ready; returns how long that took. The port is in the range the system
     * also hands out to outgoing connections, so a start that fails on a taken port is tried again (up to 3 times).
     */
    public Duration start(Duration timeout) throws IOException, InterruptedException {
        return start(timeout, false);
    }

    /**
     * Makes the archive of this build's start when there is none: one start up to readiness, stopped with SIGTERM, so
     * that its JVM writes the archive as it exits. The starts after it load their classes from the archive, as a
     * deployment that ships one would; a harness that kills with SIGKILL would never get one written otherwise.
     */
    public void archiveClasses(Duration timeout) throws IOException, InterruptedException {
        if (!launch.archived()) {
            start(timeout, true);
            // The archive is written by this stop: a JDK 25 assembles its AOT cache in a child JVM, tens of seconds.
            stop(timeout);
            // Without it every start takes twice as long, and nothing else would say so.
            if (!launch.archived()) {
                throw new IllegalStateException("The server's start archive was not written (" + launch.archive()
                        + "): see the end of " + log);
            }
        }
    }

    private Duration start(Duration timeout, boolean archiveAtExit) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(timeout, launch.command(archiveAtExit));
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw new IllegalStateException("The server's port stayed taken; see " + log, e);
                }
                Thread.sleep(5_000);
            }
        }
    }

    private static final class PortTaken extends IOException {
        PortTaken() {
            super("port already in use");
        }
    }

    private Duration startOnce(Duration timeout, List<String> java) throws IOException, InterruptedException {
        if (alive()) {
            throw new IllegalStateException("The server is already running (pid " + process.pid() + ")");
        }
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(java);
        command.add("--spring.profiles.active=local");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().putAll(settings);
        long began = System.nanoTime();
        process = builder.start();
        starts++;
        long deadline = began + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                if (logTail().contains("was already in use")) {
                    throw new PortTaken();
                }
                throw new IllegalStateException("The server exited with " + process.exitValue()
                        + " while starting; see " + log);
            }
            if (ServerApi.ready(api.readiness())) {
                return Duration.ofNanos(System.nanoTime() - began);
            }
            Thread.sleep(250);
        }
        // Not left running: a server that is not ready may still join the consumer group and take partitions.
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        throw new IllegalStateException("The server was not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    private String logTail() throws IOException {
        String text = Files.readString(log);
        return text.substring(Math.max(0, text.length() - 4_000));
    }

    /** Environment settings for the next starts, replacing those set before; empty for the harness's own. */
    public void settings(Map<String, String> scenarioSettings) {
        settings = Map.copyOf(scenarioSettings);
    }

    /** SIGKILL: no shutdown hook, no graceful stop of routes, in-flight batches are cut wherever they are. */
    public void kill9() throws InterruptedException {
        if (alive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            kills++;
        }
    }

    /** SIGTERM and wait (Camel's graceful shutdown), then SIGKILL if it hangs. */
    public void stop() throws InterruptedException {
        stop(Duration.ofSeconds(60));
    }

    private void stop(Duration grace) throws InterruptedException {
        if (alive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** CPU time the running server has used so far, all threads, user and system; empty if it is not running. */
    public Optional<Duration> cpu() {
        return process == null ? Optional.empty() : process.info().totalCpuDuration();
    }

    public int starts() {
        return starts;
    }

    public int kills() {
        return kills;
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
