from django.db import models


class User(models.Model):
    name = models.CharField(max_length=50, db_column="user_name")

    class Meta:
        db_table = "users"


class Order(models.Model):
    name = models.CharField(max_length=50, db_column="user_name")

    class Meta:
        db_table = "orders"
