package com.acme.jdbc;

import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;

@Table("orders")
public class Order {
    @Column("user_name")
    private String placedBy;
}

@Table("users")
class Customer {
    @Deprecated("user_name")
    private String name;
}
