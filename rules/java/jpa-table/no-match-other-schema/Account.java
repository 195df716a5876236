package com.acme.shop;

import jakarta.persistence.*;

@Entity
@Table(schema = "billing", name = "users")
public class Account {
    @ManyToMany
    @JoinTable(name = "user_roles", schema = "billing")
    private java.util.Set<Role> roles;
}

@Entity
@Table(name = "users", schema = Schemas.AUDIT)
class AuditedAccount {}

@Entity
@Table(schema = "app", name = "users")
class AppAccount {}
