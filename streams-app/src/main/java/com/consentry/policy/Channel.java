package com.consentry.policy;

/** A contact channel. */
public enum Channel {
    EMAIL, SMS, POST, PHONE, TARGETED_ADS
}
