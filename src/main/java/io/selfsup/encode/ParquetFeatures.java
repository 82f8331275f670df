package io.selfsup.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.selfsup.SelfsupException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
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
 * The {@code features} and {@code label} columns of a Parquet file as ssl-encode writes it ({@link ParquetFeatureSink};
 * Spark's {@code array<float>} and {@code int} columns of those names read the same), as (N, D) float32 and (N)
 * int64 arrays. Only those two columns are read, straight into growing arrays, not through row objects.
 */
public final class ParquetFeatures {

    private ParquetFeatures() {}

    /** Features (N, D) float32 and labels (N) int64, or null labels when the file has no label column. */
    public record Read(NDArray features, NDArray labels) {}

    public static Read read(NDManager manager, Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file),
                ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            if (!schema.containsField(ParquetFeatureSink.FEATURES)) {
                throw new SelfsupException(file + " has no '" + ParquetFeatureSink.FEATURES + "' column; pass a "
                        + "Parquet file written by ssl-encode");
            }
            boolean labelled = schema.containsField(ParquetFeatureSink.LABEL);
            MessageType requested = new MessageType(schema.getName(), labelled
                    ? new Type[] {schema.getType(ParquetFeatureSink.LABEL), schema.getType(ParquetFeatureSink.FEATURES)}
                    : new Type[] {schema.getType(ParquetFeatureSink.FEATURES)});
            Columns columns = new Columns(labelled);
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Void> rows = new ColumnIOFactory().getColumnIO(requested, schema)
                        .getRecordReader(pages, columns);
                for (long r = 0; r < pages.getRowCount(); r++) {
                    rows.read();
                }
            }
            return columns.arrays(manager, file);
        } catch (IOException | RuntimeException | LinkageError e) {
            if (e instanceof SelfsupException selfsup) {
                throw selfsup;
            }
            // parquet-java names the file by its InputFile's identity hash
            String why = String.valueOf(e.getMessage()).replaceAll("org\\.apache\\.parquet\\.io\\.LocalInputFile@\\w+",
                    "it");
            throw new SelfsupException("cannot read features from " + file + " (" + e.getClass().getSimpleName()
                    + ": " + why + "); pass an uncompressed Parquet file written by ssl-encode", e);
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
            GroupConverter features = group(list);
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
                }

                @Override
                public void end() {
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
