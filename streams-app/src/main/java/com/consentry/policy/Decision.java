package com.consentry.policy;

/** The outcome of a send request or cart reminder. */
public enum Decision {
    APPROVED, SUPPRESSED
}
