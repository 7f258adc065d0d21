package com.consentry.api;

/** An HTTP error answer: a status and a message for {@code {"error": "..."}}. */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notReady(String message) {
        return new ApiException(503, message);
    }

    public int status() {
        return status;
    }
}
