from django.db import models


class Comment(models.Model):
    author = models.ForeignKey("User", on_delete=models.CASCADE)
    author_id_copy = models.IntegerField()

    class Meta:
        db_table = "comments"


class Post(models.Model):
    author = models.ManyToManyField("User")

    class Meta:
        db_table = "posts"
