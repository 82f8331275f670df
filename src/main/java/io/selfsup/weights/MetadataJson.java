package io.selfsup.weights;

import ai.djl.util.JsonUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** String-to-string metadata as one JSON object, for formats that have no metadata of their own. */
final class MetadataJson {

    private MetadataJson() {}

    static String write(Map<String, String> metadata) {
        JsonObject o = new JsonObject();
        metadata.forEach(o::addProperty);
        return o.toString();
    }

    static Map<String, String> read(String json) throws IOException {
        try {
            JsonObject o = JsonUtils.GSON.fromJson(json, JsonObject.class);
            Map<String, String> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                m.put(e.getKey(), e.getValue().getAsString());
            }
            return m;
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NullPointerException e) {
            throw new IOException("its __metadata__ is not a JSON object of strings (" + e.getMessage() + ")", e);
        }
    }
}
