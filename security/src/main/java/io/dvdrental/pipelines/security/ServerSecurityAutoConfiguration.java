package io.dvdrental.pipelines.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.List;

/**
 * Who may do what on the server. Reading (dashboards, insights, pipeline status, health and readiness) is open;
 * changing anything (starting a batch run), Hawtio and the rest of the actuator need the operator role; the
 * Prometheus metrics also answer the scrape-only account, on the metrics port when there is one. Requests
 * from pages of other sites are refused, Jolokia runs operations and writes only over POST, and a call made with the
 * session cookie needs the CSRF token. Hawtio takes the user signed in here (see {@link io.hawt.springboot.security.HawtioSpringSecurityLoginModule}).
 */
@AutoConfiguration(before = SecurityAutoConfiguration.class)
@EnableConfigurationProperties(SecurityProperties.class)
public class ServerSecurityAutoConfiguration {

    public static final String OPERATOR = "OPERATOR";
    public static final String VIEWER = "VIEWER";
    /** Prometheus: reads the metrics and nothing else. */
    public static final String METRICS = "METRICS";

    private static final String PROMETHEUS = "/actuator/prometheus";
    private static final List<String> OPEN_READS = List.of("/api/insights/", "/dashboards/", "/assets/", "/webjars/");

    /**
     * What anyone may read and a crowd of dashboards polls (every 10 s each): a short chain without sessions, saved
     * requests, login pages or a CSRF cookie per answer, which cost several times the cached answer itself. Other
     * sites' pages are refused here too. {@code /api/pipelines} stays on the main chain: an operator signed in sees
     * its errors. The metrics port is the main chain's (it serves Prometheus only).
     */
    @Bean
    @Order(1)
    public SecurityFilterChain openReads(HttpSecurity http, SecurityProperties props) throws Exception {
        Integer metricsPort = metricsPort(props);
        http.securityMatcher(request -> HttpMethod.GET.matches(request.getMethod())
                        && (metricsPort == null || request.getLocalPort() != metricsPort)
                        && OPEN_READS.stream().anyMatch(prefix -> request.getServletPath().startsWith(prefix)))
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .cors(cors -> cors.configurationSource(request -> new CorsConfiguration()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** Security's own traces of every filter of every request: no one reads them, each request paid for them. */
    @Bean
    public SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @Order(2)
    public SecurityFilterChain serverSecurity(HttpSecurity http, SecurityProperties props) throws Exception {
        Integer metricsPort = metricsPort(props);
        http.authorizeHttpRequests(auth -> auth
                        // The metrics port serves Prometheus and nothing else, whoever asks.
                        .requestMatchers(request -> metricsPort != null && request.getLocalPort() == metricsPort
                                && !PROMETHEUS.equals(request.getServletPath())).denyAll()
                        .requestMatchers(HttpMethod.GET, PROMETHEUS).hasAnyRole(OPERATOR, METRICS)
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(HttpMethod.GET, "/", "/index.html", "/api/pipelines", "/favicon.ico",
                                "/error").permitAll()
                        .anyRequest().hasRole(OPERATOR))
                .httpBasic(Customizer.withDefaults())
                .formLogin(Customizer.withDefaults())
                // No page of another site may call this server from a browser: a request whose Origin is not this
                // server's own is refused (403) before anything else, whatever credentials it carries.
                .cors(cors -> cors.configurationSource(request -> new CorsConfiguration()))
                // A call made with the session cookie (the login form, Hawtio) must carry the CSRF token: Hawtio
                // sends the XSRF-TOKEN cookie back as a header, as is (hence the plain request handler). Scripts
                // send their credentials on every call (Basic) and need no token.
                .csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .ignoringRequestMatchers(request -> request.getHeader(HttpHeaders.AUTHORIZATION) != null))
                .addFilterAfter(new CsrfCookieFilter(), BasicAuthenticationFilter.class)
                .addFilterAfter(new JolokiaReadOnlyGet(), AuthorizationFilter.class);
        return http.build();
    }

    private static Integer metricsPort(SecurityProperties props) {
        return props.metrics() == null ? null : props.metrics().port();
    }

    @Bean
    public UserDetailsService operators(SecurityProperties props) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        InMemoryUserDetailsManager accounts = new InMemoryUserDetailsManager();
        // No account at all rather than a default password: without one, protected endpoints stay closed.
        if (props.adminPassword() != null && !props.adminPassword().isBlank()) {
            accounts.createUser(User.withUsername(props.user())
                    .password(encoder.encode(props.adminPassword())).roles(OPERATOR).build());
        }
        if (props.viewerUser() != null && !props.viewerUser().isBlank()
                && props.viewerPassword() != null && !props.viewerPassword().isBlank()) {
            accounts.createUser(User.withUsername(props.viewerUser())
                    .password(encoder.encode(props.viewerPassword())).roles(VIEWER).build());
        }
        if (props.metrics() != null && props.metrics().hasAccount()) {
            accounts.createUser(User.withUsername(props.metrics().user())
                    .password(encoder.encode(props.metrics().password())).roles(METRICS).build());
        }
        return accounts;
    }

    /** Writes the CSRF cookie on every response (Spring defers it), so a single-page console always has one. */
    static final class CsrfCookieFilter extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
