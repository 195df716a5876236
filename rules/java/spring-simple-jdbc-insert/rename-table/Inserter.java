package com.acme.spring;

import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.SimpleJdbcInsert;

public class Inserter {
    private final SimpleJdbcInsert users;
    private final SimpleJdbcInsert orders;

    public Inserter(DataSource ds) {
        this.users = new SimpleJdbcInsert(ds).withTableName("user_events").usingGeneratedKeyColumns("id");
        this.orders = new SimpleJdbcInsert(ds).withTableName("orders");
    }
}
