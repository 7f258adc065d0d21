package com.consentry.policy;

/** Status of a consent event. CONFIRMED is not a fact of its own: it confirms a double opt-in grant. */
public enum ConsentStatus {
    GRANTED, CONFIRMED, WITHDRAWN
}
