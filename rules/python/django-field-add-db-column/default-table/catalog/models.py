from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=1000, help_text="A brief description")

    class Meta:
        ordering = ["title"]
