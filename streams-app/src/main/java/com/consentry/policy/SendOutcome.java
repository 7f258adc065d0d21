package com.consentry.policy;

/** The one decision for a send request or cart reminder. */
public record SendOutcome(Decision decision, Reason reason, Evidence evidence) {

    public boolean approved() {
        return decision == Decision.APPROVED;
    }
}
