/**
 * What a long command shows on the terminal while it works: the progress line (redrawn on a terminal, plain
 * lines in a log). Imports nothing of selfsup.
 */
package io.selfsup.console;
