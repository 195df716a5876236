package com.acme.shop;

import jakarta.persistence.*;

@Entity
@Table(name = "users")
@SecondaryTable(name = "user_details")
public class User {
    // Named: java/jpa-secondary-table-column's.
    @Column(table = "user_details", name = "avatar_url")
    private String avatarUrl;

    // The primary table's column.
    @Column(nullable = false)
    private String bio;
}
