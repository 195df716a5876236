package com.acme.jpa;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

// Another table with columns of the same names: nothing here is the changed column.
@Entity
@Table(name = "accounts")
public class Account {
    @Column(name = "user_name")
    private String user_name;

    private Integer age;

    @ManyToOne
    @JoinColumn(name = "user_name", referencedColumnName = "user_name")
    private User owner;

    @Embedded
    @AttributeOverride(name = "city", column = @Column(name = "user_name"))
    private Address address;
}
