package io.dvdrental.pipelines.cli;

import io.dvdrental.pipelines.cli.RunStatus.Step;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Set;

/**
 * Follows a run to its end: polls the server and shows progress on one live line when a person watches a terminal,
 * or one plain line per finished step otherwise (logs, CI); then the end, with every failed step and its reason.
 */
public final class RunFollower {

    /** Reads a run's current state (the server's {@code GET /api/batch/runs/{id}}). */
    @FunctionalInterface
    public interface RunSource {
        RunStatus fetch(String id);
    }

    @FunctionalInterface
    public interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Polls a server that stopped answering gets before the follow gives up (the run may go on without us). */
    static final int PATIENCE = 60;

    private final RunSource source;
    private final Terminal terminal;
    private final InstantSource clock;
    private final Pause pause;
    private final Duration interval;

    public RunFollower(RunSource source, Terminal terminal, InstantSource clock, Pause pause, Duration interval) {
        this.source = source;
        this.terminal = terminal;
        this.clock = clock;
        this.pause = pause;
        this.interval = interval;
    }

    /** Shows the run until it is no longer RUNNING; answers its last state. */
    public RunStatus follow(String id) throws InterruptedException {
        PrintWriter out = terminal.out();
        RunStatus run = source.fetch(id);
        out.println(ProgressText.header(run));
        Set<String> shown = new HashSet<>();
        int done = 0;
        while (true) {
            if (terminal.interactive()) {
                out.print("\r" + ProgressText.liveLine(run, run.elapsed(clock.instant()), terminal.width()) + "\033[K");
            } else {
                for (Step step : run.steps()) {
                    if (step.finished() && shown.add(step.name())) {
                        out.println(ProgressText.stepLine(++done, run.stepsTotal(), step));
                    }
                }
            }
            out.flush();
            if (!run.running()) {
                break;
            }
            pause.sleep(interval);
            run = fetchPatiently(id);
        }
        if (terminal.interactive()) {
            out.print("\r\033[K");
        }
        ProgressText.summary(run, run.elapsed(clock.instant())).forEach(out::println);
        out.flush();
        return run;
    }

    /** A server that restarts or blips is waited for; one silent for {@link #PATIENCE} polls ends the follow. */
    private RunStatus fetchPatiently(String id) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return source.fetch(id);
            } catch (ApiException e) {
                if (!e.unreachable() || attempt >= PATIENCE) {
                    if (terminal.interactive()) {
                        terminal.out().println();
                    }
                    throw new ApiException(e.status(), BatchCli.NO_RUN, e.getMessage() + "\nLost run " + id
                            + " while following it; it may still be going: ./dvd batch follow " + id);
                }
                pause.sleep(interval);
            }
        }
    }
}
