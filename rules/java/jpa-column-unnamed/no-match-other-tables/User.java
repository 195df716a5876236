package com.acme.shop;

import jakarta.persistence.*;
import java.util.Set;

@Entity
@Table(name = "users")
@SecondaryTable(name = "user_details")
public class User {
    // A column of the secondary table, by the field's name.
    @Column(table = "user_details", nullable = false)
    private String bio;

    // An element collection's column is in its collection table.
    @ElementCollection
    @Column(nullable = false)
    private Set<String> nickname;
}
