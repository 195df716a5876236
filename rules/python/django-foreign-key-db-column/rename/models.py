from django.db import models


class Post(models.Model):
    author = models.ForeignKey("User", on_delete=models.CASCADE)
    editor = models.OneToOneField("User", on_delete=models.SET_NULL, null=True)
    reviewer = models.ForeignKey("User", on_delete=models.CASCADE, db_column="author_id")

    class Meta:
        db_table = "posts"


class Draft(models.Model):
    author = models.ForeignKey("User", on_delete=models.CASCADE)
