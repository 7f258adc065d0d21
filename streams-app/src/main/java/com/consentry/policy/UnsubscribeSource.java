package com.consentry.policy;

/** Where an unsubscribe came from; COMPLAINT, HARD_BOUNCE and SMS_STOP also suppress the address. */
public enum UnsubscribeSource {
    LINK, LIST_UNSUBSCRIBE, SMS_STOP, CUSTOMER_CARE, COMPLAINT, HARD_BOUNCE
}
