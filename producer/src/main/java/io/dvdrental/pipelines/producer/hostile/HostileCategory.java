package io.dvdrental.pipelines.producer.hostile;

/**
 * The kinds of hostile click events. Every one of them must end in the dead-letter topic with a reason; none may
 * reach the warehouse.
 */
public enum HostileCategory {
    NOT_JSON,
    TRUNCATED,
    HUGE,
    WRONG_TYPE,
    NULLS,
    UNKNOWN_ENUM,
    FAR_FUTURE_TIMESTAMP,
    FAR_PAST_TIMESTAMP,
    IMPOSSIBLE_TIMESTAMP,
    NON_UTF8,
    SQL_LOOKING
}
