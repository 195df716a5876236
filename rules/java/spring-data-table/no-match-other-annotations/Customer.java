package com.acme.jdbc;

import org.springframework.data.relational.core.mapping.Table;

@SuppressWarnings("users")
@Table("users_archive")
public class Customer {}

@Table(value = "users", schema = "billing")
class BillingCustomer {}

@Table(value = "users", schema = Schemas.APP)
class ConstantSchema {}
