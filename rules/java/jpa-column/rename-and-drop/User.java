package com.acme.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;

@Entity
@Table(name = "users")
@NamedNativeQuery(name = "User.names", query = "SELECT user_name FROM users")
public class User {
    @Id
    private Long id;

    @Column(name = "user_name", nullable = false)
    private String name;

    private Integer age;

    @Column(name = "legacy_flag")
    private Boolean legacyFlag;

    public Integer getAge() {
        return age;
    }

    public void setAge(Integer age) {
        this.age = age;
    }
}
