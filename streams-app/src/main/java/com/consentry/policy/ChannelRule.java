package com.consentry.policy;

import java.time.LocalTime;

/**
 * How one jurisdiction treats one channel.
 *
 * @param model      opt-in, double opt-in or opt-out model
 * @param softOptIn  whether a recent order for the brand makes the customer eligible (soft opt-in)
 * @param quietStart start of the local quiet hours (inclusive), or null for none
 * @param quietEnd   end of the local quiet hours (exclusive), or null for none
 * @param cap        most marketing messages on this channel per customer in any cap window; negative = no cap
 */
public record ChannelRule(ContactModel model, boolean softOptIn, LocalTime quietStart, LocalTime quietEnd, int cap) {

    public boolean inQuietHours(LocalTime local) {
        if (quietStart == null || quietEnd == null || quietStart.equals(quietEnd)) {
            return false;
        }
        if (quietStart.isBefore(quietEnd)) {
            return !local.isBefore(quietStart) && local.isBefore(quietEnd);
        }
        return !local.isBefore(quietStart) || local.isBefore(quietEnd);
    }

    public ChannelRule withModel(ContactModel m) {
        return new ChannelRule(m, softOptIn, quietStart, quietEnd, cap);
    }

    public ChannelRule withSoftOptIn(boolean s) {
        return new ChannelRule(model, s, quietStart, quietEnd, cap);
    }

    public ChannelRule withQuietHours(LocalTime start, LocalTime end) {
        return new ChannelRule(model, softOptIn, start, end, cap);
    }

    public ChannelRule withCap(int c) {
        return new ChannelRule(model, softOptIn, quietStart, quietEnd, c);
    }
}
