package io.dvdrental.pipelines.cli;

/** Ends a command with a message for the user and the exit code it deserves (see {@link BatchCli}). */
public class CliFailure extends RuntimeException {

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
