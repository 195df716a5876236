package com.acme.shop;

import jakarta.persistence.*;
import java.util.List;
import java.util.Map;
import java.util.Set;

@Entity
@Table(name = "users")
public class User {
    @ElementCollection
    @CollectionTable(name = "user_tags", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "tag")
    private Set<String> tags;

    @Column(name = "phone_number")
    @OrderColumn(name = "position")
    @CollectionTable(name = "user_phones")
    @ElementCollection
    private List<String> phones;

    @ElementCollection
    @CollectionTable(name = "user_settings")
    @MapKeyColumn(name = "setting_key")
    @Column(name = "setting_value")
    private Map<String, String> settings;

    @Column(name = "tag")
    private String tag;
}
