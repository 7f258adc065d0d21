package com.consentry.policy;

/** The eligibility of one (customer, brand, channel) at one instant, with its evidence (may be null). */
public record Answer(boolean eligible, Reason reason, Evidence evidence) {

    static Answer yes(Reason reason, Evidence evidence) {
        return new Answer(true, reason, evidence);
    }

    static Answer no(Reason reason, Evidence evidence) {
        return new Answer(false, reason, evidence);
    }
}
