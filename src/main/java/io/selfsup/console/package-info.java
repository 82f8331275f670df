/**
 * What a command shows on the terminal: the progress line (redrawn on a terminal, plain lines in a log) and the
 * log's settings. Imports nothing of selfsup.
 */
package io.selfsup.console;
