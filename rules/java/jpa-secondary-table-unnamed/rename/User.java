package com.acme.shop;

import jakarta.persistence.*;

@Entity
@Table(name = "users")
@SecondaryTable(name = "user_details")
public class User {
    @Column(table = "user_details")
    private String avatarUrl;

    @Column(length = 2000, table = "user_details")
    private String bio;

    @Column(nullable = false)
    private String nickname;
}
