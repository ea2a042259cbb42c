package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.transforms.generate.Click;
import io.dvdrental.pipelines.transforms.generate.ClickGenerator;
import io.dvdrental.pipelines.transforms.generate.ClickSettings;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;

/**
 * Valid clicks whose session id starts with a run tag, so that a scenario counts exactly its own events in
 * {@code stream.dvd_clicks} even when other clicks flow into the same tables. The tag keeps the event valid: the
 * contract allows any session id of 1..64 characters.
 */
public final class TaggedClicks {

    private static final String SESSION_FIELD = "\"session_id\":\"";

    private final ClickGenerator generator;
    private final String tag;

    public TaggedClicks(long seed, String tag) {
        if (tag.length() > 20 || !tag.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("tag: up to 20 of [a-z0-9_], got " + tag);
        }
        this.generator = new ClickGenerator(new ClickSettings(seed, 5_000, ClickSettings.defaultFilmIds(), 0),
                InstantSource.system());
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** SQL condition selecting this tag's rows (the tag is checked to be plain letters, digits and underscores). */
    public String condition() {
        return "startsWith(session_id, '" + tag + "-')";
    }

    public Click next() {
        Click click = generator.next();
        String text = click.valueText();
        int at = text.indexOf(SESSION_FIELD) + SESSION_FIELD.length();
        String tagged = text.substring(0, at) + tag + '-' + text.substring(at);
        return new Click(click.key(), tagged.getBytes(StandardCharsets.UTF_8), null);
    }

    /** The event id of a click made by {@link #next()}. */
    public static String eventId(Click click) {
        String text = click.valueText();
        int at = text.indexOf("\"event_id\":\"") + 12;
        return text.substring(at, text.indexOf('"', at));
    }
}
