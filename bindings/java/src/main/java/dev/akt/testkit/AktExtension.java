package dev.akt.testkit;

import dev.akt.ActorSystem;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: a throwaway {@link ActorSystem} per test, shut down (and checked to be
 * within 10 s) after it, and {@link TestProbe}s in it, as test method parameters:
 * {@code @ExtendWith(AktExtension.class)}, then {@code void t(ActorSystem system,
 * TestProbe probe)}. Each TestProbe parameter is a probe of its own. Needs
 * junit-jupiter-api on the test classpath (akt does not bring it).
 */
public final class AktExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AktExtension.class);

    private static ActorSystem systemOf(ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent("system",
                k -> ActorSystem.create("test-" + context.getRequiredTestMethod().getName()), ActorSystem.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ActorSystem.class || type == TestProbe.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ActorSystem system = systemOf(context);
        return parameter.getParameter().getType() == ActorSystem.class ? system : new TestProbe(system);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        ActorSystem system = context.getStore(NS).remove("system", ActorSystem.class);
        if (system == null) return;
        system.shutdown().get(10, TimeUnit.SECONDS);
        system.close();
    }
}
