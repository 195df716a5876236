from django.db import models


class User(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        db_table = "users"


class Order(models.Model):
    class Meta:
        db_table = "orders"
        verbose_name = "users"
