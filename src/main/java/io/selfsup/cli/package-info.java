/**
 * The command line (picocli): one class per command, shared options as mixins. Thin: parses, validates, calls the library. May import every other package; nothing imports it.
 */
package io.selfsup.cli;
