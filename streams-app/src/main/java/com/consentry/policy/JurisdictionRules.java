package com.consentry.policy;

import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;

/** The rules of one jurisdiction: default timezone, minimum age for marketing, and a rule per channel. */
public record JurisdictionRules(String name, ZoneId timezone, int minimumAge, Map<Channel, ChannelRule> channels) {

    public JurisdictionRules {
        channels = Map.copyOf(new EnumMap<>(channels));
    }

    public ChannelRule channel(Channel ch) {
        return channels.get(ch);
    }

    public JurisdictionRules withChannel(Channel ch, ChannelRule rule) {
        EnumMap<Channel, ChannelRule> copy = new EnumMap<>(channels);
        copy.put(ch, rule);
        return new JurisdictionRules(name, timezone, minimumAge, copy);
    }

    public JurisdictionRules withTimezone(ZoneId zone) {
        return new JurisdictionRules(name, zone, minimumAge, channels);
    }

    public JurisdictionRules withMinimumAge(int age) {
        return new JurisdictionRules(name, timezone, age, channels);
    }

    public JurisdictionRules named(String newName) {
        return new JurisdictionRules(newName, timezone, minimumAge, channels);
    }
}
