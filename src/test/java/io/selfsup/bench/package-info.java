/**
 * Benchmark programs run by scripts/bench/ (through scripts/selfsup with SELFSUP_MAIN). They live with the tests,
 * so {@code mvn package} compiles them into target/test-classes and leaves them out of the shipped jar.
 */
package io.selfsup.bench;
