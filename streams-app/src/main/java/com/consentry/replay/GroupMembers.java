package com.consentry.replay;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The active members of an application's group: how {@code replay} tells a running app from a stopped one. */
final class GroupMembers {
    private GroupMembers() {
    }

    /** The group's active members (0 when the group does not exist), of a streams or a classic consumer group. */
    static int count(Admin admin, String group, boolean streamsGroup)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return streamsGroup
                    ? admin.describeStreamsGroups(List.of(group)).all().get(60, TimeUnit.SECONDS).get(group).members().size()
                    : admin.describeConsumerGroups(List.of(group)).all().get(60, TimeUnit.SECONDS).get(group).members().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }
}
