package com.example;

import javax.persistence.*;
import javax.validation.constraints.NotNull;

@Entity
@Table(name = "users")
public class Inline {
    @NotNull @Deprecated private String userName;
}
