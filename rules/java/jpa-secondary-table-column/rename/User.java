package com.acme.shop;

import jakarta.persistence.*;

@Entity
@Table(name = "users")
@SecondaryTable(name = "user_details")
public class User {
    @Column(table = "user_details", name = "bio")
    private String bio;

    @Column(name = "avatar_url", table = "user_details", length = 512)
    private String avatar;

    @Column(name = "bio")
    private String shortBio;

    @ManyToOne
    @JoinColumn(table = "user_details", name = "country_id")
    private Country country;
}

@Entity
@Table(name = "users")
@SecondaryTable(name = "user_details")
class Unnamed {
    @Column(table = "user_details")
    private String website;
}
