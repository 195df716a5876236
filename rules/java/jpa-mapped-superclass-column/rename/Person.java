package org.acme.model;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

@MappedSuperclass
public class Person extends BaseEntity {

    private String firstName;

    @Column(name = "telephone")
    private String phoneNumber;

    @Column
    private String lastName;

    private static String firstNameLabel;
}
