from django.db import models


class Base(models.Model):
    title = models.CharField(max_length=200)

    class Meta:
        abstract = True


class Book(models.Model):
    title = models.CharField(max_length=200)

    class Meta:
        db_table = "library_book"


class Magazine(models.Model):
    title = models.CharField(max_length=200)
