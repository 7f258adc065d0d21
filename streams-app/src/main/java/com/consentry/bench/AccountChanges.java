package com.consentry.bench;

import java.util.Random;

/**
 * The unsubscribes and profile updates of one {@link CustomerTimeline}: unsubscribe links, list
 * unsubscribes, SMS STOPs, customer-care opt-outs of every brand, complaints and hard bounces; a few
 * opt-outs naming only an address; new or removed phone numbers, time zones and email addresses.
 */
final class AccountChanges {
    private final CustomerTimeline timeline;
    private final Random random;

    AccountChanges(CustomerTimeline timeline) {
        this.timeline = timeline;
        this.random = timeline.random;
    }

    /** An opt-out by the customer: mostly one brand's email, some SMS, some of every brand and channel. */
    void unsubscribe(long v) {
        MixEvent u = timeline.event(MixEvent.Kind.UNSUBSCRIBE, v);
        u.brand = timeline.randomBrand();
        u.channel = "EMAIL";
        int d = random.nextInt(100);
        if (d < 45) {
            u.code = "LINK";
        } else if (d < 60) {
            u.code = "LIST_UNSUBSCRIBE";
        } else if (d < 72 && timeline.profile.phone() != null) {
            u.code = "SMS_STOP";
            u.channel = "SMS";
        } else if (d < 85) {
            u.code = "CUSTOMER_CARE";
            u.brand = "*";
            u.channel = null;
        } else if (d < 90) {
            u.code = "COMPLAINT";
        } else if (d < 95) {
            u.code = "HARD_BOUNCE";
            u.brand = "*";
        } else {
            u.code = "LINK";
            u.channel = "TARGETED_ADS";
        }
        timeline.emit(u, true);
    }

    /** A complaint about the customer's email, or an SMS STOP from their (international) number, with no customerId. */
    void addressOnlyUnsubscribe(long at) {
        MixEvent u = timeline.event(MixEvent.Kind.ADDRESS_UNSUBSCRIBE, at);
        u.brand = "*";
        if (timeline.profile.internationalPhone() != null && random.nextInt(100) < 40) {
            u.text = timeline.profile.internationalPhone();
            u.channel = "SMS";
            u.code = "SMS_STOP";
        } else {
            u.text = timeline.profile.email().trim().toLowerCase();
            u.code = "COMPLAINT";
        }
        timeline.emit(u, true);
    }

    /** A new phone number (or none), a time zone, or a new email address. */
    void profileUpdate(long v) {
        MixEvent e = timeline.event(MixEvent.Kind.PROFILE_UPDATE, v);
        int d = random.nextInt(100);
        if (d < 40 && timeline.profile.internationalPhone() != null) {
            e.code = "phone";
            String p = timeline.profile.internationalPhone();
            e.text = p.substring(0, p.length() - 2) + String.format("%02d", random.nextInt(100));
        } else if (d < 50) {
            e.code = "phone";
            e.text = null;
        } else if (d < 75) {
            e.code = "timezone";
            e.text = timeline.profile.timezone() != null ? timeline.profile.timezone() : "Europe/London";
        } else {
            e.code = "email";
            e.text = timeline.profile.email().trim().toLowerCase().replace("@", ".new@");
        }
        timeline.emit(e, true);
    }
}
