package io.dvdrental.pipelines.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * Where the CLI talks: output, errors, the answer to a question, and whether a person watches (a terminal gets one
 * live line, anything else plain lines); {@code width} is the terminal's columns.
 */
public record Terminal(PrintWriter out, PrintWriter err, BufferedReader in, boolean interactive, int width) {

    /** The process's own terminal; {@code ./dvd} passes the width as {@code COLUMNS}. */
    public static Terminal system() {
        Charset charset = Charset.defaultCharset();
        int width = 120;
        try {
            width = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "120").trim());
        } catch (NumberFormatException e) {
            // keep the default
        }
        return new Terminal(new PrintWriter(System.out, true, charset), new PrintWriter(System.err, true, charset),
                new BufferedReader(new InputStreamReader(System.in, charset)), System.console() != null, width);
    }
}
