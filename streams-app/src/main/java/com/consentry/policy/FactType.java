package com.consentry.policy;

/** What kind of fact an answer's evidence is. */
public enum FactType {
    CUSTOMER, CONSENT, UNSUBSCRIBE, ORDER, CART, SUPPRESSION, ERASURE
}
