package com.acme.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

// No import of Column: the annotation cannot be added as `@Column` here.
@Entity
@Table(name = "users")
public class NoImport {
    private String user_name;
}
