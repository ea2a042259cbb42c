package io.dvdrental.pipelines.security;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Hawtio settings that follow from the server's security, added with the lowest precedence so that
 * configuration can still override them: the console lets in the operator role, and nothing else.
 */
public class HawtioDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("hawtioDefaults",
                Map.of("hawtio.roles", ServerSecurityAutoConfiguration.OPERATOR)));
    }
}
