package io.dvdrental.pipelines.insights;

/** A query parameter the API refuses; answered with 400 and the parameter's name. */
public class InvalidParameterException extends RuntimeException {

    private final String parameter;

    public InvalidParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
