package io.selfsup.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.selfsup.SelfsupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The {@code features} and {@code label} columns of a Parquet file as ssl-encode writes it ({@link ParquetFeatureSink}),
 * or of a directory of Parquet part files as the Spark job writes them (Spark's {@code array<float>} and {@code int}
 * columns of those names read the same), as (N, D) float32 and (N) int64 arrays. Rows without features (the Spark
 * job's files that could not be decoded) are left out. Only those two columns are read, straight into growing
 * arrays, not through row objects.
 */
public final class ParquetFeatures {

    private ParquetFeatures() {}

    /** Features (N, D) float32 and labels (N) int64, or null labels when the file has no label column. */
    public record Read(NDArray features, NDArray labels) {}

    /** {@code path}: a Parquet file, or a directory whose *.parquet files are the parts of one dataset. */
    public static Read read(NDManager manager, Path path) {
        try {
            List<Path> parts = parts(path);
            Columns columns = null;
            for (Path part : parts) {
                columns = readPart(part, columns);
            }
            return columns.arrays(manager, path);
        } catch (IOException | RuntimeException | LinkageError e) {
            if (e instanceof SelfsupException selfsup) {
                throw selfsup;
            }
            // parquet-java names the file by its InputFile's identity hash
            String why = String.valueOf(e.getMessage()).replaceAll("org\\.apache\\.parquet\\.io\\.LocalInputFile@\\w+",
                    "it");
            throw new SelfsupException("cannot read features from " + path + " (" + e.getClass().getSimpleName()
                    + ": " + why + "); pass an uncompressed Parquet file written by ssl-encode, or the Spark job's "
                    + "output directory", e);
        }
    }

    private static List<Path> parts(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.list(path)) {
            List<Path> parts = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
            if (parts.isEmpty()) {
                throw new SelfsupException(path + " holds no .parquet files");
            }
            return parts;
        }
    }

    /** Appends one file's rows to {@code columns} (null: the first file, whose schema decides the columns). */
    private static Columns readPart(Path file, Columns columns) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            if (!schema.containsField(ParquetFeatureSink.FEATURES)) {
                throw new SelfsupException(file + " has no '" + ParquetFeatureSink.FEATURES + "' column; pass a "
                        + "Parquet file written by ssl-encode or the Spark job");
            }
            boolean labelled = schema.containsField(ParquetFeatureSink.LABEL);
            if (columns == null) {
                columns = new Columns(labelled);
            } else if (columns.labelled != labelled) {
                throw new SelfsupException(file + (labelled ? " has" : " has no") + " label column, unlike the "
                        + "parts before it");
            }
            MessageType requested = new MessageType(schema.getName(), labelled
                    ? new Type[] {schema.getType(ParquetFeatureSink.LABEL), schema.getType(ParquetFeatureSink.FEATURES)}
                    : new Type[] {schema.getType(ParquetFeatureSink.FEATURES)});
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Void> rows = new ColumnIOFactory().getColumnIO(requested, schema)
                        .getRecordReader(pages, columns);
                for (long r = 0; r < pages.getRowCount(); r++) {
                    rows.read();
                }
            }
            return columns;
        }
    }

    /** The label and features columns of every row, appended as the record reader walks them. */
    private static final class Columns extends RecordMaterializer<Void> {
        private final boolean labelled;
        private float[] values = new float[1 << 16];
        private int valueCount;
        private long[] labels = new long[1024];
        private int rows;
        private int rowStart;
        private int dimension = -1;
        private boolean rowHasFeatures;
        private final GroupConverter root;

        Columns(boolean labelled) {
            this.labelled = labelled;
            PrimitiveConverter element = new PrimitiveConverter() {
                @Override
                public void addFloat(float value) {
                    if (valueCount == values.length) {
                        values = Arrays.copyOf(values, values.length * 2);
                    }
                    values[valueCount++] = value;
                }
            };
            GroupConverter list = group(element);
            GroupConverter features = new GroupConverter() {
                @Override
                public Converter getConverter(int field) {
                    return list;
                }

                @Override
                public void start() {
                    rowHasFeatures = true;
                }

                @Override
                public void end() {}
            };
            PrimitiveConverter label = new PrimitiveConverter() {
                @Override
                public void addInt(int value) {
                    labels[rows] = value;
                }

                @Override
                public void addLong(long value) {
                    labels[rows] = value;
                }
            };
            root = new GroupConverter() {
                @Override
                public Converter getConverter(int field) {
                    return labelled && field == 0 ? label : features;
                }

                @Override
                public void start() {
                    if (rows == labels.length) {
                        labels = Arrays.copyOf(labels, labels.length * 2);
                    }
                    labels[rows] = -1;
                    rowStart = valueCount;
                    rowHasFeatures = false;
                }

                @Override
                public void end() {
                    if (!rowHasFeatures) {
                        return; // a file the Spark job could not decode: its row has an error and no features
                    }
                    int length = valueCount - rowStart;
                    if (dimension < 0) {
                        dimension = length;
                    } else if (length != dimension) {
                        throw new SelfsupException("row " + rows + " has " + length + " features, the first row "
                                + dimension);
                    }
                    if (labelled && labels[rows] < 0) {
                        throw new SelfsupException("row " + rows + " has no label");
                    }
                    rows++;
                }
            };
        }

        private static GroupConverter group(Converter child) {
            return new GroupConverter() {
                @Override
                public Converter getConverter(int field) {
                    return child;
                }

                @Override
                public void start() {}

                @Override
                public void end() {}
            };
        }

        @Override
        public Void getCurrentRecord() {
            return null;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }

        Read arrays(NDManager manager, Path file) {
            if (rows == 0) {
                throw new SelfsupException(file + " holds no rows");
            }
            NDArray features = manager.create(Arrays.copyOf(values, valueCount), new Shape(rows, dimension));
            NDArray labelArray = labelled ? manager.create(Arrays.copyOf(labels, rows)) : null;
            return new Read(features, labelArray);
        }
    }
}
