package io.dvdrental.pipelines.services.junit;

import io.dvdrental.pipelines.services.LocalStack;
import io.dvdrental.pipelines.services.StackConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.List;

/**
 * JUnit 5 extension: makes sure the real local services of the test stack run before a test class, once per
 * test JVM. Services that were already running (started by {@code ./dvd test} or by hand) are reused and left
 * running; services this extension started are stopped when the test JVM's run ends.
 * Test methods and constructors may take the {@link LocalStack} as a parameter.
 */
public final class RealServices implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealServices.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        stack(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return stack(extension);
    }

    /** The running test stack, started on first use in this JVM. */
    public static LocalStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Started.class, k -> Started.up(), Started.class).stack();
    }

    private record Started(LocalStack stack, List<String> startedHere)
            implements ExtensionContext.Store.CloseableResource {

        static Started up() {
            try {
                LocalStack stack = LocalStack.of(StackConfig.fromSettings("test"));
                List<String> started = stack.up(List.of()).stream()
                        .filter(e -> e.state() == LocalStack.State.STARTED).map(LocalStack.Entry::service).toList();
                return new Started(stack, started);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot bring the real test services up: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws Exception {
            if (!startedHere.isEmpty()) {
                stack.down(startedHere);
            }
        }
    }
}
