package io.dvdrental.pipelines.transforms.clicks;

/** Why a record cannot be a click: a reason code (a metric tag, few values) and a human-readable detail. */
public record Rejection(Reason reason, String detail) {

    public enum Reason {
        /** The bytes are not one JSON document (binary, text, truncated). */
        NOT_JSON,
        /** JSON that breaks the contract in dvd_clicks.schema.json: missing field, wrong type, unknown value. */
        CONTRACT,
        /** Within the contract but impossible: a date that does not exist, a click from the future or the past. */
        ABSURD_VALUE;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The text of the {@code dlq.reason} header. */
    public String describe() {
        return reason.code() + ": " + detail;
    }
}
