package io.selfsup.encode;

import ai.djl.ndarray.NDArray;
import io.selfsup.data.ImageStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * features.parquet: one row per image, {@code path} (an image folder's, relative to it), {@code label} and
 * {@code class} (when the images have labels), {@code split} ("train" or "test"), {@code features} (a list of float,
 * Spark's {@code array<float>}) and {@code run} (the run that encoded them); the file's key-value metadata holds the
 * model file, pooling, image size and the class names. Written by parquet-java with no Hadoop on the class path:
 * a local file and the plain configuration, uncompressed (features do not compress, and parquet-java's codecs need
 * Hadoop's runtime).
 */
final class ParquetFeatureSink implements FeatureSink {

    static final String PATH = "path";
    static final String LABEL = "label";
    static final String CLASS = "class";
    static final String SPLIT = "split";
    static final String FEATURES = "features";
    static final String RUN = "run";
    static final MessageType SCHEMA = Types.buildMessage()
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(PATH)
            .optional(PrimitiveTypeName.INT32).named(LABEL)
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(CLASS)
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(SPLIT)
            .requiredList().requiredElement(PrimitiveTypeName.FLOAT).named(FEATURES)
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(RUN)
            .named("selfsup_features");

    /** One image's row. */
    private record Row(String path, Integer label, String className, String split, float[] values, int offset,
                       int length, String run) {}

    private final ParquetWriter<Row> writer;
    private final String run;

    ParquetFeatureSink(Path file, String run, Map<String, String> metadata) throws IOException {
        this.run = run;
        writer = new Builder(new LocalOutputFile(file), metadata).withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED).build();
    }

    @Override
    public void accept(ImageStore part, int split, int first, NDArray rows) throws IOException {
        int n = (int) rows.getShape().get(0);
        int dimension = (int) rows.getShape().get(1);
        float[] values = rows.toFloatArray();
        List<String> paths = part.paths();
        List<String> classes = part.classNames();
        for (int i = 0; i < n; i++) {
            int image = first + i;
            Integer label = part.hasLabels() ? part.label(image) : null;
            writer.write(new Row(paths == null ? null : paths.get(image), label,
                    label == null || classes.isEmpty() ? null : classes.get(label), split == 0 ? "train" : "test",
                    values, i * dimension, dimension, run));
        }
    }

    @Override
    public void finish(List<ImageStore> parts) {
        // every column is in the rows; the class names went into the metadata at the start
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        private final Map<String, String> metadata;

        Builder(OutputFile file, Map<String, String> metadata) {
            super(file);
            this.metadata = metadata;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(metadata);
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new RowWriteSupport(metadata);
        }
    }

    private static final class RowWriteSupport extends WriteSupport<Row> {
        private final Map<String, String> metadata;
        private RecordConsumer out;

        RowWriteSupport(Map<String, String> metadata) {
            this.metadata = new HashMap<>(metadata);
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(SCHEMA, metadata);
        }

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return new WriteContext(SCHEMA, metadata);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            out = recordConsumer;
        }

        @Override
        public void write(Row row) {
            out.startMessage();
            string(0, PATH, row.path());
            if (row.label() != null) {
                out.startField(LABEL, 1);
                out.addInteger(row.label());
                out.endField(LABEL, 1);
            }
            string(2, CLASS, row.className());
            string(3, SPLIT, row.split());
            out.startField(FEATURES, 4);
            out.startGroup();
            out.startField("list", 0);
            for (int d = 0; d < row.length(); d++) {
                out.startGroup();
                out.startField("element", 0);
                out.addFloat(row.values()[row.offset() + d]);
                out.endField("element", 0);
                out.endGroup();
            }
            out.endField("list", 0);
            out.endGroup();
            out.endField(FEATURES, 4);
            string(5, RUN, row.run());
            out.endMessage();
        }

        private void string(int index, String name, String value) {
            if (value != null) {
                out.startField(name, index);
                out.addBinary(Binary.fromString(value));
                out.endField(name, index);
            }
        }
    }
}
