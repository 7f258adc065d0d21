package com.consentry.ingest;

/** An event that decoded but violates the meaning of its schema; its message says which field and why. */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }
}
