package com.acme.shop;

import jakarta.persistence.*;
import java.util.Set;

@Entity
@Table(name = "users")
@SecondaryTable(name = "user_details")
public class User {
    @Column(table = "user_details", name = "bio")
    private String bio;

    @ElementCollection
    @CollectionTable(name = "user_tags")
    @Column(name = "tag")
    private Set<String> tags;

    @ElementCollection
    @AttributeOverride(name = "street", column = @Column(name = "street_name"))
    private Set<Address> addresses;

    @Column(name = "nickname")
    private String nickname;
}

@Entity
@Table(name = "owners")
class Owner {
    @OneToMany(cascade = CascadeType.ALL)
    @JoinColumn(name = "owner_id")
    private Set<Pet> pets;
}
