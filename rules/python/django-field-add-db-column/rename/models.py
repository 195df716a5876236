from django.db import models


class User(models.Model):
    user_name = models.CharField(max_length=50)
    age = models.IntegerField()

    class Meta:
        db_table = "users"


class Profile(models.Model):
    user_name = models.CharField(max_length=50)


class Legacy(models.Model):
    user_name = models.CharField(max_length=50, db_column="login")

    class Meta:
        db_table = "users"
