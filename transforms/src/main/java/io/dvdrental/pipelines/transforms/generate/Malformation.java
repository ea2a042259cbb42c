package io.dvdrental.pipelines.transforms.generate;

/** The ways a click is deliberately broken, to exercise the consumers' validation and dead-letter paths. */
public enum Malformation {
    NOT_JSON,
    TRUNCATED_JSON,
    MISSING_FIELD,
    WRONG_TYPE,
    UNKNOWN_EVENT_TYPE,
    POSITION_OUT_OF_RANGE,
    FAR_FUTURE_TIMESTAMP
}
