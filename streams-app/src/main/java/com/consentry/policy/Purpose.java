package com.consentry.policy;

/** Why a message is sent: marketing needs eligibility, service messages (order confirmations, returns, changes to terms) do not. */
public enum Purpose {
    MARKETING, SERVICE
}
