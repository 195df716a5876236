package org.acme.owner;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "owners")
public class Owner {

    @Column
    private String firstName;

    @Column(nullable = false, length = 30)
    private String telephone;

    @Column(name = "city")
    private String town;
}
