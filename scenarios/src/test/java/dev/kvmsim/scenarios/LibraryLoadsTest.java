package dev.kvmsim.scenarios;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every built-in scenario loads, is named after its file, and teaches something. */
class LibraryLoadsTest {

    @Test
    void everyLibraryScenario_loadsWithoutErrors() {
        List<String> names = ScenarioLibrary.names();
        assertEquals(14, names.size(), names.toString());
        for (String name : names) {
            LoadResult r = ScenarioLibrary.load(name);
            assertTrue(r.ok(), () -> name + ": " + r.errors());
            assertEquals(name, r.orThrow().name());
            assertFalse(r.orThrow().description().isBlank(), name);
            assertFalse(r.orThrow().expect().isEmpty(), name + " has no expectations");
        }
    }

    @Test
    void aLibraryName_resolvesWhereAFileIsAsked() {
        LoadResult r = ScenarioLoader.load("virtio-net-notify");
        assertTrue(r.ok(), () -> r.errors().toString());
        assertEquals("library:virtio-net-notify", r.orThrow().source());
    }

    @Test
    void list_hasNamesAndDescriptions() {
        List<ScenarioLibrary.Entry> list = ScenarioLibrary.list();
        assertEquals("eventfd-select", list.get(0).name());
        assertTrue(list.get(0).description().contains("eventfd_signal"));
    }
}
