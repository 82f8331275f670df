package io.selfsup;

/**
 * A problem the user can fix (bad input, missing data, no network): its message is one line that says what
 * was wrong and what to do, and the command line prints it without a stack trace.
 */
public class SelfsupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SelfsupException(String message) {
        super(message);
    }

    public SelfsupException(String message, Throwable cause) {
        super(message, cause);
    }
}
