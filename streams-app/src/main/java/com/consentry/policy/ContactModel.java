package com.consentry.policy;

/** How a jurisdiction treats a channel: explicit consent, confirmed consent, or allowed unless the customer opted out. */
public enum ContactModel {
    OPT_IN, DOUBLE_OPT_IN, OPT_OUT
}
