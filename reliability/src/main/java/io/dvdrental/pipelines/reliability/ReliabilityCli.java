package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.services.LocalStack;
import io.dvdrental.pipelines.services.ServerLaunch;
import io.dvdrental.pipelines.services.StackConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The fault harness: brings the stack's real services up (reusing running ones), starts the integration server as
 * its own process, runs the chosen scenarios against them, and writes the report. Run it with reliability/run.sh.
 */
@Command(name = "reliability", mixinStandardHelpOptions = true,
        description = "Breaks things on purpose against the real local services and reports the figures.")
public final class ReliabilityCli implements Callable<Integer> {

    static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        // Hostile input last: if it finds a poison pill, the others still measure. Bad source rows after the other
        // batch scenarios: they stay in the source, and re-seeding the source would delete them under the batch's
        // reconciliation (see results).
        for (Scenario s : List.of(new AccessScenario(), new StreamingCrashScenario(), new ReplicasScenario(),
                ServiceOutageScenario.clickhouse(), ServiceOutageScenario.kafka(), new BatchCrashScenario(),
                new BatchHoldScenario(), new PostgresOutageScenario(), new ReadersScenario(),
                new BadSourceRowsScenario(), new BadInputScenario(), new CdcCrashScenario())) {
            SCENARIOS.put(s.name(), s);
        }
    }

    @Option(names = "--scenario", description = "Scenario to run (repeatable; default: all): ${COMPLETION-CANDIDATES}",
            completionCandidates = Names.class)
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--quick", description = "Small sizes (CI-sized) instead of the full figures.")
    boolean quick;

    @Option(names = "--stack", description = "Stack of local services (default: DVD_STACK, else 'reliability').")
    String stack;

    @Option(names = "--server-port", description = "HTTP port of the server the harness starts "
            + "(default: DVD_SERVER_PORT, else 8095).")
    Integer serverPort;

    @Option(names = "--results", description = "Directory of the reports (default: reliability/results).")
    Path results;

    @Option(names = "--server-jar", description = "The server's exec jar (default: routes/target/routes-*-exec.jar).")
    Path serverJar;

    @Option(names = "--command-line", hidden = true, description = "The command as typed, for the report.")
    String commandLine = "reliability/run.sh";

    static final class Names extends ArrayList<String> {
        Names() {
            super(SCENARIOS.keySet());
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReliabilityCli()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Scenario> chosen = new ArrayList<>();
        for (String name : scenarios.isEmpty() ? List.copyOf(SCENARIOS.keySet()) : scenarios) {
            Scenario s = SCENARIOS.get(name);
            if (s == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "Unknown scenario '" + name
                        + "'; known: " + SCENARIOS.keySet());
            }
            chosen.add(s);
        }
        String stackName = stack != null ? stack : System.getenv().getOrDefault("DVD_STACK", "reliability");
        StackConfig config = StackConfig.named(stackName);
        LocalStack services = LocalStack.of(config);
        Path root = config.root();
        int port = serverPort != null ? serverPort
                : Integer.parseInt(System.getenv().getOrDefault("DVD_SERVER_PORT", "8095"));

        Instant started = Instant.now();
        System.out.println("==> services of stack '" + stackName + "'");
        List<String> startedHere = new ArrayList<>();
        for (LocalStack.Entry e : services.up(List.of())) {
            System.out.println("    " + e.service() + " " + e.state() + " " + e.address());
            if (e.state() == LocalStack.State.STARTED) {
                startedHere.add(e.service());
            }
        }
        Credentials operator = new Credentials("operator", secret());
        Credentials viewer = new Credentials("viewer", secret());
        Map<String, String> env = new HashMap<>();
        services.applicationProperties().forEach((k, v) -> env.put(StackConfig.environmentName(k), v));
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("DVD_SECURITY_ADMINUSER", operator.user());
        env.put("DVD_SECURITY_ADMINPASSWORD", operator.password());
        env.put("DVD_SECURITY_VIEWERUSER", viewer.user());
        env.put("DVD_SECURITY_VIEWERPASSWORD", viewer.password());
        // Only the harness's clicks: the demo's built-in click producer would blur the figures.
        env.put("DVD_STREAM_PRODUCER_ENABLED", "false");
        ServerApi api = new ServerApi(URI.create("http://127.0.0.1:" + port));
        Path log = config.logs().resolve("reliability-server.log");
        List<ScenarioResult> rows = new ArrayList<>();
        Path jar = serverJar != null ? serverJar : ServerProcess.findJar(root);
        try (ServerProcess server = new ServerProcess(ServerLaunch.of(jar, root), env, log, api)) {
            System.out.println("==> the archive of what this build's start loads (one start and stop, once per build)");
            server.archiveClasses(Duration.ofSeconds(600));
            System.out.println("==> starting the integration server on " + api.base() + " (log: " + log + ")");
            System.out.println("    ready in " + StreamCheck.seconds(server.start(Duration.ofSeconds(600))));
            Target target = new Target(api, operator, viewer, config.kafkaBootstrap(),
                    Warehouse.fromJdbcUrl(config.clickhouseUrl()), config.postgresUrl(StackConfig.SOURCE_DATABASE),
                    java.util.Optional.of(services),
                    java.util.Optional.of(server), java.util.Optional.of(name -> server.sibling(ServerProcess.freePort(),
                            config.logs().resolve("reliability-server-" + name + ".log"))),
                    Target.StreamNames.defaults());
            for (Scenario s : chosen) {
                System.out.println("==> scenario " + s.name() + (quick ? " (quick)" : ""));
                ScenarioResult r;
                try {
                    ensureRunning(server, services);
                    r = s.run(target, quick);
                } catch (Exception e) {
                    e.printStackTrace();
                    r = new ScenarioResult(s.name(), "see the harness output", "the scenario completes",
                            "ERROR: " + e, Verdict.FAIL);
                }
                System.out.println("    " + r.verdict() + ": " + r.measured());
                rows.add(r);
            }
        } finally {
            if (!startedHere.isEmpty()) {
                System.out.println("==> stopping the services this run started: " + startedHere);
                services.down(startedHere);
            }
        }
        String markdown = Report.markdown(rows, commandLine + " (server " + jar.getFileName() + ", stack " + stackName
                + ")", started, Instant.now());
        Path written = Report.write(results != null ? results : root.resolve("reliability").resolve("results"),
                markdown, started);
        System.out.println();
        System.out.println(markdown);
        System.out.println("Report: " + written + " (and latest.md beside it)");
        return rows.stream().allMatch(ScenarioResult::passed) ? 0 : 1;
    }

    /**
     * A scenario that failed half-way may leave a service or the server down: the next one starts clean. A service
     * that has just died may hold its port for a moment, so starting it is tried a few times.
     */
    private static void ensureRunning(ServerProcess server, LocalStack services) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                services.up(List.of());
                break;
            } catch (Exception e) {
                if (attempt == 3) {
                    throw e;
                }
                System.out.println("    services not up yet (" + e.getMessage() + "); retrying in 10 s");
                Thread.sleep(10_000);
            }
        }
        if (!server.alive()) {
            server.start(Duration.ofSeconds(600));
        }
    }

    private static String secret() {
        return HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    }
}
