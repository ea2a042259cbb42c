package io.hawt.springboot.security;

import io.hawt.web.auth.AuthenticationConfiguration;
import io.hawt.web.auth.RolePrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import java.security.Principal;
import java.util.List;
import java.util.Map;

/**
 * Gives Hawtio the roles of the user Spring Security has already authenticated. hawtio-springboot 5.2.0 turns its
 * Spring Security support on only when a class of this name is on the class path, and the artifact that should
 * hold it (hawtio-springboot-security) is not published for 5.2.0; this is our implementation of that contract:
 * after Spring's {@code SecurityContextLoginModule} has put the {@link Authentication} into the JAAS subject, each
 * granted authority becomes a Hawtio role principal ({@code ROLE_OPERATOR} -> {@code OPERATOR}), which Hawtio checks
 * against {@code hawtio.roles}.
 */
public class HawtioSpringSecurityLoginModule implements LoginModule {

    private Subject subject;
    private Class<? extends Principal> roleClass = RolePrincipal.class;

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
                           Map<String, ?> options) {
        this.subject = subject;
        if (options.get(AuthenticationConfiguration.class.getName()) instanceof AuthenticationConfiguration config
                && config.getDefaultRolePrincipalClass() != null) {
            roleClass = config.getDefaultRolePrincipalClass();
        }
    }

    @Override
    public boolean login() {
        return true;
    }

    @Override
    public boolean commit() throws LoginException {
        List<Authentication> authentications = subject.getPrincipals(Authentication.class).stream().toList();
        for (Authentication authentication : authentications) {
            for (GrantedAuthority authority : authentication.getAuthorities()) {
                subject.getPrincipals().add(role(authority.getAuthority()));
            }
        }
        return true;
    }

    private Principal role(String authority) throws LoginException {
        String name = authority.startsWith("ROLE_") ? authority.substring("ROLE_".length()) : authority;
        try {
            return roleClass.getConstructor(String.class).newInstance(name);
        } catch (ReflectiveOperationException e) {
            LoginException failure = new LoginException("Cannot make a " + roleClass.getName() + " for " + name);
            failure.initCause(e);
            throw failure;
        }
    }

    @Override
    public boolean abort() {
        return false;
    }

    @Override
    public boolean logout() {
        subject.getPrincipals().removeIf(p -> roleClass.isInstance(p));
        return true;
    }
}
