package com.consentry.bench;

import java.util.List;

/** What {@code bench pipeline} measured for one app over the pre-loaded load. */
record AppResult(String app, Throughput throughput, AppProcess.Memory memory, long stateBytes, List<Sample> samples) {
}
