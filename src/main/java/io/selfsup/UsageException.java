package io.selfsup;

/** A command line that asks for something contradictory or impossible: exit code 2, like a parse error. */
public class UsageException extends SelfsupException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
