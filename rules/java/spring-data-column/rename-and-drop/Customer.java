package com.acme.jdbc;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;

@Table("users")
public class Customer {
    @Id
    private Long id;

    @Column("user_name")
    private String name;

    @Column(value = "legacy_flag")
    private Boolean legacy;
}

@Table(name = "users")
class NamedCustomer {
    @Column("user_name")
    private String name;
}
