package io.dvdrental.pipelines.capture;

/** What happened to a source row, with Debezium's one-letter code (also bronze's {@code _op}). */
public enum ChangeOp {
    /** Read by the initial snapshot. */
    READ("r"),
    CREATE("c"),
    UPDATE("u"),
    DELETE("d"),
    /** The whole table was emptied ({@code TRUNCATE}): no key, no values. */
    TRUNCATE("t");

    private final String code;

    ChangeOp(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static ChangeOp of(String code) {
        for (ChangeOp op : values()) {
            if (op.code.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("Unknown change operation '" + code + "'");
    }
}
