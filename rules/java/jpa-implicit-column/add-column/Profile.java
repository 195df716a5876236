package com.acme.jpa;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

// Columns of `users` mapped through an embeddable and an implicit field name.
@Entity
@Table(name = "users")
public class Profile {
    private String user_name;

    @Embedded
    @AttributeOverride(name = "flag", column = @Column(name = "legacy_flag"))
    private Flags flags;
}
