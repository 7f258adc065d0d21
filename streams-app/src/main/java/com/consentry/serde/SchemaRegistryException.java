package com.consentry.serde;

/**
 * A schema registry call failed. The message names the operation, the URL (for HTTP registries), the HTTP status
 * and the registry's own error message.
 */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Status used when no HTTP response was received (connection refused, timeout, ...). */
    public static final int NO_RESPONSE = -1;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode) {
        this(message, status, errorCode, null);
    }

    public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status, or {@link #NO_RESPONSE} when the registry did not answer. */
    public int status() {
        return status;
    }

    /** The registry's {@code error_code} (e.g. 40403 schema not found), or -1 when it gave none. */
    public int errorCode() {
        return errorCode;
    }

    /** True when the registry answered 404 (unknown subject, version or schema id). */
    public boolean isNotFound() {
        return status == 404;
    }
}
