package com.acme.shop;

@Entity
@Table(name = "users_archive", indexes = @Index(name = "users"))
@SecondaryTable(name = "users")
public class Order {
    private static final String NOTE = "copied from users";
}
