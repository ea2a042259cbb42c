package io.dvdrental.pipelines.capture;

/**
 * A column of a captured table as the change stream describes it.
 *
 * @param type  the value's kind: {@code int16}, {@code int32}, {@code int64}, {@code float32}, {@code float64},
 *              {@code boolean}, {@code string}, {@code bytes}, {@code decimal}, {@code date}, {@code timestamp},
 *              {@code timestamptz}, {@code time}, {@code array}, or {@code other}
 * @param scale digits after the point of a {@code decimal} with a fixed scale, else -1
 */
public record SourceColumn(String name, String type, int scale) {
}
