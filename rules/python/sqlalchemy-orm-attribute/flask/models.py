from django.db import models
from app import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), index=True, unique=True)


class UserEvent(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(16))


class Account(db.Model):
    __tablename__ = "accounts"
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64))


class Member(models.Model):
    username = models.CharField(max_length=64)
