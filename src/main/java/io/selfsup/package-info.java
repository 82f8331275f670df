/**
 * Root utilities every package may use: exceptions, atomic and temporary files, output paths, the progress line, the version.
 */
package io.selfsup;
