package io.selfsup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.util.JsonUtils;
import io.selfsup.SelfsupException;
import io.selfsup.engine.DeviceMode;
import io.selfsup.method.MethodConfig;
import io.selfsup.nn.BackboneType;
import io.selfsup.optim.OptimizerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config.json's one schema: what ssl-train writes reads back equal, old runs still parse, a torn one is an error. */
class RunConfigTest {

    private static final Path FILE = Path.of("run", "config.json");

    /** Through JSON text, as on disk: every typed field comes back equal, facts and resumes included. */
    @Test
    @SuppressWarnings("unchecked")
    void whatIsWrittenReadsBackEqual() {
        MethodConfig byol = MethodConfig.defaults("byol", BackboneType.RESNET18, 8);
        RunConfig written = new RunConfig(new RunConfig.Options(Path.of("/data/photos"), 0.1, "out", 7, 128, 0.06f,
                3, 500, DeviceMode.CPU, 0, 2, 10, null,
                new TimeBudget(java.time.Duration.ofMinutes(30), 1234, Map.of("step_seconds", 0.5))), byol, OptimizerConfig.defaults(OptimizerConfig.Type.SGD, 128),
                1234, "abc", List.of(Map.of("from", "epoch 1")), Map.of("data_source", "a folder"))
                .withResume(Map.of("from", "epoch 2"));
        Map<String, Object> json = JsonUtils.GSON.fromJson(JsonUtils.GSON_PRETTY.toJson(written.toMap()), Map.class);
        RunConfig read = RunConfig.fromMap(json, FILE);
        assertEquals(written.options(), read.options());
        assertEquals(written.method(), read.method());
        assertEquals(written.optimizer(), read.optimizer());
        assertEquals(1234, read.trainImages());
        assertEquals("abc", read.initFromSha256());
        assertEquals(2, read.resumes().size());
        assertEquals("a folder", read.facts().get("data_source"));
    }

    /** Every optimizer's recipe, LARS's trust coefficient included, comes back equal through JSON text. */
    @Test
    @SuppressWarnings("unchecked")
    void everyOptimizerReadsBackEqual() {
        for (OptimizerConfig.Type type : OptimizerConfig.Type.values()) {
            OptimizerConfig written = OptimizerConfig.defaults(type, 128);
            Map<String, Object> json = JsonUtils.GSON.fromJson(JsonUtils.GSON.toJson(written.toMap()), Map.class);
            assertEquals(written, OptimizerConfig.fromMap(json, 1e-3f), type.toString());
        }
    }

    /** A run from before methods, optimizers and test fractions were recorded: the autoencoder, Adam at its lr, 0. */
    @Test
    void aRunOfAnOlderSelfsupParses() {
        Map<String, Object> options = Map.of("data", "/d", "epochs", 2, "batch_size", 64, "lr", 0.002, "seed", 1,
                "limit", 0, "device", "auto", "max_gpus", 0, "threads", 0);
        RunConfig read = RunConfig.fromMap(Map.of("options", options), FILE);
        assertEquals("autoencoder", read.method().id());
        assertEquals(OptimizerConfig.Type.ADAM, read.optimizer().type());
        assertEquals(0.002f, read.optimizer().learningRate());
        assertEquals(0, read.options().testFraction());
        assertEquals(-1, read.trainImages());
    }

    @Test
    void aConfigWithoutItsOptionsIsAOneLineError() {
        SelfsupException e = assertThrows(SelfsupException.class,
                () -> RunConfig.fromMap(Map.of("options", Map.of("data", "/d")), FILE));
        assertTrue(e.getMessage().contains("'epochs' is missing"), e.getMessage());
        assertThrows(SelfsupException.class, () -> RunConfig.fromMap(Map.of(), FILE));
    }
}
