from django.db import models


class User(models.Model):
    user_name = models.TextField()

    class Meta:
        db_table = "users"


class Profile(models.Model):
    user_name = models.TextField()
