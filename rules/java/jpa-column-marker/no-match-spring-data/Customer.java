package com.acme.jdbc;

import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;

// Spring Data's Column has no `name`: `@Column(name = ...)` would not compile.
@Table(name = "users")
public class Customer {
    @Column
    private String userName;
}
