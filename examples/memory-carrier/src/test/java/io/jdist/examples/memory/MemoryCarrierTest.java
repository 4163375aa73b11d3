package io.jdist.examples.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jdist.carrier.CarrierProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is particular to the memory carrier: how it is found, selected and configured. What every
 * carrier must do is the kit's ({@link MemoryCarrierConformanceTest}, {@link MemoryNodeConformanceTest}).
 */
class MemoryCarrierTest {

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertTrue(ServiceLoader.load(CarrierProvider.class).stream().anyMatch(p -> p.get().name().equals("memory")));
    }

    @Test
    void refusesUnknownSettingsListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MemoryCarrierProvider().create(Map.of("bufferSize", "1024")));
        assertEquals("unknown memory carrier settings [bufferSize]; expected some of [bufferBytes]", e.getMessage());
    }

    @Test
    void refusesABufferSizeThatIsNotANumberAboveOne() {
        for (String bad : List.of("1", "-5", "lots", "4294967296")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MemoryCarrierProvider().create(Map.of("bufferBytes", bad)));
            assertEquals("expected dist.memory.bufferBytes to be a number of bytes above 1 but was '" + bad + "'",
                    e.getMessage());
        }
    }

    @Test
    void isSelectedAndConfiguredBySystemPropertiesAlone(@TempDir Path dir) throws Exception {
        String suffix = Long.toHexString(System.nanoTime());

        Run selected = runTwoNodes(dir, suffix, "-Ddist.memory.bufferBytes=65536");
        assertEquals(0, selected.exitCode(), selected.output());
        assertTrue(selected.output().contains("hello over memory"), selected.output());

        Run misconfigured = runTwoNodes(dir, suffix, "-Ddist.memory.bufferSize=65536");
        assertTrue(misconfigured.exitCode() != 0, misconfigured.output());
        assertTrue(misconfigured.output().contains(
                "unknown memory carrier settings [bufferSize]; expected some of [bufferBytes]"), misconfigured.output());
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs {@link TwoNodesFromProperties} in a JVM of its own with {@code -Ddist.carrier=memory}. */
    private static Run runTwoNodes(Path dir, String suffix, String setting) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Ddist.carrier=memory", "-Ddist.cookie=memory-test-" + suffix, setting,
                TwoNodesFromProperties.class.getName(), suffix));
        Path output = Files.createTempFile(dir, "java-", ".log");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!java.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the JVM running two memory nodes did not end within 60 s");
            }
            return new Run(java.exitValue(), Files.readString(output));
        } finally {
            java.destroyForcibly();
        }
    }
}
