package com.acme.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "users", schema = "analytics")
public class User {
    @jakarta.persistence.Table(name = "users")
    static class Legacy {}
}
