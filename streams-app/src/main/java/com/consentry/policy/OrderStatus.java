package com.consentry.policy;

/** Order status; only PLACED matters for soft opt-in, and a later CANCELLED or RETURNED does not undo it. */
public enum OrderStatus {
    PLACED, CANCELLED, RETURNED
}
