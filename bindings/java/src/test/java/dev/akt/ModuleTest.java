package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The native surface is not part of the API: not exported, not even public. */
class ModuleTest {
    @Test
    void theModuleExportsOnlyDevAktItsTestkitAndItsOtelAdapters() {
        Module m = ActorSystem.class.getModule();
        assertTrue(m.isNamed(), "the tests run on the module path, as module dev.akt");
        assertEquals("dev.akt", m.getName());
        ModuleDescriptor d = m.getDescriptor();
        Set<String> exported = d.exports().stream()
                .peek(e -> assertFalse(e.isQualified(), e.toString()))
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("dev.akt", "dev.akt.testkit", "dev.akt.otel"), exported);
        assertTrue(d.opens().isEmpty(), "no package is open to reflection");
        assertFalse(d.isOpen());
    }

    @Test
    void theJniLayerIsPackagePrivate() {
        for (Class<?> c : new Class<?>[] {AktNativeJNI.class, AktNative.class, AktNativeConstants.class,
                NativeLibrary.class, Upcalls.class, Errors.class}) {
            assertFalse(Modifier.isPublic(c.getModifiers()), c + " is public");
        }
    }
}
