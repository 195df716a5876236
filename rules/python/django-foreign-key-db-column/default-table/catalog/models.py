from django.db import models


class Book(models.Model):
    author = models.ForeignKey("Author", on_delete=models.SET_NULL, null=True)


class BookInstance(models.Model):
    author = models.ForeignKey("Author", on_delete=models.SET_NULL, null=True)
