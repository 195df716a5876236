package com.acme.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

// JPA's Column is imported: java/jpa-implicit-column's, not this rule's.
@Entity
@Table(name = "users")
public class Customer {
    private String userName;
}
