package com.acme.jdbc;

import java.util.List;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

@Table("users")
public class Customer {
    @MappedCollection(idColumn = "user_id", keyColumn = "position")
    private List<Phone> phones;
}
