package com.consentry.policy;

/**
 * The reason codes of {@code eligibility-policy.md}. The order of the first eleven constants is the
 * precedence of the decision table: the first matching line wins.
 */
public enum Reason {
    ERASED,
    MINOR,
    ADDRESS_SUPPRESSED,
    UNSUBSCRIBED,
    WITHDRAWN,
    CONSENT,
    SOFT_OPT_IN,
    AWAITING_CONFIRMATION,
    OPT_OUT_MODEL,
    EXPIRED,
    NO_CONSENT,
    /** A service message (order confirmation, returns, terms) that nothing stopped. */
    SERVICE,
    /** SMS or phone marketing in the customer's local quiet hours. */
    QUIET_HOURS,
    /** The channel's marketing frequency cap would be exceeded. */
    FREQUENCY_CAP
}
