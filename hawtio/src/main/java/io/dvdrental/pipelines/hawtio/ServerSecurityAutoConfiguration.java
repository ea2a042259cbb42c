package io.dvdrental.pipelines.hawtio;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;

/**
 * Who may do what on the server. Reading (dashboards, insights, health and readiness) is open; changing
 * anything (starting a batch run), Hawtio and the rest of the actuator need the operator role.
 */
@AutoConfiguration(before = SecurityAutoConfiguration.class)
@EnableConfigurationProperties(SecurityProperties.class)
public class ServerSecurityAutoConfiguration {

    public static final String OPERATOR = "OPERATOR";

    @Bean
    public SecurityFilterChain serverSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers(HttpMethod.GET, "/", "/dashboards/**", "/api/insights/**", "/api/pipelines",
                                "/webjars/**", "/assets/**", "/favicon.ico", "/error").permitAll()
                        .anyRequest().hasRole(OPERATOR))
                .httpBasic(Customizer.withDefaults())
                .formLogin(Customizer.withDefaults())
                // The JSON API is called by scripts with basic auth; Hawtio sends its own CSRF cookie header.
                .csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .ignoringRequestMatchers("/api/**"));
        return http.build();
    }

    @Bean
    public UserDetailsService operators(SecurityProperties props) {
        if (props.adminPassword() == null || props.adminPassword().isBlank()) {
            // No account at all rather than a default password: protected endpoints stay closed.
            return new InMemoryUserDetailsManager();
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(props.user())
                .password(encoder.encode(props.adminPassword())).roles(OPERATOR).build());
    }
}
