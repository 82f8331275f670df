package io.selfsup.run;

import ai.djl.util.JsonUtils;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where training stands in a checkpoint, beyond its parameters and optimizer state: the next batch to train
 * ({@code epoch}, {@code batch}; batch 0 of epoch e means epoch e - 1 is complete), the running loss of the
 * epoch so far, and the metrics rows of every complete epoch, from which metrics.csv is rewritten on resume.
 * Nothing random needs saving: shuffles and augmentations are drawn from (seed, epoch, batch, view).
 *
 * @param lossSum the epoch's summed loss so far, kept bit for bit (float32, as it is summed on the device)
 * @param lossImages images whose loss is in {@code lossSum}
 * @param seconds training time of the epoch so far
 * @param metrics metrics.csv rows (no header) of epochs 1..epoch - 1
 */
public record CheckpointState(int epoch, int batch, float lossSum, long lossImages, double seconds,
                              List<String> metrics) {

    public CheckpointState {
        metrics = List.copyOf(metrics);
    }

    /** The state after epoch {@code epoch} is complete. */
    public static CheckpointState afterEpoch(int epoch, List<String> metrics) {
        return new CheckpointState(epoch + 1, 0, 0f, 0, 0, metrics);
    }

    public boolean midEpoch() {
        return batch > 0;
    }

    /** Complete epochs: those whose metrics rows this checkpoint proves. */
    public int epochsDone() {
        return epoch - 1;
    }

    /** The file name stem: epoch-0003 after epoch 3, epoch-0004-batch-000120 after 120 batches of epoch 4. */
    public String name() {
        return midEpoch() ? String.format("epoch-%04d-batch-%06d", epoch, batch)
                : String.format("epoch-%04d", epoch - 1);
    }

    /** A short description for messages: "epoch 3" or "batch 120 of epoch 4". */
    public String describe() {
        return midEpoch() ? "batch " + batch + " of epoch " + epoch : "epoch " + (epoch - 1);
    }

    byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("batch", batch);
        m.put("loss_sum_bits", Float.floatToRawIntBits(lossSum));
        m.put("loss_images", lossImages);
        m.put("seconds", seconds);
        m.put("metrics", metrics);
        return JsonUtils.GSON_PRETTY.toJson(m).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static CheckpointState fromJson(String json) {
        Map<String, Object> m = JsonUtils.GSON.fromJson(json, Map.class);
        return new CheckpointState(((Number) m.get("epoch")).intValue(), ((Number) m.get("batch")).intValue(),
                Float.intBitsToFloat(((Number) m.get("loss_sum_bits")).intValue()),
                ((Number) m.get("loss_images")).longValue(), ((Number) m.get("seconds")).doubleValue(),
                (List<String>) m.get("metrics"));
    }
}
