package com.consentry.serde;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;

/** Delegates to another registry and records every call as "method subject-or-id". */
final class CountingRegistry implements SchemaRegistry {

    final SchemaRegistry delegate;
    final List<String> calls = new CopyOnWriteArrayList<>();

    CountingRegistry(SchemaRegistry delegate) {
        this.delegate = delegate;
    }

    @Override
    public int register(String subject, Schema schema) {
        calls.add("register " + subject);
        return delegate.register(subject, schema);
    }

    @Override
    public int idOf(String subject, Schema schema) {
        calls.add("idOf " + subject);
        return delegate.idOf(subject, schema);
    }

    @Override
    public Schema schemaById(int id) {
        calls.add("schemaById " + id);
        return delegate.schemaById(id);
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        calls.add("isCompatible " + subject);
        return delegate.isCompatible(subject, schema);
    }

    @Override
    public void setCompatibility(String subject, String level) {
        calls.add("setCompatibility " + subject);
        delegate.setCompatibility(subject, level);
    }

    @Override
    public List<String> subjects() {
        calls.add("subjects");
        return delegate.subjects();
    }
}
