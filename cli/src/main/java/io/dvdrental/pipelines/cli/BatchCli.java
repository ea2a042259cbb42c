package io.dvdrental.pipelines.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ./dvd batch run|follow|runs}: batch runs on the integration server through its API, as the operator. */
@Command(name = "./dvd batch",
        subcommands = {BatchCli.Run.class, BatchCli.Follow.class, BatchCli.Runs.class, CommandLine.HelpCommand.class},
        description = "Start, follow and list batch runs on the integration server, as its operator.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run succeeded (runs: listed)", "1:the run failed or was abandoned",
                "2:bad arguments, or the server refused the request as bad",
                "3:no run to follow: the server is unreachable, refused the login, or another run is in progress"})
public final class BatchCli implements Callable<Integer> {

    static final int SUCCEEDED = 0;
    static final int RUN_FAILED = 1;
    static final int USAGE = 2;
    static final int NO_RUN = 3;
    /** How often a followed run is read. */
    static final Duration POLL = Duration.ofMillis(500);

    private final Terminal terminal;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help")
    boolean help;

    BatchCli(Terminal terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(execute(Terminal.system(), args));
    }

    public static int execute(Terminal terminal, String... args) {
        return commandLine(terminal).execute(args);
    }

    static CommandLine commandLine(Terminal terminal) {
        return new CommandLine(new BatchCli(terminal)).setOut(terminal.out()).setErr(terminal.err())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof CliFailure failure) {
                        terminal.err().println(failure.getMessage());
                        terminal.err().flush();
                        return failure.exitCode();
                    }
                    throw e;
                });
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(terminal.err());
        return USAGE;
    }

    /**
     * Where the server is and how to log in; {@code ./dvd} points at the stack's server and password file. Every
     * command that talks to the server has these, and its own {@code --help}.
     */
    static final class ServerOptions {

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help")
        boolean help;

        @Option(names = "--server", paramLabel = "URL", description = "The server (default: $DVD_SERVER_URL, "
                + "else http://127.0.0.1:$DVD_SERVER_PORT, port 8080 when unset)")
        String server;

        @Option(names = "--user", defaultValue = "${env:DVD_OPERATOR_USER:-admin}",
                description = "The operator account (default: ${DEFAULT-VALUE})")
        String user;

        @Option(names = "--password-file", paramLabel = "FILE", defaultValue = "${env:DVD_OPERATOR_PASSWORD_FILE}",
                description = "The operator password (default: $DVD_OPERATOR_PASSWORD_FILE; ./dvd sets "
                        + ".local/<stack>/operator.password)")
        Path passwordFile;

        BatchApi api() {
            if (passwordFile == null) {
                throw new CliFailure(USAGE, "No operator password: pass --password-file FILE "
                        + "(./dvd batch uses .local/<stack>/operator.password)");
            }
            String password;
            try {
                password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new CliFailure(NO_RUN, "No operator password: cannot read " + passwordFile + " ("
                        + e.getClass().getSimpleName() + "). The stack's server makes it when it first starts "
                        + "(./dvd demo or ./dvd server start).");
            }
            return new BatchApi(URI.create(serverUrl()), user, password, passwordFile.toString());
        }

        private String serverUrl() {
            if (server != null) {
                return server;
            }
            String configured = System.getenv("DVD_SERVER_URL");
            return configured != null && !configured.isBlank() ? configured
                    : "http://127.0.0.1:" + System.getenv().getOrDefault("DVD_SERVER_PORT", "8080");
        }
    }

    /** yyyy-MM-dd, with a message that says so. */
    static final class DateConverter implements CommandLine.ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String value) {
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a date (YYYY-MM-DD)");
            }
        }
    }

    @Command(name = "run", description = "Start a batch run and follow it to its end.")
    static final class Run implements Callable<Integer> {

        @ParentCommand
        BatchCli cli;
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "MODE", defaultValue = "incremental",
                description = "incremental (default: what changed since the last run), full (everything again) or "
                        + "backfill (--from .. --to, by the tables' time column)")
        String mode;

        @Option(names = "--from", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
                description = "A backfill's first day")
        LocalDate from;

        @Option(names = "--to", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
                description = "The day after a backfill's last")
        LocalDate to;

        @Option(names = "--tables", split = ",", paramLabel = "TABLE",
                description = "Only these source tables, comma-separated (default: all)")
        List<String> tables;

        @Mixin
        ServerOptions server;

        Map<String, Object> request() {
            try {
                return RunRequests.of(mode, from, to, tables);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        @Override
        public Integer call() throws InterruptedException {
            Map<String, Object> request = request();
            BatchApi api = server.api();
            String id;
            try {
                id = api.start(request);
            } catch (BatchApi.RunInProgressException e) {
                return cli.offerToFollow(api, e);
            }
            return cli.follow(api, id);
        }
    }

    @Command(name = "follow", description = "Follow a run (started here or elsewhere) to its end.")
    static final class Follow implements Callable<Integer> {

        @ParentCommand
        BatchCli cli;

        @Parameters(paramLabel = "RUN_ID", description = "As ./dvd batch runs lists it")
        String id;

        @Mixin
        ServerOptions server;

        @Override
        public Integer call() throws InterruptedException {
            return cli.follow(server.api(), id);
        }
    }

    @Command(name = "runs", description = "List recent runs: id, mode, state, started, duration, rows extracted.")
    static final class Runs implements Callable<Integer> {

        @ParentCommand
        BatchCli cli;
        @Spec
        CommandSpec spec;

        @Option(names = "--limit", defaultValue = "10", paramLabel = "N",
                description = "How many, newest first (1..500, default: ${DEFAULT-VALUE})")
        int limit;

        @Mixin
        ServerOptions server;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 500) {
                throw new ParameterException(spec.commandLine(), "--limit must be 1..500, was " + limit);
            }
            List<RunStatus> runs = server.api().recentRuns(limit);
            RunsTable.lines(runs, InstantSource.system().instant(), ZoneId.systemDefault())
                    .forEach(cli.terminal.out()::println);
            cli.terminal.out().flush();
            return SUCCEEDED;
        }
    }

    int follow(BatchApi api, String id) throws InterruptedException {
        // Ctrl-C stops the follow, not the run: say so, and how to pick it up again.
        Thread interrupted = new Thread(() -> {
            terminal.out().println();
            terminal.out().println("Stopped following; run " + id + " goes on: ./dvd batch follow " + id);
            terminal.out().flush();
        });
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            RunStatus end = new RunFollower(api::run, terminal, InstantSource.system(),
                    pause -> Thread.sleep(pause.toMillis()), POLL).follow(id);
            return end.succeeded() ? SUCCEEDED : RUN_FAILED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }

    /** A 409: names the run in progress and how to follow it; a person at a terminal may follow it right away. */
    int offerToFollow(BatchApi api, BatchApi.RunInProgressException conflict) throws InterruptedException {
        Optional<RunStatus> running = api.runInProgress();
        if (running.isEmpty()) {
            terminal.err().println("A run was in progress (" + conflict.getMessage() + ") and has ended since: "
                    + "start yours again.");
            terminal.err().flush();
            return NO_RUN;
        }
        RunStatus run = running.get();
        String started = run.startedAt() == null ? "?" : DateTimeFormatter.ofPattern("HH:mm:ss")
                .withZone(ZoneId.systemDefault()).format(run.startedAt());
        terminal.err().println("Batch run " + run.id() + " is in progress (" + run.mode().toLowerCase(Locale.ROOT)
                + ", started " + started + ", " + run.stepsDone() + "/" + run.stepsTotal()
                + " steps): a new run starts only when it has ended.");
        terminal.err().println("Follow it: ./dvd batch follow " + run.id());
        terminal.err().flush();
        if (terminal.interactive()) {
            terminal.out().print("Follow it now? [Y/n] ");
            terminal.out().flush();
            String answer;
            try {
                answer = terminal.in().readLine();
            } catch (IOException e) {
                answer = null;
            }
            if (answer != null && !answer.strip().toLowerCase(Locale.ROOT).startsWith("n")) {
                return follow(api, run.id());
            }
        }
        return NO_RUN;
    }
}
