package io.sfu.signaling.api;

/** A client message or body that does not have the shape the API documents; reported as {@code bad_request}. */
final class BadRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequestException(String message) {
        super(message, null, false, false);
    }
}
