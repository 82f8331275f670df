/**
 * Embeddings on Apache Spark: a job that reads images with Spark's binaryFile source, embeds each partition with a
 * run's network (loaded once per executor JVM, the same preprocessing and pooling as ssl-encode) and writes Parquet.
 * On top, like cli: it may import the library packages; nothing imports it. Spark itself is provided by
 * spark-submit (or scripts/ssl-spark-embed's local mode).
 */
package io.selfsup.spark;
