package io.dvdrental.pipelines.cli;

/** The server could not be reached or refused a request. */
public class ApiException extends CliFailure {

    private final int status;

    ApiException(int status, int exitCode, String message) {
        super(exitCode, message);
        this.status = status;
    }

    /** The HTTP status, or 0 when the server did not answer. */
    public int status() {
        return status;
    }

    public boolean unreachable() {
        return status == 0;
    }
}
