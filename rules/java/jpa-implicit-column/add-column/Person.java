package com.acme.jpa;

import jakarta.persistence.*;

@Entity
@Table(name = "users")
public class Person {
    @Id
    private Long id;

    private String userName;

    @Column(name = "user_name_2")
    private String other;

    private static String user_name = "a constant, not a column";
}
