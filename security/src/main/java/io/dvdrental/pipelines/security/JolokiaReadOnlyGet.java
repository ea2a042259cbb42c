package io.dvdrental.pipelines.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Jolokia answers a GET only for reading ({@code read}, {@code list}, {@code search}, {@code version}); {@code exec},
 * {@code write} and anything else need a POST, which carries the CSRF token or Basic credentials and an Origin.
 * A page on another site can make the operator's browser send a GET (a link, an image) with the session cookie or
 * cached Basic credentials, so a GET must never run an operation or change an attribute.
 * <p>
 * Jolokia takes its command from the path after its prefix, or from the {@code p} parameter when there is one;
 * both are read here decoded, as Jolokia reads them, and a command that is not known to be a read (in any letter
 * case) is refused with 405.
 */
final class JolokiaReadOnlyGet extends OncePerRequestFilter {

    /** The in-app Jolokia endpoint and Hawtio's forward to it. */
    static final List<String> PATHS = List.of("/actuator/jolokia", "/actuator/hawtio/jolokia");

    private static final Set<String> READS = Set.of("read", "list", "search", "version");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return HttpMethod.POST.matches(request.getMethod()) || HttpMethod.OPTIONS.matches(request.getMethod())
                || jolokiaPath(request) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String command = command(jolokiaPath(request), request.getParameter("p"));
        if (READS.contains(command)) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
        response.setHeader(HttpHeaders.ALLOW, HttpMethod.POST.name());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"status\":405,\"error\":\"Jolokia runs '" + command.replaceAll("[^a-z]", "")
                + "' only over POST; a GET may only read\"}");
    }

    /** The Jolokia command of a GET: the first segment of its {@code p} parameter, else of its path. */
    static String command(String path, String pathParameter) {
        String request = (pathParameter != null ? pathParameter : path).replaceFirst("^/+", "");
        int slash = request.indexOf('/');
        String command = (slash < 0 ? request : request.substring(0, slash)).toLowerCase(Locale.ROOT);
        // Jolokia answers its version to a bare GET of the endpoint.
        return command.isEmpty() ? "version" : command;
    }

    /** The request's decoded path after the Jolokia prefix, or null when it is not a Jolokia request. */
    private static String jolokiaPath(HttpServletRequest request) {
        // Decoded and normalised, as the container mapped it to a servlet (the raw URI could hide the prefix).
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        for (String prefix : PATHS) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return path.substring(prefix.length());
            }
        }
        return null;
    }
}
