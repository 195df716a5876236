package com.acme.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

@Entity
@Table(name = "orders")
public class Order {
    // Joins on a column of the referenced entity's table.
    @ManyToOne
    @JoinColumn(name = "buyer_name", referencedColumnName = "user_name")
    private User buyer;
}
