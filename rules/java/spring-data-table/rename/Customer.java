package com.acme.jdbc;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

@Table("users")
public class Customer {
    @Id
    private Long id;
}

@Table(value = "users", schema = "app")
class AppCustomer {}

@org.springframework.data.relational.core.mapping.Table("users")
class Legacy {}
